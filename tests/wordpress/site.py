"""A real, private WordPress for the tests: Debian's packages, its own MariaDB and PHP server.

    site = WordPressSite.start()
    site.url                      # "http://127.0.0.1:PORT", REST API under /wp-json/
    site.admin, site.admin_password
    post = site.add_post("Hello", "<p>Hi</p>")
    site.add_comment(post, "First!")
    ...
    site.stop()

What it needs on the machine (``.ci/run`` installs them):

- ``php-cli php-mysql php-xml php-mbstring php-curl mariadb-server`` (Debian 12: PHP 8.2, MariaDB
  10.11), as system packages;
- the .deb files of ``wordpress php-getid3 libjs-underscore libjs-cropper`` in
  ``$CMREADER_WP_DEBS`` or else ``<repo>/.ci/debs/``. They are fetched there with
  ``apt-get download`` when missing (Debian's archive must be reachable, ``apt-get update`` done).
  WordPress is never installed into the system (the package would pull in Apache): each run unpacks
  it into a temporary folder of its own.

Each run lives in one short folder ``/tmp/cmwpXXXXXXXX`` (the MariaDB socket's path must stay short)
holding the unpacked tree, the database and the logs. The processes it starts (mariadbd, ``php -S``
and its workers, the agent) are stopped by their own ids in ``stop()``, which ``atexit`` also calls;
they also get SIGTERM if the Python process dies without it.

Changes behind the REST API's back (a moderator in wp-admin, a post edited, bulk data) go through
``php/agent.php``: one PHP process with WordPress loaded, driven over a pipe with one line of JSON
per command, so each call costs milliseconds and uses WordPress's own functions.

Dates given to and returned by the methods are UTC (``date_gmt`` in the REST API); the site's
timezone is UTC unless a test changes ``timezone_string`` with ``set_option``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import datetime as dt
import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PHP_DIR = HERE / "php"
REPO = HERE.parents[1]

DEB_PACKAGES = ("wordpress", "php-getid3", "libjs-underscore", "libjs-cropper")
SYSTEM_PACKAGES = "php-cli php-mysql php-xml php-mbstring php-curl mariadb-server"
INSTALL_HINT = f"apt-get install --no-install-recommends {SYSTEM_PACKAGES} (.ci/run installs them)"
COMMENT_STATUSES = ("approved", "hold", "spam", "trash")

# php -S under a watchdog shell in the same process group: when its stdin closes (stop(), or the
# Python process dies however it dies), it sends SIGINT to the whole group, on which php -S ends
# its workers and waits for them. The shell itself ignores that SIGINT and waits for php, so no
# process of the group is left for init to reap (slowly). When php stops by itself (the port was
# taken), the shell ends too.
PHP_WATCHDOG = """
exec 3<&0
"$@" </dev/null &
php=$!
{ read -r _ <&3; kill -INT 0; } &
exec 3<&-
trap '' INT
wait "$php"
"""

Date = dt.datetime | str | None


class WordPressUnavailable(RuntimeError):
    """Something the site needs is not on this machine: the message says what to install."""


class WordPressError(RuntimeError):
    """The site failed to start, or a command to it failed."""


def debs_dir() -> Path:
    """Where the WordPress .deb files are kept: $CMREADER_WP_DEBS, else <repo>/.ci/debs/."""
    env = os.environ.get("CMREADER_WP_DEBS")
    return Path(env) if env else REPO / ".ci" / "debs"


def _find_deb(folder: Path, package: str) -> Path | None:
    found = sorted(folder.glob(f"{package}_*.deb"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def ensure_debs(folder: Path | None = None) -> list[Path]:
    """The .deb files WordPress is unpacked from; ``apt-get download`` fetches missing ones."""
    folder = debs_dir() if folder is None else folder
    missing = [p for p in DEB_PACKAGES if not folder.is_dir() or _find_deb(folder, p) is None]
    if missing:
        if shutil.which("apt-get") is None:
            raise WordPressUnavailable(
                f"the .deb files of {' '.join(missing)} are not in {folder} and there is no "
                "apt-get to download them: copy them there (or set CMREADER_WP_DEBS)"
            )
        folder.mkdir(parents=True, exist_ok=True)
        # Into a folder of our own first: another run may be looking at `folder` meanwhile.
        part = Path(tempfile.mkdtemp(prefix=".download-", dir=folder))
        try:
            done = subprocess.run(
                ["apt-get", "download", "-q", *missing],
                cwd=part,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0:
                raise WordPressUnavailable(
                    f"apt-get download {' '.join(missing)} failed (into {folder}); run "
                    f"`apt-get update` once, or put the .deb files there yourself "
                    f"(or set CMREADER_WP_DEBS):\n{done.stderr.strip()}"
                )
            for deb in part.glob("*.deb"):
                deb.replace(folder / deb.name)
        finally:
            shutil.rmtree(part, ignore_errors=True)
    debs = [_find_deb(folder, p) for p in DEB_PACKAGES]
    if any(d is None for d in debs):
        raise WordPressUnavailable(f"apt-get download left no .deb of {missing} in {folder}")
    return [d for d in debs if d is not None]


def _require_tools() -> dict[str, str]:
    tools = {}
    for name in ("php", "mariadbd", "mariadb-install-db", "mariadb", "dpkg-deb"):
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
        if path is None:
            what = "dpkg" if name == "dpkg-deb" else INSTALL_HINT
            raise WordPressUnavailable(f"`{name}` is not installed: {what}")
        tools[name] = path
    done = subprocess.run(
        [
            tools["php"],
            "-r",
            'foreach (["mysqli", "xml", "mbstring", "curl"] as $e) {'
            ' if (!extension_loaded($e)) echo "php-$e "; }',
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    if done.returncode != 0 or done.stdout.strip():
        missing = done.stdout.strip().replace("php-mysqli", "php-mysql") or done.stderr.strip()
        raise WordPressUnavailable(f"PHP lacks {missing}: {INSTALL_HINT}")
    return tools


def _php_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gmt(date: Date) -> str | None:
    """A date for WordPress's *_gmt columns: aware datetimes are converted, naive ones are UTC."""
    if date is None:
        return None
    if isinstance(date, str):
        date = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
    if date.tzinfo is not None:
        date = date.astimezone(dt.UTC).replace(tzinfo=None)
    return date.strftime("%Y-%m-%d %H:%M:%S")


