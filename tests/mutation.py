"""Mutation testing: plant one small bug at a time in a module and see whether its tests catch it.

    python tests/mutation.py [MODULE ...] [--limit N] [--timeout SECONDS]

Each mutant changes one node of the module's syntax tree: a comparison flipped (`==` and `!=`, `<` and `<=`, `in`
and `not in`), `and` and `or` swapped, a `not` dropped, `True` and `False` swapped, `+` and `-` swapped, a
number moved by one, a `return` of a value made `return None`, a raised exception's statement turned into
`pass`. The module's file is rewritten, its tests run (`-x`, stopping at the first failure), and the file put back,
whatever happens. A mutant the tests fail on is killed; one they pass on survived, and is listed with its line so
that it can be judged (harmless, or a test to write). Prints the score per module. Not run in CI: it takes minutes.

MODULES maps each module to the tests that should catch its bugs.
"""

from __future__ import annotations

import argparse
import ast
import copy
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MODULES: dict[str, tuple[str, ...]] = {
    "generator/write.py": ("tests/cli/test_write.py",),
    "generator/load.py": ("tests/load/test_pointers.py", "tests/load/test_load.py"),
    "generator/diff/wire.py": ("tests/diff/test_checks.py", "tests/diff/test_wire.py", "tests/diff/test_diff.py"),
    "generator/build/security.py": ("tests/model/test_infer.py", "tests/model/test_build.py"),
    "templates/runtime/_retry.py": ("tests/runtime/test_runtime_units.py",),
}
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
        elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
            yield index, line, "return None"
        elif isinstance(node, ast.Raise):
            yield index, line, "raise -> pass"


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


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
        elif isinstance(node, ast.Constant):
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


def mutants(source: str) -> list[Mutant]:
    return [Mutant(i, line, what) for i, line, what in _mutations(ast.parse(source))]


def run(module: str, tests: tuple[str, ...], limit: int | None, timeout: float) -> tuple[int, int, list[Mutant]]:
    path = ROOT / module
    original = path.read_text(encoding="utf-8")
    tree = ast.parse(original)
    found = mutants(original)
    if limit is not None and len(found) > limit:  # spread over the module, the same ones every run
        step = len(found) / limit
        found = [found[int(i * step)] for i in range(limit)]
    survived: list[Mutant] = []
    killed = 0
    try:
        for mutant in found:
            changed = _Mutate(mutant.index).mutated(copy.deepcopy(tree))
            path.write_text(ast.unparse(changed) + "\n", encoding="utf-8")
            command = [PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *tests]
            try:
                result = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout)
                caught = result.returncode != 0
            except subprocess.TimeoutExpired:
                caught = True  # a mutant that hangs the tests is caught by their timeouts in CI
            if caught:
                killed += 1
            else:
                survived.append(mutant)
    finally:
        path.write_text(original, encoding="utf-8")
    return killed, len(found), survived


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--limit", type=int, default=None, help="at most this many mutants per module")
    parser.add_argument("--timeout", type=float, default=300.0)
    options = parser.parse_args()
    for module in options.modules:
        started = time.monotonic()
        killed, total, survived = run(module, MODULES[module], options.limit, options.timeout)
        score = 100.0 * killed / total if total else 100.0
        print(f"{module}: {killed} of {total} mutants killed ({score:.0f} %), {time.monotonic() - started:.0f} s")
        for mutant in survived:
            print(f"  survived: line {mutant.line}: {mutant.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
