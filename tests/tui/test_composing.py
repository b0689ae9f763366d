"""The composer's help in writing: quoting the comment answered, the preview, spelling."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from stores import LAST, first_episode, make_store
from textual.pilot import Pilot
from textual.widgets import TextArea

from cmreader import spelling
from cmreader.tui.app import CmreaderApp
from cmreader.tui.widgets import composer as composer_module
from cmreader.tui.widgets import reply_preview
from cmreader.tui.widgets.composer import Composer
from cmreader.tui.widgets.reply_preview import ReplyPreview
from cmreader.tui.widgets.reply_text import SafeTextArea

from .conftest import pause_for_draft, running, settle, sync
from .test_reply import composer_of, reply_to

SENTENCES = ["Bonjour,",
             "m'informant sur le métier de CM, je voudrais savoir si des livres vous ont aidé ?",
             "si oui lesquels ?", "cdlt"]


def open_composer(app: CmreaderApp) -> Composer:
    composer = composer_of(app)
    assert composer is not None
    return composer


def shown(widget: TextArea | ReplyPreview) -> list[str]:
    """The widget's lines as drawn now."""
    return ["".join(s.text for s in widget.render_line(y)).rstrip()
            for y in range(widget.size.height)]


def journaled(app: CmreaderApp) -> list[str]:
    journal = app.main_screen.journal  # type: ignore[union-attr]
    assert journal is not None
    return [json.loads(line).get("text", "") for line in journal.path.read_text().splitlines()]


