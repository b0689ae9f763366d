"""Your own editor for a reply (ctrl+o): $VISUAL or $EDITOR on a private file, the app suspended."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from cmreader.sanitize import clean_text, show_controls

if TYPE_CHECKING:
    from textual.app import App

# Below this line the comment answered is quoted for you to read: the line and that quote are
# removed when the editor exits (what you wrote anywhere else is kept), as neomutt and rtv do.
MARKER = "-- cmreader: write above this line; everything below it is removed --"


@dataclass(frozen=True)
class Edited:
    """What came back from the editor: the new text, or why there is none (text kept)."""

    text: str | None
    problem: str | None = None


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi: split as a shell would (EDITOR="code --wait")."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    return ["vi"]


def quoted(quote: str | None) -> list[str]:
    """The answered comment as Markdown quote lines (imported text: cleaned first)."""
    if not quote:
        return []
    return [f"> {line}".rstrip() for line in clean_text(quote).split("\n")]


def file_text(draft: str, quote: str | None) -> str:
    """The draft, then the marker and the answered comment quoted as Markdown."""
    text = draft if draft.endswith("\n") or not draft else draft + "\n"
    lines = quoted(quote)
    if lines:
        text += "\n" + MARKER + "\n" + "\n".join(lines) + "\n"
    return text


def returned_text(raw: str, quote: str | None) -> str:
    """The editor's file without the marker line and the quote under it, as written (a line
    you added or changed there is yours and kept), and without its last newlines; controls
    shown as their pictures, as the composer shows them."""
    lines = raw.replace("\r\n", "\n").split("\n")
    if MARKER in lines:
        at = lines.index(MARKER)
        above, below = lines[:at], lines[at + 1 :]
        left = quoted(quote)
        kept = []
        for line in below:
            if left and line == left[0]:
                left.pop(0)
            else:
                kept.append(line)
        text = "\n".join(above).rstrip("\n")
        extra = "\n".join(kept).strip("\n")
        if extra:
            text = f"{text}\n{extra}" if text else extra
    else:
        text = "\n".join(lines).rstrip("\n")
    return show_controls(text)


def edit_externally(app: App[object], draft: str, quote: str | None) -> Edited:
    """Run the editor on the draft, the app suspended while it runs (a headless app, in
    tests, runs it as it is); the private folder (0700) is removed after."""
    folder = Path(tempfile.mkdtemp(prefix="cmreader-edit-"))  # made 0700 by mkdtemp
    try:
        path = folder / "reply.md"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(file_text(draft, quote))
        command = [*editor_command(), str(path)]
        try:
            if app.is_headless:  # Pilot's tests: no terminal to hand over
                done = subprocess.run(command, stdin=subprocess.DEVNULL, check=False)
            else:
                with app.suspend():
                    done = subprocess.run(command, check=False)
        except SuspendNotSupported:
            return Edited(None, "this terminal cannot be handed to an editor")
        except OSError as exc:
            return Edited(None, f"{command[0]} could not be started ({exc.strerror or exc})")
        try:
            raw = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            return Edited(None, f"the edited file could not be read ({exc.strerror or exc})")
        if done.returncode != 0:
            failed = f"{command[0]} exited with status {done.returncode}"
            if raw == file_text(draft, quote):
                return Edited(None, failed)
            # An editor that saved, then crashed (or quit with an error): what it saved is
            # kept, and said so; nothing you wrote is lost to an exit status.
            return Edited(returned_text(raw, quote), f"{failed}; what it saved is kept")
        return Edited(returned_text(raw, quote))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
