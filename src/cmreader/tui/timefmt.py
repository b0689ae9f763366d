"""Dates as people say them ("3 d ago"), measured from a `now` that the app is given."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_iso(value: str | None) -> datetime | None:
    """"2014-03-10T08:30:00Z" (or with fractions) -> aware datetime; None when unknown or bad."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def clock_of(app: object) -> datetime:
    """The app's clock (make_app's `now`, pinned in tests and snapshots), else the real time."""
    now = getattr(app, "now", None)
    return now if isinstance(now, datetime) else datetime.now(UTC)


def relative(value: str | None, now: datetime) -> str:
    """How long ago value was: "now", "5 min ago", "3 h ago", "3 d ago", "4 mo ago", "2 y ago"."""
    when = parse_iso(value)
    if when is None:
        return "date unknown"
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return "in the future"
    if seconds < 60:
        return "now"
    minutes = seconds / 60
    if minutes < 60:
        return f"{int(minutes)} min ago"
    hours = minutes / 60
    if hours < 24:
        return f"{int(hours)} h ago"
    days = hours / 24
    if days < 31:
        return f"{int(days)} d ago"
    if days < 365:
        return f"{int(days // 30.44)} mo ago"
    return f"{int(days // 365.25)} y ago"


def short_date(value: str | None) -> str:
    """The calendar day of value ("2014-03-10"), or "" when unknown."""
    when = parse_iso(value)
    return "" if when is None else when.strftime("%Y-%m-%d")
