"""Shared test setup: every test gets its own store path and XDG folders, never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _fixtures_dir() -> Path:
    env = os.environ.get("CMREADER_FIXTURES")
    if env:
        return Path(env)
    # The public exports the tests read are kept in the repository (origins and licences in
    # tests/fixtures/README.md); CMREADER_FIXTURES points at another copy.
    return REPO / "tests" / "fixtures"


FIXTURES = _fixtures_dir()
# The sample is the one the package ships, so the tests read what users get.
SAMPLE = REPO / "src" / "cmreader" / "data" / "vie-ma-vie-de-cm-episode-3.txt"


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the store, the config and every XDG folder at this test's temporary directory."""
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = home / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CMREADER_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("CMREADER_CONFIG", str(home / "config.toml"))
    return tmp_path


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"the public fixtures are missing: {FIXTURES} (set CMREADER_FIXTURES)")
    return FIXTURES


@pytest.fixture
def sample_path() -> Path:
    if not SAMPLE.is_file():
        pytest.fail(f"the sample is missing: {SAMPLE}")
    return SAMPLE


@pytest.fixture
def store(tmp_path: Path):
    """A real, empty store on disk."""
    from cmreader.store import Store

    s = Store.open(tmp_path / "store.db")
    yield s
    s.close()
