"""The reply composer: a TextArea under the thread that saves its draft while you type."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from cmreader.journal import Journaled, TypedJournal, journal_request
from cmreader.sanitize import show_controls
from cmreader.tui import keys, safe_text
from cmreader.tui.messages import ComposeTarget

# A draft is written at most this long after the first key that is not saved yet, however
# steadily the user types: the timer starts on the first unsaved change and is never pushed
# back by the next ones.
DRAFT_DELAY = 0.6
# Up to this size, every change also goes to the typed-text journal at once (a write of a
# line, some microseconds): a kill -9 then loses no key the composer has shown. Longer texts
# rely on the draft timer alone: the journal is emptied only once typing pauses and the store
# holds it all, so a long burst of keys on a long text must not write megabytes meanwhile.
KEY_JOURNAL_CHARS = 4_000

class SafeTextArea(TextArea):
    """A TextArea whose every edit (typing, paste, undo) holds no raw control character."""

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual 8.2 may draw a TextArea once more while it is being removed (the composer
        # closes as the reply is sent): its theme then looks up component styles the
        # detached widget no longer has, and the KeyError would end the app. Draw nothing.
        if not self.is_attached or not self.is_mounted:
            return [Strip.blank(crop.width)] * crop.height
        try:
            return super().render_lines(crop)
        except KeyError:
            return [Strip.blank(crop.width)] * crop.height

    def edit(self, edit: Edit) -> EditResult:
        safe = show_controls(edit.text)
        if safe != edit.text:
            edit = Edit(safe, edit.from_location, edit.to_location,
                        edit.maintain_selection_offset)
        return super().edit(edit)


class Composer(Vertical):
    """Writes one reply (or edit); ctrl+s sends, escape closes and keeps the draft."""

    DEFAULT_CSS = """
    /* A fixed height the text area fills (1fr): when the pane is short, the composer gets
       less room and the text scrolls inside it, the line being typed always in view. */
    Composer {
        height: 9;
        max-height: 60%;
        border: round $accent;
        border-title-color: $accent;
        padding: 0 1;
    }
    Composer #composer-heading { height: 1; }
    Composer #composer-quote { height: 1; }
    Composer #composer-text {
        height: 1fr;
        min-height: 1;
        border: none;
        padding: 0;
    }
    /* A write failed: the composer says so in red, where the user is typing. */
    Composer.-unsaved {
        border: round $error;
        border-subtitle-color: $error;
    }
    """

    BINDINGS = [*keys.bindings("composer"), keys.TYPED]
    HELP = "Composer: ctrl+s sends, escape closes and keeps the draft; q is just a letter here."

    @dataclass
    class DraftChanged(Message):
        """Text to keep as the draft; already in the journal when journaled says so."""

        target: ComposeTarget
        text: str
        journaled: Journaled | None = None

    @dataclass
    class SendRequested(Message):
        """ctrl+s: send text; it went to the journal as the key was handled."""

        target: ComposeTarget
        text: str
        journaled: Journaled | None = None

    @dataclass
    class SavedRepliesAsked(Message):
        """ctrl+t: pick a saved reply to insert (text: the composer's, to save as one)."""

        target: ComposeTarget
        text: str

    @dataclass
    class EditorAsked(Message):
        """ctrl+o: edit the text in $VISUAL/$EDITOR, once the store holds it."""

        target: ComposeTarget

    class Closed(Message):
        """The user closed the composer; the screen decides what becomes of the draft."""

        def __init__(self, target: ComposeTarget, text: str) -> None:
            super().__init__()
            self.target = target
            self.text = text

    def __init__(
        self,
        target: ComposeTarget,
        text: str,
        *,
        journal: TypedJournal | None = None,
        id: str | None = None,
        at_start: bool = False,
    ) -> None:
        super().__init__(id=id)
        self.at_start = at_start  # the text is a signature: the cursor goes above it
        self.target = target
        # Written here, as the key is handled, not after the screen's queue: a kill -9 a few
        # milliseconds after ctrl+s must find the reply in it (attributes down from the screen).
        self.journal = journal
        self.initial = show_controls(text)
        # Handed to the store (last_saved) and confirmed written by it (stored): they differ
        # while a write is on its way, or when it failed.
        self.last_saved = self.initial
        self.stored = self.initial
        self.problem: str | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        heading = safe_text.text((self.target.heading, "bold"), no_wrap=True,
                                 overflow="ellipsis")
        yield Static(heading, id="composer-heading")
        if self.target.quote:
            quote = safe_text.text((self.target.quote, "italic dim"), no_wrap=True,
                                   overflow="ellipsis")
            yield Static(quote, id="composer-quote")
        yield SafeTextArea(
            self.initial, id="composer-text", soft_wrap=True, show_line_numbers=False
        )

    def on_mount(self) -> None:
        self._show_state()
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.start if self.at_start else area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def unsaved(self) -> bool:
        """True when what is on screen is not (yet) in the store."""
        return self.text != self.stored and bool(self.text.strip() or self.stored.strip())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = self.text
        if len(text) <= KEY_JOURNAL_CHARS:
            # Even when back to the saved text: the journal's newest line must be what shows.
            self._journal("draft", text)
        if self._timer is None and text != self.last_saved:
            self._timer = self.set_timer(DRAFT_DELAY, self.flush)

    def flush(self) -> None:
        """Save what is typed now, unless it is empty or already saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.text
        if text.strip() and text != self.last_saved:
            self.last_saved = text
            self.post_message(self.DraftChanged(self.target, text, self._journal("draft", text)))

    def saved(self, text: str | None) -> None:
        """The store confirmed it holds text (None: the draft was discarded)."""
        self.stored = "" if text is None else text
        self.problem = None
        self._show_state()

    def failed(self, problem: str) -> None:
        """A write failed: say so where the user is typing; the text stays on screen."""
        self.problem = problem
        # Retry on the next key or ctrl+s: the text is no longer taken as saved.
        self.last_saved = self.stored
        self._show_state()

    def waiting(self, line: str) -> None:
        """The store is busy with another process's write: say so, without alarm."""
        if self.problem is None:
            self.border_subtitle = safe_text.content(line, " · your text is kept meanwhile")

    def _show_state(self) -> None:
        if self.problem:
            self.add_class("-unsaved")
            self.border_subtitle = safe_text.content(
                ("NOT SAVED: ", "bold"), self.problem, " · your text is still here"
            )
        else:
            self.remove_class("-unsaved")
            self.border_subtitle = safe_text.content(
                "ctrl+s sends · escape closes, keeps the draft"
            )

    def _journal(self, intent: str, text: str) -> Journaled | None:
        if self.journal is None or not text.strip():
            return None
        return journal_request(self.journal, intent, self.target.journal_args, text)

    def action_typed(self) -> None:
        """Never called: the key was typed into the text first (see keys.TYPED)."""

    def action_send(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.text
        self.post_message(self.SendRequested(self.target, text, self._journal("send", text)))

    def insert_text(self, text: str) -> None:
        """Put text in at the cursor (over the selection), as if typed: it is journaled and
        saved as the draft as typing is."""
        area = self.query_one(TextArea)
        start, end = area.selection
        area.replace(text, start, end)
        area.focus()

    def replace_all(self, text: str) -> None:
        """The whole text, as the editor gave it back (the caller journaled and saved it)."""
        self.last_saved = text
        area = self.query_one(TextArea)
        area.replace(text, area.document.start, area.document.end)
        area.move_cursor(area.document.end)
        area.focus()

    def journal_text(self, text: str) -> Journaled | None:
        """Append text to the journal now, on this thread: from here a kill loses nothing."""
        return self._journal("draft", text)

    def action_external_editor(self) -> None:
        self.post_message(self.EditorAsked(self.target))

    def action_saved_replies(self) -> None:
        self.post_message(self.SavedRepliesAsked(self.target, self.text))

    def action_close_composer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Closed(self.target, self.text))