@pytest.fixture
def fresh_speller(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test loads the dictionaries as it finds the library (installed or not), after a
    short pause in typing."""
    monkeypatch.setattr(composer_module, "SPELL_IDLE", 0.8)
    spelling.forget_speller()
    yield
    spelling.forget_speller()


async def idle_for_spelling(pilot: Pilot) -> None:
    await asyncio.sleep(composer_module.SPELL_IDLE + 0.2)
    await settle(pilot)  # the dictionaries load in a worker


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_quoting_the_comment_whole_then_sentence_by_sentence(tui_env: Path) -> None:
    store = make_store(tui_env / "w.db")
    post_id, (marie,) = first_episode(store, "Marie")
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        composer = open_composer(app)
        await pilot.press("ctrl+r")
        whole = "> Bonjour,\n> " + SENTENCES[1] + " si oui lesquels ?\n> cdlt\n\n"
        assert composer.text == whole
        # Kept as typing is: in the journal at once, then the store.
        assert whole in journaled(app)
        await pilot.press(*"Oui.")
        await pause_for_draft(pilot)
        assert store.get_draft(post_id, marie.id).body == whole + "Oui."  # type: ignore[union-attr]
        # ctrl+n: the first sentence below what is written; again at once: the next instead.
        await pilot.press("ctrl+n")
        assert composer.text.endswith("Oui.\n\n> Bonjour,\n\n")
        await pilot.press("ctrl+n")
        assert composer.text.endswith("Oui.\n\n> " + SENTENCES[1] + "\n\n")
        assert "quoted sentence 2 of 4" in str(composer.border_subtitle)
        await pilot.press(*"Deux.", "ctrl+n")  # after typing: the sentence after, added
        assert composer.text.endswith(SENTENCES[1] + "\n\nDeux.\n\n> si oui lesquels ?\n\n")
        await pause_for_draft(pilot)
        assert store.get_draft(post_id, marie.id).body == composer.text  # type: ignore[union-attr]
        area = composer.query_one(SafeTextArea)
        assert "> si oui lesquels ?" in shown(area)
        # A selection of your own text is quoted in its place.
        await pilot.press(*"cite moi", "shift+home", "ctrl+r")
        assert composer.text.endswith("> si oui lesquels ?\n\n> cite moi\n\n")
    store.close()


@sync
async def test_a_comment_on_the_episode_has_nothing_to_quote(tui_env: Path) -> None:
    store = make_store(tui_env / "w.db")
    async with running(store) as (pilot, app):
        await pilot.press("r")
        await settle(pilot)
        composer = open_composer(app)
        await pilot.press("ctrl+r", "ctrl+n")
        assert composer.text == ""
        assert any("no comment to quote" in n.message for n in app._notifications)
    store.close()


@sync
async def test_the_preview_stands_beside_the_text_at_120_columns(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reply_preview, "PREVIEW_DELAY", 0.6)
    store = make_store(tui_env / "w.db")
    _, (marie,) = first_episode(store, "Marie")
    async with running(store, size=(120, 40)) as (pilot, app):
        await reply_to(pilot, marie.id)
        composer = open_composer(app)
        preview = composer.query_one(ReplyPreview)
        assert composer.has_class("-side") and preview.display and preview.size.width > 40
        assert not preview.can_focus  # beside the text, a click never takes the keys
        assert shown(preview)[0] == "Nothing to preview yet."
        renders = preview.renders
        await pilot.press(*"Merci **Marie**, lis `Le CM` et ")
        # Typing faster than the delay renders nothing meanwhile.
        assert preview.renders == renders and shown(preview)[0] == "Nothing to preview yet."
        composer.insert_text("[mon blog](https://becky.example.org) \x1b[31m\u202erouge")
        for _ in range(100):  # the delay after the last change, and some time to spare
            if preview.renders > renders:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        assert preview.renders == renders + 1  # once, for all those keys
        text = " ".join(shown(preview))
        assert "Merci Marie, lis Le CM et mon blog (https://becky.example.org)" in text
        assert "␛[31mrouge" in text and "\x1b" not in text and "\u202e" not in text
        bold = [s for y in range(preview.size.height) for s in preview.render_line(y)
                if s.text == "Marie"]
        assert bold and bold[0].style is not None and bold[0].style.bold
        # ctrl+g hides it and shows it again; the text keeps the focus.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not preview.display and app.focused is composer.query_one(SafeTextArea)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert preview.display
    store.close()


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_at_80_columns_ctrl_g_shows_the_preview_in_the_texts_place(
    tui_env: Path,
) -> None:
    store = make_store(tui_env / "w.db")
    post_id, (marie,) = first_episode(store, "Marie")
    async with running(store, size=(80, 24)) as (pilot, app):
        await reply_to(pilot, marie.id)
        composer = open_composer(app)
        preview = composer.query_one(ReplyPreview)
        area = composer.query_one(SafeTextArea)
        assert not composer.has_class("-side") and not preview.display
        await pilot.press(*"Un *mot*")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert preview.display and not area.display and app.focused is preview
        assert shown(preview)[0] == "Un mot"
        assert "preview" in str(composer.border_subtitle)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert area.display and not preview.display and app.focused is area
        # A letter typed on the preview goes into the text, which comes back.
        await pilot.press("ctrl+g", "!")
        await pilot.pause()
        assert area.display and not preview.display and app.focused is area
        assert composer.text == "Un *mot*!"
        await pilot.press(*" de plus", "ctrl+s")
        await settle(pilot)
        sent = [r.body for r in store.comment_rows(post_id) if r.parent_id == marie.id]
        assert sent == ["Un *mot*! de plus"]
    store.close()


def underlined(area: SafeTextArea) -> list[str]:
    """The words drawn underlined, top to bottom."""
    return [s.text for y in range(area.size.height) for s in area.render_line(y)
            if s.style is not None and s.style.underline]


@pytest.mark.usefixtures("fresh_speller")
@sync
async def test_unknown_words_are_underlined_in_french_and_english(tui_env: Path) -> None:
    pytest.importorskip("spellchecker")
    store = make_store(tui_env / "w.db")
    _, (marie,) = first_episode(store, "Marie")
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await pilot.press(*"Merci Marie, l'épisode ")
        # Nothing loads while keys come (the load would share the CPU with them).
        assert spelling.loaded_speller() == (False, None)
        await idle_for_spelling(pilot)
        area = open_composer(app).query_one(SafeTextArea)
        assert area.speller is not None
        await pilot.press(*"parle du métier, the blog's ecrti and ")
        await pilot.press(*"wrng")
        await pilot.pause()
        # Not the word being typed; names (a capital) and known words in either language pass.
        assert underlined(area) == ["ecrti"]
        await pilot.press("space")
        await pilot.pause()
        assert underlined(area) == ["ecrti", "wrng"]
        # Quoted lines are the commenter's, not yours.
        area.insert("\n> ceci est mal ecrti\n")
        await pilot.pause()
        assert "> ceci est mal ecrti" in shown(area)
        assert underlined(area) == ["ecrti", "wrng"]
    store.close()


@pytest.mark.usefixtures("fresh_speller")
@sync
async def test_without_the_library_the_composer_works_and_underlines_nothing(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "spellchecker", None)  # its import fails
    store = make_store(tui_env / "w.db")
    post_id, (marie,) = first_episode(store, "Marie")
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await idle_for_spelling(pilot)
        assert spelling.loaded_speller() == (True, None)
        area = open_composer(app).query_one(SafeTextArea)
        await pilot.press(*"ecrti wrng ", "ctrl+s")
        await settle(pilot)
        assert area.speller is None and underlined(area) == []
        sent = [r.body for r in store.comment_rows(post_id) if r.parent_id == marie.id]
        assert sent == ["ecrti wrng "]
    store.close()


def test_sentences_split_at_their_ends_and_lines() -> None:
    from cmreader.tui.widgets.composer import as_quote, sentences

    assert sentences(LAST) == SENTENCES
    assert sentences("Oui ! Non… Peut-être.\x1b[31m Fin") == ["Oui !", "Non…", "Peut-être.",
                                                             "Fin"]
    assert as_quote("un\n\ndeux\n") == "> un\n>\n> deux"


def test_what_the_speller_leaves_alone() -> None:
    words = {"un", "mot", "bien", "écrit", "épisode", "il", "blog"}
    speller = spelling.Speller(lambda w: w.lower() in words)

    def unknown(line: str, typing_at: int | None = None) -> list[str]:
        return [line[a:b] for a, b in speller.unknown(line, typing_at=typing_at)]

    line = "un mot mal écrit, l'épisode qu'il blog's `codez` https://x.example/cheminz Zorro zz9"
    assert unknown(line) == ["mal"]
    assert unknown("> mal cité") == []
    assert unknown("un malx", typing_at=7) == []  # still being typed
    assert unknown("un malx ", typing_at=8) == ["malx"]
