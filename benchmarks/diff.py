"""`clientgen diff` on a large spec: GitHub's REST description against itself with one operation removed.

    python benchmarks/diff.py [--runs 5] [--spec ../shared/specs/big-github-api.json]

Runs the command as a user does (a fresh process each time, `-q`, its report to /dev/null) and prints the median
wall-clock seconds (target: under 2 s), the seconds of its stages (load, validate, build twice; the comparison),
and, as the peer run in the same invocation, a Python process that only parses the two files: the least any diff
must do. The pair is made in a temporary folder: the first operation of the spec removed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "specs" / "big-github-api.json"
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def _without_one_operation(spec: Path, folder: Path) -> tuple[Path, str]:
    document = json.loads(spec.read_text(encoding="utf-8"))
    path, item = next(iter(document["paths"].items()))
    method = next(m for m in METHODS if m in item)
    del item[method]
    copy = folder / "one-removed.json"
    copy.write_text(json.dumps(document), encoding="utf-8")
    return copy, f"{method.upper()} {path}"


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, *command], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


PARSE = "import json, sys\nfor name in sys.argv[1:]:\n    with open(name, 'rb') as file:\n        json.load(file)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", type=Path, default=SPEC)
    options = parser.parse_args()
    if not options.spec.is_file():
        raise SystemExit(f"{options.spec} is missing: this benchmark needs ../shared/specs (or --spec)")
    with tempfile.TemporaryDirectory() as folder:
        other, removed = _without_one_operation(options.spec, Path(folder))
        diff = ["-m", "generator", "diff", "--fail-on", "none", str(options.spec), str(other)]
        parse = ["-c", PARSE, str(options.spec), str(other)]
        diff_runs, parse_runs = [], []
        for _ in range(options.runs):
            diff_runs.append(_seconds([*diff, "-q"]))
            parse_runs.append(_seconds(parse))
        stages = subprocess.run([sys.executable, *diff, "-v"], capture_output=True, text=True).stderr.splitlines()
    timings = next((line for line in stages if line.startswith("timings:")), "timings: (none printed)")
    seconds, floor = statistics.median(diff_runs), statistics.median(parse_runs)
    print(f"spec: {options.spec.name}, against itself without {removed}; median of {options.runs} runs")
    print(f"clientgen diff: {seconds:.2f} s (target: under 2 s)")
    print(f"  {timings}")
    print(f"parsing the two files in a fresh process (the peer): {floor:.2f} s; diff / parse = {seconds / floor:.1f}x")


if __name__ == "__main__":
    main()
