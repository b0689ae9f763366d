"""Sync: the first pull of 10,000 comments from the local WordPress, beside its floor.

The floor is the very requests the pull made (recorded through the tests' proxy on a first,
untimed run), fetched again with plain httpx GETs, one after the other, bodies read and
nothing done with them. The pull keeps two requests in flight; a second floor fetches the same
GETs two at a time, so what separates the pull from it is cmreader's own work. The pull's
runs each start on a new, empty store connected to the site, and end when the comments are in
it. The runs alternate, so the machine's noise falls on all three. Needs PHP and MariaDB, as
the tests do (.ci/run installs them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import Figures, Result, emit, log

TARGET = 1.3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--comments-per-post", type=int, default=100)
    args = parser.parse_args(argv)

    import httpx
    from wordpress.proxy import FaultProxy
    from wordpress.site import WordPressSite

    from cmreader.config import SyncSettings
    from cmreader.store import Store
    from cmreader.sync import credentials
    from cmreader.sync.engine import sync_site

    work = Path(tempfile.mkdtemp(prefix="cmreader-bench-sync-"))
    os.environ["CMREADER_CREDENTIALS"] = str(work / "credentials.json")
    settings = SyncSettings(timeout=60)
    log(f"starting WordPress, seeding {args.posts} x {args.comments_per_post} comments")
    site = WordPressSite.start()
    try:
        site.seed(args.posts, args.comments_per_post)
        total = len(site.comments())
        user, password = site.credentials()

        def pull(url: str, name: str) -> tuple[float, int]:
            store = Store.open(work / f"{name}.db")
            try:
                credentials.save(f"{url}/wp-json/", user, password)
                connected = store.sites.connect(
                    existing_blog=None, api_url=f"{url}/wp-json/", home_url=url,
                    title="bench", user_name=user, user_id=str(site.user_id(user)),
                    display_name="Admin",
                )
                t0 = time.perf_counter()
                result = sync_site(store, connected, settings, force=True)
                elapsed = (time.perf_counter() - t0) * 1000
                if result.problem is not None:
                    raise RuntimeError(f"the pull failed: {result.problem}")
                count = store.db.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
                return elapsed, count
            finally:
                store.close()
                for path in work.glob(f"{name}.db*"):
                    path.unlink()

        # The requests a pull makes, as the proxy forwarded them.
        with FaultProxy(site.url) as proxy:
            pull(proxy.url, "recorded")
            requests = [target for method, target in proxy.seen if method == "GET"]
        log(f"a pull makes {len(requests)} GET requests")

        def floor() -> float:
            with httpx.Client(auth=(user, password), timeout=60, base_url=site.url) as http:
                t0 = time.perf_counter()
                for target in requests:
                    response = http.get(target)
                    response.read()
                    response.raise_for_status()
                return (time.perf_counter() - t0) * 1000

        def floor_two_at_a_time() -> float:
            """The same GETs two at a time, as the pull asks for them: what is left of the
            gap is cmreader's own work (parsing, converting, writing)."""
            from concurrent.futures import ThreadPoolExecutor

            with httpx.Client(auth=(user, password), timeout=60, base_url=site.url) as http:
                t0 = time.perf_counter()
                with ThreadPoolExecutor(max_workers=2) as pool:
                    for response in pool.map(http.get, requests):
                        response.read()
                        response.raise_for_status()
                return (time.perf_counter() - t0) * 1000

        pulls, floors, pairs = Figures(), Figures(), Figures()
        stored = 0
        for n in range(args.runs):
            floors.values.append(floor())
            pairs.values.append(floor_two_at_a_time())
            elapsed, stored = pull(site.url, f"run{n}")
            pulls.values.append(elapsed)
        if stored < total:
            raise RuntimeError(f"the pull stored {stored} comments of {total}")
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)
    ratio = pulls.median / floors.median
    own = pulls.median / pairs.median
    log(f"pull                {pulls.line()}")
    log(f"floor, one by one   {floors.line()}")
    log(f"floor, two at once  {pairs.line()}")
    log(f"pull / floor = {ratio:.2f}x (target <= {TARGET}x); "
        f"pull / two-at-once floor = {own:.2f}x")
    emit(
        [
            Result(
                "sync: first pull / plain GETs",
                ratio,
                "x",
                f"<= {TARGET}x",
                ratio <= TARGET,
                f"local WordPress, {total:,} comments, {len(requests)} requests",
                f"pull {pulls.median:.0f} ms, floor {floors.median:.0f} ms",
            ),
            Result(
                "sync: first pull / the same GETs two at a time",
                own,
                "x",
                "-",
                None,
                f"local WordPress, {total:,} comments",
                f"two-at-once floor {pairs.median:.0f} ms: the rest is parsing and writing",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
