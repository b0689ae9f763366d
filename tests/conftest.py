"""Shared test setup: every test gets its own store path and XDG folders, never the user's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import terminal
from terminal import Tmux

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
    for name, value in terminal.hermetic_vars(tmp_path / "home", tmp_path / "store.db").items():
        monkeypatch.setenv(name, value)
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


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server of 80x24 whose programs run in this test's home, on the store
    tmp_path/default.db by default; killed at the end."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (apt-get install tmux); .ci/run installs it")
    term = Tmux(terminal.hermetic_env(tmp_path / "home", tmp_path / "default.db"), 80, 24)
    yield term
    term.close()
