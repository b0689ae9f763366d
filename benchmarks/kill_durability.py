"""What kill -9 and a full disk cost a user who is typing: characters and replies lost.

python benchmarks/kill_durability.py              # 5 typing runs, 20 ctrl+s kills, 3 disk-full runs
python benchmarks/kill_durability.py --quick      # 2, 5 and 1

Drives the installed `cmreader` in a private tmux server at 80x24, on a copy of the bundled
sample, and reads the store back with `cmreader export` after each kill. The disk-full runs
need root (a 4 MB tmpfs of their own).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Tmux, cmreader_command, hermetic_env, log  # noqa: E402

SAMPLE = HERE.parent / "src" / "cmreader" / "data" / "vie-ma-vie-de-cm-episode-3.txt"
TYPED = "Merci pour ta question, je te conseille les livres de Becky sur le metier"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmreader_command(), *args], env=env, capture_output=True, text=True)


def _local_comments(store: Path, env: dict[str, str]) -> list[dict]:
    out = _run(["--db", str(store), "export"], env)
    found: list[dict] = []
    stack = [c for p in json.loads(out.stdout)["posts"] for c in p["comments"]]
    while stack:
        c = stack.pop()
        if c["origin"] == "local":
            found.append(c)
        stack.extend(c["replies"])
    return found


def _fresh_store(folder: Path, env: dict[str, str]) -> Path:
    store = folder / "s.db"
    _run(["--db", str(store), "import", str(SAMPLE)], env).check_returncode()
    return store


def _kill(tmux: Tmux, session: str) -> None:
    os.killpg(os.getpgid(tmux.pid(session)), signal.SIGKILL)
    tmux.kill(session)


def _open_composer(tmux: Tmux, store: Path) -> str:
    session = tmux.launch([*cmreader_command(), "--db", str(store)])
    tmux.wait_for(session, lambda s: "Comments (" in s)
    tmux.send(session, "r")  # the list has the focus: a comment on the episode
    tmux.wait_for(session, lambda s: "ctrl+s sends" in s)
    return session


def _come_back(tmux: Tmux, store: Path) -> None:
    """Start once more and quit: the new process replays what the killed one left."""
    session = tmux.launch([*cmreader_command(), "--db", str(store)])
    tmux.wait_for(session, lambda s: "Comments (" in s)
    time.sleep(1.0)
    tmux.send(session, "q")
    tmux.wait_for(session, lambda s: True, timeout=1)
    time.sleep(0.5)
    tmux.kill(session)


def _draft(store: Path, env: dict[str, str]) -> str:
    drafts = [c["body"] for c in _local_comments(store, env) if c["status"] == "draft"]
    return drafts[0] if drafts else ""


def steady_typing(tmux: Tmux, env: dict[str, str], runs: int) -> tuple[list[int], list[int]]:
    """Type three keys a second, never pausing, then kill -9: characters not in the store
    right after the kill, and after the next start has put the journal back."""
    in_store, after = [], []
    for n in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = _fresh_store(Path(tmp), env)
            session = _open_composer(tmux, store)
            typed = TYPED[: 30 + n]
            for letter in typed:
                tmux.send(session, "-l", letter)
                time.sleep(1 / 3)
            _kill(tmux, session)
            in_store.append(len(typed) - len(_draft(store, env)))
            _come_back(tmux, store)
            after.append(len(typed) - len(_draft(store, env)))
    return in_store, after


def ctrl_s_kills(tmux: Tmux, env: dict[str, str], tries: int) -> tuple[int, int]:
    """ctrl+s, then kill -9 10-50 ms later, then come back: (replies lost, replies doubled)."""
    lost = doubled = 0
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = _fresh_store(Path(tmp), env)
        for n in range(tries):
            text = f"Reponse {n}"
            session = _open_composer(tmux, store)
            tmux.send(session, "-l", text)
            tmux.wait_for(session, lambda s, t=text: t in s)
            tmux.send(session, "C-s")
            time.sleep(rng.uniform(0.01, 0.05))
            _kill(tmux, session)
            _come_back(tmux, store)
            bodies = [c["body"] for c in _local_comments(store, env)]
            count = bodies.count(text)
            lost += count == 0
            doubled += count > 1
    return lost, doubled


def disk_full(tmux: Tmux, env: dict[str, str], runs: int) -> tuple[int, int]:
    """A full disk while typing a 4,000-character reply: (runs, replies lost)."""
    lost = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            disk = Path(tmp) / "disk"
            disk.mkdir()
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                           check=True)
            try:
                store = _fresh_store(disk, env)
                session = _open_composer(tmux, store)
                filler = disk / "filler"
                with filler.open("wb") as fh:
                    try:
                        while True:
                            fh.write(b"\0" * 65536)
                            fh.flush()
                    except OSError:
                        pass
                text = "Une longue reponse. " * 200
                for start in range(0, len(text), 200):  # send-keys takes a short line at most
                    tmux.send(session, "-l", text[start:start + 200])
                tmux.send(session, "C-s")
                tmux.wait_for(session, lambda s: "NOT SAVED" in s, timeout=60)
                tmux.send(session, "C-q")
                tmux.wait_for(session, lambda s: "Quit anyway?" in s)
                _kill(tmux, session)  # the user gives up on the terminal altogether
                filler.unlink()
                _come_back(tmux, store)
                bodies = [c["body"] for c in _local_comments(store, env)]
                lost += text not in bodies
            finally:
                subprocess.run(["umount", "-l", str(disk)], check=False)
    return runs, lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    env = hermetic_env()
    with Tmux(80, 24) as tmux:
        log("steady typing, kill -9 ...")
        typing, typing_after = steady_typing(tmux, env, 2 if args.quick else 5)
        log("ctrl+s, kill -9 ...")
        tries = 5 if args.quick else 20
        lost, doubled = ctrl_s_kills(tmux, env, tries)
        full_runs = full_lost = 0
        if os.geteuid() == 0:
            log("disk full ...")
            full_runs, full_lost = disk_full(tmux, env, 1 if args.quick else 3)
    print(f"steady typing (3 keys/s), kill -9: characters not in the store median "
          f"{statistics.median(typing)}, max {max(typing)} {typing}; lost after the next start "
          f"(the journal put back) max {max(typing_after)} {typing_after} "
          "(floor: at most 3, one second of typing)")
    print(f"kill -9 10-50 ms after ctrl+s: replies lost {lost} of {tries}, doubled {doubled}"
          " (floor: 0)")
    if full_runs:
        print(f"disk full while replying: replies lost {full_lost} of {full_runs} (floor: 0)")
    else:
        print("disk full: not run (needs root to mount a small tmpfs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
