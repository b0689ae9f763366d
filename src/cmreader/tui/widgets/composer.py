"""The reply composer: a TextArea under the thread that saves its draft while you type."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Location, Selection

from cmreader import spelling
from cmreader.journal import Journaled, TypedJournal, journal_request
from cmreader.sanitize import show_controls
from cmreader.tui import keys, safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import ComposeTarget
from cmreader.tui.quoting import as_quote, sentences
from cmreader.tui.widgets.reply_preview import ReplyPreview
from cmreader.tui.widgets.reply_text import SafeTextArea

# A draft is written at most this long after the first key that is not saved yet, however
# steadily the user types: the timer starts on the first unsaved change and is never pushed
# back by the next ones.
DRAFT_DELAY = 0.6
# Up to this size, every change also goes to the typed-text journal at once (a write of a
# line, some microseconds): a kill -9 then loses no key the composer has shown. Longer texts
# rely on the draft timer alone: the journal is emptied only once typing pauses and the store
# holds it all, so a long burst of keys on a long text must not write megabytes meanwhile.
KEY_JOURNAL_CHARS = 4_000
# From this width of the composer (a terminal of 114 to 139 columns, where the comments run
# across the bottom) the preview stands beside the text; narrower, each half would be too thin
# to read, and ctrl+g shows the preview in the text's place.
SIDE_BY_SIDE = 110
# The dictionaries load (once per run, half a second of CPU) only after this long without a
# key: loading while the user types would share the CPU with the keys.
SPELL_IDLE = 1.0
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
    Composer #composer-body { height: 1fr; min-height: 1; }
    Composer #composer-text {
        width: 1fr;
        height: 1fr;
        min-height: 1;
        border: none;
        padding: 0;
    }
    /* The preview: beside the text when the composer is wide (-side) unless hidden with
       ctrl+g; narrower, ctrl+g shows it in the text's place (-previewing). */
    Composer #composer-preview { display: none; width: 1fr; }
    Composer.-side #composer-preview { display: block; }
    Composer.-side.-no-preview #composer-preview { display: none; }
    Composer.-previewing #composer-preview { display: block; border-left: none; padding: 0; }
    Composer.-previewing #composer-text { display: none; }
    /* A write failed: the composer says so in red, where the user is typing. */
    Composer.-unsaved {
        border: round $error;
        border-subtitle-color: $error;
    }
    """

    BINDINGS = [*keys.bindings("composer"), keys.TYPED]
    HELP = ("Composer: ctrl+s sends, escape closes and keeps the draft; ctrl+r and ctrl+n quote, "
            "ctrl+g previews; q is just a letter here.")

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

    @dataclass
    class SpellerLoaded(Message):
        """The spelling dictionaries are loaded (in a worker: it takes half a second)."""

        speller: spelling.Speller

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
        answered: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.at_start = at_start  # the text is a signature: the cursor goes above it
        self.target = target
        # The comment answered, whole (imported text: cleaned when quoted), for ctrl+r/ctrl+n.
        self.answered = answered or ""
        self._sentences: list[str] | None = None
        self._next_sentence = 0
        # The sentence ctrl+n put in last: where it starts and ends, and the text then. Pressed
        # again before anything else changed, ctrl+n puts the next sentence in its place.
        self._cycling: tuple[Location, Location, str] | None = None
        self._cycling_note = ""  # "quoted sentence 2 of 4", in the border while it holds
        self._spell_timer: Timer | None = None
        self._spell_due = 0.0  # when the last key is SPELL_IDLE old (time.monotonic)
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
        with Horizontal(id="composer-body"):
            yield SafeTextArea(
                self.initial, id="composer-text", soft_wrap=True, show_line_numbers=False
            )
            preview = ReplyPreview(id="composer-preview")
            preview.can_focus = False  # see _preview_in_place
            yield preview

    def on_mount(self) -> None:
        self._show_state()
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.start if self.at_start else area.document.end)
        tried, speller = spelling.loaded_speller()
        if speller is not None:
            self.query_one(SafeTextArea).spell_with(speller)
        elif not tried:
            self._spell_due = monotonic() + SPELL_IDLE
            self._spell_timer = self.set_timer(SPELL_IDLE, self._spell_when_idle)

    def _spell_when_idle(self) -> None:
        self._spell_timer = None
        left = self._spell_due - monotonic()
        if left > 0.005:  # keys came meanwhile: wait for a pause again
            self._spell_timer = self.set_timer(left, self._spell_when_idle)
        else:
            self._load_speller()

    @app_work(group="speller")
    def _load_speller(self) -> None:
        speller = spelling.load_speller()
        if speller is not None:  # the library is not installed: nothing is underlined
            self.post_message(self.SpellerLoaded(speller))

    def on_composer_speller_loaded(self, message: Composer.SpellerLoaded) -> None:
        message.stop()
        self.query_one(SafeTextArea).spell_with(message.speller)

    # -- the preview -----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        side = self.size.width >= SIDE_BY_SIDE
        if side != self.has_class("-side"):
            self.set_class(side, "-side")
            if side:
                self._preview_in_place(False)
            self._update_preview(at_once=True)

    def _preview_in_place(self, on: bool) -> None:
        """Narrow: the preview in the text's place (it takes the focus, to scroll), or back."""
        if on == self.has_class("-previewing"):
            return
        self.set_class(on, "-previewing")
        preview = self.query_one(ReplyPreview)
        # Focusable only in the text's place: beside it, a click must not take the keys away.
        preview.can_focus = on
        (preview if on else self.query_one(TextArea)).focus()
        self._show_state()

    def focus_text(self) -> None:
        """The text has the focus, shown (out of the preview when it stood in its place)."""
        self._preview_in_place(False)
        self.query_one(TextArea).focus()

    def on_key(self, event: events.Key) -> None:
        # A letter typed on the preview in the text's place goes into the text, not nowhere.
        if self.has_class("-previewing") and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.focus_text()
            self.insert_text(event.character)

    @property
    def preview_shown(self) -> bool:
        if self.has_class("-side"):
            return not self.has_class("-no-preview")
        return self.has_class("-previewing")

    def _update_preview(self, *, at_once: bool = False) -> None:
        """The preview follows the text, after a pause in typing (at once when it appears);
        hidden, it renders nothing."""
        if not self.preview_shown:
            return
        area = self.query_one(TextArea)
        follow = area.cursor_location[0] / max(1, area.document.line_count - 1)
        preview = self.query_one(ReplyPreview)
        if at_once:
            preview.show_now(self.text, follow)
        else:
            preview.show_text(self.text, follow)

    def action_toggle_preview(self) -> None:
        """ctrl+g: beside the text, hide or show the preview; narrower, show it in the text's
        place, then the text again."""
        if self.has_class("-side"):
            self.toggle_class("-no-preview")
        else:
            self._preview_in_place(not self.has_class("-previewing"))
        self._update_preview(at_once=True)

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
        if self._spell_timer is not None:
            self._spell_due = monotonic() + SPELL_IDLE
        if self._cycling is not None and self._cycling[2] != text:
            self._cycling = None  # written on: the border no longer names a sentence
            self._show_state()
        self._update_preview()

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
        elif self.has_class("-previewing"):
            self.remove_class("-unsaved")
            self.border_subtitle = safe_text.content(
                ("preview", "bold"), " · ctrl+g back to your text · ctrl+s sends"
            )
        elif self._cycling is not None and self._cycling[2] == self.text:
            # Which sentence ctrl+n put in, until the text changes.
            self.remove_class("-unsaved")
            self.border_subtitle = safe_text.content(
                self._cycling_note, " · ctrl+n: the next instead · ctrl+s sends"
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
        self.focus_text()

    # -- quoting: through insert_text's path, so the quote is journaled and saved as typed --

    def action_quote(self) -> None:
        """ctrl+r: the selection quoted in its place; without one, the comment answered,
        whole, at the cursor."""
        area = self.query_one(TextArea)
        start, end = area.selection
        if start != end:
            self._put_quote(as_quote(area.get_text_range(start, end)), start, end)
        elif self.answered.strip():
            self._put_quote(as_quote(self.answered), start, end)
        else:
            self._nothing_to_quote()

    def action_quote_sentence(self) -> None:
        """ctrl+n: the next sentence of the comment answered, quoted at the cursor; pressed
        again at once, the sentence after it takes its place (round to the first)."""
        if self._sentences is None:
            self._sentences = sentences(self.answered)
        if not self._sentences:
            self._nothing_to_quote()
            return
        area = self.query_one(TextArea)
        last = self._cycling
        if last is not None and last[2] == area.text and area.selection == Selection.cursor(
            last[1]
        ):
            start, end = last[0], last[1]  # the one just put in gives way to the next
        else:
            start, end = area.selection
        index = self._next_sentence % len(self._sentences)
        self._next_sentence = index + 1
        put_at = self._put_quote(as_quote(self._sentences[index]), start, end)
        self._cycling = (min(start, end), put_at, area.text)
        self._cycling_note = f"quoted sentence {index + 1} of {len(self._sentences)}"
        self._show_state()

    def _put_quote(self, quote: str, start: Location, end: Location) -> Location:
        """Replace start..end with the quote on lines of its own and a blank line after it
        (a line typed right under a quote would belong to it); the cursor goes below."""
        area = self.query_one(TextArea)
        top = min(start, end)
        before = area.document.get_line(top[0])[: top[1]]
        if before.strip():
            quote = "\n\n" + quote
        elif top[0] > 0 and area.document.get_line(top[0] - 1).strip():
            quote = "\n" + quote
        result = area.replace(quote + "\n\n", start, end, maintain_selection_offset=False)
        area.move_cursor(result.end_location)
        self.focus_text()
        return result.end_location

    def _nothing_to_quote(self) -> None:
        why = ("This comments on the episode: there is no comment to quote."
               if self.target.parent_id is None else "The comment answered has no text.")
        safe_text.notify(self, why, severity="warning")

    def replace_all(self, text: str) -> None:
        """The whole text, as the editor gave it back (the caller journaled and saved it)."""
        self.last_saved = text
        area = self.query_one(TextArea)
        area.replace(text, area.document.start, area.document.end)
        area.move_cursor(area.document.end)
        self.focus_text()

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
