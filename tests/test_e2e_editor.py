"""End to end, ctrl+o in the installed `cmreader` in tmux: $EDITOR's text comes back, and a
kill -9 right after the editor exits loses none of it."""

from __future__ import annotations

from pathlib import Path

import pytest
import terminal
from terminal import Tmux
from test_e2e_durability import kill_9, start_and_quit
from test_e2e_tmux import CMREADER, comments_of, export, imported, open_last_question

pytestmark = pytest.mark.e2e

LINE = "Ligne ajoutée dans l’éditeur"


def test_the_editor_round_trip_survives_a_kill_right_after(tmp_path: Path,
                                                             sample_path: Path) -> None:
    store = imported(sample_path, tmp_path / "s.db")
    editor = tmp_path / "editor.sh"
    seen = tmp_path / "seen.md"
    # An editor that appends a line, as a user typing it would, and keeps a copy of its file.
    editor.write_text(f'#!/bin/sh\ncp "$1" "{seen}"\nprintf "%s\\n" "{LINE}" >> "$1"\n')
    editor.chmod(0o755)
    env = terminal.hermetic_env(tmp_path / "home", store)
    env.pop("VISUAL", None)
    env["EDITOR"] = str(editor)
    tmux = Tmux(env, 80, 24)
    try:
        app = tmux.launch([*CMREADER, "--db", str(store)])
        open_last_question(tmux, app)
        tmux.send(app, "r")
        tmux.wait_for(app, "ctrl+s")
        tmux.send(app, "-l", "Bonjour,")
        tmux.send(app, "C-o")
        tmux.wait_for(app, "dans l’éditeur")  # back in the composer
        kill_9(store)  # at once: the store may not have been told yet
        assert "Bonjour," in seen.read_text() and "> m'informant" in seen.read_text()
        start_and_quit(tmux, store)  # the next run puts back what the journal holds
    finally:
        tmux.close()
    drafts = [c["body"] for c in comments_of(export(store)) if c["status"] == "draft"]
    assert drafts == [f"Bonjour,\n{LINE}"]
