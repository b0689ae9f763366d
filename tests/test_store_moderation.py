"""Moderation on real stores: statuses, the counts that follow them, the log, undo, refusals."""

from __future__ import annotations

import pytest

from cmreader.errors import CmreaderError, StoreError
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Moderation, ModerationRefused, Store


def _c(key: str, status: str = "approved", parent: str | None = None, author: str = "Zoé",
       by_owner: bool = False, day: int = 1) -> CommentRecord:
    return CommentRecord(key, parent, author, f"2014-03-{day:02d}T10:00:00Z", f"texte {key}",
                         status=status, by_owner=by_owner)


def _store(store: Store, *comments: CommentRecord) -> dict[str, int]:
    post = PostRecord("p1", "Épisode", "Becky", "2014-03-01T08:00:00Z", "Texte",
                      comments=comments)
    store.import_batch(ImportBatch(source="t", format="test", posts=(post,), owner="Becky"))
    return {r.key: r.id for r in store.comment_rows(1, show_hidden=True)}


def _counts(store: Store) -> tuple[int, int, int]:
    """(comment_count, waiting_count, pending_count) of the one episode."""
    post = store.list_posts()[0]
    return post.comment_count, post.waiting_count, post.pending_count


def _log(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT id, comment_id, post_id, before, after, at FROM moderations ORDER BY id"
    ).fetchall()


def _status(store: Store, comment_id: int) -> str:
    return store.db.execute("SELECT status FROM comments WHERE id = ?", [comment_id]).fetchone()[0]


def test_each_status_moves_the_comment_between_the_lists_and_the_counts_follow(
    store: Store,
) -> None:
    ids = _store(store, _c("q"), _c("held", status="pending", day=2))
    assert _counts(store) == (2, 1, 1)
    assert [e.comment_id for e in store.queue_page()] == [ids["held"]]

    approved = store.moderate(ids["held"], "approved")
    assert approved == Moderation(approved.id, ids["held"], 1, "pending", "approved")
    assert approved.id > 0
    assert _counts(store) == (2, 2, 0)
    assert [e.comment_id for e in store.inbox_page()] == [ids["q"], ids["held"]]
    assert store.queue_page() == [] and store.queue_count() == 0

    store.moderate(ids["q"], "spam")
    assert _counts(store) == (1, 1, 0)  # spam is out of the thread and never waits
    store.moderate(ids["q"], "trash")
    assert _counts(store) == (1, 1, 0)
    store.moderate(ids["q"], "pending")
    assert _counts(store) == (2, 1, 1)  # held: in the thread, in the queue, not waiting
    assert [e.comment_id for e in store.inbox_page()] == [ids["held"]]
    assert [(e.comment_id, e.status) for e in store.queue_page()] == [(ids["q"], "pending")]
    assert (store.inbox_count(), store.queue_count()) == (1, 1)

    log = _log(store)
    assert [(cid, before, after) for _, cid, _, before, after, _ in log] == [
        (ids["held"], "pending", "approved"),
        (ids["q"], "approved", "spam"),
        (ids["q"], "spam", "trash"),
        (ids["q"], "trash", "pending"),
    ]
    assert all(post_id == 1 and at.endswith("Z") for _, _, post_id, _, _, at in log)


def test_the_status_it_already_has_changes_and_logs_nothing(store: Store) -> None:
    ids = _store(store, _c("q"))
    same = store.moderate(ids["q"], "approved")
    assert same == Moderation(0, ids["q"], 1, "approved", "approved")
    assert _log(store) == []
    assert _counts(store) == (1, 1, 0)


def test_spamming_the_owners_answer_makes_the_question_wait_again(store: Store) -> None:
    ids = _store(store, _c("q"), _c("a", parent="q", author="Becky", by_owner=True, day=2))
    assert store.needs_answer() == []
    store.moderate(ids["a"], "spam")
    assert [e.comment_id for e in store.needs_answer()] == [ids["q"]]
    assert _counts(store)[1] == 1


@pytest.mark.parametrize("target", ["reply", "draft", "deleted reply", "deleted comment"])
def test_what_is_not_the_blogs_to_moderate_is_refused_and_nothing_is_written(
    store: Store, target: str
) -> None:
    ids = _store(store, _c("q"), _c("r", day=2))
    if target == "reply":
        comment_id = store.send_reply(1, ids["q"], "Merci !").id
    elif target == "draft":
        comment_id = store.save_draft(1, ids["q"], "à finir")
    elif target == "deleted reply":
        comment_id = store.send_reply(1, ids["q"], "Merci !").id
        store.delete_reply(comment_id)
    else:
        comment_id = ids["r"]
        store.db.execute("UPDATE comments SET deleted_at = '2024-01-01T00:00:00Z' WHERE id = ?",
                         [comment_id])
    before = (_status(store, comment_id), _counts(store))
    with pytest.raises(ModerationRefused) as info:
        store.moderate(comment_id, "spam")
    message = str(info.value)
    assert isinstance(info.value, StoreError) and isinstance(info.value, CmreaderError)
    assert "\n" not in message
    assert f"comment {comment_id}" in message
    if target == "deleted comment":
        assert "was deleted" in message
    else:
        assert "your own replies" in message and "edit or delete it instead" in message
    assert (_status(store, comment_id), _counts(store)) == before
    assert _log(store) == []


def test_an_unknown_status_or_comment_is_refused(store: Store) -> None:
    ids = _store(store, _c("q"))
    for status in ("draft", "Approved", "deleted", ""):
        with pytest.raises(ModerationRefused, match="approved, pending, spam or trash"):
            store.moderate(ids["q"], status)
    with pytest.raises(ModerationRefused, match="no comment 999"):
        store.moderate(999, "spam")
    assert _status(store, ids["q"]) == "approved" and _log(store) == []


def test_undo_puts_the_status_back_and_is_logged_too(store: Store) -> None:
    ids = _store(store, _c("q"))
    spam = store.moderate(ids["q"], "spam")
    assert spam.id > 0
    undone = store.undo_moderation(spam.id)
    assert (undone.comment_id, undone.before, undone.after) == (ids["q"], "spam", "approved")
    assert undone.id > spam.id
    assert _status(store, ids["q"]) == "approved" and _counts(store) == (1, 1, 0)
    # Undoing the undo is a moderation like any other.
    again = store.undo_moderation(undone.id)
    assert (again.before, again.after) == ("approved", "spam")
    assert [(b, a) for _, _, _, b, a, _ in _log(store)] == [
        ("approved", "spam"), ("spam", "approved"), ("approved", "spam")
    ]


def test_undo_is_refused_once_the_comment_changed_since(store: Store) -> None:
    ids = _store(store, _c("q"))
    spam = store.moderate(ids["q"], "spam")
    trash = store.moderate(ids["q"], "trash")
    with pytest.raises(ModerationRefused) as info:
        store.undo_moderation(spam.id)
    assert "changed since" in str(info.value) and "trash" in str(info.value)
    assert _status(store, ids["q"]) == "trash" and len(_log(store)) == 2
    store.undo_moderation(trash.id)
    assert _status(store, ids["q"]) == "spam"
    with pytest.raises(ModerationRefused, match="changed since"):
        store.undo_moderation(trash.id)  # done already: the comment is no longer trash
    with pytest.raises(ModerationRefused, match="no moderation 99"):
        store.undo_moderation(99)
