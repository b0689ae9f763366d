"""Which of the store's blogs a list shows: all of them, or one, chosen with b in turn."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from cmreader.sanitize import clean_line
from cmreader.store.models import Blog


def blog_name(blog: Blog) -> str:
    """A blog as the lists name it: its title, else its address, else its key."""
    return clean_line(blog.title or blog.url or blog.key)


@dataclass
class BlogsRead(Message):
    """The store's blogs, read in a worker for a list that can narrow to one."""

    blogs: list[Blog]


class BlogChoice:
    """The blogs a list knows and the one it is narrowed to (None: every blog)."""

    def __init__(self) -> None:
        self.blogs: list[Blog] = []
        self._index = -1  # -1: every blog

    def know(self, blogs: list[Blog]) -> None:
        self.blogs = blogs
        if self._index >= len(blogs):
            self._index = -1

    @property
    def current(self) -> Blog | None:
        return self.blogs[self._index] if 0 <= self._index < len(self.blogs) else None

    @property
    def current_id(self) -> int | None:
        blog = self.current
        return None if blog is None else blog.id

    @property
    def several(self) -> bool:
        """More than one blog: b has something to choose."""
        return len(self.blogs) > 1

    @property
    def mixed(self) -> bool:
        """Entries of several blogs side by side: each says which blog it is from."""
        return self.several and self.current is None

    def next(self) -> Blog | None:
        """One blog, the next, ... then every blog again; returns the one now shown."""
        self._index = (self._index + 2) % (len(self.blogs) + 1) - 1
        return self.current
