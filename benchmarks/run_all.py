"""Run every benchmark, each in its own process, and print one table of the figures.

python benchmarks/run_all.py            # from the repository root; a minute once the data exists
python benchmarks/run_all.py --quick    # fewer runs, for a smoke test
python benchmarks/run_all.py --growth   # the first screen on the wide and deep stores too
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import PYTHON, dataset_store, dataset_xml, log  # noqa: E402

SCRIPTS = [
    ("bench_import.py", ["--runs", "9", "--breakdown"], ["--runs", "2", "--breakdown"]),
    ("bench_search.py", ["--repeat", "9"], ["--repeat", "3"]),
    ("bench_lists.py", ["--repeat", "21"], ["--repeat", "5"]),
    ("bench_list_screens.py", ["--runs", "7"], ["--runs", "2"]),
    ("bench_startup.py", ["--runs", "15"], ["--runs", "2"]),
    ("bench_sync.py", ["--runs", "5"], ["--runs", "2"]),
    (
        "bench_thread.py",
        ["--rounds", "4", "--processes", "2"],
        ["--rounds", "2", "--processes", "1"],
    ),
]

# What --growth adds to a script's arguments.
GROWTH_ARGS = {"bench_startup.py": ["--datasets", "big,wide,deep"]}


def _format(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.1f} {unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per benchmark")
    parser.add_argument(
        "--growth",
        action="store_true",
        help="also the first screen with 10,000 episodes and with 1,000,000 comments "
        "(the first time builds those stores: several minutes)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    # (Each benchmark compiles the package to bytecode first: common.compile_package.)
    # Build the data once, up front, so no benchmark pays for it.
    dataset_xml("import-12k")
    dataset_store("big")
    if args.growth:
        dataset_store("wide")
        dataset_store("deep")
    results: list[dict] = []
    failed: list[str] = []
    for script, full, quick in SCRIPTS:
        log(f"== {script}")
        extra = GROWTH_ARGS.get(script, []) if args.growth else []
        done = subprocess.run(
            [PYTHON, str(HERE / script), *(quick if args.quick else full), *extra],
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in done.stdout.splitlines():
            if line.startswith("RESULT "):
                results.append(json.loads(line[len("RESULT ") :]))
        if done.returncode != 0:
            failed.append(script)
            log(f"{script} failed (exit {done.returncode})")

    rows = [("metric", "median", "target", "result", "data")]
    for r in results:
        verdict = "-" if r["passed"] is None else ("pass" if r["passed"] else "FAIL")
        rows.append((r["metric"], _format(r["value"], r["unit"]), r["target"], verdict, r["data"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in results:
        if r["detail"]:
            print(f"{r['metric']}: {r['detail']}")
    print(
        f"\n{len(results)} figures in {time.perf_counter() - started:.0f} s"
        + (f"; failed to run: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
