"""End to end, the desk on two blogs: the installed `cmreader` in tmux at 80x24.

The store is built by `cmreader import` from two WordPress exports written here, each with its
own site address and its own post author (so its own owner): Becky's "Vie de CM" and Camille
Durand's "Carnet de Camille". Between them they hold comments held for moderation, an approved
pingback, comments waiting for an answer and a thread of 199 comments whose last one waits.
One run of the reader goes through n, the moderation queue, the inbox and search; each step is
checked on the screen, and in the store (read-only while the app runs, then through Store once
it has quit).
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from terminal import Tmux, app_pids
from test_e2e_tmux import CMREADER

from cmreader.store.answers import needs_answer_sql

pytestmark = pytest.mark.e2e

BECKY_SITE = "https://becky.example.org"
CAMILLE_SITE = "https://camille.example.com"
BECKY, CAMILLE = "Becky", "Camille Durand"
LONG_PAIRS = 99  # questions each answered by Becky, then one more question: 199 comments
LAST_QUESTION = "Derniere question du long fil, qui attend"
TO_JULIEN = "Merci Julien, les hashtags se choisissent court."
TO_NINA = "Merci Nina, le referencement prend du temps."


# -- two WordPress exports ------------------------------------------------------------------


def _cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


def _comment(cid: int, author: str, when: str, body: str, *, approved: str = "1",
             parent: int = 0, user_id: int = 0, kind: str = "", url: str = "") -> str:
    return f"""
   <wp:comment>
    <wp:comment_id>{cid}</wp:comment_id>
    <wp:comment_author>{_cdata(author)}</wp:comment_author>
    <wp:comment_author_email></wp:comment_author_email>
    <wp:comment_author_url>{escape(url)}</wp:comment_author_url>
    <wp:comment_date_gmt>{when}</wp:comment_date_gmt>
    <wp:comment_content>{_cdata(body)}</wp:comment_content>
    <wp:comment_approved>{approved}</wp:comment_approved>
    <wp:comment_type>{kind}</wp:comment_type>
    <wp:comment_parent>{parent}</wp:comment_parent>
    <wp:comment_user_id>{user_id}</wp:comment_user_id>
   </wp:comment>"""


def _item(site: str, post_id: int, title: str, when: str, login: str, body: str,
          comments: list[str]) -> str:
    return f"""
  <item>
   <title>{escape(title)}</title>
   <link>{site}/?p={post_id}</link>
   <dc:creator>{login}</dc:creator>
   <guid isPermaLink="false">{site}/?p={post_id}</guid>
   <content:encoded>{_cdata(body)}</content:encoded>
   <wp:post_id>{post_id}</wp:post_id>
   <wp:post_date_gmt>{when}</wp:post_date_gmt>
   <wp:status>publish</wp:status>
   <wp:post_type>post</wp:post_type>{"".join(comments)}
  </item>"""


def _wxr(title: str, site: str, author_id: int, login: str, name: str, items: list[str]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
 <channel>
  <title>{escape(title)}</title>
  <link>{site}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author>
   <wp:author_id>{author_id}</wp:author_id>
   <wp:author_login>{login}</wp:author_login>
   <wp:author_email>{login}@example.org</wp:author_email>
   <wp:author_display_name>{_cdata(name)}</wp:author_display_name>
  </wp:author>{"".join(items)}
 </channel>
</rss>
"""


