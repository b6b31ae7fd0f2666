"""Generation time, memory and output size of clientgen against openapi-python-client (OPC), side by side.

    python benchmarks/generate.py [--runs 5] [--specs upvest,github] [--skip-opc]

Run it with the interpreter clientgen is installed in (`.venv/bin/python`). OPC is installed, at the version pinned
in OPC_VERSION, into its own virtual environment `benchmarks/.venv-opc` (created on the first run, reused after).
Specs come from `../shared/specs/` beside the repository: Upvest's published 1.9.0 spec and GitHub's REST API spec.

Both tools run as whole processes, interleaved (one run of each in turn, alternating which goes first) so that
machine load affects both alike; every figure is the median of --runs runs, with the minimum and maximum beside it:

- cold generate: a fresh output folder and an empty CLIENTGEN_CACHE_DIR each run; validation and formatting
  included (clientgen runs black in-process; OPC runs its default post-hooks, ruff check --fix-only and ruff format);
- peak RSS: the largest single process of the tree (the kernel's ru_maxrss from wait4, which covers every
  descendant that was waited for), and the sum over the tree, sampled from /proc every SAMPLE_INTERVAL seconds;
- warm regenerate: a copy of the spec is generated once, then each run changes one operation's summary and
  regenerates into the same output folder with the same cache folder (OPC has no cache: its time is for comparison);
- import: `import <package>` plus constructing a `Client(base_url=...)` in a fresh interpreter, bytecode caches
  warm (one untimed import first), each package in a virtual environment of just the dependencies it declares
  (`benchmarks/.venv-client-<tool>`, made once), as its users install it;
- lines of code: non-blank lines of the generated package's .py files, per operation of the spec.

Prints a Markdown table (targets from issue 7) to stdout, progress to stderr. Always exits 0 (it is a report),
except 2 when ../shared/specs is missing or the interpreter lacks clientgen.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
SHARED_SPECS = REPO.parent / "shared" / "specs"
SPECS = {
    "upvest": SHARED_SPECS / "upvest" / "upvest-investment-api-1.9.0.yaml",
    "github": SHARED_SPECS / "big-github-api.json",
}
#: The latest openapi-python-client release at the time of writing; it supports Python 3.11.
OPC_VERSION = "0.29.1"
OPC_VENV = REPO / "benchmarks" / ".venv-opc"
OPC_BIN = OPC_VENV / "bin"
#: OPC's default post-hooks (its config.py, for the default meta type): they need `ruff` on PATH, else OPC skips them.
OPC_POST_HOOKS = "ruff check --fix-only . && ruff format ."
#: Import name of the clientgen package; the minimal configuration sets nothing else.
PACKAGE = "bench_client"
BASE_URL = "https://api.example.com"
SAMPLE_INTERVAL = 0.05
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Issue 7's targets: cold time ratio and peak memory ratio (clientgen / OPC), warm regenerate, import time.
COLD_RATIO_TARGET = {"upvest": 0.5, "github": 1.0}
MEMORY_RATIO_TARGET = 1.0
WARM_SECONDS_TARGET = {"upvest": 1.0}
WARM_FRACTION_TARGET = {"github": 0.15}
IMPORT_SECONDS_TARGET = {"github": 0.3}


@dataclass
class Run:
    """One whole-process run: wall time, peak RSS of the largest process and of the tree (KiB), exit code."""

    seconds: float
    max_rss_kib: int
    tree_rss_kib: int
    returncode: int
    log: Path


@dataclass
class Series:
    """The runs of one tool on one measure; `failure` says why there are none (or why they stopped)."""

    runs: list[Run] = field(default_factory=list)
    failure: str | None = None
    notes: list[str] = field(default_factory=list)

    def values(self, key: Callable[[Run], float]) -> list[float]:
        return [key(run) for run in self.runs]


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants from /proc until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self._stop_event = threading.Event()
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kib = max(self.peak_kib, self._tree_rss_kib())
            self._stop_event.wait(SAMPLE_INTERVAL)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def _tree_rss_kib(self) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    text = stat.read()
            except OSError:
                continue  # the process ended meanwhile
            fields = text[text.rfind(b")") + 2 :].split()
            pid = int(entry.name)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * self._page_kib
        tree = {self.root}
        grown = True
        while grown:
            before = len(tree)
            tree.update(pid for pid, parent in parents.items() if parent in tree)
            grown = len(tree) != before
        return sum(rss.get(pid, 0) for pid in tree)


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Run:
    """Run `command` to completion; its wall time, and peak RSS of its largest process and of its whole tree."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # Linux: wait4's ru_maxrss is the larger of the process's own peak and that of its largest waited-for
        # descendant (black, ruff, pool workers), so it is the largest single process of the tree.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss, max(sampler.peak_kib, usage.ru_maxrss), process.returncode, log)


