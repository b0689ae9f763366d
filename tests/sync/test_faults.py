"""Faults on the way to the real site: each ends with nothing lost and nothing doubled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from cmreader.store import Store
from cmreader.sync.engine import sync_all
from sync.helpers import all_rows, connected, on_site, row_by_body, sync


def _question(site, store_path_tmp: Path, proxy, text: str = "A question?"):
    post = site.add_post("Episode", "")
    site.add_comment(post, text, author="Ann")
    store = connected(store_path_tmp, proxy.url, site)
    return store, row_by_body(store, text)


def test_site_down_keeps_the_reply_and_publishes_it_once_when_back(
    wordpress, fault_proxy, tmp_path: Path
):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    fault_proxy.down()
    store.send_reply(asked.post_id, asked.id, "written offline")
    result = sync(store)
    assert result.problem is not None and "unreachable" in result.problem
    mine = row_by_body(store, "written offline")
    assert mine.sync_state == "failed"
    assert mine.sync_note == "not published yet: site unreachable"
    summary = store.sites.summary()
    assert (summary.to_publish, summary.failed, summary.problem) == (1, 1, result.problem)
    # Without S, the pause after a failure holds: nothing is tried yet.
    fault_proxy.up()
    assert sync(store, force=False).published == 0
    assert on_site(wordpress, "written offline") == []
    assert sync(store).published == 1
    assert len(on_site(wordpress, "written offline")) == 1
    assert row_by_body(store, "written offline").sync_state == "published"
    assert store.sites.summary().problem is None
    sync(store)
    assert len(on_site(wordpress, "written offline")) == 1


def test_site_lost_in_the_middle_of_a_sync_loses_nothing(wordpress, fault_proxy, tmp_path: Path):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    for n in range(3):
        store.send_reply(asked.post_id, asked.id, f"answer {n}")
    # The site takes the first reply, its answer is lost, then it answers nothing but 503s.
    fault_proxy.drop_response(method="POST", count=1)
    fault_proxy.fail(503, count=50, method=None)
    result = sync(store)
    assert result.problem is not None
    fault_proxy.clear()
    sync(store)
    for n in range(3):
        assert len(on_site(wordpress, f"answer {n}")) == 1
    assert [r.sync_state for r in all_rows(store) if r.body.startswith("answer")] == [
        "published"
    ] * 3


def test_an_answer_lost_after_the_site_posted_the_reply_publishes_it_once(
    wordpress, fault_proxy, tmp_path: Path
):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    store.send_reply(asked.post_id, asked.id, "lost on the way back")
    fault_proxy.drop_response(method="POST", count=1, path_contains="comments")
    result = sync(store)
    assert result.problem is not None
    assert len(on_site(wordpress, "lost on the way back")) == 1  # the site did post it
    mine = row_by_body(store, "lost on the way back")
    assert mine.sync_state == "failed"
    sync(store)
    assert len(on_site(wordpress, "lost on the way back")) == 1
    rows = [r for r in all_rows(store) if r.body == "lost on the way back"]
    assert len(rows) == 1 and rows[0].sync_state == "published"
    assert rows[0].key.endswith(f":c{on_site(wordpress, 'lost on the way back')[0]['id']}")


def test_a_reply_the_site_took_while_cmreader_was_killed_is_not_posted_again(
    wordpress, fault_proxy, tmp_path: Path
):
    """The state 'sending' is written before the POST: a process killed right after the site
    took the reply leaves it, and the next sync asks the site (which answers 409 for the same
    text) instead of posting blindly."""
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    store.send_reply(asked.post_id, asked.id, "sent just before the kill")
    fault_proxy.drop_response(method="POST", count=1, path_contains="comments")
    sync(store)
    # As a killed process leaves it: 'sending', with its lease run out.
    store.db.execute("UPDATE outbox SET state = 'sending'")
    store.db.commit()
    sync(store)
    assert len(on_site(wordpress, "sent just before the kill")) == 1
    assert row_by_body(store, "sent just before the kill").sync_state == "published"


def test_500s_keep_the_change_queued_and_it_goes_once_later(
    wordpress, fault_proxy, tmp_path: Path
):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    held = wordpress.add_comment(wordpress.posts()[0]["id"], "held", author="Bob", status="hold")
    sync(store)
    store.send_reply(asked.post_id, asked.id, "through the 500s")
    store.moderate(row_by_body(store, "held").id, "approved")
    fault_proxy.fail(500, count=3, method="POST")
    result = sync(store)
    assert result.problem is not None and result.problem.startswith("500")
    assert row_by_body(store, "through the 500s").sync_note.startswith("not published yet: 500")
    assert on_site(wordpress, "through the 500s") == []
    fault_proxy.clear()
    sync(store)
    assert len(on_site(wordpress, "through the 500s")) == 1
    assert {c["id"]: c["status"] for c in wordpress.comments()}[held] == "approved"


def test_a_server_slower_than_the_timeout_publishes_once(wordpress, fault_proxy, tmp_path: Path):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    store.send_reply(asked.post_id, asked.id, "slow server")
    # The site acts at once; its answer comes after the client gave up (timeout 3 s).
    fault_proxy.delay(6.0, count=1, method="POST", act_first=True)
    result = sync(store)
    assert result.problem is not None and "in time" in result.problem
    assert len(on_site(wordpress, "slow server")) == 1
    sync(store)
    assert len(on_site(wordpress, "slow server")) == 1
    assert row_by_body(store, "slow server").sync_state == "published"


def test_a_revoked_password_keeps_the_reply_with_the_reason(
    wordpress, fault_proxy, tmp_path: Path
):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    wordpress.revoke_app_passwords("admin")
    store.send_reply(asked.post_id, asked.id, "after the revocation")
    result = sync(store)
    assert result.problem is not None and result.problem.startswith("401")
    mine = row_by_body(store, "after the revocation")
    assert mine.sync_state == "failed" and "401" in (mine.sync_note or "")
    assert "password" in (mine.sync_note or "")
    assert on_site(wordpress, "after the revocation") == []


def test_two_processes_syncing_at_once_publish_each_reply_once(
    wordpress, fault_proxy, tmp_path: Path
):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    for n in range(6):
        store.send_reply(asked.post_id, asked.id, f"reply number {n}")
    # Slow answers keep both processes in their sync at the same time.
    fault_proxy.delay(0.3, count=100, act_first=False)
    store.close()
    env = {**os.environ, "CMREADER_DB": str(tmp_path / "store.db")}
    runs = [
        subprocess.Popen([sys.executable, "-m", "cmreader", "sync"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [out + err for out, err in (run.communicate(timeout=120) for run in runs)]
    # One synced; the other found it syncing and left the site alone.
    assert sum("another cmreader is syncing it" in out for out in outputs) == 1, outputs
    assert sum(": synced:" in out for out in outputs) == 1, outputs
    fault_proxy.clear()
    store = Store.open(tmp_path / "store.db")
    results = sync_all(store, _settings(), force=True)
    assert results[0].problem is None
    for n in range(6):
        assert len(on_site(wordpress, f"reply number {n}")) == 1, n
    assert store.sites.summary().to_publish == 0


def test_a_lease_left_by_a_dead_process_expires(wordpress, fault_proxy, tmp_path: Path):
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    (site,) = store.sites.all()
    assert store.sites.take_lease(site.blog_id, "dead:process", 0.5)
    store.send_reply(asked.post_id, asked.id, "after a dead sync")
    assert sync(store).busy
    time.sleep(0.6)
    assert sync(store).published == 1


def _settings():
    from sync.helpers import SETTINGS

    return SETTINGS


def test_a_lease_left_by_a_process_killed_on_this_machine_is_taken_at_once(
    wordpress, fault_proxy, tmp_path: Path
):
    import socket

    store, asked = _question(wordpress, tmp_path, fault_proxy)
    (site,) = store.sites.all()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert store.sites.take_lease(site.blog_id, f"{socket.gethostname()}:{gone.pid}:x", 300)
    store.send_reply(asked.post_id, asked.id, "after a killed sync")
    assert sync(store).published == 1
    assert len(on_site(wordpress, "after a killed sync")) == 1


def test_a_pull_while_a_lost_reply_waits_its_turn_adds_no_copy_of_it(
    wordpress, fault_proxy, tmp_path: Path
):
    """The reply the site took (its answer lost) waits out its pause; a sync meanwhile reads
    the site, which has it: the pull leaves it to the push, instead of adding it as a new
    comment beside the local reply."""
    store, asked = _question(wordpress, tmp_path, fault_proxy)
    store.send_reply(asked.post_id, asked.id, "taken, answer lost")
    fault_proxy.drop_response(method="POST", count=1, path_contains="comments")
    assert sync(store).problem is not None
    assert sync(store, force=False).problem is None  # the reply waits; the pull runs
    assert len([r for r in all_rows(store) if r.body == "taken, answer lost"]) == 1
    sync(store)
    rows = [r for r in all_rows(store) if r.body == "taken, answer lost"]
    assert len(rows) == 1 and rows[0].sync_state == "published" and rows[0].origin == "local"
    assert len(on_site(wordpress, "taken, answer lost")) == 1
