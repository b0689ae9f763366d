"""A small HTTP/1.1 reverse proxy in front of the test site, that tests set to misbehave.

    proxy = FaultProxy(site.url)
    client = httpx.Client(base_url=proxy.url)
    proxy.drop_response(method="POST")     # the next POST reaches the site, its answer is lost
    proxy.fail(503, count=2)               # the next two requests: 503, the site never sees them
    proxy.delay(5.0, path_contains="/comments")
    proxy.down(); ...; proxy.up()          # connections refused, then back on the same port
    proxy.seen                             # [(method, target), ...] forwarded to the site
    proxy.close()

Faults are armed for the next `count` requests that match their filters (`method`,
`path_contains`), then the proxy passes requests through again. The first armed fault that matches
a request is the one used.

Everything else is passed through as it is, except the site's own address: WordPress writes
absolute URLs (the discovery Link header, Location, every "_links" and "link" in the JSON), so
``http://127.0.0.1:SITEPORT`` (and its JSON-escaped ``http:\\/\\/...`` form) is rewritten to the
proxy's address in response headers and bodies, and the Host header sent to the site is the site's
own. Client connections are kept alive (httpx pools them); each request is forwarded on a new
connection to the site (PHP's server answers one request per connection).
"""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import BinaryIO

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}
MAX_HEADER_LINE = 65536


@dataclass
class _Fault:
    kind: str  # "drop", "fail", "delay"
    count: int
    method: str | None = None
    path_contains: str | None = None
    status: int = 500
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    act_first: bool = True

    def matches(self, method: str, target: str) -> bool:
        if self.count <= 0:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path_contains is None or self.path_contains in target


