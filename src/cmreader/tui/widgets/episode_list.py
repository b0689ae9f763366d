"""The episode list: one option per post with its date, counts and an unread marker."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cmreader.sanitize import clean_line
from cmreader.store.models import PostSummary
from cmreader.tui import keys, safe_text
from cmreader.tui.timefmt import short_date

# Moving through the list opens episodes, but only once the cursor rests: holding j must not
# load every thread on the way.
_OPEN_DELAY = 0.15


_STATUS_NAMES = {"draft": "draft", "private": "private", "pending": "pending",
                 "future": "scheduled"}


def episode_prompt(post: PostSummary) -> Text:
    """Two lines: marker and title; then how many wait for you, how many are held for
    moderation, what is new, the comment count and the date."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("● " if post.unread else "  ", "bold cyan")
    if post.status != "publish":
        # Drafts, private, pending and scheduled posts: said first, a narrow pane cuts the end.
        text.append(f"{_STATUS_NAMES.get(post.status, clean_line(post.status))} ", "italic yellow")
    text.append(clean_line(post.title or "") or "(untitled)", "bold" if post.unread else "")
    # What needs you first: in a narrow pane the end of this line is cut off.
    text.append("\n  ")
    if post.waiting_count:
        text.append(f"{post.waiting_count} waiting", "bold yellow")
        text.append(" · ", "dim")
    if post.pending_count:
        text.append(f"{post.pending_count} held", "bold magenta")
        text.append(" · ", "dim")
    if post.new_count:
        text.append(f"{post.new_count} new", "green")
        text.append(" · ", "dim")
    text.append(f"{post.comment_count} comment{'s' if post.comment_count != 1 else ''}", "dim")
    date = short_date(post.published)
    if date:
        text.append(" · " + date, "dim")
    return text


class EpisodeOption(Option):
    """One episode of the list, carrying its summary."""

    def __init__(self, post: PostSummary) -> None:
        super().__init__(safe_text.built(episode_prompt(post)), id=str(post.id))
        self.post = post


class EpisodeList(OptionList):
    """Episodes newest first; moving the cursor opens the episode in the other panes."""

    BINDINGS = keys.bindings("list")
    HELP = "Episodes: j/k move, enter opens the episode and moves to its comments."

    @dataclass
    class EpisodeChosen(Message):
        """The user moved to (or pressed enter on) an episode."""

        post_id: int
        focus_comments: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    @property
    def posts(self) -> list[PostSummary]:
        """The episodes shown, in order: each option carries its own."""
        return [o.post for o in self._options if isinstance(o, EpisodeOption)]

    def show_posts(self, posts: list[PostSummary], current: int | None) -> None:
        """Replace the options, keeping the highlight where the user has it.

        The highlighted episode wins over the one shown: the rest of the list can arrive
        just after the user moved in the first page.
        """
        highlighted = self.highlighted
        option = self.highlighted_option
        kept = option.post.id if isinstance(option, EpisodeOption) else current
        self.set_options(EpisodeOption(p) for p in posts)
        ids = [p.id for p in posts]
        if kept in ids:
            self.highlighted = ids.index(kept)
        elif posts:
            self.highlighted = min(highlighted or 0, len(posts) - 1)

    def highlight_post(self, post_id: int) -> None:
        ids = [p.id for p in self.posts]
        if post_id in ids:
            self.highlighted = ids.index(post_id)

    def next_waiting(self, current: int | None, forward: bool) -> PostSummary | None:
        """The next other episode (round the end) that holds a comment waiting for you."""
        posts = self.posts
        ids = [p.id for p in posts]
        here = ids.index(current) if current in ids else -1
        step = 1 if forward else -1
        for offset in range(1, len(posts) + 1):
            candidate = posts[(here + step * offset) % len(posts)]
            if candidate.waiting_count and candidate.id != current:
                return candidate
        return None

    def summary(self, post_id: int | None) -> PostSummary | None:
        return next((p for p in self.posts if p.id == post_id), None)

    def mark_seen(self, post_id: int) -> None:
        """The episode was opened: it is no longer unread, nothing in it is new."""
        index = self.get_option_index(str(post_id)) if self.summary(post_id) else None
        if index is None:
            return
        option = self.get_option_at_index(index)
        assert isinstance(option, EpisodeOption)
        if option.post.unread or option.post.new_count:
            seen = option.post._replace(unread=False, new_count=0)
            self.replace_option_prompt_at_index(index, safe_text.built(episode_prompt(seen)))
            option.post = seen

    def action_cursor_top(self) -> None:
        self.action_first()

    def action_cursor_bottom(self) -> None:
        self.action_last()

    def action_open(self) -> None:
        self.action_select()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is None:
            return
        post_id = int(event.option.id)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(
            _OPEN_DELAY, lambda: self.post_message(self.EpisodeChosen(post_id, False))
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if event.option.id is not None:
            self.post_message(self.EpisodeChosen(int(event.option.id), True))
