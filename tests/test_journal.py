"""The typed-text journal: what a killed process had typed goes back into the store, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from stores import make_store, row_by_author

from cmreader.journal import TypedJournal, journal_folder, read_pending
from cmreader.recovery import recover
from cmreader.store import Store


def _killed_writer(folder: Path, lines: str) -> None:
    """Run `lines` against a journal in another process, then kill -9 it: nothing is closed."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from cmreader.journal import TypedJournal
        j = TypedJournal(Path({str(folder)!r}))
        {lines}
        sys.stdout.write("ready\\n"); sys.stdout.flush()
        signal.pause()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


class Setup(NamedTuple):
    """A real store, the ids and keys of Marie's question, and the store's journal folder."""

    store: Store
    post_id: int
    marie_id: int
    folder: Path
    args: str  # the target as journal.write's arguments, for the killed writer's code


@pytest.fixture
def marie(tmp_path: Path) -> Iterator[Setup]:
    store = make_store(tmp_path / "s.db")
    post = store.list_posts()[0]
    row = row_by_author(store, post.id, "Marie")
    key = store.get_post(post.id).key
    args = f"({post.id}, {row.id}, None, {key!r}, {row.key!r})"
    yield Setup(store, post.id, row.id, journal_folder(store.path), args)
    store.close()


def test_a_killed_process_draft_comes_back(marie: Setup) -> None:
    store, post_id, marie_id, folder, args = marie
    _killed_writer(folder, f"j.write('draft', {args}, 'Bonjour Marie, voici')")
    done = recover(store, folder)
    assert (done.drafts, done.sent, done.kept) == (1, 0, [])
    draft = store.get_draft(post_id, marie_id)
    assert draft is not None and draft.body == "Bonjour Marie, voici"
    assert list(folder.glob("*.jsonl")) == []  # replayed whole: removed
    assert recover(store, folder).count == 0


def test_a_send_whose_store_write_was_lost_is_sent_once(marie: Setup) -> None:
    store, post_id, marie_id, folder, args = marie
    _killed_writer(folder, f"j.write('draft', {args}, 'Merci'); "
                           f"j.write('send', {args}, 'Merci Marie')")
    assert recover(store, folder).sent == 1
    replies = [r for r in store.comment_rows(post_id) if r.parent_id == marie_id]
    assert [(r.body, r.status) for r in replies] == [("Merci Marie", "approved")]
    assert store.get_draft(post_id, marie_id) is None


def test_a_send_that_landed_before_the_kill_is_not_sent_again(marie: Setup) -> None:
    store, post_id, marie_id, folder, args = marie
    store.send_reply(post_id, marie_id, "Merci Marie")  # landed; its "landed" line did not
    _killed_writer(folder, f"j.write('send', {args}, 'Merci Marie')")
    assert recover(store, folder).count == 0
    replies = [r for r in store.comment_rows(post_id) if r.parent_id == marie_id]
    assert len(replies) == 1


def test_confirmed_writes_are_not_replayed_and_discards_win(marie: Setup) -> None:
    store, post_id, marie_id, folder, args = marie
    # A confirmed draft, then one discarded: replay must not bring the draft back.
    _killed_writer(folder, f"s = j.write('draft', {args}, 'oups'); j.landed(s); "
                           f"j.write('discard', {args}, None)")
    store.save_draft(post_id, marie_id, "oups")
    recover(store, folder)
    assert store.get_draft(post_id, marie_id) is None


def test_journal_of_another_store_at_this_path_is_kept_not_applied(marie: Setup) -> None:
    store, post_id, marie_id, folder, _args = marie
    marie_key = store.get_comment(marie_id).key  # type: ignore[union-attr]
    _killed_writer(folder, f"j.write('draft', ({post_id}, {marie_id}, None, 'other-post', "
                           f"{marie_key!r}), 'texte')")
    done = recover(store, folder)
    assert done.count == 0 and len(done.kept) == 1 and done.kept[0].exists()
    assert store.get_draft(post_id, marie_id) is None


def test_a_running_process_journal_is_left_alone(marie: Setup) -> None:
    store, post_id, marie_id, folder, _args = marie
    live = TypedJournal(folder)
    where = (post_id, marie_id, None, store.get_post(post_id).key,
             store.get_comment(marie_id).key)  # type: ignore[union-attr]
    live.write("draft", where, "en cours")
    assert recover(store, folder).count == 0  # its process (this one) still runs
    assert store.get_draft(post_id, marie_id) is None
    assert [t.text for t in read_pending(live.path)] == ["en cours"]
    live.close()
    assert live.path.exists()  # closed with a request unconfirmed: kept for the next start


def test_a_line_cut_short_by_the_kill_is_skipped(marie: Setup) -> None:
    store, post_id, marie_id, folder, args = marie
    _killed_writer(folder, f"j.write('draft', {args}, 'complet')")
    path = next(folder.glob("*.jsonl"))
    with path.open("ab") as fh:
        fh.write(b'{"seq": 2, "intent": "draft", "post_id": ')
    assert recover(store, folder).drafts == 1
    draft = store.get_draft(post_id, marie_id)
    assert draft is not None and draft.body == "complet"


def test_the_journal_is_emptied_once_the_store_holds_everything(tmp_path: Path) -> None:
    from cmreader.journal import COMPACT_BYTES

    journal = TypedJournal(tmp_path / "j")
    where = (1, 2, None, "post", "parent")
    text = "x" * 4_000
    seq = 0
    while not journal.path.exists() or journal.path.stat().st_size <= COMPACT_BYTES:
        seq = journal.write("draft", where, text)  # a long burst of keys, none confirmed
    assert journal.pending == 1
    journal.landed(seq - 1)  # an older save landed: the newest line is still needed
    assert journal.path.stat().st_size > COMPACT_BYTES
    journal.landed(seq)
    assert journal.pending == 0 and journal.path.stat().st_size == 0
    journal.close()
    assert not journal.path.exists()
