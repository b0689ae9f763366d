"""The `cmreader` command: the reader by default, plus import, export, list and inbox."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cmreader import __version__
from cmreader.errors import CmreaderError, ImportFailed
from cmreader.reader_command import Context, run_reader, told
from cmreader.sanitize import clean_line, visible

if TYPE_CHECKING:
    pass  # imported late at run time, for start-up speed


def say(message: str, *, err: bool = False) -> None:
    """Print one of cmreader's own lines. Every path and value in it passes through visible:
    a file name holding escape sequences is shown spelled out, never run by the terminal."""
    click.echo(visible(message), err=err)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Store file to use (default: $CMREADER_DB, else cmreader.db in your data folder).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="cmreader")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, debug: bool) -> None:
    """Read your blog's comments and answer them from the terminal.

    With no command, opens the reader. The first run on a new default store
    imports a sample episode so there is something to read.
    """
    ctx.obj = Context(db, debug)
    if ctx.invoked_subcommand is None:
        run_reader(ctx.obj)
    else:
        import gc

        gc.enable()  # off only for the reader's first frame (cmreader.launch)


@cli.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pagedump", "wxr", "blogger", "disqus"]),
    default=None,
    help="Force the format instead of detecting it from the content.",
)
@click.pass_obj
def import_cmd(context: Context, files: tuple[str, ...], fmt: str | None) -> None:
    """Import blog exports: WordPress WXR, Blogger (Atom backup, Takeout), Disqus, page dumps.

    Each file is all-or-nothing; importing the same file again adds nothing.
    """
    from cmreader.importers import load

    # Parse before opening the store: a bad file never touches it.
    batches = []
    failed = 0
    for path in files:
        try:
            batch = load(path, fmt)
        except ImportFailed as exc:
            if context.debug:
                # The whole story, its cause included; each line cleaned like every other.
                import traceback

                for line in "".join(traceback.format_exception(exc)).splitlines():
                    say(line, err=True)
            say(f"cmreader: {exc}", err=True)
            failed += 1
            continue
        # A file name that is not UTF-8 cannot be stored as text: keep its odd bytes as \xNN.
        source = _storable(batch.source)
        batches.append(batch if source == batch.source else replace(batch, source=source))
    if batches:
        # A bulk write into a damaged store would spread the damage: check the store first.
        store = context.open_store(check=True)
        try:
            for batch in batches:
                r = store.import_batch(batch)
                skipped = ", ".join(f"{n} {what}" for what, n in sorted(batch.skipped.items()))
                say(
                    f"{r.source}: {r.format}: added {_count(r.posts_added, 'episode')}, "
                    f"{_count(r.comments_added, 'comment')}; already there "
                    f"{_count(r.posts_skipped, 'episode')}, {_count(r.comments_skipped, 'comment')}"
                    + (f"; left out {skipped}" if skipped else "")
                )
        finally:
            store.close()
    if failed:
        sys.exit(1)


def _storable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True
)
@click.option("--post", "post_ref", default=None, help="Only this episode (its number or id).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.pass_obj
def export_cmd(context: Context, fmt: str, post_ref: str | None, output: Path | None) -> None:
    """Export every episode and comment (drafts included) as JSON or Markdown."""
    store = context.open_store(create=False)
    try:
        post_id = None
        if post_ref is not None:
            post = store.find_post(post_ref)
            if post is None:
                raise CmreaderError(f"{context.db_path}: no episode {post_ref!r}")
            post_id = post.id
        if fmt == "json":
            from cmreader.exporters.json_export import export_json

            text = export_json(store, post_id)
        else:
            from cmreader.exporters.markdown_export import export_markdown

            text = export_markdown(store, post_id)
    finally:
        store.close()
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(output, text)


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file, so a failure never leaves half an export behind."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(
            dir=path.parent if str(path.parent) else ".", prefix=".cmreader-"
        )
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise CmreaderError(f"{path}: cannot write the export ({exc.strerror})") from None


@cli.command("list")
@click.pass_obj
def list_cmd(context: Context) -> None:
    """List the episodes, newest first, with their comment counts."""
    store = context.open_store(create=False)
    try:
        for post in store.list_posts():
            date = (post.published or "")[:10] or "    -     "
            waiting = f", {post.waiting_count} waiting" if post.waiting_count else ""
            say(
                f"{post.id:>5}  {clean_line(date)}  {clean_line(post.title)}  "
                f"({_count(post.comment_count, 'comment')}{waiting})"
            )
    finally:
        store.close()


@cli.command("inbox")
@click.pass_obj
def inbox_cmd(context: Context) -> None:
    """List the comments that still wait for your answer, oldest first."""
    store = context.open_store(create=False)
    try:
        for entry in store.needs_answer():
            date = (entry.published or "")[:10] or "-"
            excerpt = clean_line(entry.body)[:60]
            say(
                f"{clean_line(date)}  {clean_line(entry.post_title)[:30]}  "
                f"{clean_line(entry.author or 'Anonymous')}: {excerpt}"
            )
    finally:
        store.close()


def main() -> None:
    """Entry point: one line for a user's mistake, a traceback only with --debug."""
    debug = "--debug" in sys.argv[1:]
    try:
        told(lambda: cli.main(standalone_mode=False), debug=debug)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        # Click quotes the user's values (a --db path, a --format) in its messages.
        shown = io.StringIO()
        exc.show(file=shown)
        for line in shown.getvalue().splitlines():
            say(line, err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


# The site commands (connect, disconnect, sync) live in their own module, on this group.
import cmreader.cli_sync  # noqa: E402, F401