_libc: Any = None
with contextlib.suppress(OSError):
    _libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _alive(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_stale_runs() -> None:
    """Remove the folders of runs whose Python process was killed before it could clean up (its
    servers die with it): those with an owner file naming a process that is gone."""
    for run in Path("/tmp").glob("cmwp*"):
        try:
            if run.stat().st_uid != os.geteuid() or not (run / "owner").is_file():
                continue
            if _alive(run / "owner") or _alive(run / "db" / "mariadbd.pid"):
                continue
        except OSError:
            continue
        shutil.rmtree(run, ignore_errors=True)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class _Agent:
    """The PHP process that runs php/agent.php: one JSON line each way per command."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log
        self._buffer = b""
        self._lock = threading.Lock()
        self._broken: str | None = None

    def _read_line(self, timeout: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                # Its answer may still come: it would be taken for the next command's.
                self._broken = f"the site's agent did not answer in {timeout:.0f} s"
                raise WordPressError(self._broken)
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    self._broken = f"the site's agent stopped (exit {self.proc.poll()})"
                    raise WordPressError(f"{self._broken}:\n{self._logs()}")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _logs(self) -> str:
        return _tail(self.log) + "\n" + _tail(self.log.parent / "php-errors.log")

    def ready(self, timeout: float) -> None:
        reply = json.loads(self._read_line(timeout))
        if not reply.get("ok"):
            raise WordPressError(f"the site's agent did not start: {reply}")

    def call(self, op: str, timeout: float = 60.0, **args: Any) -> Any:
        with self._lock:
            if self._broken:
                raise WordPressError(f"{op}: {self._broken}; the site must be restarted")
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(json.dumps({"op": op, "args": args}).encode() + b"\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError) as e:
                self._broken = "the site's agent is gone"
                raise WordPressError(f"{self._broken}:\n{self._logs()}") from e
            reply = json.loads(self._read_line(timeout))
        if not reply["ok"]:
            raise WordPressError(f"{op}: {reply['error']}")
        return reply["result"]


class WordPressSite:
    """One running WordPress site; ``WordPressSite.start()`` makes it, ``stop()`` ends it."""

    def __init__(self) -> None:
        self.run_dir: Path | None = None
        self.wordpress_dir: Path | None = None
        self.port = 0
        self.users: dict[str, dict[str, Any]] = {}
        self.startup_seconds = 0.0
        self._mariadbd: subprocess.Popen[bytes] | None = None
        self._php: subprocess.Popen[bytes] | None = None
        self._agent: _Agent | None = None
        self._env: dict[str, str] = {}
        self._tools: dict[str, str] = {}

    # -- starting and stopping -------------------------------------------------------------

    @classmethod
    def start(cls, *, debs: Path | None = None, workers: int = 4) -> WordPressSite:
        """Unpack, install and serve a fresh site; raises WordPressUnavailable if a package is
        missing, WordPressError if it does not come up."""
        site = cls()
        started = time.monotonic()
        site._tools = _require_tools()
        atexit.register(site.stop)
        try:
            site._start(ensure_debs(debs), workers)
        except BaseException:
            site.stop()
            raise
        site.startup_seconds = time.monotonic() - started
        return site

    def __enter__(self) -> WordPressSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _popen(
        self,
        args: list[str],
        log: Path,
        *,
        env: dict[str, str] | None = None,
        die_with_parent: bool = False,
        **kw: Any,
    ) -> subprocess.Popen[bytes]:
        # PR_SET_PDEATHSIG fires when the *thread* that started the child ends: main thread only.
        tie = die_with_parent and threading.current_thread() is threading.main_thread()
        with log.open("ab") as out:
            return subprocess.Popen(
                args,
                stdout=kw.pop("stdout", out),
                stderr=out,
                stdin=kw.pop("stdin", subprocess.DEVNULL),
                env=self._env if env is None else env,
                start_new_session=True,
                preexec_fn=_die_with_parent if tie else None,
                **kw,
            )

    def _start(self, debs: list[Path], workers: int) -> None:
        tools = self._tools
        _sweep_stale_runs()
        run = self.run_dir = Path(tempfile.mkdtemp(prefix="cmwp", dir="/tmp"))
        (run / "owner").write_text(str(os.getpid()))
        root, db, logs = run / "root", run / "db", run / "logs"
        logs.mkdir()
        # Nothing of the user's (HOME, XDG folders, ~/.my.cnf) reaches the site's processes.
        self._env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin",
            "HOME": str(run),
            "TMPDIR": str(run),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
        }

        # The tree and the database's files at once: they do not depend on each other.
        unpacking = [
            subprocess.Popen(
                [tools["dpkg-deb"], "-x", str(deb), str(root)],
                stderr=subprocess.PIPE,
                env=self._env,
            )
            for deb in debs
        ]
        install_db = subprocess.Popen(
            [
                tools["mariadb-install-db"],
                "--no-defaults",
                *self._as_root(),
                f"--datadir={db}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                *self._mariadb_options(),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=self._env,
        )
        for proc, deb in zip(unpacking, debs, strict=True):
            _, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                raise WordPressError(f"dpkg-deb -x {deb} failed: {err.decode(errors='replace')}")
        out, _ = install_db.communicate(timeout=120)
        if install_db.returncode != 0:
            raise WordPressError(f"mariadb-install-db failed:\n{out.decode(errors='replace')}")

        sock = db / "sock"
        self._mariadbd = self._popen(
            [
                tools["mariadbd"],
                "--no-defaults",
                *self._as_root(),
                f"--datadir={db}",
                f"--socket={sock}",
                f"--pid-file={db / 'mariadbd.pid'}",
                "--skip-networking",
                "--skip-log-bin",
                f"--log-error={logs / 'mariadbd.log'}",
                *self._mariadb_options(),
            ],
            logs / "mariadbd.out",
            die_with_parent=True,
        )
        # Meanwhile: the tree, with our configuration.
        wp = self.wordpress_dir = root / "usr" / "share" / "wordpress"
        self._fix_links(root)
        self.port = _free_port()
        self._write_config(sock)
        mu = wp / "wp-content" / "mu-plugins"
        mu.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PHP_DIR / "cmreader-test.php", mu / "cmreader-test.php")

        self._wait_for_socket(sock, timeout=60)
        self._sql("CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci")

        done = subprocess.run(
            [tools["php"], str(PHP_DIR / "install.php"), str(wp), self.url],
            capture_output=True,
            env=self._env,
            timeout=120,
        )
        lines = done.stdout.decode(errors="replace").strip().splitlines()
        if done.returncode != 0 or not lines:
            raise WordPressError(
                "installing WordPress failed:\n"
                + done.stdout.decode(errors="replace")
                + done.stderr.decode(errors="replace")
                + _tail(logs / "php-errors.log")
            )
        self.users = json.loads(lines[-1])["users"]

        self._start_php(workers)
        self._agent = _Agent(
            self._popen(
                [tools["php"], str(PHP_DIR / "agent.php"), str(wp), self.url],
                logs / "agent.log",
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            ),
            logs / "agent.log",
        )
        self._wait_for_http(timeout=30)
        self._agent.ready(timeout=30)
        self.reset()  # the posts, page and comment wp_install() makes

    @staticmethod
    def _as_root() -> list[str]:
        # mariadbd refuses to run as root unless told to; any other user runs it as themselves.
        return ["--user=root"] if os.geteuid() == 0 else []

    @staticmethod
    def _mariadb_options() -> list[str]:
        # A throwaway database: small, and no waiting on the disk.
        return [
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--sync-frm=0",
            "--character-set-server=utf8mb4",
        ]

    def _fix_links(self, root: Path) -> None:
        """WordPress's tree links into /usr/share/{javascript,php} (relative links, which land
        in the unpacked copies) and into /etc: keep the ones that resolve inside `root`, send the
        absolute ones into `root`, drop the rest (.htaccess, the CA bundle)."""
        wp = root / "usr" / "share" / "wordpress"
        for dirpath, dirnames, filenames in os.walk(wp):
            for name in dirnames + filenames:
                link = Path(dirpath) / name
                if not link.is_symlink():
                    continue
                target = os.readlink(link)
                if os.path.isabs(target):
                    inside = root / target.lstrip("/")
                    link.unlink()
                    if inside.exists():
                        link.symlink_to(inside)
                elif not link.resolve().is_relative_to(root.resolve()) or not link.exists():
                    link.unlink()

    def _write_config(self, sock: Path) -> None:
        assert self.wordpress_dir is not None and self.run_dir is not None
        text = (PHP_DIR / "wp-config.php").read_text()
        for key, value in {
            "DB_HOST": f"localhost:{sock}",
            "URL": self.url,
            "ERROR_LOG": str(self.run_dir / "logs" / "php-errors.log"),
        }.items():
            text = text.replace(f"'@@{key}@@'", _php_literal(value))
        (self.wordpress_dir / "wp-config.php").write_text(text)

    def _start_php(self, workers: int) -> None:
        assert self.wordpress_dir is not None and self.run_dir is not None
        log = self.run_dir / "logs" / "php-server.log"
        env = dict(self._env, PHP_CLI_SERVER_WORKERS=str(workers))
        for attempt in range(3):
            args = [
                *("-d", "opcache.enable_cli=1", "-d", "display_errors=0", "-d", "log_errors=1"),
                *("-S", f"127.0.0.1:{self.port}", "-t", str(self.wordpress_dir)),
                str(PHP_DIR / "router.php"),
            ]
            self._php = self._popen(
                ["sh", "-c", PHP_WATCHDOG, "cmwp-php", self._tools["php"], *args],
                log,
                env=env,
                stdin=subprocess.PIPE,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self._php.poll() is None:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", self.port), timeout=1),
                ):
                    return
                time.sleep(0.02)
            # php stopped (the port was taken meanwhile?): again on another port.
            self._stop_php()
            if attempt < 2:
                self.port = _free_port()
                self._write_config(self.run_dir / "db" / "sock")
        raise WordPressError("php -S did not start:\n" + _tail(log))

    def _wait_for_socket(self, sock: Path, timeout: float) -> None:
        assert self._mariadbd is not None and self.run_dir is not None
        deadline = time.monotonic() + timeout
        while True:
            if self._mariadbd.poll() is not None:
                raise WordPressError(
                    "mariadbd stopped at start:\n" + _tail(self.run_dir / "logs" / "mariadbd.log")
                )
            if sock.exists():
                with socket.socket(socket.AF_UNIX) as s, contextlib.suppress(OSError):
                    s.connect(str(sock))
                    return
            if time.monotonic() > deadline:
                raise WordPressError(f"mariadbd did not open {sock} in {timeout:.0f} s")
            time.sleep(0.02)

    def _wait_for_http(self, timeout: float) -> None:
        assert self.run_dir is not None
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", "/wp-json/")
                resp = conn.getresponse()
                body = resp.read()
                if resp.status == 200:
                    return
                last = f"{resp.status} {body[:300]!r}"
            except OSError as e:
                last = str(e)
            finally:
                conn.close()
            time.sleep(0.05)
        raise WordPressError(
            f"/wp-json/ did not answer 200 ({last}):\n"
            + _tail(self.run_dir / "logs" / "php-server.log")
            + _tail(self.run_dir / "logs" / "php-errors.log")
        )

    def _sql(self, sql: str) -> str:
        """One statement through the mariadb client, as root on the private socket."""
        assert self.run_dir is not None
        done = subprocess.run(
            [
                self._tools["mariadb"],
                "--no-defaults",
                "-uroot",
                f"--socket={self.run_dir / 'db' / 'sock'}",
                "--batch",
                "--skip-column-names",
                "-e",
                sql,
            ],
            capture_output=True,
            text=True,
            env=self._env,
            timeout=60,
        )
        if done.returncode != 0:
            raise WordPressError(f"mariadb: {sql}: {done.stderr.strip()}")
        return done.stdout

    def _stop_php(self) -> None:
        proc, self._php = self._php, None
        if proc is None:
            return
        # Closing the watchdog's stdin makes it SIGINT the process group (see PHP_WATCHDOG);
        # then signals to the group ourselves, if it lingers.
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        steps = [(None, 5.0), (signal.SIGINT, 5.0), (signal.SIGKILL, 5.0)]
        for sig, wait in steps:
            if sig is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=wait)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except (ProcessLookupError, PermissionError):
                    return
                time.sleep(0.01)

    @staticmethod
    def _stop_process(proc: subprocess.Popen[bytes] | None, wait: float) -> None:
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop every process of the site (by id) and remove its folder; safe to call twice."""
        atexit.unregister(self.stop)
        agent, self._agent = self._agent, None
        if agent is not None:
            with contextlib.suppress(OSError):
                assert agent.proc.stdin is not None
                agent.proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                agent.proc.wait(timeout=2)
            self._stop_process(agent.proc, 2)
            if agent.proc.stdout is not None:
                agent.proc.stdout.close()
        self._stop_php()
        mariadbd, self._mariadbd = self._mariadbd, None
        self._stop_process(mariadbd, 20)
        run, self.run_dir = self.run_dir, None
        if run is not None:
            shutil.rmtree(run, ignore_errors=True)

    # -- what tests read -------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The REST API's root, as the discovery Link header gives it."""
        return f"{self.url}/wp-json/"

    @property
    def admin(self) -> str:
        return "admin"

    @property
    def admin_password(self) -> str:
        """The Application Password of "admin" made at install (reset() puts it back)."""
        return str(self.users["admin"]["password"])

    def password(self, user: str = "admin") -> str:
        """The install-time Application Password of "admin", "editor" or "author"."""
        return str(self.users[user]["password"])

    def credentials(self, user: str = "admin") -> tuple[str, str]:
        """(login, Application Password): an httpx ``auth=``."""
        return (user, self.password(user))

    def user_id(self, user: str) -> int:
        return int(self.users[user]["id"])

    # -- what tests do behind the REST API's back ------------------------------------------

    def _call(self, op: str, timeout: float = 60.0, **args: Any) -> Any:
        if self._agent is None:
            raise WordPressError("the site is stopped")
        return self._agent.call(op, timeout=timeout, **args)

    def new_app_password(self, user: str = "admin", name: str | None = None) -> str:
        """A new Application Password for `user` (name: unique "cmreader-N" by default;
        WordPress refuses a name the user already has)."""
        return str(self._call("new_app_password", user=user, name=name))

    def revoke_app_passwords(self, user: str = "admin") -> None:
        """Revoke every Application Password of `user` (reset() gives back the original)."""
        self._call("revoke_app_passwords", user=user)

    def add_post(
        self,
        title: str,
        content: str = "",
        *,
        status: str = "publish",
        date: Date = None,
        author: str = "admin",
    ) -> int:
        """A post made with wp_insert_post(); `date` is UTC (default: now)."""
        return int(
            self._call(
                "add_post",
                title=title,
                content=content,
                status=status,
                date=_gmt(date),
                author=author,
            )
        )

    def update_post(
        self, post_id: int, *, title: str | None = None, content: str | None = None
    ) -> None:
        """Edit a post as wp-admin would; its modified date moves forward by at least a second."""
        self._call("update_post", id=post_id, title=title, content=content)

    def set_post_status(self, post_id: int, status: str) -> None:
        """ "publish", "draft", "private", "trash" (its comments become "post-trashed"), or
        "deleted" (gone, with its comments)."""
        self._call("set_post_status", id=post_id, status=status)

    def add_comment(
        self,
        post_id: int,
        content: str,
        *,
        author: str | None = None,
        email: str | None = None,
        parent: int = 0,
        status: str = "approved",
        user: str | None = None,
        date: Date = None,
    ) -> int:
        """A comment made with wp_insert_comment(), as if it came in through the blog's form.

        author/email default to "Ann" / "ann@example.org", or to the user's name and email when
        `user` ("admin", "editor", "author") is given. status: approved, hold, spam or trash (a
        trashed comment remembers it was approved, as wp-admin's trash does). `date` is UTC.
        """
        if status not in COMMENT_STATUSES:
            raise ValueError(f"status must be one of {COMMENT_STATUSES}, not {status!r}")
        return int(
            self._call(
                "add_comment",
                post=post_id,
                content=content,
                author=author,
                email=email,
                parent=parent,
                status=status,
                user=user,
                date=_gmt(date),
            )
        )

    def set_comment_status(self, comment_id: int, status: str) -> None:
        """Moderate as wp-admin does: "approved", "hold", "spam", "trash", "unspam", "untrash"
        (approving a comment in the trash or the spam restores it first)."""
        self._call("set_comment_status", id=comment_id, status=status)

    def update_comment(self, comment_id: int, content: str) -> None:
        """Edit a comment's text as wp-admin would."""
        self._call("update_comment", id=comment_id, content=content)

    def delete_comment(self, comment_id: int) -> None:
        """Delete a comment for good (wp-admin's "Delete Permanently"); its replies stay, moved
        up to its parent, as WordPress does."""
        self._call("delete_comment", id=comment_id)

    def comments(self, post_id: int | None = None) -> list[dict[str, Any]]:
        """Every comment whatever its status, straight from the database, by id: dicts of id,
        post, parent, content, status ("approved", "hold", "spam", "trash", "post-trashed"),
        author, email, user_id, date (UTC, "YYYY-MM-DDTHH:MM:SS", as the REST API's date_gmt),
        type."""
        return list(self._call("comments", post=post_id))

    def posts(self) -> list[dict[str, Any]]:
        """Every post (not pages) whatever its status, by id: dicts of id, title, status, author
        (user id), date, modified (UTC, as the REST API's *_gmt), comment_count."""
        return list(self._call("posts"))

    def seed(self, posts: int, comments_per_post: int) -> None:
        """Bulk data, fast (batch SQL): `posts` published posts a day apart, each with
        `comments_per_post` approved comments a minute apart, all in the past; every fourth
        comment starts a thread and the next three answer one another."""
        self._call("seed", timeout=300, posts=posts, comments_per_post=comments_per_post)

    def get_option(self, name: str) -> Any:
        return self._call("get_option", name=name)

    def set_option(self, name: str, value: Any) -> None:
        """update_option() (e.g. "timezone_string", "comment_moderation"); reset() undoes it."""
        self._call("set_option", name=name, value=value)

    def sql(self, sql: str) -> list[dict[str, Any]]:
        """One SQL statement through WordPress's $wpdb (tables are wp_*); rows of a SELECT."""
        return list(self._call("sql", sql=sql))

    def reset(self) -> None:
        """An empty site again: no posts, pages or comments; the install-time Application
        Passwords only; options changed by set_option() back as they were."""
        self._call("reset")