def log_tail(log: Path, lines: int = 3) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " / ".join(line.strip()[:200] for line in text[-lines:])


# --- the two tools --------------------------------------------------------------------------------------------------


def ensure_opc() -> str:
    """Create or reuse benchmarks/.venv-opc with the pinned OPC; return its version line."""
    executable = OPC_BIN / "openapi-python-client"
    if executable.exists():
        version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout.strip()
        if version.endswith(OPC_VERSION):
            return version
    print(f"installing openapi-python-client=={OPC_VERSION} into {OPC_VENV}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", OPC_VENV], check=True)
    subprocess.run(
        [OPC_BIN / "python", "-m", "pip", "install", "-q", f"openapi-python-client=={OPC_VERSION}"], check=True
    )
    return subprocess.run([executable, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def clientgen_command(spec: Path, output: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(output), "--config", str(config)]


def opc_command(spec: Path, output: Path) -> list[str]:
    return [
        str(OPC_BIN / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(output),
        "--overwrite",
    ]


def base_env() -> dict[str, str]:
    """The environment both tools run in: this one, except that Python may write bytecode caches, as it does for
    their users (with PYTHONDONTWRITEBYTECODE set, every run would compile the tools' own modules again)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def clientgen_env(cache: Path) -> dict[str, str]:
    return {**base_env(), "CLIENTGEN_CACHE_DIR": str(cache)}


def opc_env() -> dict[str, str]:
    return {**base_env(), "PATH": f"{OPC_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def opc_package(output: Path) -> Path | None:
    """The package folder OPC generated (named after the spec's title)."""
    for candidate in sorted(output.glob("*/client.py")):
        if (candidate.parent / "__init__.py").is_file():
            return candidate.parent
    return None


def clientgen_package(output: Path) -> Path | None:
    package = output / PACKAGE
    return package if (package / "__init__.py").is_file() else None


# --- the spec ------------------------------------------------------------------------------------------------------


def load_spec(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # a dependency of clientgen, so present wherever the benchmark can run

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def operations(spec: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in (spec.get("paths") or {}).items()
        if isinstance(item, dict)
        for method, operation in item.items()
        if method in METHODS and isinstance(operation, dict)
    ]


def in_child(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` run in a forked child process, for work that loads a whole spec.

    Done here, it would raise this process's peak RSS, and Linux hands that peak on to every process started
    from here afterwards (exec keeps the old memory's high-water mark in ru_maxrss): a tool's measured peak
    would be this script's (seen: 213 MiB for a run that peaked at 137).
    """
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def count_operations(spec_path: Path) -> int:
    return len(operations(load_spec(spec_path)))


def locate_edit(spec_path: Path) -> tuple[str, int]:
    """The operation to edit, and where its suffix goes, as a byte offset into the file."""
    edit = OneOperationEdit(spec_path, locate=True)
    return edit.where, edit.byte_offset


class OneOperationEdit:
    """Rewrites the text of a spec so that one operation's summary gains a suffix; the rest stays byte-identical.

    The operation is chosen, and the edit checked, in a child process (`in_child`); `locate=True` is that child.
    This process keeps just the file's bytes (as text, GitHub's spec takes 52 MB: it holds characters beyond
    Latin-1) and writes each edited copy from them without joining them in memory.
    """

    def __init__(self, spec_path: Path, locate: bool = False) -> None:
        self.json = spec_path.suffix == ".json"
        if not locate:
            self.data = spec_path.read_bytes()
            self.where, self.byte_offset = in_child(locate_edit, spec_path)
            return
        self.data = spec_path.read_bytes()
        self.text = spec_path.read_text(encoding="utf-8")  # line ends made "\n", as the needles spell them
        spec = load_spec(spec_path)
        for path, method, operation in operations(spec):
            summary = operation.get("summary")
            if not isinstance(summary, str) or not summary or "\n" in summary:
                continue
            for needle, insert_at in self._candidates(summary):
                if self.text.count(needle) == 1:
                    self.where = f"{method.upper()} {path}"
                    self.byte_offset = self._byte_offset(self.text.index(needle) + insert_at)
                    self._verify(spec, path, method, summary)
                    return
        raise SystemExit(f"error: {spec_path}: found no operation summary to edit")

    def _candidates(self, summary: str) -> list[tuple[str, int]]:
        """Spellings of `summary: <text>` in the file, each with where a suffix goes inside it."""
        if self.json:
            spellings = {json.dumps(summary, ensure_ascii=flag) for flag in (True, False)}
            return [(f'"summary": {s}', len(f'"summary": {s}') - 1) for s in spellings]
        return [
            (f"summary: {summary}\n", len(f"summary: {summary}")),
            (f"summary: '{summary}'\n", len(f"summary: '{summary}")),
            (f'summary: "{summary}"\n', len(f'summary: "{summary}')),
        ]

    def _byte_offset(self, offset: int) -> int:
        """Where character `offset` of the text (line ends made "\n") is in the file's bytes (whatever its line
        ends): the bytes of the lines before its line, then those of its line up to it."""
        line = self.text.count("\n", 0, offset)
        column = offset - (self.text.rfind("\n", 0, offset) + 1)
        lines = self.data.split(b"\n")
        before = sum(len(raw) + 1 for raw in lines[:line])
        return before + len(lines[line].decode("utf-8")[:column].encode("utf-8"))

    @staticmethod
    def suffix(number: int) -> str:
        return f" (benchmark edit {number})"

    def write(self, path: Path, number: int) -> None:
        """The spec with edit `number`, written to `path`."""
        view = memoryview(self.data)
        with path.open("wb") as out:
            out.write(view[: self.byte_offset])
            out.write(self.suffix(number).encode("utf-8"))
            out.write(view[self.byte_offset :])

    def _verify(self, spec: Any, path: str, method: str, summary: str) -> None:
        """The bytes `write` makes parse to the spec with just that summary changed."""
        with tempfile.TemporaryDirectory() as folder:
            edited_path = Path(folder) / ("spec.json" if self.json else "spec.yaml")
            self.write(edited_path, 1)
            edited = load_spec(edited_path)
        if edited["paths"][path][method]["summary"] != f"{summary} (benchmark edit 1)":
            raise SystemExit(f"error: editing the summary of {self.where} went wrong")
        edited["paths"][path][method]["summary"] = summary
        if edited != spec:
            raise SystemExit(f"error: editing the summary of {self.where} changed more than that operation")


# --- measures -------------------------------------------------------------------------------------------------------


@dataclass
class SpecResult:
    name: str
    spec: Path
    operation_count: int
    cold: dict[str, Series] = field(default_factory=dict)
    warm: dict[str, Series] = field(default_factory=dict)
    warm_edit: str = ""
    imports: dict[str, list[float] | str] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    generated_operations: dict[str, int | None] = field(default_factory=dict)
    packages: dict[str, Path | None] = field(default_factory=dict)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def record(series: Series, run: Run, tool: str, label: str, ok: bool) -> None:
    if not ok:
        series.failure = f"failed (exit {run.returncode}): {log_tail(run.log)}"
        progress(f"  {label} {tool}: {series.failure}")
        return
    series.runs.append(run)
    if run.returncode and not any(note.startswith(f"exit {run.returncode}:") for note in series.notes):
        series.notes.append(f"exit {run.returncode}: {log_tail(run.log, 1)}")
    progress(
        f"  {label} {tool}: {run.seconds:.2f}s, peak RSS {run.max_rss_kib / 1024:.0f} MiB"
        f" (tree {run.tree_rss_kib / 1024:.0f} MiB)"
    )


def cold_runs(result: SpecResult, work: Path, runs: int, skip_opc: bool, config: Path) -> None:
    result.cold = {"clientgen": Series(), "opc": Series()}
    if skip_opc:
        result.cold["opc"].failure = "skipped"

    def clientgen_run(number: int) -> None:
        folder = work / f"cold-clientgen-{number}"
        (folder / "cache").mkdir(parents=True)
        command = clientgen_command(result.spec, folder / "out", config)
        run = measure(command, folder, clientgen_env(folder / "cache"), folder / "log.txt")
        package = clientgen_package(folder / "out")
        ok = run.returncode == 0 and package is not None
        record(result.cold["clientgen"], run, "clientgen", f"{result.name} cold {number}/{runs}", ok)
        if ok:
            keep(package, folder, "clientgen")
            counted = re.search(r"(\d+) operations", run.log.read_text(encoding="utf-8", errors="replace"))
            result.generated_operations["clientgen"] = int(counted.group(1)) if counted else None

    def opc_run(number: int) -> None:
        folder = work / f"cold-opc-{number}"
        folder.mkdir(parents=True)
        run = measure(opc_command(result.spec, folder / "out"), folder, opc_env(), folder / "log.txt")
        package = opc_package(folder / "out")
        record(result.cold["opc"], run, "OPC", f"{result.name} cold {number}/{runs}", package is not None)
        if package is not None:
            keep(package, folder, "opc")
            modules = (package / "api").rglob("*.py")
            result.generated_operations["opc"] = sum(1 for module in modules if module.name != "__init__.py")

    def keep(package: Path | None, folder: Path, tool: str) -> None:
        """Keep the latest output of each tool (for imports and line counts); remove the one before."""
        previous = result.packages.get(tool)
        if previous is not None:
            shutil.rmtree(previous.parent.parent, ignore_errors=True)
        result.packages[tool] = package

    tools = {"clientgen": clientgen_run, "opc": opc_run}
    for number in range(1, runs + 1):
        order = ["clientgen", "opc"] if number % 2 else ["opc", "clientgen"]  # alternate who goes first
        for tool in order:
            if result.cold[tool].failure is None:
                tools[tool](number)


def warm_runs(result: SpecResult, work: Path, runs: int, skip_opc: bool, config: Path) -> None:
    folder = work / "warm"
    folder.mkdir()
    spec_copy = folder / f"spec{result.spec.suffix}"
    shutil.copyfile(result.spec, spec_copy)
    edit = OneOperationEdit(result.spec)
    result.warm_edit = f"summary of {edit.where}"
    cache = folder / "cache"
    cache.mkdir()
    result.warm = {"clientgen": Series(), "opc": Series()}
    tools: dict[str, Callable[[], Run]] = {
        "clientgen": lambda: measure(
            clientgen_command(spec_copy, folder / "clientgen-out", config),
            folder,
            clientgen_env(cache),
            folder / "clientgen-log.txt",
        ),
        "opc": lambda: measure(opc_command(spec_copy, folder / "opc-out"), folder, opc_env(), folder / "opc-log.txt"),
    }
    ok_checks: dict[str, Callable[[Run], bool]] = {
        "clientgen": lambda run: run.returncode == 0 and clientgen_package(folder / "clientgen-out") is not None,
        "opc": lambda run: opc_package(folder / "opc-out") is not None,
    }
    if skip_opc:
        result.warm["opc"].failure = "skipped"
    for tool, series in result.warm.items():
        if series.failure is None:
            first = tools[tool]()  # the first generation, which warms the cache: not timed
            if not ok_checks[tool](first):
                series.failure = f"failed (exit {first.returncode}): {log_tail(first.log)}"
    for number in range(1, runs + 1):
        edit.write(spec_copy, number)
        for tool in ["clientgen", "opc"] if number % 2 else ["opc", "clientgen"]:
            series = result.warm[tool]
            if series.failure is None:
                run = tools[tool]()
                label = "clientgen" if tool == "clientgen" else "OPC"
                record(series, run, label, f"{result.name} warm {number}/{runs}", ok_checks[tool](run))


IMPORT_CODE = """
import time
started = time.perf_counter()
import {package} as package
client = package.Client(base_url={base_url!r})
print(time.perf_counter() - started)
"""


def declared_dependencies(package: Path) -> list[str]:
    """The runtime requirements the generated project declares: PEP 621 (clientgen) or Poetry's table (OPC)."""
    import tomllib

    data = tomllib.loads((package.parent / "pyproject.toml").read_text(encoding="utf-8"))
    if "dependencies" in data.get("project", {}):
        return list(data["project"]["dependencies"])
    requirements = []
    for name, spec in data.get("tool", {}).get("poetry", {}).get("dependencies", {}).items():
        if name == "python":
            continue
        version = spec if isinstance(spec, str) else spec.get("version", "") if isinstance(spec, dict) else ""
        # Poetry's caret and tilde ranges are not PEP 440: then any version, as pip would pick
        requirements.append(name + (version if version[:1] in "<>=!" else ""))
    return requirements


def client_interpreter(tool: str, package: Path) -> Path:
    """A virtual environment holding only what the generated package declares, as its users install it (the
    tools' own environments hold more: clientgen's has click and rich, which make `import httpx` load its
    command line too). Made once per set of requirements; the tool's own interpreter when it cannot be made."""
    requirements = sorted(declared_dependencies(package))
    venv = REPO / "benchmarks" / f".venv-client-{tool}"
    stamp = venv / "requirements.txt"
    wanted = "\n".join(requirements) + "\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return venv / "bin" / "python"
    progress(f"  making {venv.name} with {', '.join(requirements)}")
    made = subprocess.run([sys.executable, "-m", "venv", "--clear", venv], capture_output=True)
    if made.returncode == 0:
        made = subprocess.run(
            [venv / "bin" / "python", "-m", "pip", "install", "-q", *requirements], capture_output=True, text=True
        )
    if made.returncode != 0:
        progress(f"  could not make {venv.name}; importing with the tool's own interpreter")
        return Path(sys.executable) if tool == "clientgen" else OPC_BIN / "python"
    stamp.write_text(wanted, encoding="utf-8")
    return venv / "bin" / "python"


def import_runs(result: SpecResult, runs: int) -> None:
    ready = {tool: package for tool, package in result.packages.items() if package is not None}
    interpreters = {tool: client_interpreter(tool, package) for tool, package in ready.items()}
    samples: dict[str, list[float]] = {tool: [] for tool in ("clientgen", "opc")}
    for tool in samples:
        if tool not in ready:
            result.imports[tool] = "no package"
    for number in range(runs + 1):  # the first, untimed, writes the bytecode caches
        for tool, package in ready.items():
            if tool in result.imports:
                continue
            code = IMPORT_CODE.format(package=package.name, base_url=BASE_URL)
            env = {**base_env(), "PYTHONPATH": str(package.parent)}
            done = subprocess.run(
                [interpreters[tool], "-c", code], env=env, cwd=package.parent.parent, capture_output=True, text=True
            )
            if done.returncode != 0:
                result.imports[tool] = f"failed: {done.stderr.strip().splitlines()[-1][:200]}"
            elif number > 0:
                samples[tool].append(float(done.stdout.strip().splitlines()[-1]))
    for tool, values in samples.items():
        if tool not in result.imports:
            result.imports[tool] = values
    progress(
        f"  {result.name} import: " + ", ".join(f"{t} {statistics.median(v):.3f}s" for t, v in samples.items() if v)
    )


def count_lines(package: Path | None) -> int | None:
    if package is None:
        return None
    total = 0
    for module in package.rglob("*.py"):
        total += sum(1 for line in module.read_text(encoding="utf-8").splitlines() if line.strip())
    return total


# --- the report ----------------------------------------------------------------------------------------------------


def spread(values: list[float], unit: Callable[[float], str]) -> str:
    """'4.84 s (4.82–4.86)': the median, then the minimum and maximum in the median's unit."""
    if not values:
        return "—"
    median = unit(statistics.median(values))
    if len(values) == 1:
        return median
    suffix = median[median.rfind(" ") :]
    return f"{median} ({unit(min(values)).removesuffix(suffix)}–{unit(max(values)).removesuffix(suffix)})"


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def mib(value: float) -> str:
    return f"{value / 1024:.0f} MiB"


def verdict(value: float | None, limit: float | None) -> str:
    if limit is None:
        return ""
    if value is None:
        return "n/a"
    return "yes" if value <= limit else "no"


def series_cell(series: Series, key: Callable[[Run], float], unit: Callable[[float], str]) -> str:
    if series.failure is not None and not series.runs:
        return series.failure.split(":")[0]
    return spread(series.values(key), unit)


def series_median(series: Series, key: Callable[[Run], float]) -> float | None:
    return statistics.median(series.values(key)) if series.runs else None


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return ours / theirs if ours is not None and theirs else None


def ratio_cell(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else "—"


def rows_for(result: SpecResult) -> list[list[str]]:
    rows: list[list[str]] = []
    name = result.name
    wall: Callable[[Run], float] = lambda run: run.seconds
    largest: Callable[[Run], float] = lambda run: run.max_rss_kib
    tree: Callable[[Run], float] = lambda run: run.tree_rss_kib
    cg, opc = result.cold["clientgen"], result.cold["opc"]

    cold_ratio = ratio(series_median(cg, wall), series_median(opc, wall))
    cold_limit = COLD_RATIO_TARGET.get(name)
    rows.append(
        [
            name,
            "cold generate, wall time",
            series_cell(cg, wall, seconds),
            series_cell(opc, wall, seconds),
            ratio_cell(cold_ratio),
            f"≤ {cold_limit}x" if cold_limit else "",
            verdict(cold_ratio, cold_limit),
        ]
    )
    for label, key in (("peak RSS, largest process", largest), ("peak RSS, process tree (sampled)", tree)):
        memory_ratio = ratio(series_median(cg, key), series_median(opc, key))
        rows.append(
            [
                name,
                label,
                series_cell(cg, key, mib),
                series_cell(opc, key, mib),
                ratio_cell(memory_ratio),
                f"≤ {MEMORY_RATIO_TARGET}x",
                verdict(memory_ratio, MEMORY_RATIO_TARGET),
            ]
        )

    wcg, wopc = result.warm["clientgen"], result.warm["opc"]
    warm_cg = series_median(wcg, wall)
    warm_limit = WARM_SECONDS_TARGET.get(name)
    rows.append(
        [
            name,
            "warm regenerate, one operation changed",
            series_cell(wcg, wall, seconds),
            series_cell(wopc, wall, seconds),
            ratio_cell(ratio(warm_cg, series_median(wopc, wall))),
            f"≤ {warm_limit} s" if warm_limit else "",
            verdict(warm_cg, warm_limit),
        ]
    )
    cg_fraction = ratio(warm_cg, series_median(cg, wall))
    opc_fraction = ratio(series_median(wopc, wall), series_median(opc, wall))
    fraction_limit = WARM_FRACTION_TARGET.get(name)
    rows.append(
        [
            name,
            "warm regenerate / own cold median",
            f"{cg_fraction:.0%}" if cg_fraction is not None else "—",
            f"{opc_fraction:.0%}" if opc_fraction is not None else "—",
            "",
            f"≤ {fraction_limit:.0%}" if fraction_limit else "",
            verdict(cg_fraction, fraction_limit),
        ]
    )

    import_cells: dict[str, str] = {}
    import_medians: dict[str, float | None] = {}
    for tool in ("clientgen", "opc"):
        value = result.imports.get(tool, "skipped")
        if isinstance(value, list):
            import_cells[tool] = spread(value, seconds)
            import_medians[tool] = statistics.median(value) if value else None
        else:
            import_cells[tool] = "skipped" if tool == "opc" and result.cold["opc"].failure == "skipped" else value
            import_medians[tool] = None
    import_limit = IMPORT_SECONDS_TARGET.get(name)
    rows.append(
        [
            name,
            "import package + construct Client",
            import_cells["clientgen"],
            import_cells["opc"],
            ratio_cell(ratio(import_medians["clientgen"], import_medians["opc"])),
            f"≤ {import_limit} s" if import_limit else "",
            verdict(import_medians["clientgen"], import_limit),
        ]
    )

    def count(value: int | None) -> str:
        return "—" if value is None else f"{value:,}"

    rows.append(
        [
            name,
            f"operations generated (spec: {result.operation_count})",
            count(result.generated_operations.get("clientgen")),
            count(result.generated_operations.get("opc")),
            "",
            "",
            "",
        ]
    )
    per_operation = {
        tool: (lines / result.operation_count if lines is not None and result.operation_count else None)
        for tool, lines in result.lines.items()
    }
    rows.append(
        [
            name,
            "generated lines (non-blank .py) per operation",
            "—" if per_operation["clientgen"] is None else f"{per_operation['clientgen']:.0f}",
            "—" if per_operation["opc"] is None else f"{per_operation['opc']:.0f}",
            ratio_cell(ratio(per_operation["clientgen"], per_operation["opc"])),
            "",
            "",
        ]
    )
    rows.append(
        [
            name,
            "generated lines (non-blank .py), total",
            count(result.lines.get("clientgen")),
            count(result.lines.get("opc")),
            "",
            "",
            "",
        ]
    )
    return rows


def markdown(rows: list[list[str]]) -> str:
    header = ["spec", "measure", "clientgen", "OPC", "ratio", "target", "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def command_output(command: list[str | Path], cwd: Path = REPO) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except OSError as exc:
        return f"unavailable ({exc})"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if done.returncode == 0 else "unavailable"


def version_of(line: str) -> str:
    """'python -m black, 26.10.1 (compiled: yes)' -> '26.10.1'."""
    found = re.search(r"\d+\.\d+[\w.]*", line)
    return found.group(0) if found else line


def clientgen_commit() -> str:
    commit = command_output(["git", "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True)
    return f"{commit}{' (uncommitted changes)' if dirty.stdout.strip() else ''}"


# --- main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5; the median is reported)")
    parser.add_argument("--specs", default="upvest,github", help="comma-separated: upvest, github")
    parser.add_argument("--skip-opc", action="store_true", help="measure clientgen only")
    args = parser.parse_args()
    names = [name.strip() for name in args.specs.split(",") if name.strip()]
    unknown = [name for name in names if name not in SPECS]
    if unknown or not names or args.runs < 1:
        parser.error(f"--specs takes {', '.join(SPECS)}; --runs at least 1")
    if not SHARED_SPECS.is_dir():
        print(
            f"error: {SHARED_SPECS} is missing: the benchmark needs the shared specs beside the repository",
            file=sys.stderr,
        )
        sys.exit(2)
    missing = [str(SPECS[name]) for name in names if not SPECS[name].is_file()]
    if missing:
        print(f"error: spec(s) missing: {', '.join(missing)}", file=sys.stderr)
        sys.exit(2)
    if subprocess.run([sys.executable, "-c", "import generator, yaml"], capture_output=True).returncode != 0:
        print(f"error: {sys.executable} cannot import clientgen: run with .venv/bin/python", file=sys.stderr)
        sys.exit(2)

    opc_version = "skipped" if args.skip_opc else version_of(ensure_opc())
    load_before = os.getloadavg()
    started = time.perf_counter()
    results: list[SpecResult] = []
    with tempfile.TemporaryDirectory(prefix="clientgen-bench-") as temporary:
        work = Path(temporary)
        config = work / "pyproject.toml"
        config.write_text(f'[tool.clientgen]\npackage = "{PACKAGE}"\n', encoding="utf-8")
        for name in names:
            spec = SPECS[name]
            result = SpecResult(name, spec, in_child(count_operations, spec))
            progress(f"{name}: {spec} ({result.operation_count} operations)")
            spec_work = work / name
            spec_work.mkdir()
            cold_runs(result, spec_work, args.runs, args.skip_opc, config)
            warm_runs(result, spec_work, args.runs, args.skip_opc, config)
            import_runs(result, args.runs)
            result.lines = {tool: count_lines(result.packages.get(tool)) for tool in ("clientgen", "opc")}
            results.append(result)
    load_after = os.getloadavg()

    rows = [row for result in results for row in rows_for(result)]
    print()
    print(markdown(rows))
    print()
    print(
        f"Machine: {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}, {platform.platform()};"
        f" load average {load_before[0]:.2f} before, {load_after[0]:.2f} after;"
        f" {args.runs} run(s) per measure, medians with (min–max); total {time.perf_counter() - started:.0f} s."
    )
    black_version = version_of(command_output([sys.executable, "-m", "black", "--version"]))
    ruff_version = "" if args.skip_opc else f", ruff {version_of(command_output([OPC_BIN / 'ruff', '--version']))}"
    print(f"Versions: clientgen {clientgen_commit()}, black {black_version}; OPC {opc_version}{ruff_version}.")
    print(
        "Cold: fresh output folder and empty CLIENTGEN_CACHE_DIR per run, whole process, clientgen and OPC interleaved;"
        f" clientgen with a configuration that only names the package; OPC with its defaults (meta: poetry) and its"
        f" default post-hooks `{OPC_POST_HOOKS}` (ruff from its venv on PATH)."
    )
    print(
        "Peak RSS: 'largest process' is ru_maxrss from wait4 (the largest single process among the tool and its"
        f" waited-for descendants); 'process tree' is the sum of RSS over the tree, sampled every {SAMPLE_INTERVAL} s."
    )
    edits = "; ".join(f"{r.name}: {r.warm_edit}" for r in results if r.warm_edit)
    print(
        "Warm: one untimed generation of a copy of the spec, then per run a new suffix on one operation's summary"
        f" ({edits}), regenerated into the same output folder with the same cache folder (OPC: --overwrite, no cache)."
    )
    print(
        "Import: fresh interpreter, bytecode caches warm (one untimed import first), time of"
        " `import <package>; <package>.Client(base_url=...)` only; each package in a virtual environment holding just"
        " the dependencies its pyproject.toml declares (benchmarks/.venv-client-<tool>), as its users install it."
        " Lines: non-blank lines of the package's .py files / operations in the spec."
    )
    for result in results:
        for measure_name, series_by_tool in (("cold", result.cold), ("warm", result.warm)):
            for tool, series in series_by_tool.items():
                label = "clientgen" if tool == "clientgen" else "OPC"
                if series.failure not in (None, "skipped"):
                    print(f"{result.name} {measure_name} {label}: {series.failure}")
                for note in series.notes:
                    print(f"{result.name} {measure_name} {label}: {note}")
    sys.exit(0)


if __name__ == "__main__":
    main()
