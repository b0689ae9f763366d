"""A comment's statuses, named once: which are shown, which hidden, and the local draft."""

from __future__ import annotations

SHOWN = ("approved", "pending")  # in the thread by default
HIDDEN = ("spam", "trash")  # in the thread only when asked (H)
MODERATED = SHOWN + HIDDEN  # every status a comment from a blog can have
DRAFT = "draft"  # a reply being written here, not sent yet


def sql_in(statuses: tuple[str, ...]) -> str:
    """The statuses as an SQL list, "('approved', 'pending')": constants, never user input."""
    return "(" + ", ".join(f"'{s}'" for s in statuses) + ")"
