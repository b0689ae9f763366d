"""Lets `python -m cmreader` run the command line, as the `cmreader` command does."""

from cmreader.launch import main

main()
