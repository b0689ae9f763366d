"""Lists: the desk's first page and its count on a big store beside a small one, in process, warm.

The inbox, the moderation queue, search (a common word) and the episode list, each read as a
list screen reads it: the count, then the first page (--limit, the list's page size). The big
store has 10,000 episodes, 30,000 waiting and 30,000 pending comments; the small one 20
episodes, 15 waiting, 15 pending. Both are built once into benchmarks/out/ through the Store's
own import. Runs are interleaved, big beside small; the metric is the ratio of the medians.
The last page of each list is timed too (an OFFSET steps over what comes before it), and the
process's peak resident memory is read at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import generate
from common import OUT, PYTHON, Figures, Result, _migrate, emit, log, vm_hwm_mb

TARGET_RATIO = 1.5
TARGET_RSS_MB = 150.0
WORD = "merci"  # in about one comment in seven, and in many articles

# Store name -> how it is built. Changing these (or BUILD) rebuilds the store.
BUILD = 1
STORES: dict[str, dict[str, int]] = {
    "big": {"posts": 10_000, "waiting": 30_000, "pending": 30_000, "seed": 11},
    "small": {"posts": 20, "waiting": 15, "pending": 15, "seed": 12},
}
START = datetime(2012, 1, 9, 8, 30, tzinfo=UTC)
END = datetime(2024, 11, 20, 18, 0, tzinfo=UTC)


# -- the stores -----------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _posts(posts: int, waiting: int, pending: int, seed: int):  # -> Iterator[PostRecord]
    """The episodes, oldest first; waiting and pending comments dealt round the episodes, and
    on each one question the owner answered, and now and then a spam."""
    from cmreader.records import PostRecord

    text = generate.Generator(seed)
    rng = random.Random(seed)
    step = (END - START) / posts
    for n in range(posts):
        published = START + step * n
        kinds = ["question", "answer"]
        kinds += ["waiting"] * (waiting // posts + (n < waiting % posts))
        kinds += ["pending"] * (pending // posts + (n < pending % posts))
        kinds += ["spam"] * (n % 4 == 0)
        comments = tuple(_comment(n, i, kind, published, rng, text) for i, kind in enumerate(kinds))
        titles = generate.TITLE_FR if rng.random() < 0.75 else generate.TITLE_EN
        yield PostRecord(f"lists:{n}", rng.choice(titles).format(n=n + 1), "Becky",
                         _iso(published), " ".join(rng.choice(generate.PARA) for _ in range(12)),
                         comments=comments)


def _comment(n: int, i: int, kind: str, published: datetime, rng: random.Random,
             text: generate.Generator):  # -> CommentRecord
    """Comment i of episode n: the owner's answer replies to the question, comment 0."""
    from cmreader.records import CommentRecord

    owner = kind == "answer"
    status = {"pending": "pending", "spam": "spam"}.get(kind, "approved")
    when = published + timedelta(minutes=30 + 97 * i + rng.randint(0, 90))
    return CommentRecord(
        f"lists:{n}-{i}", f"lists:{n}-0" if owner else None,
        "Becky" if owner else rng.choice(generate.NAMES), _iso(when), text.comment_text(owner),
        status=status, by_owner=owner,
    )


def build(name: str, path: Path) -> None:
    """Write the store `name` at path, a thousand episodes per import (per transaction)."""
    from cmreader.records import BlogRecord, ImportBatch
    from cmreader.store import Store

    args = STORES[name]
    blog = BlogRecord(key="bench:lists", kind="wxr", title="Vie de CM", url=generate.SITE,
                      owner_name="Becky", owner_user_id="7")
    store = Store.open(path)
    try:
        batch: list = []
        for post in _posts(args["posts"], args["waiting"], args["pending"], args["seed"]):
            batch.append(post)
            if len(batch) == 1000:
                store.import_batch(ImportBatch(source=name, format="wxr", posts=tuple(batch),
                                               owner="Becky", blog=blog))
                batch = []
        if batch:
            store.import_batch(ImportBatch(source=name, format="wxr", posts=tuple(batch),
                                           owner="Becky", blog=blog))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


def store_path(name: str) -> Path:
    """The store `name`, built in another process when missing or when its recipe changed (so
    building it never counts in this process's memory)."""
    path = OUT / f"lists-{name}.db"
    stamp = OUT / f"lists-{name}.args.json"
    wanted = json.dumps({"build": BUILD, **STORES[name]}, sort_keys=True)
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        _migrate(path)
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), stamp):
        stale.unlink(missing_ok=True)
    log(f"building {path.name} (once) ...")
    started = time.perf_counter()
    subprocess.run([PYTHON, __file__, "--build", name], check=True)
    log(f"{path.name}: built in {time.perf_counter() - started:.1f} s")
    stamp.write_text(wanted)
    return path


# -- timing ---------------------------------------------------------------------------------


