"""First screen: `cmreader --db BIG` until the newest episode's title shows, beside a bare app.

Both run in a detached tmux session of a fixed size; the time is from launch to the moment
`tmux capture-pane` first shows the expected text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import (
    HERE,
    PYTHON,
    Figures,
    Result,
    Tmux,
    cmreader_command,
    dataset_store,
    emit,
    has,
    log,
    working_copy,
)
from generate import BIG_TITLE

BARE_LINE = "Bare Textual app: ready"
SKELETON_LINE = "Skeleton app: ready"
TARGET_RATIO = 1.2


def time_to_screen(tmux: Tmux, argv: list[str], expect: str) -> float:
    start = time.perf_counter()
    session = tmux.launch(argv)
    try:
        seen, _ = tmux.wait_for(session, has(expect))
    finally:
        tmux.kill(session)
    return (seen - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    big = dataset_store("big")
    # The title as the episode list shows it may be cut at the pane's width: look for its start.
    expect = BIG_TITLE.format(n=10000)[:20]
    bare = Figures()
    skeleton = Figures()
    app = Figures()
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp, Tmux() as tmux:
        work = Path(tmp)
        # One warm-up of each: the first run pays for cold disk caches and .pyc writing.
        bare_argv = [PYTHON, str(HERE / "bare_app.py"), BARE_LINE]
        time_to_screen(tmux, bare_argv, BARE_LINE)
        time_to_screen(tmux, [*cmreader_command(), "--db", str(working_copy(big, work))], expect)
        # Interleaved, so a slow moment of the machine hits both alike.
        skeleton_argv = [PYTHON, str(HERE / "skeleton_app.py"), SKELETON_LINE]
        time_to_screen(tmux, skeleton_argv, SKELETON_LINE)
        for _ in range(args.runs):
            bare.values.append(time_to_screen(tmux, bare_argv, BARE_LINE))
            skeleton.values.append(time_to_screen(tmux, skeleton_argv, SKELETON_LINE))
            db = working_copy(big, work)
            app.values.append(time_to_screen(tmux, [*cmreader_command(), "--db", str(db)], expect))
    ratio = app.median / bare.median
    log(f"bare Textual app, first screen: {bare.line()}")
    log(f"three-pane skeleton:            {skeleton.line()}")
    log(f"cmreader on the big store:      {app.line()}")
    log(f"ratio (medians): {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    ratios = [a / b for a, b in zip(app.values, bare.values, strict=True)]
    log(
        f"per-run ratios: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}"
    )
    data = "big store: 1,000 episodes, 99,825 comments"
    emit(
        [
            Result(
                "first screen: bare Textual app",
                bare.median,
                "ms",
                "-",
                None,
                "one Label",
                bare.line(),
            ),
            Result(
                "first screen: 3-pane skeleton, stock widgets",
                skeleton.median,
                "ms",
                "-",
                None,
                "OptionList, 2 Statics, Footer",
                skeleton.line(),
            ),
            Result("first screen: cmreader", app.median, "ms", "-", None, data, app.line()),
            Result(
                "first screen ratio (cmreader / bare)",
                ratio,
                "x",
                f"<= {TARGET_RATIO}x",
                ratio <= TARGET_RATIO,
                data,
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
