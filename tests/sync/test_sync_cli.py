"""`cmreader connect`, `sync` and `disconnect` as a user runs them, and where the password goes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cmreader.sync.client import SiteProblem, WordPressClient
from cmreader.sync.credentials import credentials_path


def _cmreader(*args: str, password: str | None = None, stdin: str | None = None):
    env = dict(os.environ)
    env.pop("CMREADER_WP_PASSWORD", None)
    if password is not None:
        env["CMREADER_WP_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "cmreader", *args], env=env, input=stdin or "",
        capture_output=True, text=True, timeout=120,
    )


def test_connect_sync_disconnect_and_the_password_stays_in_its_file(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "Hello there", author="Ann")
    password = wordpress.admin_password
    done = _cmreader("connect", wordpress.url, "--user", "admin", password=password)
    assert done.returncode == 0, done.stderr
    assert f"connected {wordpress.url} as admin" in done.stdout
    assert "1 new episodes, 1 new comments" in done.stdout
    assert password not in done.stdout + done.stderr

    saved = credentials_path()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) & 0o077 == 0
    assert password in saved.read_text()
    store_file = Path(os.environ["CMREADER_DB"])
    for path in store_file.parent.glob(store_file.name + "*"):
        assert password.encode() not in path.read_bytes()
        assert password.replace(" ", "").encode() not in path.read_bytes()
    export = _cmreader("export", "--format", "json")
    assert export.returncode == 0 and password not in export.stdout
    assert "Hello there" in export.stdout

    wordpress.add_comment(post, "Second visit", author="Bob")
    again = _cmreader("sync")
    assert again.returncode == 0, again.stderr
    assert "0 new episodes, 1 new comments" in again.stdout

    gone = _cmreader("disconnect")
    assert gone.returncode == 0 and "password is forgotten" in gone.stdout
    assert password not in saved.read_text()
    after = _cmreader("sync")
    assert after.returncode == 1
    assert after.stderr.strip() == (
        "cmreader: no site is connected: cmreader connect URL --user NAME"
    )


def test_the_password_can_come_on_standard_input(wordpress):
    wordpress.add_post("Episode", "")
    done = _cmreader(
        "connect", wordpress.url, "--user", "admin", stdin=wordpress.admin_password + "\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(credentials_path().read_text())[wordpress.api_url]["user"] == "admin"


def test_a_wrong_password_is_one_line_and_stores_nothing(wordpress):
    done = _cmreader("connect", wordpress.url, "--user", "admin", password="abcd efgh ijkl")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Application Password" in done.stderr
    assert wordpress.url in done.stderr and "Traceback" not in done.stderr
    assert not credentials_path().exists()
    listed = _cmreader("list")
    assert listed.stdout == ""


def test_an_unreachable_address_is_one_line():
    done = _cmreader("connect", "http://127.0.0.1:9", "--user", "admin", password="x")
    assert done.returncode == 1
    assert done.stderr.strip() == "cmreader: http://127.0.0.1:9: site unreachable"


def test_a_password_file_others_can_read_is_refused(wordpress):
    wordpress.add_post("Episode", "")
    assert _cmreader(
        "connect", wordpress.url, "--user", "admin", password=wordpress.admin_password
    ).returncode == 0
    credentials_path().chmod(0o644)
    done = _cmreader("sync")
    assert done.returncode == 1 and "chmod 600" in done.stderr


class _Recorder(BaseHTTPRequestHandler):
    """Answers every request with a redirect to `target`, or (as the target) records it."""

    target = ""
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        type(self).seen.append(dict(self.headers))
        if self.target:
            self.send_response(302)
            self.send_header("Location", self.target)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_credentials_are_never_sent_on_a_redirect_to_another_host():
    target = type("Target", (_Recorder,), {"target": "", "seen": []})
    landing = _serve(target)
    redirect = type(
        "Redirect", (_Recorder,),
        {"target": f"http://localhost:{landing.server_port}/wp-json/wp/v2/users/me", "seen": []},
    )
    start = _serve(redirect)
    try:
        client = WordPressClient(f"http://127.0.0.1:{start.server_port}/wp-json/", "admin", "pw")
        with pytest.raises(SiteProblem, match="another host"):
            client.me()
        assert "Authorization" in redirect.seen[0]
        assert target.seen == []
    finally:
        start.shutdown()
        landing.shutdown()


class _Endless(BaseHTTPRequestHandler):
    """A hostile server: a JSON answer that never ends, or an error message with escapes."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        if "users/me" in self.path:
            body = json.dumps({"code": "x\x1b]52;c;cHduZWQ=\x07", "message":
                               "Nope \x1b[2J&#8217;<b>bold</b> [red]markup[/red]"}).encode()
            self.send_response(418)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.end_headers()  # no length: the answer runs until the connection ends
        try:
            self.wfile.write(b"[" + b'{"id": 1},' * 100_000)
            while True:
                self.wfile.write(b'{"id": 1},' * 1000)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_hostile_server_can_neither_flood_nor_write_on_the_terminal(monkeypatch):
    from cmreader.sync import client as client_module

    monkeypatch.setattr(client_module, "MAX_ANSWER", 1 << 20)
    server = _serve(_Endless)
    try:
        client = WordPressClient(f"http://127.0.0.1:{server.server_port}/wp-json/", "a", "b")
        with pytest.raises(SiteProblem, match="over 1 MB"):
            list(client.pages("wp/v2/comments", {}))
        with pytest.raises(SiteProblem) as refused:
            client.me()
        said = refused.value.reason
        assert "\x1b" not in said and "\x07" not in said
        assert said.startswith("418: Nope ’") and "[red]markup[/red]" in said
    finally:
        server.shutdown()
