"""Mutation testing: plant one small bug at a time in a module and see whether its tests catch it.

    python tests/mutation.py [TARGET ...] [--limit N] [--jobs N] [--timeout SECONDS]

Each mutant changes one node of the module's syntax tree: a comparison flipped (`==` and `!=`, `<` and `<=`, `in`
and `not in`), `and` and `or` swapped, a `not` dropped, `True` and `False` swapped, `+` and `-` swapped, a
number moved by one, a `return` of a value made `return None`, a raised exception's statement turned into
`pass`. The module's file is rewritten in a copy of the checkout (the tracked files; one copy per job), its tests
run there (`-x`, stopping at the first failure), and the file put back. A mutant the tests fail on is killed; one
they pass on survived, and is listed with its line so that it can be judged (harmless, or a test to write). The
tests run once unmutated first (if they fail, nothing is measured); a run that takes five times as long (or
`--timeout` seconds), or more than 4 GB of memory, counts as caught. Prints
the score per target. Not run in CI: it takes minutes (`--limit` spreads a sample over the module, the same one
every run).

TARGETS names what is measured: a module, or some functions of one, and the tests that should catch its bugs.
The runtime's targets mutate the committed client's copy in `output/`, the one the runtime tests import.
"""

from __future__ import annotations

import argparse
import ast
import copy
import dataclasses
import os
import queue
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLIENT = "output/upvest_investment_client"
DIFF_TESTS = (
    "tests/diff/test_checks.py",
    "tests/diff/test_severity.py",
    "tests/diff/test_wire.py",
    "tests/diff/test_diff.py",
    "tests/diff/test_model_view.py",
)
BUILD_TESTS = ("tests/model/test_infer.py", "tests/model/test_build.py", "tests/render/test_golden.py")
RUNTIME_TESTS = ("tests/runtime/test_runtime_units.py", "tests/runtime/test_runtime_e2e.py")


@dataclass(frozen=True)
class Target:
    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # only mutants inside these functions; all of the module when empty


TARGETS: dict[str, Target] = {
    "write": Target("generator/write.py", ("tests/cli/test_write.py",)),
    "load": Target(
        "generator/load.py", ("tests/load/test_pointers.py", "tests/load/test_load.py", "tests/load/test_document.py")
    ),
    "diff-wire": Target("generator/diff/wire.py", DIFF_TESTS),
    "diff": Target("generator/diff/__init__.py", DIFF_TESTS),
    "scope-choice": Target("generator/build/security.py", ("tests/model/test_infer.py",), ("scope_sets",)),
    "scope-choice-runtime": Target(f"{CLIENT}/_auth.py", RUNTIME_TESTS, ("choose_scopes",)),
    "build-security": Target("generator/build/security.py", BUILD_TESTS),
    "build-pagination": Target("generator/build/pagination.py", BUILD_TESTS),
    "build-naming": Target("generator/build/naming.py", BUILD_TESTS),
    "runtime-retry": Target(f"{CLIENT}/_retry.py", RUNTIME_TESTS),
    "runtime-auth": Target(f"{CLIENT}/_auth.py", RUNTIME_TESTS),
    "runtime-signing": Target(f"{CLIENT}/_signing.py", RUNTIME_TESTS),
}
#: what `python tests/mutation.py` measures with no target named: the modules whose bugs cost most
DEFAULT = ("write", "load", "diff-wire", "diff", "scope-choice", "scope-choice-runtime")
_FLIPS: dict[type, type] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    index: int  # which node of the walk
    line: int
    what: str


def _mutations(tree: ast.AST) -> Iterator[tuple[int, int, str]]:
    """(node index in ast.walk order, line, description) of every mutation the tree offers."""
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _FLIPS:
            yield index, line, f"{type(node.ops[0]).__name__} -> {_FLIPS[type(node.ops[0])].__name__}"
        elif isinstance(node, ast.BoolOp):
            yield index, line, f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield index, line, "not dropped"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield index, line, f"{node.value} -> {not node.value}"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield index, line, f"{node.value} -> {node.value + 1}"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            yield index, line, f"{type(node.op).__name__} swapped"
        elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value, False):
            yield index, line, "return None"  # not of `return False`: None is as false (that False flipped is one)
        elif isinstance(node, ast.Raise):
            yield index, line, "raise -> pass"


def _is_none(node: ast.AST, *like: object) -> bool:
    return isinstance(node, ast.Constant) and (node.value is None or any(node.value is v for v in like))


class _Mutate(ast.NodeTransformer):
    def __init__(self, target: int) -> None:
        self.target = target

    def mutated(self, tree: ast.AST) -> ast.AST:
        nodes = list(ast.walk(tree))
        node = nodes[self.target]
        if isinstance(node, ast.Compare):
            node.ops[0] = _FLIPS[type(node.ops[0])]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            node.op = ast.UAdd()  # `+x` of a bool is its int: the `not` is gone, the truth kept
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            node.value = not node.value
        elif isinstance(node, ast.Constant) and isinstance(node.value, int):
            node.value = node.value + 1
        elif isinstance(node, ast.BinOp):
            node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        elif isinstance(node, ast.Return):
            node.value = ast.Constant(value=None)
        elif isinstance(node, ast.Raise):
            parent = next(p for p in nodes if any(child is node for child in ast.iter_child_nodes(p)))
            for field in ("body", "orelse", "finalbody", "handlers"):
                statements = getattr(parent, field, None)
                if isinstance(statements, list) and node in statements:
                    statements[statements.index(node)] = ast.Pass()
        return ast.fix_missing_locations(tree)


