"""Where cmreader keeps its files, and the user's config file (owner names, key bindings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from cmreader.errors import CmreaderError
from cmreader.sanitize import visible

APP_NAME = "cmreader"


@dataclass(frozen=True)
class SyncSettings:
    """The [sync] table: how often the reader syncs connected sites, and how much it reads."""

    every_minutes: float = 5.0  # the reader syncs this often (0: only at start and on S)
    full_every: int = 12  # every N-th sync re-reads every comment's status, not just recent
    recent: int = 20  # the newest episodes whose comments' statuses every sync re-reads
    timeout: float = 20.0  # seconds to wait for the site's answer


@dataclass(frozen=True)
class Config:
    """Settings read from config.toml; everything optional."""

    owner: str | None = None  # your name as it appears on your comments
    keys: dict[str, str] = field(default_factory=dict)  # action name -> key(s), "j,down"
    path: Path | None = None
    # A blog's key or address -> your name on that blog ([blogs."https://example.org/"]
    # owner = "Becky"); `owner` stands for every blog that names no owner of its own.
    blog_owners: dict[str, str] = field(default_factory=dict)
    sync: SyncSettings = field(default_factory=SyncSettings)


def default_db_path() -> Path:
    """CMREADER_DB if set, else cmreader.db in the user's data folder."""
    env = os.environ.get("CMREADER_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "cmreader.db"


def config_path() -> Path:
    """CMREADER_CONFIG if set, else config.toml in the user's config folder."""
    env = os.environ.get("CMREADER_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file is an empty config, a broken one a clear error."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise CmreaderError(f"{path}: cannot read the config file ({exc.strerror})") from None
    import tomllib  # only when there is a file to read: the reader's start does not wait for it

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CmreaderError(f"{path}: not a valid TOML config file ({exc})") from None
    owner = data.get("owner")
    keys = data.get("keys", {})
    if owner is not None and not isinstance(owner, str):
        raise CmreaderError(f"{path}: 'owner' must be a string")
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        raise CmreaderError(f'{path}: [keys] must map action names to keys, like reply = "r"')
    return Config(
        owner=owner,
        keys=dict(keys),
        path=path,
        blog_owners=_blog_owners(path, data),
        sync=_sync_settings(path, data),
    )


def _sync_settings(path: Path, data: dict[str, object]) -> SyncSettings:
    """The [sync] table: numbers only, each within what makes sense."""
    table = data.get("sync", {})
    if not isinstance(table, dict):
        raise CmreaderError(f"{path}: [sync] must be a table, like every_minutes = 5")
    limits = {"every_minutes": (0, 1440), "full_every": (1, 10000), "recent": (0, 1000),
              "timeout": (1, 600)}
    values: dict[str, float | int] = {}
    for name, value in table.items():
        if name not in limits:
            known = ", ".join(limits)
            raise CmreaderError(f"{path}: [sync] sets {visible(name)}; known: {known}")
        low, high = limits[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
            low <= value <= high
        ):
            raise CmreaderError(f"{path}: [sync] {name} must be a number from {low} to {high}")
        values[name] = int(value) if name in ("full_every", "recent") else float(value)
    return SyncSettings(**values)  # type: ignore[arg-type]


def _blog_owners(path: Path, data: dict[str, object]) -> dict[str, str]:
    """The [blogs] table: each blog's key or address with the owner's name on it."""
    blogs = data.get("blogs", {})
    example = '[blogs."https://example.org/"] with owner = "Your name"'
    if not isinstance(blogs, dict):
        raise CmreaderError(f"{path}: [blogs] must hold one table per blog, like {example}")
    owners: dict[str, str] = {}
    for ref, entry in blogs.items():
        table = f'[blogs."{visible(ref)}"]'
        if not isinstance(entry, dict):
            raise CmreaderError(f"{path}: {table} must be a table, like {example}")
        unknown = sorted(set(entry) - {"owner"})
        if unknown:
            raise CmreaderError(f"{path}: {table} sets {visible(unknown[0])}; only owner is known")
        name = entry.get("owner")
        if not isinstance(name, str) or not name.strip():
            raise CmreaderError(f'{path}: {table} needs owner = "Your name"')
        owners[ref] = name
    return owners
