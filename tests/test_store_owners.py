"""Replies signed by the owner of their episode's blog, and the config's [blogs] owners."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmreader.cli import cli
from cmreader.config import load_config
from cmreader.errors import CmreaderError, StoreError
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store


def _import(store: Store, blog: str, owner: str | None, *, url: str | None = None) -> int:
    """One episode of the blog, with a question by Zoé and one by `Rebecca`; its post id."""
    record = BlogRecord(key=f"test:{blog}", kind="test", title=blog, url=url, owner_name=owner)
    comments = (
        CommentRecord(f"{blog}-q", None, "Zoé", "2014-03-02T10:00:00Z", "une question"),
        CommentRecord(f"{blog}-r", None, "Rebecca", "2014-03-03T10:00:00Z", "une remarque"),
    )
    post = PostRecord(f"{blog}-p", f"Chez {blog}", "Auteur", "2014-03-01T08:00:00Z", "Texte",
                      comments=comments)
    store.import_batch(ImportBatch(source=blog, format="test", posts=(post,), owner=owner,
                                   blog=record))
    return store.find_post(f"{blog}-p").id  # type: ignore[union-attr]


def _question(store: Store, post_id: int) -> int:
    return next(r.id for r in store.comment_rows(post_id) if r.author == "Zoé")


def test_a_reply_carries_the_owner_of_its_own_blog(store: Store) -> None:
    becky = _import(store, "becky", "Becky")
    marc = _import(store, "marc", "Marc")
    assert store.owner_name() == "Becky"  # the first import's: never the second blog's
    on_marc = store.send_reply(marc, _question(store, marc), "Merci !")
    on_becky = store.send_reply(becky, _question(store, becky), "Merci !")
    assert (on_marc.author, on_marc.by_owner) == ("Marc", True)
    assert (on_becky.author, on_becky.by_owner) == ("Becky", True)


def test_a_blog_with_no_owner_of_its_own_gets_the_stores(store: Store) -> None:
    post = _import(store, "anon", None)
    store.set_owner("Ada")
    assert store.send_reply(post, _question(store, post), "Merci !").author == "Ada"


def test_a_blogs_owner_named_here_signs_its_replies_and_answers_there_only(store: Store) -> None:
    becky = _import(store, "becky", "Becky")
    marc = _import(store, "marc", "Marc")
    blog = store.find_blog("test:becky")
    assert blog is not None
    draft = store.save_draft(becky, _question(store, becky), "à finir")
    assert len(store.needs_answer()) == 4
    store.set_blog_owner(blog.id, "Rebecca")
    # Rebecca's comment on her blog is hers now; on Marc's blog she is a reader like any other.
    waiting = {(e.post_id, e.author) for e in store.needs_answer()}
    assert waiting == {(becky, "Zoé"), (marc, "Zoé"), (marc, "Rebecca")}
    assert store.inbox_count() == 3
    sent = store.send_reply(becky, _question(store, becky), "à finir, fini")
    assert sent.id == draft and sent.author == "Rebecca"  # signed when sent, not when drafted
    assert store.send_reply(marc, _question(store, marc), "Merci").author == "Marc"
    assert {b.key: b.owner_name for b in store.list_blogs()} == {
        "test:becky": "Rebecca", "test:marc": "Marc"
    }


def test_setting_a_blogs_owner_is_refused_without_a_blog_or_a_name(store: Store) -> None:
    _import(store, "becky", "Becky")
    with pytest.raises(StoreError, match="no blog 99"):
        store.set_blog_owner(99, "Rebecca")
    with pytest.raises(StoreError, match="needs a name"):
        store.set_blog_owner(1, "  ")


def test_a_blog_is_found_by_its_key_or_its_address(store: Store) -> None:
    _import(store, "becky", "Becky", url="https://becky.example.org")
    for ref in ("test:becky", "https://becky.example.org", "https://becky.example.org/",
                "http://Becky.Example.org/"):
        blog = store.find_blog(ref)
        assert blog is not None and blog.key == "test:becky", ref
    assert store.find_blog("https://other.example.org/") is None
    assert store.find_blog("becky") is None


# -- the config file ----------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_names_an_owner_per_blog(tmp_path: Path) -> None:
    path = _config(tmp_path, 'owner = "Ada"\n[blogs."https://example.org/"]\nowner = "Becky"\n'
                             '[blogs."wxr:https://marc.example.org"]\nowner = "Marc"\n')
    config = load_config(path)
    assert config.owner == "Ada"
    assert config.blog_owners == {
        "https://example.org/": "Becky", "wxr:https://marc.example.org": "Marc"
    }
    assert load_config(_config(tmp_path, 'owner = "Ada"\n')).blog_owners == {}


@pytest.mark.parametrize("text", [
    "blogs = 3\n",
    '[blogs]\n"https://example.org/" = "Becky"\n',
    '[blogs."https://example.org/"]\n',
    '[blogs."https://example.org/"]\nowner = 7\n',
    '[blogs."https://example.org/"]\nowner = " "\n',
    '[blogs."https://example.org/"]\nowner = "Becky"\nower = "Becky"\n',
])
def test_a_bad_blogs_table_is_one_line_naming_the_file(tmp_path: Path, text: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(CmreaderError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "blogs" in message


def test_the_configs_blog_owners_reach_the_store_when_it_opens(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store.open(db)
    becky = _import(store, "becky", "Becky", url="https://becky.example.org")
    marc = _import(store, "marc", "Marc")
    store.close()
    Path(os.environ["CMREADER_CONFIG"]).write_text(
        '[blogs."https://becky.example.org/"]\nowner = "Rebecca"\n'
        '[blogs."https://not-imported.example.org/"]\nowner = "Nobody"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["inbox"], env={"CMREADER_DB": str(db)},
                                catch_exceptions=False)
    assert result.exit_code == 0
    # Rebecca's comment on her own blog is an answer now; on Marc's it still waits.
    assert "Chez becky  Rebecca" not in result.output and "Chez becky  Zoé" in result.output
    assert "Chez marc  Rebecca" in result.output
    store = Store.open(db)
    try:
        assert {b.key: b.owner_name for b in store.list_blogs()} == {
            "test:becky": "Rebecca", "test:marc": "Marc"
        }
        assert store.send_reply(becky, _question(store, becky), "Merci").author == "Rebecca"
        assert store.send_reply(marc, _question(store, marc), "Merci").author == "Marc"
    finally:
        store.close()