def _lines_of(tree: ast.AST, functions: tuple[str, ...]) -> set[int] | None:
    """The lines of the named functions (methods included); None for the whole module."""
    if not functions:
        return None
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in functions:
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    missing = set(functions) - {
        n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if missing:
        raise SystemExit(f"no function {', '.join(sorted(missing))} to mutate")
    return lines


def mutants(source: str, functions: tuple[str, ...] = ()) -> list[Mutant]:
    tree = ast.parse(source)
    lines = _lines_of(tree, functions)
    return [Mutant(i, line, what) for i, line, what in _mutations(tree) if lines is None or line in lines]


def _copy_checkout(into: Path) -> None:
    """The tracked files of the checkout, as they are in the working tree, and a link to Prism's node_modules."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    modules = ROOT / "tests/contract/node_modules"
    if modules.is_dir():
        (into / "tests/contract/node_modules").symlink_to(modules)


#: the address space a test run may take: a mutant that turns off a guard against a YAML bomb must fail with a
#: MemoryError, not take the machine's memory (one such run reached 12 GB)
MEMORY_LIMIT = 4 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _tests_fail(checkout: Path, target: Target, timeout: float) -> bool:
    """Whether the target's tests fail in the copy (a run past `timeout` counts as a failure)."""
    command = [PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *target.tests]
    # The copy's generator is the one imported, by pytest and by any `clientgen` or `python` a test starts
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH")])),
    }
    environment.pop("CLIENTGEN_UPDATE_GOLDEN", None)
    try:
        finished = subprocess.run(
            command, cwd=checkout, env=environment, capture_output=True, timeout=timeout, preexec_fn=_limit_memory
        )
    except subprocess.TimeoutExpired:
        return True  # a mutant that hangs the tests is caught by their timeouts in CI
    return finished.returncode != 0


def _caught(checkout: Path, target: Target, tree: ast.AST, mutant: Mutant, timeout: float) -> bool:
    path = checkout / target.path
    original = path.read_bytes()
    changed = _Mutate(mutant.index).mutated(copy.deepcopy(tree))
    path.write_text(ast.unparse(changed) + "\n", encoding="utf-8")
    try:
        return _tests_fail(checkout, target, timeout)
    finally:
        path.write_bytes(original)


def run(target: Target, limit: int | None, jobs: int, timeout: float | None) -> tuple[int, int, list[Mutant]]:
    """(killed, mutants, survivors). Without `timeout`, a run may take five times the unmutated run, plus 30 s."""
    source = (ROOT / target.path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    found = mutants(source, target.functions)
    if limit is not None and len(found) > limit:  # spread over the module, the same ones every run
        step = len(found) / limit
        found = [found[int(i * step)] for i in range(limit)]
    with tempfile.TemporaryDirectory(prefix="clientgen-mutation-") as scratch:
        if (ROOT.parent / "shared").is_dir():  # ../shared beside each copy, as beside the checkout
            (Path(scratch) / "shared").symlink_to(ROOT.parent / "shared")
        checkouts: queue.Queue[Path] = queue.Queue()
        for job in range(jobs):
            checkout = Path(scratch) / f"job-{job}"
            _copy_checkout(checkout)
            checkouts.put(checkout)
        started = time.monotonic()
        if _tests_fail(Path(scratch) / "job-0", target, timeout or 1800.0):  # else every mutant would be "killed"
            raise SystemExit(f"the tests of {target.path} fail without any mutant: {' '.join(target.tests)}")
        limit_each = timeout or 5 * (time.monotonic() - started) + 30.0

        def judge(mutant: Mutant) -> bool:
            checkout = checkouts.get()
            try:
                return _caught(checkout, target, tree, mutant, limit_each)
            finally:
                checkouts.put(checkout)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            verdicts = list(pool.map(judge, found))
    survived = [mutant for mutant, caught in zip(found, verdicts) if not caught]
    return len(found) - len(survived), len(found), survived


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=list(DEFAULT), help=", ".join(TARGETS))
    parser.add_argument("--limit", type=int, default=None, help="at most this many mutants per target")
    parser.add_argument("--jobs", type=int, default=1, help="mutants judged at once, each in its own copy")
    parser.add_argument("--only", default="", help="only the mutants in these functions (comma-separated)")
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds a test run may take (default: 5x unmutated)"
    )
    options = parser.parse_args()
    unknown = [name for name in options.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    for name in options.targets:
        target = TARGETS[name]
        if options.only:
            target = dataclasses.replace(target, functions=tuple(options.only.split(",")))
        started = time.monotonic()
        killed, total, survived = run(target, options.limit, max(1, options.jobs), options.timeout)
        score = 100.0 * killed / total if total else 100.0
        where = f"{target.path}" + (f" ({', '.join(target.functions)})" if target.functions else "")
        print(
            f"{name}: {where}: {killed} of {total} mutants killed ({score:.0f} %), {time.monotonic() - started:.0f} s"
        )
        for mutant in survived:
            print(f"  survived: line {mutant.line}: {mutant.what}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
