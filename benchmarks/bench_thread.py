"""Opening threads in the reader: a 10,000-comment one against a 5-comment one, then folding.

In a detached tmux session of a fixed size, on a copy of the big store: the big thread is the
newest episode (first in the list), the 5-comment one second. Each opening is timed from the
keys that open the episode (a move in the list plus enter, sent together) to its first
commenter's name on screen. Then, in the big thread, fold all (z) until its first comment
shows folded, and unfold all (Z) until it shows unfolded. Last, the peak memory (VmHWM) of
the app after all that.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import (
    Figures,
    Result,
    Tmux,
    cmreader_command,
    dataset_store,
    emit,
    has,
    log,
    python_pid,
    vm_hwm_mb,
    working_copy,
)
from generate import BIG_FIRST, BIG_TITLE, SMALL_FIRST

TARGET_RATIO = 1.3
TARGET_MB = 150.0
LIST_FOCUSED = "Open episode"  # the footer while the episode list has focus
TREE_FOCUSED = "Fold/unfold"  # the footer while the comments have focus


def footer(screen: str) -> str:
    lines = screen.rstrip("\n").splitlines()
    return lines[-1] if lines else ""


def list_focused(screen: str) -> bool:
    return LIST_FOCUSED in footer(screen)


def focus_list(tmux: Tmux, session: str) -> None:
    """Shift+tab until the episode list has focus (its keys show in the footer)."""
    for _ in range(6):
        if list_focused(tmux.capture(session)):
            return
        before = footer(tmux.capture(session))
        tmux.send(session, "BTab")
        try:
            tmux.wait_for(session, lambda s, b=before: footer(s) != b, timeout=2)
        except Exception:
            pass
    raise RuntimeError("could not bring the focus back to the episode list")


def timed(tmux: Tmux, session: str, keys: list[str], ready) -> float:
    start = time.perf_counter()
    tmux.send(session, *keys)
    seen, _ = tmux.wait_for(session, ready)
    return (seen - start) * 1000


def one_session(
    tmux: Tmux, db: Path, rounds: int, small: Figures, big: Figures, fold: Figures, unfold: Figures
) -> tuple[float, float]:
    """Returns (VmHWM at first screen, VmHWM at the end) in MB."""
    session = tmux.launch([*cmreader_command(), "--db", str(db)])
    try:
        title = BIG_TITLE.format(n=10000)[:20]
        tmux.wait_for(session, lambda s: title in s and BIG_FIRST in s and list_focused(s))
        # The rest of the episode list loads just after the first screen and puts the
        # highlight back on the shown episode: keys sent before that can open the wrong one.
        time.sleep(1.0)
        pid = python_pid(tmux.pid(session))
        first_mb = vm_hwm_mb(pid)
        for n in range(rounds + 1):  # the first round warms up
            s = timed(tmux, session, ["j", "Enter"], has(SMALL_FIRST))
            # Enter moves the focus to the comments: let that land before moving it back.
            tmux.wait_for(session, lambda x: TREE_FOCUSED in footer(x))
            focus_list(tmux, session)
            b = timed(tmux, session, ["k", "Enter"], has(BIG_FIRST))
            tmux.wait_for(session, lambda x: TREE_FOCUSED in footer(x))
            f = timed(tmux, session, ["z"], has(f"▸ {BIG_FIRST}"))
            u = timed(tmux, session, ["Z"], has(f"▾ {BIG_FIRST}"))
            if n:
                small.values.append(s)
                big.values.append(b)
                fold.values.append(f)
                unfold.values.append(u)
            focus_list(tmux, session)
        return first_mb, vm_hwm_mb(pid)
    finally:
        tmux.kill(session)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="per app process")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)

    store = dataset_store("big")
    small, big, fold, unfold = Figures(), Figures(), Figures(), Figures()
    first_mb, peak_mb = Figures(), Figures()
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp, Tmux() as tmux:
        for _ in range(args.processes):
            db = working_copy(store, Path(tmp))
            a, b = one_session(tmux, db, args.rounds, small, big, fold, unfold)
            first_mb.values.append(a)
            peak_mb.values.append(b)
    ratio = big.median / small.median
    log(f"open the 5-comment thread:      {small.line()}")
    log(f"open the 10,000-comment thread: {big.line()}")
    log(f"ratio (medians): {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    log(f"fold all (z), 10,000 comments:   {fold.line()}")
    log(f"unfold all (Z), 10,000 comments: {unfold.line()}")
    log(f"peak memory at first screen:     {first_mb.line('MB')}")
    log(f"peak memory after the big thread: {peak_mb.line('MB')} (target < {TARGET_MB:.0f} MB)")
    data = "big store: 1,000 episodes, 99,825 comments"
    emit(
        [
            Result(
                "open 5-comment thread (keys to screen)",
                small.median,
                "ms",
                "-",
                None,
                data,
                small.line(),
            ),
            Result(
                "open 10,000-comment thread (keys to screen)",
                big.median,
                "ms",
                "-",
                None,
                data,
                big.line(),
            ),
            Result(
                "thread open ratio (10,000 / 5)",
                ratio,
                "x",
                f"<= {TARGET_RATIO}x",
                ratio <= TARGET_RATIO,
                data,
            ),
            Result(
                "fold all (z) on the 10,000 thread", fold.median, "ms", "-", None, data, fold.line()
            ),
            Result(
                "unfold all (Z) on the 10,000 thread",
                unfold.median,
                "ms",
                "-",
                None,
                data,
                unfold.line(),
            ),
            Result(
                "peak memory (VmHWM) after the big thread",
                peak_mb.median,
                "MB",
                f"< {TARGET_MB:.0f} MB",
                peak_mb.median < TARGET_MB,
                data,
                f"{peak_mb.line('MB')}; at first screen {first_mb.median:.0f} MB",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
