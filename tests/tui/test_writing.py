"""Writing answers: the drafts list, saved replies, the commenter's history, the editor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stores import episode, first_episode, make_store

from cmreader.store import Store
from cmreader.tui.screens.drafts import DraftsScreen
from cmreader.tui.screens.history import HistoryScreen
from cmreader.tui.screens.saved_picker import SavedReplyPicker
from cmreader.tui.screens.saved_replies import SavedRepliesScreen

from .conftest import running, select, settle, sync
from .test_lists import heading, lines_of, screen_list
from .test_reply import composer_of, reply_to


def two_episodes(tmp: Path) -> Store:
    older = episode(key="ep2", title="Épisode 2", published="2014-02-10T08:30:00Z")
    return make_store(tmp / "w.db", episode(), older)


@sync
async def test_the_drafts_list_resumes_a_draft_and_discards_another(tui_env: Path) -> None:
    store = two_episodes(tui_env)
    post_id, (marie,) = first_episode(store, "Marie")
    older = store.list_posts()[1].id
    store.save_draft(older, None, "Un commentaire sur l'épisode 2")
    store.save_draft(post_id, marie.id, "Bonjour Marie, pour les livres")  # the newest
    assert [p.has_draft for p in store.list_posts()] == [True, True]
    async with running(store) as (pilot, app):
        main = app.main_screen
        assert main is not None
        assert "✎ draft" in main.episodes.get_option_at_index(0).prompt.plain
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        assert "Drafts not sent: 2" in heading(app)
        shown = lines_of(screen_list(app))
        assert "reply to Marie" in shown[1] and "Bonjour Marie" in shown[2]
        assert "on the episode" in shown[4]
        # d asks first; n keeps it.
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert store.get_draft(older, None) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.get_draft(older, None) is None
        assert "Drafts not sent: 1" in heading(app)
        # enter resumes the other: the reader on Marie's comment, the composer on the draft.
        await pilot.press("g", "enter")
        await settle(pilot)
        assert app.screen is main
        composer = composer_of(app)
        assert composer is not None and composer.target.parent_id == marie.id
        assert composer.text == "Bonjour Marie, pour les livres"
        assert main.comment_tree.current is not None
        assert main.comment_tree.current.id == marie.id
        # The discarded draft's episode lost its mark, once the list was read again.
        assert [p.has_draft for p in store.list_posts()] == [True, False]
        assert "✎ draft" not in main.episodes.get_option_at_index(1).prompt.plain
    store.close()


@sync
async def test_a_saved_reply_goes_in_filled_then_is_edited_and_sent(tui_env: Path) -> None:
    store = make_store(tui_env / "w.db")
    post_id, (boots,) = first_episode(store, "boots38")
    store.save_saved_reply(None, "Abonnement", "Abonne-toi sur {link}")
    store.save_saved_reply(None, "Merci pour les livres",
                           "Bonjour {first_name}, merci pour {title} ({blog}) {unknown}")
    async with running(store) as (pilot, app):
        await reply_to(pilot, boots.id)
        await pilot.press("ctrl+t")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SavedReplyPicker)
        await pilot.press(*"livr")
        await pilot.pause()
        assert [r.name for r in picker.shown] == ["Merci pour les livres"]
        await pilot.press("enter")
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None
        filled = ("Bonjour boots38, merci pour Vie ma vie de Community Manager - épisode 3 "
                  "() {unknown}")
        assert composer.text == filled
        await pilot.press(*" Bises")
        await pilot.press("ctrl+s")
        await settle(pilot)
        sent = [r for r in store.comment_rows(post_id) if r.parent_id == boots.id
                and r.origin == "local"]
        assert [r.body for r in sent] == [filled + " Bises"]
    store.close()


@sync
async def test_the_composers_text_is_saved_as_a_reply_and_the_library_edits_them(
    tui_env: Path,
) -> None:
    store = make_store(tui_env / "w.db")
    post_id, (marie,) = first_episode(store, "Marie")
    blog_id = store.get_post(post_id).blog_id
    assert blog_id is not None
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await pilot.press(*"Merci {author} !", "ctrl+t")
        await settle(pilot)
        await pilot.press(*"Merci court", "ctrl+n")
        await settle(pilot)
        assert [(r.name, r.body) for r in store.saved_replies()] == [("Merci court",
                                                                      "Merci {author} !")]
        # The library: s gives the blog a signature, d deletes the reply after asking.
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SavedRepliesScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"Becky, de Vie de CM", "enter")
        await settle(pilot)
        assert store.signatures() == [(blog_id, "Becky, de Vie de CM")]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.saved_replies() == []
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # the picker
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None and composer.text == "Merci {author} !"
        await pilot.press("escape")
        await settle(pilot)
        # A new reply on that blog starts with its signature, the cursor above it.
        boots = next(r for r in store.comment_rows(post_id) if r.author == "boots38")
        await reply_to(pilot, boots.id)
        composer = composer_of(app)
        assert composer is not None and composer.text == "\n\nBecky, de Vie de CM"
        await pilot.press(*"Salut")
        assert composer.text == "Salut\n\nBecky, de Vie de CM"
        await pilot.press("escape")  # an untouched signature is no draft; this one is
        await settle(pilot)
        draft = store.get_draft(post_id, boots.id)
        assert draft is not None and draft.body == "Salut\n\nBecky, de Vie de CM"
    store.close()


@sync
async def test_the_history_of_a_commenter_on_two_episodes(tui_env: Path) -> None:
    store = two_episodes(tui_env)
    post_id, (boots,) = first_episode(store, "boots38")
    older = store.list_posts()[1].id
    older_boots = next(r for r in store.comment_rows(older) if r.author == "boots38")
    store.moderate(older_boots.id, "spam")
    key = store.author_key(boots.id)
    async with running(store) as (pilot, app):
        await select(pilot, boots.id)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        who = store.commenter(key)
        assert (who.comments, who.answered, who.spam, who.episodes) == (2, 1, 1, 2)
        rows = store.db.execute("SELECT status FROM comments WHERE author_key = ?", [key])
        assert sorted(r[0] for r in rows) == ["approved", "spam"]
        title = heading(app)
        assert "Comments by boots38: 2" in title and "first came 2014-03-10" in title
        assert "1 answered" in title and "1 spam" in title and "2 episodes" in title
        shown = lines_of(screen_list(app))
        # Newest first: the same date, so the later comment (the older episode's) first.
        assert "Épisode 2" in shown[0] and "spam" in shown[1] and "answered" not in shown[1]
        assert "Vie ma vie" in shown[3] and "approved" in shown[4] and "answered" in shown[4]
        assert store.history_count(key) == screen_list(app).total == 2
        # enter goes to the comment in the reader; back with w, r replies to it.
        await pilot.press("j", "enter")
        await settle(pilot)
        main = app.main_screen
        assert main is not None and app.screen is main
        assert main.current_post is not None and main.current_post.id == post_id
        assert main.comment_tree.current is not None
        assert main.comment_tree.current.id == boots.id
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("j", "r")
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None and composer.target.parent_id == boots.id
    store.close()


def appending_editor(folder: Path, line: str) -> Path:
    """An $EDITOR that appends a line to the file it is given, and keeps a copy of what it
    was given (to see the quote and the folder's mode)."""
    script = folder / "editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'cp "$1" "{folder}/seen.md"\n'
        f'stat -c %a "$(dirname "$1")" > "{folder}/mode"\n'
        f"printf '%s\\n' '{line}' >> \"$1\"\n"
    )
    script.chmod(0o755)
    return script


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_the_editor_round_trip_lands_in_the_composer_the_journal_and_the_store(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmreader.tui.editor import MARKER

    store = make_store(tui_env / "w.db")
    post_id, (marie,) = first_episode(store, "Marie")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(appending_editor(tui_env, "Ligne ajoutée dans l’éditeur")))
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await pilot.press(*"Bonjour Marie,")
        await pilot.press("ctrl+o")  # saves the draft first, then runs the editor
        for _ in range(100):
            composer = composer_of(app)
            if composer is not None and "éditeur" in composer.text:
                break
            await pilot.pause(0.02)
        composer = composer_of(app)
        assert composer is not None
        assert composer.text == "Bonjour Marie,\nLigne ajoutée dans l’éditeur"
        # Before the store has it, the journal does: killed now, the next start puts it back.
        journal = app.main_screen.journal  # type: ignore[union-attr]
        assert journal is not None
        records = [json.loads(line) for line in journal.path.read_text().splitlines()]
        assert any(r.get("text") == composer.text for r in records)
        await settle(pilot)
        draft = store.get_draft(post_id, marie.id)
        assert draft is not None and draft.body == "Bonjour Marie,\nLigne ajoutée dans l’éditeur"
    seen = (tui_env / "seen.md").read_text()
    assert seen.startswith("Bonjour Marie,\n\n" + MARKER + "\n> Bonjour,\n> m'informant")
    assert (tui_env / "mode").read_text().strip() == "700"
    store.close()
