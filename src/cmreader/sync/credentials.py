"""Application Passwords, kept in one file of the user's config folder that only they can read."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import platformdirs

from cmreader.config import APP_NAME
from cmreader.errors import CmreaderError


def credentials_path() -> Path:
    """CMREADER_CREDENTIALS if set, else credentials.json beside config.toml. Never the store:
    a store is copied, exported and shared; a password must not travel with it."""
    env = os.environ.get("CMREADER_CREDENTIALS")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "credentials.json"


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CmreaderError(
            f"{path}: others can read this file of passwords; run chmod 600 on it"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CmreaderError(f"{path}: cannot read the saved passwords ({exc})") from None
    if not isinstance(data, dict):
        raise CmreaderError(f"{path}: not a cmreader credentials file")
    return {
        k: v for k, v in data.items()
        if isinstance(v, dict) and isinstance(v.get("user"), str)
        and isinstance(v.get("password"), str)
    }


def _write(path: Path, data: dict[str, dict[str, str]]) -> None:
    """Replace the file at once, created 0600 from its first byte (never readable by others,
    not even for a moment), in a 0700 folder."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def save(site: str, user: str, password: str) -> None:
    path = credentials_path()
    data = _read(path)
    data[site] = {"user": user, "password": password}
    _write(path, data)


def load(site: str) -> tuple[str, str] | None:
    """(user, password) saved for the site's API address, or None."""
    entry = _read(credentials_path()).get(site)
    return None if entry is None else (entry["user"], entry["password"])


def forget(site: str) -> bool:
    path = credentials_path()
    data = _read(path)
    if data.pop(site, None) is None:
        return False
    _write(path, data)
    return True
