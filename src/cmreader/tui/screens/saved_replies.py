"""The saved-replies library: n adds one, enter edits, d deletes, s sets the blog's signature."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from cmreader.sanitize import clean_excerpt, clean_line, show_controls
from cmreader.store.models import ReplyContext, SavedReply
from cmreader.tui import safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import SavedReplyDeleted, SavedReplySaved, SignatureSet
from cmreader.tui.screens.picker import TypingInput
from cmreader.tui.widgets.paged_list import PagedList

if TYPE_CHECKING:
    from cmreader.store import Store


@dataclass(frozen=True)
class SavedRepliesSource:
    """The saved replies by name; called from workers only."""

    store: Store

    def count(self) -> int:
        return self.store.saved_reply_count()

    def page(self, offset: int, limit: int) -> Sequence[SavedReply]:
        return self.store.saved_replies(offset=offset, limit=limit)


def _reply_key(reply: SavedReply) -> Hashable:
    return reply.id


class SavedRepliesScreen(Screen[None]):
    """The library of saved replies, and the signature of the blog being answered."""

    DEFAULT_CSS = """
    SavedRepliesScreen .screen-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
    }
    SavedRepliesScreen #saved-signature { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("q,escape", "back", "Back"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("s", "signature", "Signature of this blog"),
    ]

    paged = getters.query_one(PagedList)

    def __init__(self, store: Store, context: ReplyContext | None) -> None:
        super().__init__(id="saved-replies")
        self.store = store
        self.context = context  # the reply being written: its blog's signature is s's

    def compose(self) -> ComposeResult:
        yield Static(safe_text.text("Saved replies"), classes="screen-title",
                     id="saved-replies-title")
        yield Static(safe_text.text(*self._signature_line()), id="saved-signature")
        yield PagedList(self._lines, _reply_key, entry_lines=2, id="saved-replies-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.paged.empty_text = safe_text.text(
            ("  No saved reply yet: n writes one; placeholders: {author} {first_name} "
             "{title} {blog} {link}", "dim"))
        self.paged.show(SavedRepliesSource(self.store))
        self.paged.focus()

    def _signature_line(self) -> tuple[safe_text.Piece, ...]:
        """The pieces of the line that says the blog's signature (safe_text builds it)."""
        context = self.context
        if context is None or context.blog_id is None:
            return ("",)
        blog = clean_line(context.blog or "") or "this blog"
        if context.signature:
            return ("Signature on ", (blog, "italic"), ": ", (context.signature, "bold"))
        return ("No signature on ", (blog, "italic"), " (s sets one)")

    def _lines(self, reply: SavedReply, width: int) -> list[Text]:
        return [safe_text.text((reply.name, "bold")),
                safe_text.text("  ", (clean_excerpt(reply.body, max(20, width)), "italic"))]

    def on_paged_list_counted(self, message: PagedList.Counted) -> None:
        message.stop()
        self.query_one("#saved-replies-title", Static).update(
            safe_text.text("Saved replies: ", f"{message.total:,}"))

    def on_paged_list_entry_chosen(self, message: PagedList.EntryChosen) -> None:
        message.stop()
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit", "delete", "signature") and self.store.read_only:
            return False
        if action == "signature":
            return self.context is not None and self.context.blog_id is not None
        return True

    # -- keys ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self.app.push_screen(SavedReplyEditor("", ""), self._edited(None))

    def action_edit(self) -> None:
        reply = self.paged.current
        if reply is not None:
            self.app.push_screen(SavedReplyEditor(reply.name, reply.body),
                                 self._edited(reply.id))

    def _edited(self, reply_id: int | None):  # type: ignore[no-untyped-def]
        def done(edited: tuple[str, str] | None) -> None:
            if edited is not None:
                self.save(reply_id, *edited)
        return done

    def action_delete(self) -> None:
        reply = self.paged.current
        if reply is None:
            return
        from cmreader.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.delete(reply)

        self.app.push_screen(ConfirmScreen(f"Delete the saved reply “{clean_line(reply.name)}”?"),
                             answer)

    def action_signature(self) -> None:
        context = self.context
        if context is None or context.blog_id is None:
            return
        blog_id = context.blog_id

        def done(line: str | None) -> None:
            if line is not None:
                self.set_signature(blog_id, line)

        self.app.push_screen(SignatureEditor(context.signature or ""), done)

    # -- the store's writes ----------------------------------------------------------------

    @app_work(group="saved-replies-write")
    def save(self, reply_id: int | None, name: str, body: str) -> None:
        self.post_message(SavedReplySaved(self.store.save_saved_reply(reply_id, name, body)))

    @app_work(group="saved-replies-write")
    def delete(self, reply: SavedReply) -> None:
        self.store.delete_saved_reply(reply.id)
        self.post_message(SavedReplyDeleted(reply))

    @app_work(group="saved-replies-write")
    def set_signature(self, blog_id: int, line: str) -> None:
        self.store.set_signature(blog_id, line)
        self.post_message(SignatureSet(blog_id, line.strip() or None))

    def on_saved_reply_saved(self, message: SavedReplySaved) -> None:
        message.stop()
        self.paged.reload(follow=message.reply.id)
        safe_text.notify(self, "Saved “", message.reply.name, "”.", timeout=3)

    def on_saved_reply_deleted(self, message: SavedReplyDeleted) -> None:
        message.stop()
        self.paged.reload()
        safe_text.notify(self, "Deleted “", message.reply.name, "”.", timeout=3)

    def on_signature_set(self, message: SignatureSet) -> None:
        message.stop()
        if self.context is not None:
            self.context = self.context._replace(signature=message.signature)
        self.query_one("#saved-signature", Static).update(
            safe_text.text(*self._signature_line())
        )
        safe_text.notify(self, "Signature set." if message.signature else "Signature removed.",
                         timeout=3)


