"""The importers' fast paths give exactly what the general code gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cmreader.importers import dates


def _general(text: str) -> str | None:
    """to_utc_iso without its fast path."""
    try:
        moment = dates._parse(text.strip())
        return dates._format(moment) if moment is not None else None
    except (ValueError, OverflowError, TypeError):
        return None




@given(
    st.tuples(
        st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
        st.sampled_from(" T"), st.integers(0, 25), st.integers(0, 61), st.integers(0, 61),
    )
)
def test_wordpress_dates_read_as_the_general_parser_reads_them(parts: tuple) -> None:
    year, month, day, sep, hour, minute, second = parts
    text = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}:{second:02d}"
    assert dates.to_utc_iso(text) == _general(text)


@given(st.text(alphabet="0123456789-: T٢\n", max_size=21))
def test_date_like_text_reads_as_the_general_parser_reads_it(text: str) -> None:
    if text.strip():
        assert dates.to_utc_iso(text) == _general(text)
