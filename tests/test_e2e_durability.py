"""End to end, the installed `cmreader` in tmux killed with -9: no typed word is lost."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from terminal import Tmux, app_pids
from test_e2e_tmux import CMREADER, comments_of, export, imported, open_last_question

pytestmark = pytest.mark.e2e


def kill_9(store: Path) -> None:
    pids = app_pids(store)
    assert pids, "cmreader is not running"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while app_pids(store) and time.monotonic() < deadline:
        time.sleep(0.02)


def start_and_quit(tmux: Tmux, store: Path) -> None:
    """One more run, as the user comes back: it puts back what the killed one left."""
    app = tmux.launch([*CMREADER, "--db", str(store)])
    tmux.wait_for(app, "Comments (")
    time.sleep(1.0)  # the replay runs after the first paint
    tmux.send(app, "q")
    deadline = time.monotonic() + 10
    while app_pids(store) and time.monotonic() < deadline:
        time.sleep(0.05)
    tmux.kill(app)


def test_steady_typing_killed_loses_at_most_the_last_second(tmux: Tmux, tmp_path: Path,
                                                            sample_path: Path):
    store = imported(sample_path, tmp_path / "s.db")
    typed = "Je te conseille les livres de Becky, vraiment"
    app = tmux.launch([*CMREADER, "--db", str(store)])
    open_last_question(tmux, app)
    tmux.send(app, "r")
    tmux.wait_for(app, "ctrl+s")
    for letter in typed:  # about three keys a second: never a pause
        tmux.send(app, "-l", letter)
        time.sleep(0.3)
    kill_9(store)
    tmux.close()
    drafts = [c["body"] for c in comments_of(export(store)) if c["status"] == "draft"]
    assert len(drafts) == 1 and typed.startswith(drafts[0])
    assert len(typed) - len(drafts[0]) <= 4, (typed, drafts)  # 4 keys: 1.2 s of typing


def test_kill_9_right_after_ctrl_s_never_loses_the_reply(tmux: Tmux, tmp_path: Path,
                                                         sample_path: Path):
    store = imported(sample_path, tmp_path / "s.db")
    sent = []
    for attempt in range(3):
        app = tmux.launch([*CMREADER, "--db", str(store)])
        tmux.wait_for(app, f"Comments ({5 + attempt})")
        tmux.send(app, "r")  # from the episode list: a comment on the episode
        tmux.wait_for(app, "ctrl+s")
        text = f"Réponse numéro {attempt}"
        tmux.send(app, "-l", text)
        tmux.wait_for(app, text)
        tmux.send(app, "C-s")
        time.sleep(0.05)
        kill_9(store)
        sent.append(text)
        tmux.kill(app)
        start_and_quit(tmux, store)
    mine = [c for c in comments_of(export(store)) if c["origin"] == "local"]
    bodies = sorted(c["body"] for c in mine if c["status"] in ("approved", "draft"))
    assert bodies == sorted(sent)  # each once: sent, or at worst kept as a draft


def test_a_draft_holding_an_escape_does_not_reach_the_terminal(tmux: Tmux, tmp_path: Path,
                                                               sample_path: Path):
    from cmreader.store import Store

    store_path = imported(sample_path, tmp_path / "s.db")
    store = Store.open(store_path)
    post = store.list_posts()[0]
    question = next(r for r in store.comment_rows(post.id) if r.body.startswith("Bonjour,"))
    store.save_draft(post.id, question.id, "collé\x1b]52;c;cGF3bmVk\x07 ici\x1b]0;PWNED\x07")
    store.close()
    app = tmux.launch([*CMREADER, "--db", str(store_path)])
    open_last_question(tmux, app)
    tmux.send(app, "r")
    tmux.wait_for(app, "ctrl+s sends")
    time.sleep(0.5)
    _, screen = tmux.wait_for(app, "collé")
    assert "collé␛]52;c;cGF3bmVk␇ ici" in screen
    assert tmux.buffers() == ""  # OSC 52 did not reach the clipboard
    assert "PWNED" not in tmux.title(app)
