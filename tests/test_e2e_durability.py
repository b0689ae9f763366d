"""End to end, the installed `cmreader` in tmux killed with -9: no typed word is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_e2e_tmux import comments_of, env_for, export, open_last_question
from tmux_driver import Tmux, app_pids, cmreader_command

pytestmark = pytest.mark.e2e


def imported(tmp_path: Path, sample_path: Path) -> Path:
    store = tmp_path / "s.db"
    subprocess.run([cmreader_command(), "--db", str(store), "import", str(sample_path)],
                   check=True, capture_output=True)
    return store


def kill_9(store: Path) -> None:
    pids = app_pids(store)
    assert pids, "cmreader is not running"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while app_pids(store) and time.monotonic() < deadline:
        time.sleep(0.02)


def start_and_quit(tmp_path: Path, store: Path) -> None:
    """One more run, as the user comes back: it puts back what the killed one left."""
    term = Tmux(tmp_path, 80, 24)
    try:
        term.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
        term.wait_for("Comments (")
        time.sleep(1.0)  # the replay runs after the first paint
        term.keys("q")
        deadline = time.monotonic() + 10
        while app_pids(store) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        term.close()


def test_steady_typing_killed_loses_at_most_the_last_second(tmp_path: Path, sample_path: Path):
    store = imported(tmp_path, sample_path)
    term = Tmux(tmp_path, 80, 24)
    typed = "Je te conseille les livres de Becky, vraiment"
    try:
        term.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
        open_last_question(term)
        term.keys("r")
        term.wait_for("ctrl+s")
        for letter in typed:  # about three keys a second: never a pause
            term.keys(letter, literal=True)
            time.sleep(0.3)
        kill_9(store)
    finally:
        term.close()
    drafts = [c["body"] for c in comments_of(export(store)) if c["status"] == "draft"]
    assert len(drafts) == 1 and typed.startswith(drafts[0])
    assert len(typed) - len(drafts[0]) <= 4, (typed, drafts)  # 4 keys: 1.2 s of typing


def test_kill_9_right_after_ctrl_s_never_loses_the_reply(tmp_path: Path, sample_path: Path):
    store = imported(tmp_path, sample_path)
    sent = []
    for attempt in range(3):
        term = Tmux(tmp_path, 80, 24)
        try:
            term.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
            term.wait_for(f"Comments ({5 + attempt})")
            term.keys("r")  # from the episode list: a comment on the episode
            term.wait_for("ctrl+s")
            text = f"Réponse numéro {attempt}"
            term.keys(text, literal=True)
            term.wait_for(text)
            term.keys("C-s")
            time.sleep(0.05)
            kill_9(store)
            sent.append(text)
        finally:
            term.close()
        start_and_quit(tmp_path, store)
    mine = [c for c in comments_of(export(store)) if c["origin"] == "local"]
    bodies = sorted(c["body"] for c in mine if c["status"] in ("approved", "draft"))
    assert bodies == sorted(sent)  # each once: sent, or at worst kept as a draft


def test_a_draft_holding_an_escape_does_not_reach_the_terminal(tmp_path: Path,
                                                               sample_path: Path):
    from cmreader.store import Store

    store_path = imported(tmp_path, sample_path)
    store = Store.open(store_path)
    post = store.list_posts()[0]
    question = next(r for r in store.comment_rows(post.id) if r.body.startswith("Bonjour,"))
    store.save_draft(post.id, question.id, "collé\x1b]52;c;cGF3bmVk\x07 ici\x1b]0;PWNED\x07")
    store.close()
    term = Tmux(tmp_path, 80, 24)
    try:
        term.start(f"{cmreader_command()} --db {store_path}", env_for(tmp_path))
        open_last_question(term)
        term.keys("r")
        term.wait_for("ctrl+s sends")
        time.sleep(0.5)
        screen = term.wait_for("collé")
        assert "collé␛]52;c;cGF3bmVk␇ ici" in screen
        assert term.buffers() == ""  # OSC 52 did not reach the clipboard
        assert "PWNED" not in term.pane_title()
    finally:
        term.close()
