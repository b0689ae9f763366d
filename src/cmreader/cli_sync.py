"""`cmreader connect`, `disconnect` and `sync`: the live WordPress sites of a store."""

from __future__ import annotations

import os
import sys

import click

from cmreader.cli import Context, cli, say
from cmreader.errors import CmreaderError

PASSWORD_VARIABLE = "CMREADER_WP_PASSWORD"


def _password(user: str) -> str:
    """The Application Password: from the variable, from standard input when it is not a
    terminal (a script's pipe), else asked without echo. Never a command-line argument, which
    other users can read in the process list."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is None and not sys.stdin.isatty():
        given = sys.stdin.readline()
    if given is None:
        given = click.prompt(f"Application Password for {user}", hide_input=True, err=True)
    password = given.strip()
    if not password:
        raise CmreaderError("no Application Password given")
    return password


def _report(result) -> bool:  # result: SiteSynced (imported late for start-up speed)
    """One line per site; True when the site synced without a problem."""
    parts = []
    if result.published:
        parts.append(f"{result.published} published")
    if result.pulled is not None:
        tally = result.pulled
        parts.append(f"{tally.posts_added} new episodes, {tally.comments_added} new comments")
        if tally.posts_updated:
            parts.append(f"{tally.posts_updated} episodes changed")
        if tally.statuses_changed:
            parts.append(f"{tally.statuses_changed} statuses changed on the site")
    done = ", ".join(parts)
    if result.problem is None:
        say(f"{result.title}: synced: {done}")
        return True
    say(f"{result.title}: not synced: {result.problem}" + (f" ({done})" if done else ""),
        err=True)
    return False


def _waiting(context: Context, store) -> None:
    summary = store.sites.summary()
    if summary.to_publish:
        extra = f", {summary.failed} failed" if summary.failed else ""
        extra += f", {summary.conflicts} in conflict" if summary.conflicts else ""
        say(f"{summary.to_publish} to publish{extra}")


@cli.command("connect")
@click.argument("url")
@click.option("--user", required=True, help="Your WordPress user name.")
@click.pass_obj
def connect_cmd(context: Context, url: str, user: str) -> None:
    """Connect a live WordPress site: its comments come in, your replies go out.

    The Application Password is asked for, or read from CMREADER_WP_PASSWORD, or from
    standard input when it is not a terminal.
    """
    from cmreader.sync.connect import connect

    password = _password(user)
    store = context.open_store()
    try:
        site, result = connect(store, url, user, password, context.config.sync)
        say(f"connected {site.home_url} as {user}")
        ok = _report(result)
    finally:
        store.close()
    if not ok:
        sys.exit(1)


@cli.command("disconnect")
@click.option("--blog", "blog_ref", default=None, help="The site (its address), if several.")
@click.pass_obj
def disconnect_cmd(context: Context, blog_ref: str | None) -> None:
    """Forget a site's password; what is stored stays, and replies from now on stay local."""
    from cmreader.sync.connect import disconnect, find_site

    store = context.open_store(create=False)
    try:
        site = find_site(store, blog_ref)
        disconnect(store, site)
        say(f"disconnected {site.home_url}: its password is forgotten")
    finally:
        store.close()


@cli.command("sync")
@click.option("--blog", "blog_ref", default=None, help="Only this site (its address).")
@click.pass_obj
def sync_cmd(context: Context, blog_ref: str | None) -> None:
    """Publish your replies and moderation, then read what is new on the connected sites."""
    from cmreader.sync.connect import find_site
    from cmreader.sync.engine import sync_all

    store = context.open_store(create=False)
    try:
        blog_id = find_site(store, blog_ref).blog_id if blog_ref else None
        results = sync_all(store, context.config.sync, blog_id=blog_id, force=True)
        if not results:
            raise CmreaderError("no site is connected: cmreader connect URL --user NAME")
        ok = all([_report(result) for result in results])
        _waiting(context, store)
    finally:
        store.close()
    if not ok:
        sys.exit(1)
