"""Every key binding of the app in one table; the config's remaps become the App's keymap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap, BindingType
from textual.keys import _character_to_key


@dataclass(frozen=True)
class KeyDef:
    """One remappable action: its name (the config key and binding id) and default keys."""

    action: str
    keys: str
    description: str
    scope: str  # "app", "main", "list", "article", "tree" or "composer"
    show: bool = False  # shown in the footer when its pane has focus


# The scopes, in the order the help screen lists them, with their headings.
SCOPES = {
    "app": "Everywhere",
    "main": "Reader",
    "list": "Episode list",
    "article": "Article",
    "tree": "Comments",
    "composer": "Composer",
}

DEFAULT_KEYS: tuple[KeyDef, ...] = (
    KeyDef("quit", "q", "Quit", "app", show=True),
    KeyDef("help", "question_mark", "Help", "app", show=True),
    KeyDef("next_pane", "tab", "Next pane", "main"),
    KeyDef("prev_pane", "shift+tab", "Previous pane", "main"),
    KeyDef("inbox", "i", "Inbox", "main", show=True),
    KeyDef("search", "slash", "Search", "main", show=True),
    KeyDef("find", "f", "Find in this thread", "main"),
    KeyDef("reply", "r", "Reply", "main", show=True),
    KeyDef("next_waiting", "n", "Next waiting", "main"),
    KeyDef("prev_waiting", "N", "Previous waiting", "main"),
    KeyDef("toggle_hidden", "H", "Show/hide spam and trash", "main"),
    KeyDef("links", "o", "Links (of the comment and the article)", "main"),
    KeyDef("queue", "m", "Moderation queue", "main", show=True),
    # Narrows the episode list to one blog, then the next, then every blog again.
    KeyDef("next_blog", "b", "Episode list: next blog", "main"),
    KeyDef("undo", "u", "Undo", "main"),
    KeyDef("sync", "S", "Sync with the sites", "main"),
    # Every unsent draft across blogs, newest first: enter resumes one, d discards it.
    KeyDef("drafts", "D", "Drafts", "main"),
    # "Who": everything the commenter under the cursor wrote, across episodes and blogs.
    KeyDef("who", "w", "Commenter's history", "main"),
    KeyDef("cursor_down", "j,down", "Down", "list"),
    KeyDef("cursor_up", "k,up", "Up", "list"),
    KeyDef("cursor_top", "g,home", "First", "list"),
    KeyDef("cursor_bottom", "G,end", "Last", "list"),
    KeyDef("open", "enter", "Open episode", "list", show=True),
    KeyDef("cursor_down", "j,down", "Scroll down", "article"),
    KeyDef("cursor_up", "k,up", "Scroll up", "article"),
    KeyDef("cursor_top", "g,home", "Top", "article"),
    KeyDef("cursor_bottom", "G,end", "Bottom", "article"),
    KeyDef("page_down", "space,pagedown", "Page down", "article"),
    KeyDef("page_up", "pageup", "Page up", "article"),
    KeyDef("cursor_down", "j,down", "Next comment", "tree"),
    KeyDef("cursor_up", "k,up", "Previous comment", "tree"),
    KeyDef("cursor_top", "g,home", "First comment", "tree"),
    KeyDef("cursor_bottom", "G,end", "Last comment", "tree"),
    KeyDef("page_down", "pagedown", "Page down", "tree"),
    KeyDef("page_up", "pageup", "Page up", "tree"),
    KeyDef("toggle_fold", "space", "Fold/unfold", "tree", show=True),
    KeyDef("fold_all", "z", "Fold all", "tree"),
    KeyDef("unfold_all", "Z", "Unfold all", "tree"),
    KeyDef("parent", "p", "Parent", "tree"),
    KeyDef("next_sibling", "right_square_bracket", "Next sibling", "tree"),
    KeyDef("prev_sibling", "left_square_bracket", "Previous sibling", "tree"),
    KeyDef("mark_answered", "x", "Answered/waiting", "tree", show=True),
    KeyDef("approve", "a", "Approve", "tree", show=True),
    KeyDef("spam", "s", "Spam", "tree"),
    KeyDef("trash", "d", "Trash (your own reply: delete)", "tree"),
    # No key, as in wp-admin's row actions: from the command palette.
    KeyDef("unapprove", "", "Unapprove (back to pending)", "tree"),
    KeyDef("edit", "e", "Edit my reply", "tree"),
    KeyDef("send", "ctrl+s", "Send", "composer", show=True),
    KeyDef("close_composer", "escape", "Close (keeps draft)", "composer", show=True),
    # A saved reply, found by typing its name, goes in at the cursor with its placeholders
    # filled; the picker also saves the composer's text as one and opens the library.
    KeyDef("saved_replies", "ctrl+t", "Saved replies", "composer"),
    # The draft in $VISUAL/$EDITOR, the comment answered quoted below a marker line.
    KeyDef("external_editor", "ctrl+o", "Edit in $EDITOR", "composer"),
    # The comment answered, whole, quoted as Markdown (a selection: the selection, quoted).
    KeyDef("quote", "ctrl+r", "Quote the comment (or the selection)", "composer"),
    # Its next sentence quoted; pressed again at once, the sentence after it instead.
    KeyDef("quote_sentence", "ctrl+n", "Quote the next sentence", "composer"),
    # The reply as it will read: beside the text when wide, in its place when narrow.
    KeyDef("toggle_preview", "ctrl+g", "Preview", "composer"),
)

ACTION_NAMES = frozenset(k.action for k in DEFAULT_KEYS)


def normalize_keys(keys: str) -> str:
    """"j, ?" -> "j,question_mark": the names Textual matches key presses against."""
    names = [k.strip() for k in keys.split(",") if k.strip()]
    return ",".join(_character_to_key(k) if len(k) == 1 else k for k in names)


def effective_keys(overrides: Mapping[str, str]) -> dict[str, str]:
    """Action name -> keys after the config's remaps (only for known action names)."""
    return {
        name: normalize_keys(keys)
        for name, keys in overrides.items()
        if name in ACTION_NAMES and normalize_keys(keys)
    }