def becky_export() -> str:
    """Vie de CM: the long thread (the second newest episode) and an old one with Julien's
    question and Paul's held comment (the queue's oldest)."""
    thread = []
    for n in range(1, LONG_PAIRS + 1):
        at = f"{n // 60:02d}:{n % 60:02d}"
        thread.append(_comment(1000 + 2 * n, f"Lecteur {n}", f"2024-03-02 {at}:00",
                               f"Question numero {n} du fil"))
        thread.append(_comment(1001 + 2 * n, BECKY, f"2024-03-02 {at}:30",
                               f"Reponse {n} de Becky", parent=1000 + 2 * n, user_id=7))
    thread.append(_comment(1999, "Zoe Finale", "2024-03-03 09:00:00", LAST_QUESTION))
    return _wxr("Vie de CM", BECKY_SITE, 7, "becky", BECKY, [
        _item(BECKY_SITE, 11, "Le long fil", "2024-03-01 08:00:00", "becky",
              "<p>Un fil de deux cents commentaires.</p>", thread),
        _item(BECKY_SITE, 12, "Bienvenue au blog", "2024-02-01 08:00:00", "becky",
              "<p>Premier article du blog.</p>", [
                  _comment(201, "Julien", "2024-02-01 10:00:00",
                           "Une question sur les hashtags, Becky ?"),
                  _comment(202, "Paul Enattente", "2024-02-02 10:00:00",
                           "Un commentaire retenu en moderation", approved="0"),
              ]),
    ])


def camille_export() -> str:
    """Carnet de Camille: the newest episode, where nothing waits (Marc is answered, the other
    comment is a pingback), and one with Nina's question and two held comments."""
    return _wxr("Carnet de Camille", CAMILLE_SITE, 3, "camille", CAMILLE, [
        _item(CAMILLE_SITE, 21, "Episode calme", "2024-04-01 08:00:00", "camille",
              "<p>Rien n'attend ici.</p>", [
                  _comment(301, "Marc", "2024-04-01 10:00:00", "Bravo pour cet episode"),
                  _comment(302, CAMILLE, "2024-04-01 11:00:00", "Merci Marc", parent=301,
                           user_id=3),
                  _comment(303, "Autre Site", "2024-04-01 12:00:00",
                           "[...] un lien vers cet episode [...]", kind="pingback",
                           url="https://other.example.net/lien"),
              ]),
        _item(CAMILLE_SITE, 22, "Notes du lundi", "2024-02-15 08:00:00", "camille",
              "<p>Des notes sur le referencement.</p>", [
                  _comment(401, "Nina", "2024-02-15 10:00:00",
                           "Une question sur le referencement naturel"),
                  _comment(402, "Spammy Bot", "2024-02-16 10:00:00",
                           "Achetez des montres pas cheres", approved="0"),
                  _comment(403, "Olga Patiente", "2024-02-20 10:00:00",
                           "Encore un commentaire retenu", approved="0"),
              ]),
    ])


def two_blog_store(tmp_path: Path, env: dict[str, str]) -> Path:
    becky, camille = tmp_path / "vie-de-cm.xml", tmp_path / "carnet-de-camille.xml"
    becky.write_text(becky_export(), encoding="utf-8")
    camille.write_text(camille_export(), encoding="utf-8")
    store = tmp_path / "desk.db"
    subprocess.run([*CMREADER, "--db", str(store), "import", str(becky), str(camille)],
                   check=True, capture_output=True, env=env)
    return store


# -- reading the store ----------------------------------------------------------------------


def live(store: Path, author: str) -> tuple[str, bool]:
    """(status, needs an answer) of the comment by author, read-only while the app runs."""
    with closing(sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)) as db:
        row = db.execute(
            f"SELECT c.status, {needs_answer_sql()} FROM comments c "
            "JOIN posts p ON p.id = c.post_id WHERE c.author = ? AND c.origin = 'imported'",
            [author],
        ).fetchone()
    assert row is not None, author
    return row[0], bool(row[1])


