"""The typed-text journal: every draft and reply is appended to a plain file before the store
is asked to keep it, so a kill, a lock, a full disk or a vanished store loses no typed word."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from cmreader.config import APP_NAME

# Past this size the file is emptied as soon as everything in it has reached the store.
COMPACT_BYTES = 1 << 20

INTENTS = ("draft", "discard", "send")

# Who a text is for: the episode, the comment answered, the reply edited, and the stable keys
# of the first two (checked before replaying, so ids of another store never match).
Where = tuple[int, int | None, int | None, str, str | None]


@dataclass(frozen=True)
class Typed:
    """One thing the user asked to keep: a draft, a discard or a send, with its text."""

    seq: int
    intent: str  # "draft", "discard" or "send"
    post_id: int
    parent_id: int | None  # the comment answered (None: the episode itself)
    edit_id: int | None  # the reply being edited, for an edit
    post_key: str  # checked before replaying: ids of another store mean other comments
    parent_key: str | None
    text: str
    at: str

    @property
    def target(self) -> tuple[int, int | None, int | None]:
        return (self.post_id, self.parent_id, self.edit_id)


def journal_folder(store_path: Path) -> Path:
    """Where the journals of one store live: the user's state folder, one name per store."""
    digest = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_state_dir(APP_NAME)) / "journal" / digest


class TypedJournal:
    """This process's journal file for one store, locked while it runs (others recover it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f"{os.getpid()}-{os.urandom(4).hex()}.jsonl"
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._seq = 0
        self._open: dict[tuple[int, int | None, int | None], int] = {}  # target -> newest seq

    def _file(self) -> int:
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            # Held until this process ends: a journal that can be locked belongs to no one.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._fd = fd
        return self._fd

    def _append(self, record: dict[str, object]) -> None:
        line = (json.dumps(record, ensure_ascii=True) + "\n").encode()
        fd = self._file()
        # One write per record: the kernel has it as soon as this returns, which is what
        # survives a kill -9 (the store's WAL is no more synced than this).
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(28, "short write to the journal (disk full?)")

    def write(self, intent: str, where: Where, text: str | None) -> int:
        """Append one request; returns its number. Raises OSError when it cannot be written."""
        assert intent in INTENTS
        post_id, parent_id, edit_id, post_key, parent_key = where
        with self._lock:
            self._seq += 1
            seq = self._seq
            self._append({
                "seq": seq, "intent": intent, "post_id": post_id, "parent_id": parent_id,
                "edit_id": edit_id, "post_key": post_key, "parent_key": parent_key,
                "text": text or "", "at": datetime.now(UTC).isoformat(),
            })
            self._open[(post_id, parent_id, edit_id)] = seq
            return seq

    def landed(self, seq: int) -> None:
        """The store holds request seq (and so everything before it for that target)."""
        with self._lock:
            done = [t for t, s in self._open.items() if s == seq]
            for target in done:
                del self._open[target]
            try:
                self._append({"landed": seq})
                if not self._open and os.fstat(self._file()).st_size > COMPACT_BYTES:
                    os.ftruncate(self._file(), 0)
            except OSError:
                pass  # replaying a request the store already holds changes nothing

    @property
    def pending(self) -> int:
        """How many targets have a request the store has not confirmed."""
        with self._lock:
            return len(self._open)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                clean = not self._open
                os.close(self._fd)
                self._fd = None
                if clean:
                    self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Journaled:
    """What became of one request: its number in the journal, or why it could not be written."""

    seq: int | None
    problem: str | None = None


def journal_request(
    journal: TypedJournal, intent: str, where: Where, text: str | None
) -> Journaled:
    """Write one request, never raising: a failure is said, and the store is asked anyway."""
    try:
        return Journaled(journal.write(intent, where, text))
    except OSError as exc:
        return Journaled(None, f"{journal.path}: {exc.strerror or exc}")


def read_pending(path: Path) -> list[Typed]:
    """The newest request per target that the store never confirmed, oldest first."""
    newest: dict[tuple[int, int | None, int | None], Typed] = {}
    landed: set[int] = set()
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    for line in raw.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the last line of a killed process may be cut short
        if not isinstance(record, dict):
            continue
        if "landed" in record:
            landed.add(int(record["landed"]))
            continue
        try:
            typed = Typed(
                int(record["seq"]), str(record["intent"]), int(record["post_id"]),
                _opt_int(record.get("parent_id")), _opt_int(record.get("edit_id")),
                str(record["post_key"]), _opt_str(record.get("parent_key")),
                str(record.get("text", "")), str(record.get("at", "")),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if typed.intent in INTENTS:
            newest[typed.target] = typed
    return sorted((t for t in newest.values() if t.seq not in landed), key=lambda t: t.seq)


def orphaned_journals(folder: Path) -> Iterator[tuple[Path, int]]:
    """Journals of processes that are gone, each with its lock held by the caller: (path, fd)."""
    try:
        names = sorted(folder.glob("*.jsonl"))
    except OSError:
        return
    for path in names:
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # its process still runs
            continue
        yield path, fd


def _opt_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)
