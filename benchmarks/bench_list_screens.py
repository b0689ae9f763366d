"""List screens in the app: from the key to the list's first entries on screen, big vs small.

The installed command in a detached tmux session at 120x40, on a fresh copy of bench_lists.py's
stores each run: lists-big.db (10,000 episodes, 30,000 comments waiting for an answer, 30,000
pending) and lists-small.db (20 episodes, 15 waiting, 15 pending). Each run starts the app and
times the episode list (launch to its last visible entry on screen), waits for the whole
episode list and for the app to go idle, then presses one screen's keys and times until that
screen's count and first entries are on screen:

- i: the inbox; m: the moderation queue;
- / and a word: the search results (the search runs once typing pauses, 0.2 s, both sides);
- / a word and enter: enter runs the search at once and opens the best hit in the reader.

Big and small runs are interleaved, each first every other run; the metric is the ratio of
the medians. The app's peak resident memory (VmHWM) is read after each screen is up.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bench_lists
from common import (
    Figures,
    Result,
    Tmux,
    TmuxError,
    cmreader_command,
    emit,
    log,
    python_pid,
    vm_hwm_mb,
    working_copy,
)

TARGET_RATIO = 1.5
TARGET_MB = 150.0
WORD = bench_lists.WORD  # "merci": in about one comment in seven, and in many articles
STORES = ("big", "small")
SCREENS = ("inbox", "queue", "search", "search+enter")
TITLE_CUT = 40  # a title's start: what any pane at 120 columns shows of it
IDLE_WINDOW = 0.3  # s without CPU use: the app has settled
IDLE_TIMEOUT = 15.0
_BLOCKS = "▁▂▃▄▅▆▇█"  # a scrollbar's thumb, beside the last column of a pane


@dataclass(frozen=True)
class Entry:
    """What a list's first entry shows: its episode's title, then its author."""

    title: str
    author: str


@dataclass(frozen=True)
class Expected:
    """What each screen of one store shows once it is up, read from the store beforehand."""

    posts: int
    counts: dict[str, int]
    first: dict[str, Entry]
    hit_is_comment: bool


def expected(db: Path) -> Expected:
    """Each list's count and first entry, as the app will read them (read from a copy)."""
    from cmreader.store import Store

    store = Store.open(db, create=False)
    try:
        inbox = store.inbox_page(offset=0, limit=1)[0]
        queue = store.queue_page(offset=0, limit=1)[0]
        hit = store.search_page(WORD, offset=0, limit=1)[0]
        counts = {
            "inbox": store.inbox_count(),
            "queue": store.queue_count(),
            "search": store.search_count(WORD),
        }
        posts = store.post_count()
    finally:
        store.close()
    hit_author = (hit.author or "anonymous") if hit.comment_id is not None else "the article"
    first = {
        "inbox": Entry(inbox.post_title, inbox.author or "anonymous"),
        "queue": Entry(queue.post_title, queue.author or "anonymous"),
        "search": Entry(hit.post_title, hit_author),
    }
    return Expected(posts, counts, first, hit.comment_id is not None)


# -- what is on screen ----------------------------------------------------------------------


def _lines(screen: str) -> list[str]:
    return screen.rstrip("\n").split("\n")


def _no_placeholder(lines: list[str]) -> bool:
    """No entry is still a dim "…" (its page not read yet)."""
    return not any(line.strip() == "…" for line in lines[1:])


def list_up(count: int, entry: Entry, word: str | None = None) -> Callable[[str], bool]:
    """A list screen whose heading gives the count and whose first entry is drawn."""
    counted = f"{count:,}"
    title = entry.title[:TITLE_CUT]

    def ready(screen: str) -> bool:
        lines = _lines(screen)
        if not lines or counted not in lines[0] or (word and word not in lines[0]):
            return False
        at = next((n for n, line in enumerate(lines[1:], 1) if line.startswith(title)), None)
        return (at is not None and at + 1 < len(lines) and entry.author in lines[at + 1]
                and _no_placeholder(lines))

    return ready


def hit_open(entry: Entry, is_comment: bool) -> Callable[[str], bool]:
    """The reader back, on the best hit's episode (its title over the article), the hit's
    commenter in the conversation."""
    title = f"─ {entry.title[:TITLE_CUT]}"

    def ready(screen: str) -> bool:
        lines = _lines(screen)
        if not lines or not lines[0].startswith("╭─ Episodes (") or title not in screen:
            return False
        return not is_comment or entry.author in screen

    return ready


