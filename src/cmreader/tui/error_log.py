"""Where the reader writes down what went wrong: a file in the state folder, never the screen."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from cmreader.config import APP_NAME

# Past this size the log starts again (the previous one kept as .1): a loop of failures must
# not fill the disk.
MAX_BYTES = 1 << 20


def log_path() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME)) / "cmreader.log"


def record(what: str, error: BaseException) -> Path | None:
    """Append what failed and its traceback; the path written, or None when it could not be."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            path.replace(path.with_suffix(".log.1"))
        with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"{datetime.now(UTC).isoformat()} {what}\n")
            fh.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path
