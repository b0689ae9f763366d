"""Lets `python -m cmreader` run the command line."""

from cmreader.cli import main

main()