def episode_rows(screen: str) -> list[str]:
    """The episode list pane's rows (each episode is two: its title, then its counts), their
    marker (● unread) and the scrollbar taken off."""
    lines = _lines(screen)
    top = next((n for n, line in enumerate(lines) if line.startswith("╭─ Episodes (")), None)
    if top is None:
        return []
    rows = []
    for line in lines[top + 1:]:
        if line.startswith("╰"):
            break
        inside = line[1:].split("│", 1)[0]
        rows.append(inside.strip().rstrip(_BLOCKS).strip().removeprefix("●").strip())
    return rows


def last_visible_episode(screen: str) -> tuple[int, str]:
    """(row, text) of the last episode whose title is in view in the list pane."""
    rows = episode_rows(screen)
    titles = [(n, text) for n, text in enumerate(rows) if n % 2 == 0 and text]
    if not titles:
        raise TmuxError(f"no episode list on screen:\n{screen}")
    return titles[-1]


def episode_list_up(row: int, text: str) -> Callable[[str], bool]:
    def ready(screen: str) -> bool:
        rows = episode_rows(screen)
        return len(rows) > row and rows[row] == text

    return ready


# -- the app going idle ---------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """User + system time of a process so far, in clock ticks (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_idle(pid: int, timeout: float = IDLE_TIMEOUT) -> float:
    """Until the process has used (almost) no CPU for IDLE_WINDOW; returns how long it took."""
    started = time.perf_counter()
    last, since = cpu_ticks(pid), time.perf_counter()
    while time.perf_counter() - started < timeout:
        time.sleep(0.05)
        now = cpu_ticks(pid)
        if now - last > 1:  # more than a tick (10 ms): still working
            last, since = now, time.perf_counter()
        elif time.perf_counter() - since >= IDLE_WINDOW:
            return time.perf_counter() - started
    log(f"  (the app never went idle within {timeout:.0f} s: measuring anyway)")
    return time.perf_counter() - started


# -- one run --------------------------------------------------------------------------------


@dataclass
class StoreFigures:
    """Every figure of one store."""

    episodes: Figures  # launch to the episode list's last visible entry
    whole_list: Figures  # launch to the whole episode list in (its title counts them all)
    screens: dict[str, Figures]
    rss: dict[str, Figures]


def new_figures() -> StoreFigures:
    return StoreFigures(Figures(), Figures(), {s: Figures() for s in SCREENS},
                    {s: Figures() for s in SCREENS})


def ready_for(screen: str, exp: Expected) -> Callable[[str], bool]:
    if screen == "search+enter":
        return hit_open(exp.first["search"], exp.hit_is_comment)
    return list_up(exp.counts[screen], exp.first[screen], WORD if screen == "search" else None)


def keys_for(screen: str) -> list[list[str]]:
    """The tmux send-keys calls that open a screen, sent one right after the other."""
    return {
        "inbox": [["i"]],
        "queue": [["m"]],
        "search": [["/"], ["-l", WORD]],
        "search+enter": [["/"], ["-l", WORD], ["Enter"]],
    }[screen]


