"""The `cmreader` command: import, export, list, inbox and bad input.

Most tests invoke the command group in this process (click's CliRunner). Those about what
main() makes of an error (one line, its exit status, a traceback with --debug) run the real
command, since the runner does not go through main().
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmreader.cli import cli

WELL_FORMED = [
    "wordpress/themeunittestdata.wordpress.xml",
    "wordpress/64-block-test-data.xml",
    "wordpress/a11y-unit-test-data.xml",
    "wordpress/missing-version-tag.xml",
    "wordpress/namespace-edge-cases.xml",
    "wordpress/slashes.xml",
    "wordpress/valid-wxr-1.0.xml",
    "wordpress/valid-wxr-1.1.xml",
    "wordpress/wordpress-com-2008.wxr",
    "wordpress/wxr-comprehensive.xml",
    "wordpress/wxr-utf-8-challenges.xml",
    "blogger/blogger-export-2008.xml",
    "blogger/blogger-threaded-example.xml",
    "blogger/blogger-takeout-example.atom",
    "disqus/disqus-example.xml",
    "disqus/isso-disqus.xml",
    "page-dumps/bitsquid-2015-06-directx-sdk.md",
]
BROKEN = ["wordpress/crazy-cdata.xml", "wordpress/malformed.xml"]

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol9;</title></channel></rss>
"""


