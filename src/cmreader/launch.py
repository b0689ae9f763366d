"""The `cmreader` command's entry point: no garbage collection until the first frame is up.

Starting the reader allocates some hundreds of thousands of objects (modules, classes, styles)
that all live on: the collector's passes over them while they are made are wasted work, about
a tenth of the time to the first frame. It is switched back on for every command: for the
reader once its first frame is drawn (with what exists by then frozen out of later passes),
for the others before they start their work.
"""

import gc

gc.disable()

from cmreader.cli import main as cli_main  # noqa: E402  (after gc.disable, on purpose)


def collect_again() -> None:
    """Back to normal collection, leaving the start-up's long-lived objects out of it."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main() -> None:
    try:
        cli_main()
    finally:
        gc.enable()
