"""What the sync tests share: a store connected to the test site, and reading both sides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cmreader.config import SyncSettings
from cmreader.store import Store
from cmreader.store.models import CommentRow
from cmreader.sync.connect import connect
from cmreader.sync.engine import SiteSynced, sync_all

# Short: the fault tests wait out timeouts on purpose.
SETTINGS = SyncSettings(timeout=3.0, full_every=12, recent=20)


def connected(tmp_path: Path, url: str, site: Any, *, settings: SyncSettings = SETTINGS,
              name: str = "store.db") -> Store:
    """A new store connected to the site at url (the site itself, or a proxy in front of it)."""
    store = Store.open(tmp_path / name)
    user, password = site.credentials()
    _, result = connect(store, url, user, password, settings)
    assert result.problem is None, result
    return store


def sync(store: Store, *, settings: SyncSettings = SETTINGS, force: bool = True) -> SiteSynced:
    results = sync_all(store, settings, force=force)
    assert len(results) == 1
    return results[0]


def all_rows(store: Store) -> list[CommentRow]:
    return [
        row
        for post in store.list_posts()
        for row in store.comment_rows(post.id, show_hidden=True)
    ]


def row_by_body(store: Store, text: str) -> CommentRow:
    found = [row for row in all_rows(store) if row.body == text]
    assert len(found) == 1, (text, [r.body for r in all_rows(store)])
    return found[0]


def on_site(site: Any, text: str) -> list[dict[str, Any]]:
    """The site's comments whose text holds `text`, whatever their status."""
    return [c for c in site.comments() if text in c["content"]]


def remote_id(row: CommentRow) -> int:
    return int(row.key.rpartition(":c")[2])
