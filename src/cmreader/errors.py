"""Errors a user can cause, each carrying one line to show them."""


class CmreaderError(Exception):
    """A problem with the user's input or files: shown as one line, never as a traceback."""


class ImportFailed(CmreaderError):
    """A file could not be imported; the store was left untouched."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class StoreError(CmreaderError):
    """The store file is missing, foreign, corrupt or locked."""
