"""The XML reader refuses every DTD wherever the prolog hides it, and reads the rest alike."""

from __future__ import annotations

import pytest

from cmreader.errors import ImportFailed
from cmreader.importers.xmlsafe import parse_xml, parse_xml_noting

REFUSED = "refused: the XML declares a DTD or entities (possible XML bomb)"
DOCTYPE = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    "data",
    [
        DOCTYPE + b"<r>&x;</r>",
        b'<?xml version="1.0"?>\n<!-- <r> in a comment -->\n' + DOCTYPE + b"<r>&x;</r>",
        b"<?pi <r>?>" + DOCTYPE + b"<r/>",
        b"\xef\xbb\xbf  \n" + DOCTYPE + b"<r/>",
        b"<!DOCTYPE r SYSTEM 'http://example.org/r.dtd'><r/>",
        b"<!DOCTYPE r><r/>",  # no declarations at all: still a DTD
        ('<?xml version="1.0" encoding="UTF-16"?>' + DOCTYPE.decode() + "<r/>").encode("utf-16"),
        b'<?xml version="1.0" encoding="ISO-8859-1"?>' + DOCTYPE + b"<r>\xe9</r>",
    ],
)
def test_every_dtd_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFailed) as failure:
        parse_xml("x.xml", data)
    assert failure.value.problem == REFUSED


def test_an_entity_without_a_dtd_is_not_expanded() -> None:
    # No DTD, so nothing declares &x;: an unknown entity is an error, never a fetch.
    with pytest.raises(ImportFailed, match="not well-formed XML"):
        parse_xml("x.xml", b"<r>&x;</r>")


def test_a_doctype_after_the_root_is_not_well_formed() -> None:
    with pytest.raises(ImportFailed, match="not well-formed XML"):
        parse_xml("x.xml", b"<r/>" + DOCTYPE)


def test_documents_without_a_dtd_read_whole() -> None:
    root, notes = parse_xml_noting(
        "x.xml",
        b'<?xml version="1.0"?><!-- c --><?pi x?><r xmlns:a="urn:a"><a:b c="1">&amp;&#233;'
        b"<![CDATA[<i>]]></a:b>&nbsp;</r>",
    )
    child = root[0]
    assert (root.tag, child.tag, child.get("c"), child.text) == ("r", "{urn:a}b", "1", "&é<i>")
    assert child.tail == "\xa0"
    assert notes == {}
