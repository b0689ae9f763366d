"""First screen: `cmreader --db STORE` until the newest episode's title shows, beside a bare app.

Both run in a detached tmux session of a fixed size; the time is from launch to the moment
`tmux capture-pane` first shows the expected text. With --datasets big,wide,deep, also how it
grows with ten times the episodes (wide) and ten times the comments (deep): all in one run,
interleaved with the bare app, each beside big.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import (
    DATASETS,
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
    store_counts,
    working_copy,
)
from generate import BIG_TITLE

BARE_LINE = "Bare Textual app: ready"
SKELETON_LINE = "Skeleton app: ready"
TARGET_RATIO = 1.2
# "It should stay flat": a bigger store's first screen within this of big's, same run.
FLAT_RATIO = 1.15
GROWTH = ("big", "wide", "deep")


def time_to_screen(tmux: Tmux, argv: list[str], expect: str) -> float:
    start = time.perf_counter()
    session = tmux.launch(argv)
    try:
        seen, _ = tmux.wait_for(session, has(expect))
    finally:
        tmux.kill(session)
    return (seen - start) * 1000


def time_to_episode(tmux: Tmux, argv: list[str], expect: str) -> tuple[float, float]:
    """Until the first screen (the title in the list), then until the episode is open too (the
    title again, over the article): the panes after the first frame are not free."""
    start = time.perf_counter()
    session = tmux.launch(argv)
    try:
        first, _ = tmux.wait_for(session, has(expect))
        whole, _ = tmux.wait_for(session, lambda screen: screen.count(expect) >= 2)
    finally:
        tmux.kill(session)
    return (first - start) * 1000, (whole - start) * 1000


def expected_title(name: str) -> str:
    """What shows once a data set's first screen is up: the newest episode's title (the big
    thread's, in each data set). The episode list may cut it at the pane's width: its start."""
    return BIG_TITLE.format(n=DATASETS[name]["big-thread"])[:20]


def _datasets(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in GROWTH]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown data set(s) {', '.join(unknown) or '(none)'}; choose from {','.join(GROWTH)}"
        )
    return list(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--datasets",
        type=_datasets,
        default=["big"],
        help=f"comma-separated stores to open, of {','.join(GROWTH)} (default: big); "
        "wide and deep are generated and imported on first use (deep: several minutes)",
    )
    args = parser.parse_args(argv)

    stores = {name: dataset_store(name) for name in args.datasets}
    counts = {name: store_counts(db) for name, db in stores.items()}
    expect = {name: expected_title(name) for name in stores}
    bare = Figures()
    skeleton = Figures()
    apps = {name: Figures() for name in stores}
    opened = {name: Figures() for name in stores}
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp, Tmux() as tmux:
        work = Path(tmp)

        def app_run(name: str) -> None:
            db = working_copy(stores[name], work)
            first, whole = time_to_episode(
                tmux, [*cmreader_command(), "--db", str(db)], expect[name]
            )
            apps[name].values.append(first)
            opened[name].values.append(whole)

        # One warm-up of each: the first run pays for cold disk caches and .pyc writing.
        bare_argv = [PYTHON, str(HERE / "bare_app.py"), BARE_LINE]
        time_to_screen(tmux, bare_argv, BARE_LINE)
        for name in stores:
            app_run(name)
            apps[name].values.clear()
            opened[name].values.clear()
        # Interleaved, so a slow moment of the machine hits all alike.
        skeleton_argv = [PYTHON, str(HERE / "skeleton_app.py"), SKELETON_LINE]
        time_to_screen(tmux, skeleton_argv, SKELETON_LINE)
        for _ in range(args.runs):
            bare.values.append(time_to_screen(tmux, bare_argv, BARE_LINE))
            skeleton.values.append(time_to_screen(tmux, skeleton_argv, SKELETON_LINE))
            for name in stores:
                app_run(name)

    def data(name: str) -> str:
        posts, comments = counts[name]
        return f"{name} store: {posts:,} episodes, {comments:,} comments"

    log(f"bare Textual app, first screen: {bare.line()}")
    log(f"three-pane skeleton:            {skeleton.line()}")
    for name, app in apps.items():
        log(f"cmreader on the {name} store:{' ' * (14 - len(name))}{app.line()}")
        log(f"  ... its episode open too:{' ' * (12)}{opened[name].line()}")
    results = [
        Result(
            "first screen: bare Textual app", bare.median, "ms", "-", None, "one Label", bare.line()
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
    ]
    for name, app in apps.items():
        ratio = app.median / bare.median
        ratios = [a / b for a, b in zip(app.values, bare.values, strict=True)]
        log(
            f"{name}: ratio (medians) {ratio:.2f}x (target <= {TARGET_RATIO}x); per-run ratios: "
            f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f}"
        )
        results += [
            Result("first screen: cmreader", app.median, "ms", "-", None, data(name), app.line()),
            Result(
                "first screen: cmreader, newest episode open",
                opened[name].median,
                "ms",
                "-",
                None,
                data(name),
                opened[name].line(),
            ),
            Result(
                "first screen ratio (cmreader / bare)",
                ratio,
                "x",
                f"<= {TARGET_RATIO}x",
                ratio <= TARGET_RATIO,
                data(name),
            ),
        ]
        if name != "big" and "big" in apps:
            growth = app.median / apps["big"].median
            per_run = [a / b for a, b in zip(app.values, apps["big"].values, strict=True)]
            log(
                f"{name}: / big (medians) {growth:.2f}x; per-run: "
                f"{', '.join(f'{r:.2f}' for r in per_run)}; median {statistics.median(per_run):.2f}"
            )
            results.append(
                Result(
                    f"first screen growth ({name} / big)",
                    growth,
                    "x",
                    f"<= {FLAT_RATIO}x (flat)",
                    growth <= FLAT_RATIO,
                    data(name),
                )
            )
    if len(apps) > 1:
        _table(apps, counts, bare)
    emit(results)
    return 0


def _table(apps: dict[str, Figures], counts: dict[str, tuple[int, int]], bare: Figures) -> None:
    """How the first screen grows: one line per data set, medians of the same run."""
    big = apps.get("big")
    rows = [("dataset", "episodes", "comments", "median ms", "/ bare", "/ big")]
    rows.append(("bare app", "-", "-", f"{bare.median:.1f}", "1.00x", "-"))
    for name, app in apps.items():
        posts, comments = counts[name]
        rows.append(
            (
                name,
                f"{posts:,}",
                f"{comments:,}",
                f"{app.median:.1f}",
                f"{app.median / bare.median:.2f}x",
                f"{app.median / big.median:.2f}x" if big else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    log("")
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        log("  ".join(cells))
        if n == 0:
            log("  ".join("-" * w for w in widths))
    log(f"(flat: each within {FLAT_RATIO}x of big)")


if __name__ == "__main__":
    sys.exit(main())
