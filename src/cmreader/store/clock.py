"""The store's notion of now, as sortable UTC text."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """Current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (sorts as text, finer than a second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
