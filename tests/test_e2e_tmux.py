"""End to end: the installed `cmreader` in a real terminal (tmux), as a new user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from tmux_driver import Tmux, app_pids, cmreader_command

pytestmark = pytest.mark.e2e


@pytest.fixture
def tmux(tmp_path: Path):
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        pytest.fail("tmux is not installed (apt-get install tmux); .ci/run installs it")
    term = Tmux(tmp_path, 80, 24)
    yield term
    term.close()


def env_for(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "CMREADER_CONFIG": str(home / "config.toml"),
        "CMREADER_DB": str(tmp_path / "default.db"),
        "PATH": os.environ.get("PATH", ""),
    }


def export(store: Path) -> dict:
    out = subprocess.run([cmreader_command(), "--db", str(store), "export"], capture_output=True,
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


def open_last_question(tmux: Tmux) -> None:
    tmux.wait_for("Comments (5)")
    tmux.keys("i")
    tmux.wait_for("m'informant")
    tmux.keys("Enter")
    tmux.wait_for("Comments (5)")


def test_reply_to_the_last_question_then_quit(tmux: Tmux, tmp_path: Path, sample_path: Path):
    store = tmp_path / "s.db"
    subprocess.run([cmreader_command(), "--db", str(store), "import", str(sample_path)],
                   check=True, capture_output=True)
    tmux.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
    tmux.wait_for("Comments (5)")
    screen = tmux.wait_for("Ca vous a plu")
    assert "boots38" in screen and "Episodes (1)" in screen  # list, article and comments at once
    open_last_question(tmux)
    tmux.keys("r")
    tmux.wait_for("ctrl+s")
    tmux.keys("Merci pour ta question ! Lis les blogs pros.", literal=True)
    tmux.keys("C-s")
    tmux.wait_for("Comments (6)")
    tmux.keys("q")
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
    store = tmp_path / "s.db"
    subprocess.run([cmreader_command(), "--db", str(store), "import", str(sample_path)],
                   check=True, capture_output=True)
    tmux.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
    open_last_question(tmux)
    tmux.keys("r")
    tmux.wait_for("ctrl+s")
    tmux.keys("Je te conseille", literal=True)
    time.sleep(2.0)  # a pause in typing: the draft is saved within a second
    for pid in app_pids(store):
        os.kill(pid, signal.SIGKILL)
    data = export(store)
    drafts = [c for c in comments_of(data) if c["status"] == "draft"]
    assert [d["body"] for d in drafts] == ["Je te conseille"]
    assert last_question(data)["replies"][0]["status"] == "draft"

    tmux.close()
    again = Tmux(tmp_path, 80, 24)
    try:
        again.start(f"{cmreader_command()} --db {store}", env_for(tmp_path))
        open_last_question(again)
        again.keys("r")
        again.wait_for("Je te conseille")
        again.keys("End")
        again.keys(" des livres.", literal=True)
        again.keys("C-s")
        again.wait_for("Comments (6)")
        again.keys("q")
        time.sleep(0.5)
    finally:
        again.close()
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
    tmux = Tmux(tmp_path, 120, 40)
    try:
        tmux.start(f"{cmreader_command()} --db {store_path}", env_for(tmp_path))
        tmux.wait_for("[red]rouge[/red] and [bold]gras[/]")
        tmux.wait_for("Article")
        screen = tmux.wait_for("stolen")
        time.sleep(0.5)  # let every pane paint, then check nothing escaped
        assert "PWNED" not in tmux.pane_title()
        assert "SPAMTEXT" not in tmux.screen()  # spam is hidden by default
        assert tmux.buffers() == ""  # OSC 52 did not reach the clipboard
        assert "clear screen" in screen and "Comments" in tmux.screen()  # nothing cleared it
    finally:
        tmux.close()


def test_first_run_imports_the_bundled_sample(tmux: Tmux, tmp_path: Path) -> None:
    env = env_for(tmp_path)
    tmux.start(cmreader_command(), env)
    screen = tmux.wait_for("Comments (5)")
    assert "Vie ma vie de Community Manager" in screen
    assert Path(env["CMREADER_DB"]).exists()
    tmux.keys("q")
    tmux.wait_gone("Comments (5)")
