"""One date parser for every importer: whatever the source wrote, ISO 8601 UTC or None."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# "2008-04-15 09:28:00" (WordPress) and "2008-04-15T09:28" style: naive times are taken as UTC.
_SPACED = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
# An RFC 822 date with a real four-digit year: WordPress dates never-published drafts
# "Mon, 30 Nov -0001", which the email parser would read as the year 2000.
_RFC822_YEAR = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s")
# fromisoformat wants at most 6 fraction digits; some exporters write 7 or 9.
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def _format(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    # f-string rather than strftime: %Y does not zero-pad years before 1000 on every platform.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _parse(text: str) -> datetime | None:
    spaced = _SPACED.match(text)
    if spaced:
        text = f"{spaced.group(1)}T{spaced.group(2)}"
    iso = _LONG_FRACTION.sub(r"\1", text)
    if iso.endswith(("z", "Z")):
        iso = iso[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    # RFC 822 as in RSS pubDate: "Tue, 15 Apr 2008 09:45:00 +0000".
    if not _RFC822_YEAR.match(text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


# WordPress's own spelling, 24,000 times in a 12,000-comment export: read without datetime.
_PLAIN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})")


def _plain(text: str) -> str | None:
    """A naive "YYYY-MM-DD HH:MM:SS" as _format(_parse(text)) gives it, or None for the rest."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = map(int, match.groups())
    try:
        datetime(year, month, day, hour, minute, second)  # a real moment, or ValueError
    except ValueError:
        return None  # the full parser decides what such text is
    return f"{text[:10]}T{text[11:19]}Z"


def to_utc_iso(text: str | None) -> str | None:
    """Return `text` as "YYYY-MM-DDTHH:MM:SSZ", or None when missing or not a real date."""
    if not text or not text.strip():
        return None
    plain = _plain(text.strip())
    if plain is not None:
        return plain
    try:
        moment = _parse(text.strip())
        return _format(moment) if moment is not None else None
    except (ValueError, OverflowError, TypeError):
        # Out-of-range years after the UTC shift, and any other oddity: unknown, not an error.
        return None
