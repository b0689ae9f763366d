"""The editor's exit status: what an editor saved before failing is kept, never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from stores import first_episode, make_store

from .conftest import running, settle, sync
from .test_reply import composer_of, reply_to


def failing_editor(folder: Path, line: str | None) -> Path:
    """An $EDITOR that may append a line (saved), then exits with status 3, as a crash or
    vim's :cq does."""
    script = folder / "failing-editor.sh"
    save = f"printf '%s\\n' '{line}' >> \"$1\"\n" if line else ""
    script.write_text(f"#!/bin/sh\n{save}exit 3\n")
    script.chmod(0o755)
    return script


@pytest.mark.usefixtures("quick_drafts")
@pytest.mark.parametrize("saved", ["Ecrit avant la panne", None])
@sync
async def test_an_editor_that_fails_after_saving_keeps_what_it_saved(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch, saved: str | None
) -> None:
    store = make_store(tui_env / "e.db")
    post_id, (marie,) = first_episode(store, "Marie")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(failing_editor(tui_env, saved)))
    notes: list[str] = []
    async with running(store) as (pilot, app):
        monkeypatch.setattr(app, "notify", lambda message, **_: notes.append(str(message)))
        await reply_to(pilot, marie.id)
        await pilot.press(*"Bonjour,")
        await pilot.press("ctrl+o")
        for _ in range(100):
            if notes:
                break
            await pilot.pause(0.02)
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None
        draft = store.get_draft(post_id, marie.id)
        if saved:
            assert composer.text == f"Bonjour,\n{saved}"
            assert draft is not None and draft.body == composer.text
            assert any("exited with status 3; what it saved is kept" in n for n in notes), notes
        else:
            assert composer.text == "Bonjour,"
            assert draft is not None and draft.body == "Bonjour,"
            assert any("Not edited" in n and "status 3" in n for n in notes), notes
    store.close()