def _lists(store) -> dict[str, tuple[Callable[[], int], Callable[[int, int], list]]]:
    """Each list as (its count, its page at an offset and a size), as a list screen reads it."""
    return {
        "inbox": (store.inbox_count, lambda o, n: store.inbox_page(offset=o, limit=n)),
        "queue": (store.queue_count, lambda o, n: store.queue_page(offset=o, limit=n)),
        f"search {WORD!r}": (
            lambda: store.search_count(WORD),
            lambda o, n: store.search_page(WORD, offset=o, limit=n),
        ),
        "episodes": (store.post_count, lambda o, n: store.list_posts(n, o)),
    }


def _ms(call: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = call()
    return (time.perf_counter() - t0) * 1000, value


class _Timings:
    """Every figure of one list in one store, in ms."""

    def __init__(self) -> None:
        self.count = Figures()
        self.page = Figures()  # the first page at the lists' page size
        self.rows = Figures()  # the first page at a size both stores fill
        self.last = Figures()  # the last page at the lists' page size

    def first(self, page: Figures) -> float:
        """Median of count + that first page, run by run."""
        return Figures([c + p for c, p in zip(self.count.values, page.values, strict=True)]).median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--limit", type=int, default=50, help="page size (the lists' own: 50)")
    parser.add_argument("--rows", type=int, default=15,
                        help="a page size both stores fill: the same rows built on each side")
    parser.add_argument("--build", choices=sorted(STORES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build(args.build, OUT / f"lists-{args.build}.db")
        return 0

    paths = {name: store_path(name) for name in STORES}
    from cmreader.store import Store

    stores = {name: Store.open(path, create=False) for name, path in paths.items()}
    results: list[Result] = []
    try:
        lists = {name: _lists(store) for name, store in stores.items()}
        names = list(lists["big"])
        times = {(what, name): _Timings() for what in names for name in stores}
        sizes: dict[tuple[str, str], tuple[int, int]] = {}
        for what in names:
            for name in stores:  # warm the page cache, and know each list's size
                count, page = lists[name][what]
                total = count()
                sizes[(what, name)] = (total, len(page(0, args.limit)))
                page(max(0, total - args.limit), args.limit)
        for run in range(args.repeat):
            for what in names:
                # Interleaved, big beside small, each first every other run: neither always
                # follows the other's slowest call.
                for name in list(stores)[:: 1 if run % 2 == 0 else -1]:
                    count, page = lists[name][what]
                    t = times[(what, name)]
                    spent, total = _ms(count)
                    t.count.values.append(spent)
                    t.page.values.append(_ms(lambda page=page: page(0, args.limit))[0])
                    t.rows.values.append(_ms(lambda page=page: page(0, args.rows))[0])
                    end = max(0, int(total) - args.limit)  # type: ignore[call-overload]
                    t.last.values.append(_ms(lambda page=page, end=end: page(end, args.limit))[0])
        rss = vm_hwm_mb(os.getpid())
        for what in names:
            big, small = times[(what, "big")], times[(what, "small")]
            (n_big, rows_big), (n_small, rows_small) = sizes[(what, "big")], sizes[(what, "small")]
            same = big.first(big.rows) / small.first(small.rows)
            screen = big.first(big.page) / small.first(small.page)
            log(
                f"{what:15} big {n_big:6,} entries: count {big.count.median:6.2f} ms, first "
                f"{args.rows} {big.rows.median:6.2f} ms, first {rows_big} {big.page.median:6.2f}"
                f" ms, last {args.limit} {big.last.median:6.2f} ms"
            )
            log(
                f"{'':15} small {n_small:4,} entries: count {small.count.median:6.2f} ms, first "
                f"{args.rows} {small.rows.median:6.2f} ms, first {rows_small} "
                f"{small.page.median:6.2f} ms"
            )
            log(
                f"{'':15} count + first page, big / small: {same:.2f}x with {args.rows} rows "
                f"each, {screen:.2f}x with {rows_big} rows beside {rows_small} "
                f"(target <= {TARGET_RATIO}x)"
            )
            detail = (
                f"big: count {big.count.median:.2f} ms, first {args.rows} rows "
                f"{big.rows.median:.2f} ms, first {rows_big} {big.page.median:.2f} ms, last "
                f"page {big.last.median:.2f} ms; small: count {small.count.median:.2f} ms, "
                f"first {args.rows} {small.rows.median:.2f} ms"
            )
            data = f"{n_big:,} vs {n_small:,} entries"
            results += [
                Result(f"{what}: count + first {args.rows} rows, big / small", same, "x",
                       f"<= {TARGET_RATIO}x", same <= TARGET_RATIO, data, detail),
                Result(f"{what}: count + page of {args.limit}, big / small", screen, "x",
                       f"<= {TARGET_RATIO}x", screen <= TARGET_RATIO,
                       f"{data} ({rows_big} rows vs {rows_small})", ""),
            ]
        log(f"peak resident memory {rss:.1f} MB (target < {TARGET_RSS_MB:.0f} MB)")
        results.append(Result(
            "lists: peak resident memory", rss, "MB", f"< {TARGET_RSS_MB:.0f} MB",
            rss < TARGET_RSS_MB, "both stores open, every list read", "",
        ))
    finally:
        for store in stores.values():
            store.close()
    emit(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
