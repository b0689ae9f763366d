"""The bundled sample episode, imported on the first run so a new user sees a real thread."""

from __future__ import annotations

from importlib import resources

from cmreader.store import ImportResult, Store

SAMPLE_NAME = "vie-ma-vie-de-cm-episode-3.txt"


def sample_bytes() -> bytes:
    """Episode 3 of "Vie ma vie de Community Manager", with its facts as front matter."""
    return resources.files("cmreader").joinpath("data", SAMPLE_NAME).read_bytes()


def import_sample(store: Store) -> ImportResult:
    from cmreader.importers.pagedump import parse_pagedump

    batch = parse_pagedump(f"cmreader sample: {SAMPLE_NAME}", sample_bytes())
    return store.import_batch(batch)