class SavedReplyEditor(ModalScreen[tuple[str, str] | None]):
    """A saved reply's name and text; ctrl+s keeps them, escape leaves them as they were."""

    DEFAULT_CSS = """
    SavedReplyEditor { align: center middle; background: $background 60%; }
    #saved-editor {
        width: 80%;
        max-width: 100;
        height: 20;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #saved-editor-body { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, name: str, body: str) -> None:
        super().__init__(id="saved-editor-screen")
        self.name_text = name
        self.body = body

    def compose(self) -> ComposeResult:
        from cmreader.tui.widgets.reply_text import SafeTextArea

        with Vertical(id="saved-editor"):
            yield Static(safe_text.text(
                ("Saved reply", "bold"), " · placeholders: {author} {first_name} {title} "
                "{blog} {link} · ctrl+s keeps, escape cancels"))
            yield TypingInput(show_controls(clean_line(self.name_text)), placeholder="Name",
                              id="saved-editor-name")
            yield SafeTextArea(show_controls(self.body), id="saved-editor-body",
                               soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one("#saved-editor-name" if not self.name_text else "#saved-editor-body")\
            .focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#saved-editor-body").focus()

    def action_keep(self) -> None:
        from cmreader.tui.widgets.reply_text import SafeTextArea

        name = self.query_one("#saved-editor-name", TypingInput).value
        body = self.query_one("#saved-editor-body", SafeTextArea).text
        if not clean_line(name) or not body.strip():
            safe_text.notify(self, "A saved reply needs a name and a text.", severity="warning")
            return
        self.dismiss((name, body))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SignatureEditor(ModalScreen[str | None]):
    """The line added to every new reply on the blog; enter keeps it, empty removes it."""

    DEFAULT_CSS = """
    SignatureEditor { align: center middle; background: $background 60%; }
    #signature-box {
        width: 70;
        max-width: 90%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, line: str) -> None:
        super().__init__(id="signature-editor")
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(id="signature-box"):
            yield Static(safe_text.text(("Signature", "bold"),
                                        " · added to every new reply on this blog · enter "
                                        "keeps it, empty removes it"))
            yield TypingInput(show_controls(clean_line(self.line)), id="signature-input")

    def on_mount(self) -> None:
        self.query_one("#signature-input").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
