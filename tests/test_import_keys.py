"""The importers' shared helpers: stable digests, repeated keys, majorities, the XML root."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from cmreader.importers import _root_name
from cmreader.importers.keys import UniqueKeys, digest, origin
from cmreader.importers.owners import most_named
from cmreader.importers.xmlroot import root_start


def test_digest_is_the_one_every_stored_key_was_made_with() -> None:
    # Keys already in stores were made this way: the same text must give the same key.
    joined = "Zoé\x1f2014-03-10\x1fmerci"
    assert digest("Zoé", "2014-03-10", "merci") == hashlib.sha1(joined.encode()).hexdigest()[:16]
    assert digest("texte seul") == hashlib.sha1(b"texte seul").hexdigest()[:16]
    assert digest("ab", "c") != digest("a", "bc")


def _first_free(keys: list[str], suffixed) -> list[str]:
    """What the importers did before: scan the suffixes from the start for every key."""
    out: list[str] = []
    for key in keys:
        candidate, n = key, 1
        while candidate in out:
            n += 1
            candidate = suffixed(key, n)
        out.append(candidate)
    return out


@given(st.lists(st.sampled_from(["a", "a#2", "a#3", "b", "a+", "a++", "a:2"]), max_size=30))
def test_unique_keys_give_what_the_scans_gave(keys: list[str]) -> None:
    for suffixed in (
        lambda k, n: f"{k}#{n}",
        lambda k, n: k + "+" * (n - 1),
        lambda k, n: f"{k}:{n}",
    ):
        unique = UniqueKeys(suffixed)
        assert [unique(k) for k in keys] == _first_free(keys, suffixed)


def test_many_copies_of_one_key_stay_fast_and_distinct() -> None:
    unique = UniqueKeys(lambda k, n: k + "+" * (n - 1))
    keys = [unique("disqus:f:p~same") for _ in range(5000)]
    assert len(set(keys)) == 5000 and keys[2] == "disqus:f:p~same++"


def test_most_named_takes_the_first_among_equals() -> None:
    assert most_named(["b", "a", "a", "b", "c"]) == "b"
    assert most_named(["a", "b", "b"]) == "b"
    assert most_named([]) is None


def test_origin() -> None:
    assert origin("https://blog.example.org/2014/03/x/?p=1#c") == "https://blog.example.org"
    assert origin("/relative/path") == ""
    assert origin("http://[::1") == ""


def test_root_start_skips_the_prolog() -> None:
    xml = b'\xef\xbb\xbf <?xml version="1.0"?>\n<!-- <no> --><!DOCTYPE x><rss version="2.0">'
    assert xml[root_start(xml) :].startswith(b"<rss ")
    assert _root_name(xml) == b"rss"
    assert _root_name(b"<wp:feed xmlns:wp='urn:x'/>") == b"feed"
    assert root_start(b"<!-- never closed <rss>") is None
    assert root_start(b"no markup") is None
