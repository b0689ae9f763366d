"""Connecting a store to a live WordPress: find its API, check the password, pull it all."""

from __future__ import annotations

from urllib.parse import urlsplit

from cmreader.config import SyncSettings
from cmreader.sanitize import clean_line
from cmreader.store import Store
from cmreader.store.models import Site
from cmreader.sync import credentials
from cmreader.sync.client import AuthRefused, SiteProblem, WordPressClient, discover
from cmreader.sync.engine import SiteSynced, sync_site


def connect(
    store: Store, url: str, user: str, password: str, settings: SyncSettings
) -> tuple[Site, SiteSynced]:
    """Connect the site at url as user, then sync it (the first sync reads everything).

    A blog the store already holds from the site's export is the one connected: nothing is
    added twice. Raises SiteProblem with one line when the site or the password is refused.
    """
    api_url = discover(url, timeout=settings.timeout)
    with WordPressClient(api_url, user, password, timeout=settings.timeout) as client:
        try:
            me = client.me()
        except AuthRefused:
            raise AuthRefused(
                f"{url}: the site refused user {user!r} with this password; use an Application "
                "Password (Users > Profile > Application Passwords), not your login password"
            ) from None
        capabilities = me.get("capabilities")
        if isinstance(capabilities, dict) and not capabilities.get("moderate_comments"):
            raise SiteProblem(
                f"{url}: user {user!r} cannot moderate comments on this site; connect with an "
                "Editor's or an Administrator's account"
            )
        about = client.index()
    home = _home(about, url, api_url)
    title = clean_line(str(about.get("name") or "")) or None
    existing = store.find_blog(home)
    credentials.save(api_url, user, password)
    site = store.sites.connect(
        existing_blog=existing.id if existing is not None else None,
        api_url=api_url,
        home_url=home,
        title=title,
        user_name=user,
        user_id=str(me["id"]),
        display_name=clean_line(str(me.get("name") or "")) or None,
    )
    return site, sync_site(store, site, settings, force=True, title=title or home)


def _home(about: dict[str, object], url: str, api_url: str) -> str:
    """The site's address as it names itself, if that is the host it answers from: a site
    claiming another blog's address would otherwise be merged into that blog."""
    claimed = str(about.get("home") or about.get("url") or "").strip().rstrip("/")
    hosts = {urlsplit(url).hostname, urlsplit(api_url).hostname}
    if claimed and urlsplit(claimed).hostname in hosts and urlsplit(claimed).scheme in (
        "http", "https"
    ):
        return claimed
    return url.rstrip("/")


def disconnect(store: Store, site: Site) -> bool:
    """Forget the site's password; its episodes stay, and replies from now on stay local."""
    forgotten = credentials.forget(site.api_url)
    store.sites.disconnect(site.blog_id)
    return forgotten


def find_site(store: Store, ref: str | None) -> Site:
    """The connected site a --blog names (its address, key or title), or the only one."""
    sites = [s for s in store.sites.all() if s.connected]
    if ref is None:
        if len(sites) == 1:
            return sites[0]
        if not sites:
            raise SiteProblem("no site is connected: cmreader connect URL --user NAME")
        raise SiteProblem("several sites are connected: name one with --blog URL")
    blog = store.find_blog(ref)
    for site in sites:
        if (blog is not None and site.blog_id == blog.id) or ref.rstrip("/") in (
            site.home_url, site.api_url.rstrip("/")
        ):
            return site
    raise SiteProblem(f"{ref}: no connected site by that name")
