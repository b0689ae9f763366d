"""Panes of the reader screen: episode list, article, comment tree and reply composer."""