def one_run(tmux: Tmux, pristine: Path, work: Path, exp: Expected, screen: str,
            last_row: tuple[int, str] | None) -> tuple[float, float, float, float, str]:
    """Start the app on a fresh copy, then open one screen. Returns (episode list ms, whole
    list ms, screen ms, VmHWM MB, the settled first screen)."""
    db = working_copy(pristine, work)
    start = time.perf_counter()
    session = tmux.launch([*cmreader_command(), "--db", str(db)])
    try:
        if last_row is None:
            first_seen, _ = tmux.wait_for(session, "Comments (")
        else:
            first_seen, _ = tmux.wait_for(session, episode_list_up(*last_row))
        whole_seen, _ = tmux.wait_for(session, f"Episodes ({exp.posts})")
        pid = python_pid(tmux.pid(session))
        wait_idle(pid)
        settled = tmux.capture(session)
        began = time.perf_counter()
        for keys in keys_for(screen):
            tmux.send(session, *keys)
        seen, _ = tmux.wait_for(session, ready_for(screen, exp))
        rss = vm_hwm_mb(pid)
    finally:
        tmux.kill(session)
    return ((first_seen - start) * 1000, (whole_seen - start) * 1000, (seen - began) * 1000,
            rss, settled)


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each screen on each store")
    args = parser.parse_args(argv)

    pristine = {name: bench_lists.store_path(name) for name in STORES}
    figures = {name: new_figures() for name in STORES}
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp, Tmux() as tmux:
        work = Path(tmp)
        exp = {name: expected(working_copy(pristine[name], work)) for name in STORES}
        last_rows: dict[str, tuple[int, str]] = {}
        # One warm-up of each store (cold caches, .pyc writing): it also finds the episode
        # list's last visible entry, which later runs wait for.
        for name in STORES:
            *_, settled = one_run(tmux, pristine[name], work, exp[name], "inbox", None)
            last_rows[name] = last_visible_episode(settled)
            log(f"{name}: {exp[name].posts:,} episodes, last in view: row "
                f"{last_rows[name][0]} {last_rows[name][1]!r}")
        for run in range(args.runs):
            for screen in SCREENS:
                # Interleaved, each store first every other run.
                for name in STORES[:: 1 if run % 2 == 0 else -1]:
                    f = figures[name]
                    first, whole, opened, rss, _ = one_run(
                        tmux, pristine[name], work, exp[name], screen, last_rows[name]
                    )
                    f.episodes.values.append(first)
                    f.whole_list.values.append(whole)
                    f.screens[screen].values.append(opened)
                    f.rss[screen].values.append(rss)
            log(f"run {run + 1}/{args.runs} done")

    big, small = figures["big"], figures["small"]
    data = {
        "inbox": f"{exp['big'].counts['inbox']:,} vs {exp['small'].counts['inbox']:,} waiting",
        "queue": f"{exp['big'].counts['queue']:,} vs {exp['small'].counts['queue']:,} pending",
        "search": f"{exp['big'].counts['search']:,} vs {exp['small'].counts['search']:,} hits",
        "episodes": f"{exp['big'].posts:,} vs {exp['small'].posts:,} episodes",
    }
    data["search+enter"] = data["search"]
    results: list[Result] = []

    def compare(metric: str, what: str, b: Figures, s: Figures) -> None:
        ratio = b.median / s.median
        log(f"{metric}")
        log(f"  big:   {b.line()}")
        log(f"  small: {s.line()}")
        log(f"  ratio (medians) {ratio:.2f}x (target <= {TARGET_RATIO}x)")
        results.extend([
            Result(f"{metric}, big", b.median, "ms", "-", None, data[what], b.line()),
            Result(f"{metric}, small", s.median, "ms", "-", None, data[what], s.line()),
            Result(f"{metric}, big / small", ratio, "x", f"<= {TARGET_RATIO}x",
                   ratio <= TARGET_RATIO, data[what]),
        ])

    labels = {
        "inbox": "inbox: i to its first entries",
        "queue": "queue: m to its first entries",
        "search": f"search: / and {WORD!r} to the first results (0.2 s typing pause)",
        "search+enter": f"search: / {WORD!r} enter to the best hit open in the reader",
    }
    compare("episode list: launch to its last visible entry", "episodes", big.episodes,
            small.episodes)
    log(f"whole episode list in (its title counts every episode): big {big.whole_list.line()}")
    log(f"{'':50} small {small.whole_list.line()}")
    results.append(Result("episode list: launch to the whole list in, big",
                          big.whole_list.median, "ms", "-", None, data["episodes"],
                          big.whole_list.line()))
    for screen in SCREENS:
        compare(labels[screen], screen, big.screens[screen], small.screens[screen])
    peak = max(v for f in figures.values() for r in f.rss.values() for v in r.values)
    for screen in SCREENS:
        b, s = big.rss[screen], small.rss[screen]
        log(f"peak memory after {screen}: big max {max(b.values):.1f} MB (median "
            f"{b.median:.1f}), small max {max(s.values):.1f} MB")
        results.append(Result(
            f"peak memory (VmHWM) after {screen}, big", max(b.values), "MB",
            f"< {TARGET_MB:.0f} MB", max(b.values) < TARGET_MB, data[screen],
            f"{b.line('MB')}; small: max {max(s.values):.1f} MB",
        ))
    log(f"peak memory, every run: {peak:.1f} MB (target < {TARGET_MB:.0f} MB)")
    emit(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
