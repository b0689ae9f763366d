"""Every place a string reaches the screen as a title, notification, label or footer goes through
the one text builder (cmreader.tui.safe_text): a check that walks the reader's code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.content import Content

from cmreader.tui import keys

TUI = Path(__file__).resolve().parents[1] / "src" / "cmreader" / "tui"
BUILDER = "safe_text"
# Attributes that Textual renders as titles: a str given to them is parsed as markup.
TITLE_ATTRS = {"border_title", "border_subtitle", "title", "sub_title"}
# Widgets and palette entries whose first argument is shown as it is, or parsed as markup.
SHOWN_ARG = {"Static", "Label", "Option", "DiscoveryHit", "Hit"}
# Functions of the reader that build their Text only from the builder's pieces (each has a
# test of its own with hostile text in tests/tui/test_safety.py or test_screens.py).
TRUSTED_BUILDERS = {"bindings_table", "episode_prompt"}


def _is_builder_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == BUILDER
    )


class SinkChecker(ast.NodeVisitor):
    """Collects (line, what) for every sink given something other than built text."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.sinks = 0
        self._functions: list[ast.AST] = []

    # -- what counts as built text ---------------------------------------------------------

    def accepted(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Constant) and node.value is None:
            return True
        if _is_builder_call(node):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id in TRUSTED_BUILDERS
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.accepted(node.left) and self.accepted(node.right)
        if isinstance(node, ast.IfExp):
            return self.accepted(node.body) and self.accepted(node.orelse)
        if isinstance(node, ast.Name) and self._functions:
            values = [
                n.value
                for n in ast.walk(self._functions[-1])
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
            ]
            return bool(values) and all(self.accepted(v) for v in values)
        return False

    # -- the sinks -------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._functions.append(node)
        self.generic_visit(node)
        self._functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr in TITLE_ATTRS:
                self.sinks += 1
                if not self.accepted(node.value):
                    shown = ast.unparse(node.value)
                    self.problems.append((node.lineno, f".{target.attr} = {shown}"))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # Any use of a widget's notify (a call, or handed to call_from_thread) but the builder's.
        if node.attr != "notify":
            pass
        elif isinstance(node.value, ast.Name) and node.value.id == BUILDER:
            self.sinks += 1
        else:
            self.sinks += 1
            self.problems.append((node.lineno, f"{ast.unparse(node)} (use safe_text.notify)"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else ""
        )
        if name in SHOWN_ARG and node.args:
            self.sinks += 1
            shown = node.args[1] if name == "Hit" and len(node.args) > 1 else node.args[0]
            if not self.accepted(shown):
                self.problems.append((node.lineno, f"{name}({ast.unparse(shown)})"))
        if name == "update" and node.args and isinstance(func, ast.Attribute):
            receiver = ast.unparse(func.value)
            if "Static" in receiver or "Label" in receiver:
                self.sinks += 1
                if not self.accepted(node.args[0]):
                    self.problems.append((node.lineno, f"{receiver}.update(...)"))
        for keyword in node.keywords:
            if keyword.arg == "markup" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                self.problems.append((node.lineno, "markup= other than False"))
        if name in {"from_markup", "render_str"}:
            self.problems.append((node.lineno, f"{name}(...) parses markup"))
        self.generic_visit(node)


def check(source: str) -> SinkChecker:
    checker = SinkChecker()
    checker.visit(ast.parse(source))
    return checker


def test_every_title_notification_and_label_goes_through_the_builder() -> None:
    problems = []
    sinks = 0
    for path in sorted(TUI.rglob("*.py")):
        if path.name == f"{BUILDER}.py":
            continue
        checker = check(path.read_text(encoding="utf-8"))
        sinks += checker.sinks
        problems += [f"{path.relative_to(TUI)}:{line}: {what}" for line, what in checker.problems]
    assert problems == []
    assert sinks >= 40  # the walk really reached the reader's titles and notifications


@pytest.mark.parametrize(
    "bad",
    [
        'self.border_title = f"Episodes ({n})"',
        "self.article.border_title = post.title",
        'self.notify("Reply sent.")',
        "self.app.call_from_thread(self.notify, str(exc))",
        'yield Static("Waiting")',
        "yield Static(Text(row.author))",
        'self.query_one("#t", Static).update(f"{count} results")',
        "Option(post.title)",
        'safe_text.notify(self, "x", markup=True)',
        "Content.from_markup(title)",
        "def f():\n    label = title\n    return Label(label)",
    ],
)
def test_the_walk_catches_each_kind_of_leak(bad: str) -> None:
    assert check(bad).problems, bad


@pytest.mark.parametrize(
    "good",
    [
        'self.border_title = safe_text.content("Episodes ", str(n))',
        "self.border_title = None",
        'safe_text.notify(self, "Reply sent.")',
        "def f():\n    t = safe_text.text(x)\n    return Static(t + bindings_table(s, k))",
    ],
)
def test_the_walk_lets_built_text_through(good: str) -> None:
    assert check(good).problems == []


def test_footer_and_help_descriptions_show_as_written() -> None:
    """The footer renders binding descriptions as markup: cmreader's must hold none."""
    for spec in keys.DEFAULT_KEYS:
        assert Content.from_markup(spec.description).plain == spec.description, spec