def unknown_actions(overrides: Mapping[str, str]) -> list[str]:
    """Config entries that name no action: worth a warning, not a crash."""
    return sorted(name for name in overrides if name not in ACTION_NAMES)


def bindings(scope: str) -> list[BindingType]:
    """The default bindings of one scope, each with its action name as binding id."""
    return [
        Binding(k.keys, k.action, k.description, show=k.show, id=k.action)
        for k in DEFAULT_KEYS
        if k.scope == scope and k.keys
    ]


# Every printable character's key, bound to nothing shown by a widget that takes typing (the
# composer, an input field): the field takes the character before any binding runs, and this
# binding, never run, shadows the reader's one-key bindings, so the footer does not offer them.
TYPED = Binding(",".join(["space", *(_character_to_key(chr(c)) for c in range(33, 127))]),
                "typed", show=False)


def remapped(bindings_map: BindingsMap, keymap: Mapping[str, str]) -> BindingsMap:
    """A copy of a node's bindings with the app's keymap applied, as Textual applies it when
    it looks up a key (for the help screen, which lists the keys in force)."""
    copy = bindings_map.copy()
    if keymap:
        copy.apply_keymap(dict(keymap))
    return copy


# The scopes whose bindings are in force together: a key of one chain means one thing.
_CHAINS = (("app", "main", "list"), ("app", "main", "article"), ("app", "main", "tree"),
           ("app", "main", "composer"))


def clashes(remaps: Mapping[str, str]) -> dict[str, str]:
    """The remaps (action -> keys, as effective_keys gives them) whose keys another action of
    the same screen already has, each with one line saying which; the others are fine."""
    refused: dict[str, str] = {}
    for action, new_keys in remaps.items():
        wanted = set(new_keys.split(","))
        scopes = {k.scope for k in DEFAULT_KEYS if k.action == action}
        for chain in _CHAINS:
            if not scopes & set(chain):
                continue
            for other in DEFAULT_KEYS:
                if other.action == action or other.scope not in chain:
                    continue
                taken = set(remaps.get(other.action, other.keys).split(",")) & wanted
                if taken:
                    key = sorted(taken)[0]
                    refused[action] = (
                        f'{action} = "{new_keys}" is refused: {key} is already '
                        f"{other.action} ({other.description}) in the "
                        f"{SCOPES[other.scope].lower()}"
                    )
                    break
            if action in refused:
                break
    return refused
