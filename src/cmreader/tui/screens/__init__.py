"""Screens of the cmreader app: the reader, inbox, search, help, links and confirm dialogs."""
