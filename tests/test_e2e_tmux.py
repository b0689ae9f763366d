"""End to end: the installed `cmreader` in a real terminal (tmux), as a new user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import terminal
from terminal import Tmux, app_pids, cmreader_command

pytestmark = pytest.mark.e2e

CMREADER = cmreader_command(installed=True)


def imported(sample_path: Path, store: Path) -> Path:
    subprocess.run([*CMREADER, "--db", str(store), "import", str(sample_path)],
                   check=True, capture_output=True)
    return store


def export(store: Path) -> dict:
    out = subprocess.run([*CMREADER, "--db", str(store), "export"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def comments_of(data: dict) -> list[dict]:
    (post,) = data["posts"]
    found, stack = [], list(reversed(post["comments"]))
    while stack:
        c = stack.pop()
        found.append(c)
        stack.extend(reversed(c["replies"]))
    return found


def last_question(data: dict) -> dict:
    return [c for c in comments_of(data) if c["body"].startswith("Bonjour,")][0]


def open_last_question(tmux: Tmux, app: str) -> None:
    tmux.wait_for(app, "Comments (5)")
    tmux.send(app, "i")
    tmux.wait_for(app, "m'informant")
    tmux.send(app, "Enter")
    tmux.wait_for(app, "Comments (5)")


def test_reply_to_the_last_question_then_quit(tmux: Tmux, tmp_path: Path, sample_path: Path):
    store = imported(sample_path, tmp_path / "s.db")
    app = tmux.launch([*CMREADER, "--db", str(store)])
    tmux.wait_for(app, "Comments (5)")
    _, screen = tmux.wait_for(app, "Ca vous a plu")
    assert "boots38" in screen and "Episodes (1)" in screen  # list, article and comments at once
    open_last_question(tmux, app)
    tmux.send(app, "r")
    tmux.wait_for(app, "ctrl+s")
    tmux.send(app, "-l", "Merci pour ta question ! Lis les blogs pros.")
    tmux.send(app, "C-s")
    tmux.wait_for(app, "Comments (6)")
    tmux.send(app, "q")
    deadline = time.monotonic() + 10
    while app_pids(store) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not app_pids(store), "q did not quit"
    data = export(store)
    question = last_question(data)
    assert not question["needs_answer"]
    (reply,) = question["replies"]
    assert reply["body"] == "Merci pour ta question ! Lis les blogs pros."
    assert (reply["origin"], reply["by_owner"], reply["status"]) == ("local", True, "approved")
    assert sum(c["origin"] == "local" for c in comments_of(data)) == 1


def test_half_typed_reply_survives_kill_9(tmux: Tmux, tmp_path: Path, sample_path: Path):
    store = imported(sample_path, tmp_path / "s.db")
    app = tmux.launch([*CMREADER, "--db", str(store)])
    open_last_question(tmux, app)
    tmux.send(app, "r")
    tmux.wait_for(app, "ctrl+s")
    tmux.send(app, "-l", "Je te conseille")
    time.sleep(2.0)  # a pause in typing: the draft is saved within a second
    for pid in app_pids(store):
        os.kill(pid, signal.SIGKILL)
    data = export(store)
    drafts = [c for c in comments_of(data) if c["status"] == "draft"]
    assert [d["body"] for d in drafts] == ["Je te conseille"]
    assert last_question(data)["replies"][0]["status"] == "draft"

    tmux.kill(app)
    again = tmux.launch([*CMREADER, "--db", str(store)])
    open_last_question(tmux, again)
    tmux.send(again, "r")
    tmux.wait_for(again, "Je te conseille")
    tmux.send(again, "End")
    tmux.send(again, "-l", " des livres.")
    tmux.send(again, "C-s")
    tmux.wait_for(again, "Comments (6)")
    tmux.send(again, "q")
    time.sleep(0.5)
    tmux.close()
    data = export(store)
    replies = last_question(data)["replies"]
    assert [(r["body"], r["status"]) for r in replies] == [
        ("Je te conseille des livres.", "approved")]
    assert not [c for c in comments_of(data) if c["status"] == "draft"]


def test_hostile_comments_change_nothing_in_the_terminal(tmp_path: Path):
    from cmreader.records import CommentRecord, ImportBatch, PostRecord
    from cmreader.store import Store

    hostile = [
        "clipboard\x1b]52;c;cGF3bmVk\x07 stolen",
        "title\x1b]0;PWNED\x07 changed \x1b]2;PWNED2\x1b\\",
        "clear\x1b[2J\x1b[H screen \x9b2J",
        "[red]rouge[/red] and [bold]gras[/]",
    ]
    comments = tuple(
        CommentRecord(key=f"c{i}", parent_key=None, author=f"x{i}\x1b[31m",
                      published=f"2020-01-0{i + 1}T00:00:00Z", body=body)
        for i, body in enumerate(hostile)
    ) + (CommentRecord(key="spam", parent_key=None, author="spammer",
                       published="2020-01-09T00:00:00Z", body="SPAMTEXT buy now", status="spam"),)
    store_path = tmp_path / "h.db"
    store = Store.open(store_path)
    store.import_batch(ImportBatch(source="t", format="t", posts=(PostRecord(
        key="p", title="Hostile\x1b]0;PWNED\x07", author="Becky", published="2020-01-01T00:00:00Z",
        body="Article \x1b[2J", comments=comments),)))
    store.close()
    with Tmux(terminal.hermetic_env(tmp_path / "home", tmp_path / "default.db"), 120, 40) as tmux:
        app = tmux.launch([*CMREADER, "--db", str(store_path)])
        tmux.wait_for(app, "[red]rouge[/red] and [bold]gras[/]")
        tmux.wait_for(app, "Article")
        _, screen = tmux.wait_for(app, "stolen")
        time.sleep(0.5)  # let every pane paint, then check nothing escaped
        assert "PWNED" not in tmux.title(app)
        assert "SPAMTEXT" not in tmux.capture(app)  # spam is hidden by default
        assert tmux.buffers() == ""  # OSC 52 did not reach the clipboard
        assert "clear screen" in screen and "Comments" in tmux.capture(app)  # nothing cleared it


def test_first_run_imports_the_bundled_sample(tmux: Tmux) -> None:
    app = tmux.launch(CMREADER)
    _, screen = tmux.wait_for(app, "Comments (5)")
    assert "Vie ma vie de Community Manager" in screen
    assert Path(tmux.env["CMREADER_DB"]).exists()
    tmux.send(app, "q")
    tmux.wait_gone(app, "Comments (5)")
