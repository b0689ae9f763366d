"""`cmreader sync` killed with SIGKILL at random moments: each reply ends on the site once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from cmreader.store import Store
from cmreader.sync.engine import sync_all
from sync.helpers import SETTINGS, all_rows, connected, on_site

REPLIES = 8
KILLS = 6


def test_a_sync_killed_again_and_again_publishes_each_reply_once(
    wordpress, fault_proxy, tmp_path: Path
):
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "Many questions", author="Ann")
    store = connected(tmp_path, fault_proxy.url, wordpress)
    (asked,) = [r for r in all_rows(store) if r.body == "Many questions"]
    for n in range(REPLIES):
        store.send_reply(asked.post_id, asked.id, f"answer number {n} of many")
    store.close()
    # Slow answers, acted on at once: a kill lands before, during or after a POST.
    fault_proxy.delay(0.15, count=10_000, act_first=True)
    rng = random.Random(int(os.environ.get("CMREADER_KILL_SEED", "11")))
    env = {**os.environ, "CMREADER_DB": str(tmp_path / "store.db")}
    published: list[int] = []
    for kill in range(KILLS):
        run = subprocess.Popen([sys.executable, "-m", "cmreader", "sync"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The first kill comes while replies are going out (8 take over 2 s here).
        time.sleep(rng.uniform(0.6, 1.2) if kill == 0 else rng.uniform(0.3, 2.5))
        run.send_signal(signal.SIGKILL)
        run.wait()
        published.append(sum(bool(on_site(wordpress, f"number {n} of")) for n in range(REPLIES)))
    # The kills fell while replies were going out: some, not all, were published by then.
    assert published[0] < REPLIES, published  # the first kill fell in the middle
    fault_proxy.clear()
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = Store.open(tmp_path / "store.db")
    (result,) = sync_all(store, SETTINGS, force=True)
    assert result.problem is None
    for n in range(REPLIES):
        assert len(on_site(wordpress, f"answer number {n} of many")) == 1, n
    mine = [r for r in all_rows(store) if r.body.startswith("answer number")]
    assert len(mine) == REPLIES and {r.sync_state for r in mine} == {"published"}
    assert store.sites.summary().to_publish == 0
    store.close()
