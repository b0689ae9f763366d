"""End to end with the real site: the installed `cmreader connect`, then the reader in tmux at
80x24 replying, approving, catching spam marked on the site, writing while the site is down,
and a reply whose answer is lost on the way. Each step is checked on screen and on the site."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from terminal import Tmux
from test_e2e_tmux import CMREADER

pytestmark = pytest.mark.e2e


def _on_site(site, text: str) -> list[dict]:
    return [c for c in site.comments() if text in c["content"]]


def _until(done, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen in {timeout:.0f} s: {what}")
        time.sleep(0.05)


def _status(site, comment_id: int) -> str:
    return {c["id"]: c["status"] for c in site.comments()}[comment_id]


def test_the_reader_publishes_once_through_every_fault(
    wordpress, fault_proxy, tmux: Tmux, tmp_path: Path
):
    post = wordpress.add_post("Débrouillardise", "<p>Être <em>autonome</em>.</p>")
    ann = wordpress.add_comment(post, "Une question : comment débuter ?", author="Ann")
    bob = wordpress.add_comment(post, "En attente de modération", author="Bob", status="hold")
    cid = wordpress.add_comment(post, "Super article", author="Cid")
    store = tmp_path / "default.db"
    env = {**tmux.env, "CMREADER_WP_PASSWORD": wordpress.admin_password}
    done = subprocess.run([*CMREADER, "connect", fault_proxy.url, "--user", "admin"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "3 new comments" in done.stdout

    app = tmux.launch([*CMREADER])
    _, screen = tmux.wait_for(app, lambda s: "synced just now" in s and "Bob · " in s)
    assert "Bob · " in screen and "[pending]" in screen and "Une question" in screen

    # Reply to Ann (the first comment), then approve Bob's.
    tmux.send(app, "tab", "tab")  # to the comments
    tmux.wait_for(app, "Approve")
    tmux.send(app, "r")
    tmux.wait_for(app, "Reply to Ann")
    tmux.send(app, "-l", "Bonjour Ann, commence petit")
    tmux.send(app, "C-s")
    tmux.wait_for(app, lambda s: "⇅ published" in s and "to publish" not in s)
    tmux.send(app, "j", "j", "a")
    tmux.wait_for(app, "Approved: the comment by Bob")
    tmux.wait_for(app, lambda s: "[pending]" not in s and "to publish" not in s, timeout=20)
    assert _status(wordpress, bob) == "approved"
    (reply,) = _on_site(wordpress, "commence petit")
    assert reply["parent"] == ann

    # Spam marked on the site comes back with S.
    wordpress.set_comment_status(cid, "spam")
    tmux.send(app, "S")
    tmux.wait_gone(app, "Super article", timeout=20)

    # The site goes down: the reply is kept, and says so where it is.
    fault_proxy.down()
    tmux.send(app, "g", "r")
    tmux.wait_for(app, "Reply to Ann")
    tmux.send(app, "-l", "Ecrit hors ligne")
    tmux.send(app, "C-s")
    tmux.wait_for(app, "⚠ not published yet: site unreachable", timeout=20)
    tmux.wait_for(app, "1 to publish · 1 failed")
    assert _on_site(wordpress, "hors ligne") == []

    # Killed while offline: nothing is lost, and the next start still knows it waits.
    os.kill(tmux.pid(app), 9)
    app = tmux.launch([*CMREADER])
    tmux.wait_for(app, "⚠ not published yet: site unreachable", timeout=20)

    # Back up: S publishes it, once.
    fault_proxy.up()
    tmux.send(app, "S")
    tmux.wait_for(app, lambda s: "synced just now" in s and "to publish" not in s, timeout=20)
    assert len(_on_site(wordpress, "hors ligne")) == 1

    # The site posts the next reply but its answer is lost: it is published exactly once.
    fault_proxy.drop_response(method="POST", path_contains="comments")
    tmux.send(app, "tab", "tab")
    tmux.wait_for(app, "Approve")
    tmux.send(app, "g", "r")
    tmux.wait_for(app, "Reply to Ann")
    tmux.send(app, "-l", "Reponse perdue en route")
    tmux.send(app, "C-s")
    # The site has it (its answer to cmreader was dropped on the way back).
    _until(lambda: len(_on_site(wordpress, "perdue en route")) == 1, "the reply on the site")
    assert [f for _, _, f in fault_proxy.received if f] == ["drop"]
    # The next sync (S, or the one at start if it comes after) looks before posting again.
    tmux.send(app, "S")
    tmux.wait_for(app, lambda s: "synced just now" in s and "to publish" not in s, timeout=20)
    assert len(_on_site(wordpress, "perdue en route")) == 1
    tmux.send(app, "q")
    for _ in range(100):
        if tmux.dead(app):
            break
        time.sleep(0.1)
    assert tmux.dead(app) and store.exists()
