"""The composer's text area: no raw control character in, and unknown words underlined."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from cmreader import spelling
from cmreader.sanitize import show_controls


class SafeTextArea(TextArea):
    """A TextArea whose every edit (typing, paste, undo) holds no raw control character, and
    whose unknown words are underlined once a speller is given."""

    COMPONENT_CLASSES = {"safe-text-area--misspelled"}
    DEFAULT_CSS = """
    SafeTextArea > .safe-text-area--misspelled {
        text-style: underline;
        color: $text-error;
    }
    """

    speller: spelling.Speller | None = None
    # A long line wrapped on many rows is asked for once per row: its words are found once.
    _unknown: dict[tuple[str, int | None], list[tuple[int, int]]]

    def get_line(self, line_index: int) -> Text:
        # TextArea's hook for styling its lines: it is called for the lines drawn only, and
        # the speller looks each word up once, so a long draft costs what is in view.
        line = super().get_line(line_index)
        if self.speller is None or not line.plain:
            return line
        row, column = self.cursor_location
        asked = (line.plain, column if row == line_index else None)
        spans = self._unknown.get(asked)
        if spans is None:
            if len(self._unknown) > 256:
                self._unknown.clear()
            spans = self._unknown[asked] = self.speller.unknown(asked[0], typing_at=asked[1])
        style = self.get_component_rich_style("safe-text-area--misspelled", partial=True)
        for start, end in spans:
            line.stylize(style, start, end)
        return line

    def spell_with(self, speller: spelling.Speller) -> None:
        self.speller = speller
        self._unknown = {}
        self.notify_style_update()  # drops the lines drawn without it
        self.refresh()

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
