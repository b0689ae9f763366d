"""The `cmreader` command's entry point: no garbage collection until the first frame is up.

Starting the reader allocates some hundreds of thousands of objects (modules, classes, styles)
that all live on: the collector's passes over them while they are made are wasted work, about
a tenth of the time to the first frame. It is switched back on for every command: for the
reader once its first frame is drawn (with what exists by then frozen out of later passes),
for the others before they start their work.
"""

import gc

gc.disable()

import os  # noqa: E402  (after gc.disable, on purpose)
import sys  # noqa: E402


def collect_again() -> None:
    """Back to normal collection, leaving the start-up's long-lived objects out of it."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _reader_only(args: list[str]) -> tuple[bool, str | None]:
    """(True, the store given or None) when the command line asks for the reader and nothing
    else: `cmreader`, `cmreader --db PATH`, `cmreader --db=PATH`. Anything more is click's."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > len("--db="):
        return True, args[0][len("--db="):]
    return False, None


def main() -> None:
    try:
        reader, db = _reader_only(sys.argv[1:])
        # A folder given as the store: click's own message says what is wrong with it.
        if reader and not (db and os.path.isdir(db)):
            # The reader alone, without click: its import is 10 ms of the start.
            from cmreader.reader_command import start_reader

            start_reader(db)
        else:
            from cmreader.cli import main as cli_main

            cli_main()
    finally:
        gc.enable()
