"""Fixtures of the WordPress sync's tests: one real site per test run, emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from wordpress.proxy import FaultProxy
from wordpress.site import WordPressSite


@pytest.fixture(scope="session")
def wordpress_site() -> Iterator[WordPressSite]:
    """The run's WordPress (started on first use, stopped at the end). Tests take `wordpress`."""
    site = WordPressSite.start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def wordpress(wordpress_site: WordPressSite) -> WordPressSite:
    """The site, empty: no posts or comments, the install-time Application Passwords only."""
    wordpress_site.reset()
    return wordpress_site


@pytest.fixture
def fault_proxy(wordpress: WordPressSite) -> Iterator[FaultProxy]:
    """A FaultProxy in front of the empty site; point the client at fault_proxy.url."""
    proxy = FaultProxy(wordpress.url)
    try:
        yield proxy
    finally:
        proxy.close()
