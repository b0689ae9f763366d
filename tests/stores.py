"""A small French episode in a real store: the reader's tests and the journal's read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store
from cmreader.store.models import CommentRow

ARTICLE = """\
# Vie ma vie de Community Manager, épisode 3

Voici donc l'épisode 3 de ma série, avec pour sujet cette fois, **la débrouillardise**.

- facebook
- twitter

> Parfois c'est un peu lourd, on râle, on se décourage...

Un lien : [mon blog](https://becky.example.org/blog).

```
code = "[red]pas de balisage[/red]"
```

Et vous les CM, comment êtes-vous arrivés dans ce métier ?
"""

BOOTS = (
    "bonjour becky, je viens de découvrir ton sympatique blog. je fais des recherches sur "
    "le métier de community manager que je viens de découvrir et qui m'intéresse."
)
BECKY_1 = 'Salut "boots38",\nSi tu cherches des infos sur ce métier, suis des blogs pros.\nBises !'
EVOL = (
    "Avec l'évolutivité de ce métier, difficile de réussir sans avoir de capacités "
    "d'apprendre en autodidacte"
)
BECKY_2 = "Tout à fait, il faut être autonome et effectuer une veille permanente."
LAST = (
    "Bonjour,\nm'informant sur le métier de CM, je voudrais savoir si des livres vous ont "
    "aidé ? si oui lesquels ?\ncdlt"
)


def episode(key: str = "ep3", title: str = "Vie ma vie de Community Manager - épisode 3",
            published: str = "2014-03-10T08:30:00Z",
            extra: tuple[CommentRecord, ...] = ()) -> PostRecord:
    comments = (
        CommentRecord(f"{key}-c1", None, "boots38", "2014-03-10T10:00:00Z", BOOTS),
        CommentRecord(f"{key}-c2", f"{key}-c1", "Becky", "2014-03-10T12:00:00Z", BECKY_1,
                      by_owner=True),
        CommentRecord(f"{key}-c3", None, "Julien", "2014-03-11T09:00:00Z", EVOL),
        CommentRecord(f"{key}-c4", f"{key}-c3", "Becky", "2014-03-11T10:00:00Z", BECKY_2,
                      by_owner=True),
        CommentRecord(f"{key}-c5", None, "Marie", "2014-03-12T09:00:00Z", LAST),
    )
    return PostRecord(key, title, "Becky", published, ARTICLE, comments=comments + extra)


def make_store(path: Path, *posts: PostRecord) -> Store:
    """A real store at path holding posts (by default the episode), Becky its owner."""
    store = Store.open(path)
    batch = ImportBatch(source="test", format="test", posts=posts or (episode(),), owner="Becky")
    store.import_batch(batch)
    return store


def row_by_author(store: Store, post_id: int, author: str) -> CommentRow:
    return next(r for r in store.comment_rows(post_id) if r.author == author)


def first_episode(store: Store, *authors: str) -> tuple[int, list[CommentRow]]:
    """The newest episode's id and, in order, the first comment of each of these authors."""
    post_id = store.list_posts()[0].id
    return post_id, [row_by_author(store, post_id, a) for a in authors]


def query_plans(store: Store, call: Callable[[], object]) -> list[str]:
    """The query plan of each statement call runs (SQLite's own statements inside FTS5 left
    out), one line per statement: for tests that a read is served by an index."""
    ran: list[str] = []
    store.db.set_trace_callback(ran.append)
    try:
        call()
    finally:
        store.db.set_trace_callback(None)
    statements = [s for s in ran if not s.startswith("--") and "'main'." not in s]
    assert statements
    return [
        " | ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in statements
    ]
