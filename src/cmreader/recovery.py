"""Replaying into the store what a cmreader that died had typed but the store never confirmed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cmreader.errors import CmreaderError
from cmreader.journal import Typed, orphaned_journals, read_pending

if TYPE_CHECKING:
    from cmreader.store import Store


@dataclass
class Recovered:
    """What a replay did: drafts kept, replies sent, and journals it had to leave in place."""

    drafts: int = 0
    sent: int = 0
    kept: list[Path] = field(default_factory=list)
    problem: str | None = None

    @property
    def count(self) -> int:
        return self.drafts + self.sent


def recover(store: Store, folder: Path) -> Recovered:
    """Apply every orphaned journal of this store; a journal is removed once all of it landed."""
    result = Recovered()
    for path, fd in orphaned_journals(folder):
        try:
            complete = True
            for typed in read_pending(path):
                if not _same_store(store, typed):
                    complete = False  # written against another file at this path: keep it
                    continue
                try:
                    _apply(store, typed, result)
                except CmreaderError as exc:
                    complete = False
                    result.problem = str(exc)
            if complete:
                path.unlink(missing_ok=True)
            else:
                result.kept.append(path)
        finally:
            os.close(fd)
    return result


def _same_store(store: Store, typed: Typed) -> bool:
    post = store.find_post(str(typed.post_id))
    if post is None or post.id != typed.post_id or post.key != typed.post_key:
        return False
    if typed.parent_id is not None and typed.parent_key is not None:
        parent = store.get_comment(typed.parent_id)
        if parent is None or parent.key != typed.parent_key:
            return False
    return True


def _apply(store: Store, typed: Typed, result: Recovered) -> None:
    if typed.edit_id is not None:
        if typed.intent == "send":
            row = store.get_comment(typed.edit_id)
            if row is not None and row.body != typed.text:
                store.edit_reply(typed.edit_id, typed.text)
                result.sent += 1
        else:
            store.save_edit_draft(typed.edit_id, typed.text if typed.intent == "draft" else None)
            result.drafts += typed.intent == "draft"
        return
    if typed.intent == "discard":
        store.discard_draft(typed.post_id, typed.parent_id)
        return
    if _already_sent(store, typed):
        return  # it landed; only the journal's "landed" line was lost with the process
    if typed.intent == "send":
        store.send_reply(typed.post_id, typed.parent_id, typed.text)
        result.sent += 1
        return
    draft = store.get_draft(typed.post_id, typed.parent_id)
    if draft is None or draft.body != typed.text:
        store.save_draft(typed.post_id, typed.parent_id, typed.text)
        result.drafts += 1


def _already_sent(store: Store, typed: Typed) -> bool:
    return any(
        row.origin == "local" and row.status == "approved" and row.parent_id == typed.parent_id
        and row.body == typed.text
        for row in store.comment_rows(typed.post_id)
    )