class _Request:
    def __init__(
        self, method: str, target: str, version: str, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def keep_alive(self) -> bool:
        connection = (self.header("connection") or "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection


class _BadRequest(Exception):
    pass


def _read_request(reader: BinaryIO) -> _Request | None:
    line = reader.readline(MAX_HEADER_LINE)
    while line in (b"\r\n", b"\n"):  # tolerated between requests
        line = reader.readline(MAX_HEADER_LINE)
    if not line:
        return None
    try:
        method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    except ValueError as e:
        raise _BadRequest(line) from e
    headers: list[tuple[str, str]] = []
    while True:
        line = reader.readline(MAX_HEADER_LINE)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        key, _, value = line.decode("latin-1").partition(":")
        headers.append((key.strip(), value.strip()))
    request = _Request(method.upper(), target, version, headers, b"")
    if "chunked" in (request.header("transfer-encoding") or "").lower():
        chunks = []
        while True:
            size_line = reader.readline(MAX_HEADER_LINE)
            if not size_line:
                return None
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while reader.readline(MAX_HEADER_LINE) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            chunks.append(reader.read(size))
            reader.readline(MAX_HEADER_LINE)
        request.body = b"".join(chunks)
    else:
        length = int(request.header("content-length") or 0)
        request.body = reader.read(length) if length else b""
        if len(request.body) < length:
            return None
    return request


class FaultProxy:
    """A reverse proxy on 127.0.0.1 (a free port) in front of `upstream` (the site's URL)."""

    def __init__(self, upstream: str, *, timeout: float = 60.0) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or parsed.hostname is None or parsed.port is None:
            raise ValueError(f"upstream must be http://HOST:PORT, not {upstream!r}")
        self.upstream = f"http://{parsed.hostname}:{parsed.port}"
        self._up_host = parsed.hostname
        self._up_port = parsed.port
        self._timeout = timeout
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._conns: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._closed = threading.Event()
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._stop_accepting = threading.Event()
        self.seen: list[tuple[str, str]] = []
        """(method, target) of every request forwarded to the site, target as the client sent it
        (path and query)."""
        self.received: list[tuple[str, str, str | None]] = []
        """(method, target, fault) of every request the proxy read: fault is None (passed),
        "drop", "fail" or "delay"."""
        self.port = 0
        self._listen()

    # -- the tests' side --------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _arm(self, fault: _Fault) -> None:
        if fault.count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def drop_response(
        self, method: str | None = "POST", count: int = 1, *, path_contains: str | None = None
    ) -> None:
        """The next `count` matching requests reach the site, which acts and answers; the proxy
        reads the whole answer, then closes the client's connection without sending a byte."""
        self._arm(_Fault("drop", count, method, path_contains))

    def fail(
        self,
        status: int = 500,
        count: int = 1,
        method: str | None = None,
        *,
        path_contains: str | None = None,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `count` matching requests get `status` from the proxy; the site never sees
        them. `body` defaults to a short text; `headers` (e.g. Retry-After) are added."""
        if isinstance(body, str):
            body = body.encode()
        if not body:
            body = f"{status} from the test proxy\n".encode()
        self._arm(
            _Fault(
                "fail",
                count,
                method,
                path_contains,
                status=status,
                body=body,
                headers=dict(headers or {}),
            )
        )

    def delay(
        self,
        seconds: float,
        count: int = 1,
        method: str | None = None,
        *,
        path_contains: str | None = None,
        act_first: bool = True,
    ) -> None:
        """The next `count` matching requests are answered `seconds` late. act_first=True: the
        site gets the request at once (it acts), its answer is held back (a slow server);
        act_first=False: the request itself reaches the site late (a slow network)."""
        self._arm(
            _Fault("delay", count, method, path_contains, seconds=seconds, act_first=act_first)
        )

    def clear(self) -> None:
        """Disarm every fault and forget what was seen."""
        with self._lock:
            self._faults.clear()
            self.seen.clear()
            self.received.clear()

    def down(self) -> None:
        """The site unreachable: the listening socket is closed (connections refused) and open
        connections are cut. up() reopens on the same port."""
        self._stop_listening()
        self._cut_connections()

    def up(self) -> None:
        if self._listener is None and not self._closed.is_set():
            self._listen(self.port)

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    def close(self) -> None:
        """Stop the proxy: no more listening, every connection cut, its threads joined."""
        self._closed.set()
        self._stop_listening()
        self._cut_connections()
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- listening --------------------------------------------------------------------------

    def _listen(self, port: int = 0) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop_accepting = threading.Event()
        self._accepting = threading.Thread(
            target=self._accept_loop,
            args=(listener, self._stop_accepting),
            name=f"fault-proxy-{self.port}",
            daemon=True,
        )
        self._accepting.start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self._stop_accepting.set()
        if self._accepting is not None:
            self._accepting.join(timeout=5)
        listener.close()

    def _accept_loop(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            ready, _, _ = select.select([listener], [], [], 0.05)
            if not ready or stop.is_set():
                continue
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._conns.add(conn)
                self._threads.add(t)
            t.start()

    def _cut_connections(self) -> None:
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    # -- one client connection --------------------------------------------------------------

    def _take_fault(self, method: str, target: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, target):
                    fault.count -= 1
                    self._faults = [f for f in self._faults if f.count > 0]
                    return fault
        return None

    def _serve(self, conn: socket.socket) -> None:
        try:
            reader = conn.makefile("rb")
            while not self._closed.is_set():
                try:
                    request = _read_request(reader)
                except (_BadRequest, ValueError):
                    self._send(conn, 400, "Bad Request", [], b"bad request\n", keep_alive=False)
                    return
                except OSError:
                    return
                if request is None:
                    return
                if not self._handle(conn, request):
                    return
        finally:
            with self._lock:
                self._conns.discard(conn)
                self._threads.discard(threading.current_thread())
            with contextlib.suppress(OSError):
                conn.close()

    def _handle(self, conn: socket.socket, request: _Request) -> bool:
        """Answer one request; False when the connection must end."""
        target = request.target
        if "://" in target:  # absolute-form: keep only the path and the query
            parts = urllib.parse.urlsplit(target)
            target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        fault = self._take_fault(request.method, target)
        with self._lock:
            self.received.append((request.method, target, fault.kind if fault else None))
        if fault is not None and fault.kind == "fail":
            return self._send(
                conn,
                fault.status,
                "Proxy Fault",
                [("Content-Type", "text/plain; charset=utf-8"), *fault.headers.items()],
                fault.body,
                keep_alive=request.keep_alive,
            )
        if fault is not None and fault.kind == "delay" and not fault.act_first:
            if self._closed.wait(fault.seconds):
                return False
        with self._lock:
            self.seen.append((request.method, target))
        try:
            status, reason, headers, body = self._forward(request, target)
        except OSError as e:
            return self._send(
                conn,
                502,
                "Bad Gateway",
                [("Content-Type", "text/plain")],
                f"the test proxy could not reach the site: {e}\n".encode(),
                keep_alive=False,
            )
        if fault is not None and fault.kind == "drop":
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            return False
        if fault is not None and fault.kind == "delay" and fault.act_first:
            if self._closed.wait(fault.seconds):
                return False
        return self._send(
            conn,
            status,
            reason,
            headers,
            body,
            keep_alive=request.keep_alive,
            head=request.method == "HEAD",
        )

    def _forward(
        self, request: _Request, target: str
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(self._up_host, self._up_port, timeout=self._timeout)
        try:
            upstream.putrequest(request.method, target, skip_host=True, skip_accept_encoding=True)
            upstream.putheader("Host", f"{self._up_host}:{self._up_port}")
            for key, value in request.headers:
                if key.lower() in HOP_BY_HOP or key.lower() in ("host", "accept-encoding"):
                    continue
                upstream.putheader(key, value)
            upstream.putheader("Accept-Encoding", "identity")
            upstream.putheader("Connection", "close")
            if request.body or request.method in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(request.body)))
            upstream.endheaders(request.body or None)
            resp = upstream.getresponse()
            body = resp.read()
            headers = [
                (k, self._rewrite_text(v))
                for k, v in resp.getheaders()
                if k.lower() not in HOP_BY_HOP
                or (request.method == "HEAD" and k.lower() == "content-length")
            ]
            return resp.status, resp.reason, headers, self._rewrite_body(body)
        finally:
            upstream.close()

    def _rewrite_text(self, text: str) -> str:
        return text.replace(self.upstream, self.url)

    def _rewrite_body(self, body: bytes) -> bytes:
        site = self.upstream.encode()
        mine = self.url.encode()
        return body.replace(site, mine).replace(
            site.replace(b"/", b"\\/"), mine.replace(b"/", b"\\/")
        )

    def _send(
        self,
        conn: socket.socket,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        keep_alive: bool,
        head: bool = False,
    ) -> bool:
        lines = [f"HTTP/1.1 {status} {reason}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if not head and status >= 200 and status not in (204, 304):
            lines.append(f"Content-Length: {len(body)}")
        lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if not head:
            data += body
        try:
            conn.sendall(data)
        except OSError:
            return False
        return keep_alive
