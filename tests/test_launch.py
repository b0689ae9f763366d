"""The entry point: the reader alone starts without click; every other command line is click's."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cmreader.launch import _reader_only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (True, None)),
        (["--db", "s.db"], (True, "s.db")),
        (["--db=s.db"], (True, "s.db")),
        (["--db"], (False, None)),
        (["--db", "--debug"], (False, None)),
        (["--db="], (False, None)),
        (["--debug"], (False, None)),
        (["--db", "s.db", "list"], (False, None)),
        (["list"], (False, None)),
        (["--help"], (False, None)),
    ],
)
def test_only_the_reader_alone_skips_click(args: list[str], expected: tuple[bool, str | None]):
    assert _reader_only(args) == expected


def test_the_readers_start_imports_no_click():
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, cmreader.launch, cmreader.reader_command, cmreader.tui.app; "
         "print('click' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert done.stdout.strip() == "False"


def test_a_folder_given_as_the_store_gets_clicks_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "cmreader", "--db", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "is a directory" in done.stderr and "Traceback" not in done.stderr
