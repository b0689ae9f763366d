"""What the reader's notices say of a moderation: the one wording for the thread and the lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmreader.sanitize import clean_line

if TYPE_CHECKING:
    from cmreader.store.models import Moderation
    from cmreader.tui.safe_text import Piece

STATUS_WORDS = {
    "approved": "approved",
    "pending": "pending",
    "spam": "marked as spam",
    "trash": "in the trash",
}

MODERATION_DONE = {
    "approved": "Approved",
    "pending": "Back to pending",
    "spam": "Marked as spam",
    "trash": "Trashed",
}


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def already(status: str) -> tuple[Piece, ...]:
    """The comment has that status already: nothing is written."""
    return ("Already ", status_word(status), ".")


def moderated(done: Moderation, author: str | None) -> tuple[Piece, ...]:
    return (MODERATION_DONE.get(done.after, done.after), ": the comment by ",
            clean_line(author or "") or "anonymous", ". u undoes it.")


def undone(done: Moderation) -> tuple[Piece, ...]:
    return ("Undone: the comment is ", status_word(done.after), " again.")