def quit_app(tmux: Tmux, app: str, store: Path) -> None:
    tmux.send(app, "q")
    deadline = time.monotonic() + 15
    while (app_pids(store) or not tmux.dead(app)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not app_pids(store), "q did not quit"


def until(tmux: Tmux, app: str, *shown: str, gone: tuple[str, ...] = ()) -> str:
    """Wait until every text in shown is on the screen and none in gone; return the screen."""
    _, screen = tmux.wait_for(
        app, lambda s: all(t in s for t in shown) and not any(t in s for t in gone)
    )
    return screen


def pane_title(title: str) -> str:
    return f"─ {title} ─"


# -- the test -------------------------------------------------------------------------------


def test_the_desk_on_two_blogs(tmux: Tmux, tmp_path: Path) -> None:
    from cmreader.store import Store

    store = two_blog_store(tmp_path, tmux.env)
    app = tmux.launch([*CMREADER, "--db", str(store)])

    # The newest episode, Camille's, where nothing waits: the pingback is shown, not waiting.
    screen = until(tmux, app, pane_title("Episode calme"), "Comments (3)",
                   "pingback from Autre Site")
    assert "● waiting" not in screen
    assert live(store, "Autre Site") == ("approved", False)

    # n: nothing waits here, so the next episode that holds a waiting comment, the long
    # thread, opens on it: its last comment, scrolled into view at 80x24.
    tmux.send(app, "n")
    screen = until(tmux, app, pane_title("Le long fil"), "Comments (199)", LAST_QUESTION)
    zoe = next(line for line in screen.splitlines() if "Zoe Finale" in line)
    assert "● waiting" in zoe
    assert "Question numero 1 du fil" not in screen  # the thread's top is scrolled away
    assert live(store, "Zoe Finale") == ("approved", True)

    # m: the queue across both blogs, oldest first.
    tmux.send(app, "m")
    screen = until(tmux, app, "Waiting for moderation: 3", "Paul Enattente · pending",
                   "Spammy Bot · pending", "Olga Patiente · pending")
    assert "Vie de CM" in screen and "Carnet de Camille" in screen  # each entry's blog
    assert screen.index("Paul Enattente") < screen.index("Spammy Bot") < screen.index("Olga")
    assert live(store, "Paul Enattente") == ("pending", False)

    # a approves the first: it leaves the queue and waits for an answer.
    tmux.send(app, "a")
    until(tmux, app, "Waiting for moderation: 2", "Approved: the comment by",
          "Spammy Bot · pending", gone=("Paul Enattente · pending",))
    assert live(store, "Paul Enattente") == ("approved", True)

    # s marks the next as spam: it never waits.
    tmux.send(app, "s")
    until(tmux, app, "Waiting for moderation: 1", "Marked as spam: the comment by",
          "Olga Patiente · pending", gone=("Spammy Bot · pending",))
    assert live(store, "Spammy Bot") == ("spam", False)

    # u undoes the spam: pending again, back in the queue.
    tmux.send(app, "u")
    until(tmux, app, "Waiting for moderation: 2", "Undone: the comment is",
          "Spammy Bot · pending", "Olga Patiente · pending")
    assert live(store, "Spammy Bot") == ("pending", False)

    # q: back to the reader, on the episode it was on.
    tmux.send(app, "q")
    until(tmux, app, pane_title("Le long fil"), "Comments (199)",
          gone=("Waiting for moderation",))

    # i: the inbox, oldest first; Paul's approved comment waits, the pingback never does.
    tmux.send(app, "i")
    screen = until(tmux, app, "Waiting for your answer: 4", "Julien", "Paul Enattente",
                   "Nina", "Zoe Finale")
    order = [screen.index(name) for name in ("Julien", "Paul Enattente", "Nina", "Zoe")]
    assert order == sorted(order)
    assert "Autre Site" not in screen and "pingback" not in screen
    # (a notice may still name Spammy Bot: an entry's line is its name, then " · ")
    assert "Spammy Bot ·" not in screen and "Olga Patiente ·" not in screen

    # r on the first entry (Julien, on Becky's blog): the composer in the reader, on it.
    tmux.send(app, "r")
    # (not its "ctrl+s sends": a notice in the corner can hide that border for seconds)
    until(tmux, app, "Reply to Julien", pane_title("Bienvenue au blog"))
    tmux.send(app, "-l", TO_JULIEN)
    until(tmux, app, TO_JULIEN)
    tmux.send(app, "C-s")
    # Sent: the composer closes, the reader stays on that episode with the reply in its thread.
    screen = until(tmux, app, pane_title("Bienvenue au blog"), "Comments (3)", TO_JULIEN,
                   f"{BECKY} (you)", gone=("Reply to Julien",))
    assert screen.index("Julien ·") < screen.index(f"{BECKY} (you)") < screen.index(TO_JULIEN)
    assert live(store, "Julien") == ("approved", False)

    # /: search a word only Nina's comment (on Camille's blog) holds; enter opens it, then r.
    tmux.send(app, "/")
    until(tmux, app, "Search episodes and comments")
    tmux.send(app, "-l", "naturel")
    screen = until(tmux, app, "1 result for", "Nina", "referencement naturel")
    assert "Notes du lundi" in screen
    tmux.send(app, "Enter")
    # On the comment, in the thread (its keys in the footer): r answers that comment.
    until(tmux, app, pane_title("Notes du lundi"), "Comments (3)", "Nina",
          "Answered/waiting", gone=("1 result for",))
    tmux.send(app, "r")
    until(tmux, app, "Reply to Nina", pane_title("Notes du lundi"))
    tmux.send(app, "-l", TO_NINA)
    until(tmux, app, TO_NINA)
    tmux.send(app, "C-s")
    screen = until(tmux, app, pane_title("Notes du lundi"), "Comments (4)", TO_NINA,
                   f"{CAMILLE} (you)", gone=("Reply to Nina",))
    assert f"{BECKY} (you)" not in screen  # Camille's blog: never signed by Becky
    assert live(store, "Nina") == ("approved", False)

    quit_app(tmux, app, store)

    # The store afterwards, through cmreader's own Store.
    db = Store.open(store, create=False)
    try:
        owners = {b.title: b.owner_name for b in db.list_blogs()}
        assert owners == {"Vie de CM": BECKY, "Carnet de Camille": CAMILLE}
        posts = {p.title: p for p in db.list_posts()}
        rows = {title: db.comment_rows(p.id, show_hidden=True) for title, p in posts.items()}

        def by(title: str, author: str):
            return next(r for r in rows[title] if r.author == author and r.origin == "imported")

        # The queue: Paul approved and waiting, Spammy Bot pending again, Olga untouched.
        paul = by("Bienvenue au blog", "Paul Enattente")
        assert (paul.status, paul.needs_answer) == ("approved", True)
        spammy = by("Notes du lundi", "Spammy Bot")
        assert (spammy.status, spammy.needs_answer) == ("pending", False)
        assert by("Notes du lundi", "Olga Patiente").status == "pending"
        log = db.db.execute(
            "SELECT c.author, m.before, m.after FROM moderations m "
            "JOIN comments c ON c.id = m.comment_id ORDER BY m.id"
        ).fetchall()
        assert log == [("Paul Enattente", "pending", "approved"),
                       ("Spammy Bot", "pending", "spam"), ("Spammy Bot", "spam", "pending")]
        assert posts["Notes du lundi"].pending_count == 2
        assert posts["Bienvenue au blog"].pending_count == 0

        # The pingback: shown, never waiting, never in the inbox.
        ping = by("Episode calme", "Autre Site")
        assert (ping.type, ping.status, ping.needs_answer) == ("pingback", "approved", False)
        assert posts["Episode calme"].waiting_count == 0
        inbox = db.inbox_page(limit=-1)
        assert ping.id not in {e.comment_id for e in inbox}
        assert [e.author for e in inbox] == ["Paul Enattente", "Zoe Finale"]

        # Each reply under the comment it answers, signed by that blog's owner.
        for title, author, text, owner in (("Bienvenue au blog", "Julien", TO_JULIEN, BECKY),
                                           ("Notes du lundi", "Nina", TO_NINA, CAMILLE)):
            asked = by(title, author)
            assert not asked.needs_answer
            (reply,) = [r for r in rows[title] if r.origin == "local"]
            assert reply.parent_id == asked.id and reply.body == text
            assert (reply.status, reply.by_owner, reply.author) == ("approved", True, owner)
        assert not [r for t in rows for r in rows[t] if r.status == "draft"]

        # The long thread: 199 comments, the last one still waits (n only showed it).
        thread = rows["Le long fil"]
        assert len(thread) == 2 * LONG_PAIRS + 1
        assert [r.author for r in thread if r.needs_answer] == ["Zoe Finale"]
        assert thread[-1].author == "Zoe Finale" and thread[-1].body == LAST_QUESTION
    finally:
        db.close()

