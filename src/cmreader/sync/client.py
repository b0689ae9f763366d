"""A WordPress REST API client (httpx): knows no screen and no SQL, only the site's answers."""

from __future__ import annotations

import html
import ipaddress
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from cmreader import __version__
from cmreader.errors import CmreaderError
from cmreader.sanitize import clean_excerpt

API_REL = "https://api.w.org/"
PER_PAGE = 100  # the most WordPress gives in one page (101 is a 400)
MAX_ANSWER = 32 << 20  # bytes: a page of 100 comments is well under a megabyte
ANSWER_TIME = 120.0  # seconds to read one answer whole, however steadily it trickles in
PREFETCH = 2  # pages asked for ahead of the one being read: two requests at a time at most
_REDIRECTS = 3
# A GET is safe to repeat: tried again on a dropped connection or a 5xx, after these pauses.
_GET_RETRY_PAUSES = (0.3, 1.0)


class SiteProblem(CmreaderError):
    """Talking to the site failed; `reason` is the short line shown beside what waits."""

    def __init__(self, reason: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code


class Unreachable(SiteProblem):
    """No answer: the site is down, the network is, or it was slower than the timeout. A
    request that was sent may still have been carried out."""


class AuthRefused(SiteProblem):
    """401 (the user name or Application Password is wrong, or was revoked), or a 403 that
    refuses the user anything: the sync stops. Other 403s refuse one change (a comment on a
    draft, moderation by an author): only that change waits."""


class ServerFailed(SiteProblem):
    """A 5xx: the site is there but failed; the request may or may not have been done."""


def is_local(host: str) -> bool:
    """Addresses that never leave the machine: plain http is allowed only to these."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_address(url: str) -> str:
    """The URL if cmreader may send a password to it: https, or http to this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteProblem(f"{url}: not a web address (https://...)")
    if parts.scheme == "http" and not is_local(parts.hostname):
        raise SiteProblem(
            f"{url}: plain http would send your password in clear; use https:// "
            "(http is allowed only for localhost)"
        )
    return url


def _said(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of a WordPress error answer, cleaned: the server's words are untrusted."""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    # WordPress HTML-encodes its messages ("doesn&#8217;t"): shown as the text they say.
    return (
        clean_excerpt(str(data.get("code") or ""), 60),
        clean_excerpt(html.unescape(str(data.get("message") or "")), 160),
    )


class WordPressClient:
    """Calls on one site's REST API as one user, with an Application Password."""

    def __init__(
        self,
        api_url: str,
        user: str,
        password: str,
        *,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = check_address(api_url)
        self._http = httpx.Client(
            auth=httpx.BasicAuth(user, password),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,  # followed by hand: never with the password to another host
            headers={"User-Agent": f"cmreader/{__version__}", "Accept": "application/json"},
            transport=transport,
            # HTTPS_PROXY and SSL_CERT_FILE as the user set them (no .netrc: auth is given).
            trust_env=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -------------------------------------------------------------------------

    def _url(self, route: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Where a route lives: /wp-json/ROUTE, or ?rest_route=/ROUTE on sites without pretty
        permalinks (the API address the site announced says which)."""
        if "rest_route=" in self.api_url:
            base = self.api_url.split("?", 1)[0]
            return base, {"rest_route": "/" + route.lstrip("/"), **params}
        return self.api_url.rstrip("/") + "/" + route.lstrip("/"), params

    def request(
        self, method: str, route: str, *, params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> httpx.Response:
        url, query = self._url(route, params or {})
        pauses = iter(_GET_RETRY_PAUSES if method == "GET" else ())
        while True:
            try:
                response = self._send(method, url, query, json)
            except (Unreachable, ServerFailed):
                pause = next(pauses, None)
                if pause is None:
                    raise
                time.sleep(pause)
                continue
            return response

    def _send(
        self, method: str, url: str, params: dict[str, Any], json: dict[str, Any] | None
    ) -> httpx.Response:
        origin = urlsplit(url)
        for _ in range(_REDIRECTS + 1):
            try:
                response = self._read(self._http.build_request(
                    method, url, params=params, json=json
                ))
            except httpx.TimeoutException:
                raise Unreachable("site unreachable: no answer in time") from None
            except httpx.TransportError:
                raise Unreachable("site unreachable") from None
            if response.is_redirect and method == "GET":
                target = urljoin(url, response.headers.get("Location", ""))
                moved = urlsplit(target)
                if moved.hostname != origin.hostname or (moved.port != origin.port
                                                         and moved.scheme == origin.scheme):
                    raise SiteProblem(
                        f"the site redirected to another host ({clean_excerpt(target, 80)}): "
                        "your password was not sent there"
                    )
                check_address(target)
                url, params = target, {}
                continue
            return self._checked(response)
        raise SiteProblem("the site redirects in a loop")

    def _read(self, request: httpx.Request) -> httpx.Response:
        """The answer, read whole, but never more than MAX_ANSWER bytes nor for longer than
        ANSWER_TIME: a server that sends without end (or a byte at a time, each within the
        timeout) is a site failing, not one to wait for."""
        streamed = self._http.send(request, stream=True)
        try:
            started = time.monotonic()
            body = bytearray()
            for chunk in streamed.iter_bytes():
                body += chunk
                if len(body) > MAX_ANSWER:
                    raise SiteProblem(f"the site's answer is over {MAX_ANSWER >> 20} MB")
                if time.monotonic() - started > ANSWER_TIME:
                    raise Unreachable("site unreachable: its answer never ends")
        finally:
            streamed.close()
        # The body as read (decoded already): its encoding and length headers no longer apply.
        headers = [(k, v) for k, v in streamed.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length")]
        return httpx.Response(streamed.status_code, headers=headers, content=bytes(body),
                              request=request)

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 300:
            return response
        code, message = _said(response)
        detail = f": {message}" if message else ""
        if status == 401:
            raise AuthRefused(f"401: password wrong or revoked{detail}", status=status, code=code)
        if status == 403 and code in ("rest_forbidden", "rest_cannot_view", "rest_not_logged_in"):
            raise AuthRefused(f"403: this user may not do this{detail}", status=status, code=code)
        if status >= 500:
            raise ServerFailed(f"{status}: the site failed{detail}", status=status, code=code)
        if 300 <= status < 400:
            raise SiteProblem(f"{status}: the site redirected a write", status=status)
        raise SiteProblem(f"{status}{detail or ': refused'}", status=status, code=code)

    def json(self, method: str, route: str, **kwargs: Any) -> Any:
        response = self.request(method, route, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise SiteProblem("the site's answer is not JSON: is this a WordPress API?") from None

    def pages(self, route: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Every page of a listing, PER_PAGE at a time, in order. Once the first page says how
        many there are, the next PREFETCH are asked for while the caller reads: a site answers
        a page in tens of milliseconds, and a pull of thousands would wait for each in turn."""
        first = self._page(route, params, 1)
        yield first[0]
        total = first[1]
        if not first[0] or total <= 1:
            return
        pending = [self._ahead(route, params, n) for n in range(2, min(total, 1 + PREFETCH) + 1)]
        following = 2 + len(pending)
        while pending:
            items, _ = pending.pop(0).result()
            if following <= total:
                pending.append(self._ahead(route, params, following))
                following += 1
            yield items
            if not items:
                return

    def _ahead(self, route: str, params: dict[str, Any], page: int) -> Future[Any]:
        """A page asked for in a thread of its own. A daemon: a reader quitting in the middle
        of a pull does not wait for the site's answer (the store knows what was not done)."""
        future: Future[Any] = Future()

        def fetch() -> None:
            try:
                future.set_result(self._page(route, params, page))
            except BaseException as exc:
                future.set_exception(exc)

        threading.Thread(target=fetch, name="cmreader-page", daemon=True).start()
        return future

    def _page(
        self, route: str, params: dict[str, Any], page: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page's items, and how many pages the site says there are."""
        response = self.request("GET", route, params={**params, "per_page": PER_PAGE, "page": page})
        try:
            items = response.json()
        except ValueError:
            raise SiteProblem("the site's answer is not JSON") from None
        if not isinstance(items, list):
            raise SiteProblem("the site's answer is not a list")
        try:
            total = int(response.headers.get("X-WP-TotalPages", "0"))
        except ValueError:
            total = 0
        return [item for item in items if isinstance(item, dict)], total

    # -- what the sync asks ---------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        found = self.json("GET", "wp/v2/users/me", params={"context": "edit"})
        if not isinstance(found, dict) or "id" not in found:
            raise SiteProblem("the site did not say who you are (wp/v2/users/me)")
        return found

    def index(self) -> dict[str, Any]:
        found = self.json("GET", "")
        return found if isinstance(found, dict) else {}


def discover(url: str, *, timeout: float = 20.0,
             transport: httpx.BaseTransport | None = None) -> str:
    """The REST API address a WordPress site announces (its `Link: rel="https://api.w.org/"`
    header), asked without credentials."""
    check_address(url)
    with httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=True,  # no credentials are sent here: a moved site is found
        headers={"User-Agent": f"cmreader/{__version__}"},
        transport=transport,
        trust_env=True,
        max_redirects=_REDIRECTS,
    ) as http:
        try:
            response = http.head(url)
            if response.status_code >= 400 or "link" not in response.headers:
                response = http.get(url)
        except httpx.TooManyRedirects:
            raise SiteProblem(f"{url}: the site redirects in a loop") from None
        except httpx.TransportError:
            raise Unreachable(f"{url}: site unreachable") from None
    for link in response.links.values():
        if link.get("rel") == API_REL and link.get("url"):
            return check_address(urljoin(str(response.url), link["url"]))
    raise SiteProblem(
        f"{url}: no WordPress REST API announced (no Link header with rel=\"{API_REL}\")"
    )