def invoke(*args: str, db: Path) -> Result:
    """The command group in this process on the store db. An exception the command lets out
    fails the test (only its own sys.exit gives an exit code)."""
    return CliRunner().invoke(cli, list(args), env={"CMREADER_DB": str(db)},
                              catch_exceptions=False)


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The real command (python -m cmreader), through main()'s error handling."""
    env = dict(os.environ, CMREADER_DB=str(db))
    return subprocess.run(
        [sys.executable, "-m", "cmreader", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def export(db: Path) -> dict:
    result = invoke("export", "--format", "json", db=db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def walk(comments: list[dict], depth: int = 0):
    for c in comments:
        yield c, depth
        yield from walk(c["replies"], depth + 1)


def test_import_sample_then_again_adds_nothing(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "s.db"
    first = invoke("import", str(sample_path), db=db)
    assert first.exit_code == 0, first.stderr
    assert "added 1 episode, 5 comments; already there 0 episodes, 0 comments" in first.stdout
    before = export(db)
    second = invoke("import", str(sample_path), db=db)
    assert "added 0 episodes, 0 comments; already there 1 episode, 5 comments" in second.stdout
    assert export(db) == before


def test_json_export_follows_the_contract(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    data = export(db)
    assert data["format"] == "cmreader-export/2"
    (post,) = data["posts"]
    assert set(post) == {
        "id", "title", "author", "published", "source", "body", "comments", "status", "blog"
    }
    assert post["status"] == "publish" and post["blog"]["title"] == "Le blog de Becky"
    assert post["author"] == "Becky" and post["source"] == str(sample_path)
    flat = list(walk(post["comments"]))
    assert [d for _, d in flat] == [0, 1, 0, 1, 0]
    for comment, _ in flat:
        assert set(comment) == {
            "id",
            "author",
            "published",
            "body",
            "status",
            "origin",
            "by_owner",
            "needs_answer",
            "replies",
            "type",
        }
        assert comment["status"] == "approved" and comment["origin"] == "imported"
    assert [c["needs_answer"] for c, _ in flat] == [False, False, False, False, True]
    assert [c["by_owner"] for c, _ in flat] == [False, True, False, True, False]
    assert flat[0][0]["author"] == "boots38"


def test_export_markdown_one_post_to_a_file(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    post_id = export(db)["posts"][0]["id"]
    out = tmp_path / "ep3.md"
    result = invoke("export", "--format", "markdown", "--post", post_id, "-o", str(out), db=db)
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert text.startswith("# ") and "**boots38**" in text and "waits for an answer" in text


def test_export_of_an_unknown_episode_is_one_line_and_exit_1(
    tmp_path: Path, sample_path: Path
) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    missing = run("export", "--post", "nope", db=db)
    assert missing.returncode == 1 and "no episode 'nope'" in missing.stderr


def test_every_well_formed_fixture_imports_whole_and_twice_changes_nothing(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    db = tmp_path / "all.db"
    files = [str(fixtures_dir / name) for name in WELL_FORMED]
    first = invoke("import", *files, db=db)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count("added") == len(files)
    before = export(db)
    again = invoke("import", *files, db=db)
    assert again.exit_code == 0 and "added 0 episodes, 0 comments" in again.stdout
    assert export(db) == before
    by_source: dict[str, list[dict]] = {}
    for post in before["posts"]:
        by_source.setdefault(Path(post["source"]).name, []).append(post)
    theme = by_source["themeunittestdata.wordpress.xml"]
    assert sum(len(list(walk(p["comments"]))) for p in theme) == 33
    deepest = max(d for p in theme for _, d in walk(p["comments"]))
    assert deepest == 9  # ten levels: depth 0 to 9
    blogger = by_source["blogger-export-2008.xml"]
    assert len(blogger) == 4 and sum(len(list(walk(p["comments"]))) for p in blogger) == 3
    for name in ("blogger-threaded-example.xml", "disqus-example.xml"):
        (post,) = by_source[name]
        (top,) = post["comments"]
        assert len(top["replies"]) == 1, name


@pytest.mark.parametrize("name", BROKEN)
def test_broken_fixtures_are_refused_and_change_nothing(
    tmp_path: Path, fixtures_dir: Path, sample_path: Path, name: str
) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    before = export(db)
    result = invoke("import", str(fixtures_dir / name), db=db)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(fixtures_dir / name) in lines[0], result.stderr
    assert export(db) == before


BAD_INPUTS = {
    "missing.xml": None,
    "empty.xml": b"",
    "binary.bin": bytes(range(256)) * 4,
    "truncated.xml": b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">'
    b"<channel><item><title>Cut</title>",
    "bomb.xml": BOMB,
    "unknown.json": b'{"posts": []}',
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_one_line_and_a_non_zero_exit(
    tmp_path: Path, sample_path: Path, name: str
) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    before_bytes = export(db)
    path = tmp_path / name
    if BAD_INPUTS[name] is not None:
        path.write_bytes(BAD_INPUTS[name])
    result = invoke("import", str(path), db=db)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert export(db) == before_bytes


def test_bad_file_never_creates_a_store(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    (tmp_path / "empty.xml").write_bytes(b"")
    result = invoke("import", str(tmp_path / "empty.xml"), db=db)
    assert result.exit_code == 1 and not db.exists()


def test_foreign_store_gets_one_line(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my notes, not a database")
    result = run("import", str(sample_path), db=db)
    assert result.returncode == 1 and "not an SQLite file" in result.stderr
    assert db.read_text() == "my notes, not a database"
    assert run("--debug", "list", db=db).stderr.count("Traceback") == 1


def test_list_and_inbox(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    listing = invoke("list", db=db)
    assert "(5 comments, 1 waiting)" in listing.stdout
    inbox = invoke("inbox", db=db)
    assert inbox.stdout.count("\n") == 1 and "Bonjour, m'informant" in inbox.stdout


def test_debug_shows_the_traceback_of_an_import_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    cut = tmp_path / "cut.xml"
    cut.write_text('<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">'
                   "<channel><item><title>Half", encoding="utf-8")
    plain = invoke("import", str(cut), db=db)
    assert plain.exit_code == 1 and "Traceback" not in plain.stderr
    debug = invoke("--debug", "import", str(cut), db=db)
    assert debug.exit_code == 1 and "Traceback" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip()  # the same last line


def test_the_configs_owner_reaches_the_store_once(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke("import", str(sample_path), db=db)
    config = Path(os.environ["CMREADER_CONFIG"])
    config.write_text('owner = "Ada"\n', encoding="utf-8")
    assert invoke("list", db=db).exit_code == 0
    from cmreader.store import Store

    store = Store.open(db)
    try:
        assert store.owner_name() == "Ada"
    finally:
        store.close()


def test_a_damaged_disqus_file_is_not_told_to_try_pagedump(tmp_path: Path) -> None:


    broken = tmp_path / "disqus.xml"
    broken.write_bytes(b"\x1f garbage\n<?xml version='1.0'?>\n<disqus xmlns='http://disqus.com'>"
                       b"<thread dsq:id='1'>")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(cli, ["--db", str(db), "import", str(broken)])
    assert done.exit_code != 0
    assert "damaged Disqus export" in done.output and "pagedump" not in done.output
