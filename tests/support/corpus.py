"""The real-world spec corpus: every spec in ../shared/specs generates, and its package imports.

Usage (from anywhere; the corpus is found beside the repository, as conftest.SHARED_SPECS finds it):

    python tests/support/corpus.py [--strict] [--jobs N] [--keep DIR] [-v] [SPEC ...]

For each spec: generate with `generator.pipeline.generate` (warnings fail with --strict) and write the package
into a temporary folder with `generator.write.write`; count the operations the spec declares (paths x HTTP
methods, path-item `$ref`s followed) against the operations generated; in a fresh interpreter import every
module of the package, build every model (`model_rebuild()`, `TypeAdapter` for aliases) so unresolved forward
references show up, and construct `Client(base_url="https://example.test")`.

Prints one row per spec; exits 1 when any spec fails (a spec error, a crash, missing operations, a failed
import), 2 when the corpus folder is missing. `tests/corpus/test_corpus.py` runs the same `run_spec` per spec.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import multiprocessing
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs"
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
#: The operations of a path item (OpenAPI 3.x; Swagger 2.0 has the same minus `trace`).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IMPORT_TIMEOUT = 900

_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SharedSpecsMissing(Exception):
    """The corpus folder ../shared/specs beside the repository does not exist."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"the spec corpus needs {folder}: the shared specs folder (../shared/specs beside the repository)"
            " is missing"
        )


@dataclass
class SpecResult:
    """What happened to one spec. `status` is "ok", "spec-error" (what the CLI reports with exit 2) or "crash"."""

    spec: str
    status: str = "ok"
    message: str = ""
    swagger2: bool = False
    declared_operations: int | None = None
    operations: int | None = None
    models: int | None = None
    warnings: int | None = None
    warning_codes: dict[str, int] = field(default_factory=dict)
    generate_seconds: float = 0.0
    import_seconds: float = 0.0
    import_ok: bool | None = None
    import_message: str = ""
    imported_modules: int = 0
    built_models: int = 0
    package: str = ""
    output: str = ""
    #: the generated README's Python blocks that do not compile: "block N: error"
    readme_errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.generate_seconds + self.import_seconds

    @property
    def ok(self) -> bool:
        return (
            self.status == "ok"
            and self.import_ok is True
            and self.operations is not None
            and self.operations == self.declared_operations
        )

    def problems(self) -> list[str]:
        """Why this spec fails, one line each; empty when it passes."""
        found: list[str] = []
        if self.status != "ok":
            found.append(f"{self.status}: {self.message}")
        if self.status == "ok" and self.operations != self.declared_operations:
            found.append(f"operations: {self.operations} generated, the spec declares {self.declared_operations}")
        if self.import_ok is False:
            found.append(f"import: {self.import_message}")
        return found


# -- the corpus ----------------------------------------------------------------------------------------


def find_specs(folder: Path | None = None) -> list[Path]:
    """Every spec file of the corpus (default ../shared/specs; subfolders included), sorted by name; raises
    SharedSpecsMissing when the folder does not exist."""
    folder = SHARED_SPECS if folder is None else folder
    if not folder.is_dir():
        raise SharedSpecsMissing(folder)
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES and not p.name.startswith(".")
    )


def spec_name(path: Path, folder: Path | None = None) -> str:
    """The spec's path relative to the corpus folder (its own name when it lives elsewhere)."""
    folder = SHARED_SPECS if folder is None else folder
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def package_name(name: str) -> str:
    """A unique, safe import name for the package generated from the spec named `name`."""
    stem = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"corpus_{stem}_{digest}"


def read_tree(path: Path) -> Any:
    """The spec's parsed tree, read independently of the generator (JSON, or YAML with the safe loader)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return yaml.load(text, Loader=_YamlLoader)


_SWAGGER_YAML = re.compile(r"""^(["']?)swagger\1[ \t]*:""", re.MULTILINE)


def is_swagger2(path: Path) -> bool:
    """Whether the file's top level has a `swagger` key (Swagger 2.0), judged without the generator."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            root = json.loads(text)
        except ValueError:
            root = None
        if isinstance(root, dict):
            return "swagger" in root
    return bool(_SWAGGER_YAML.search(text))


def _pointer_get(tree: Any, pointer: str) -> Any:
    node = tree
    for token in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node[token]
        elif isinstance(node, list):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def declared_operations(path: Path, tree: Any | None = None) -> int:
    """Operations the spec declares: per path, the HTTP methods of its path item, following the item's `$ref`s
    (local ones and ones to files beside the spec); a path item that cannot be resolved counts none."""
    root = read_tree(path) if tree is None else tree
    paths = root.get("paths") if isinstance(root, dict) else None
    if not isinstance(paths, dict):
        return 0
    trees: dict[Path, Any] = {path.resolve(): root}
    count = 0
    for item in paths.values():
        file = path.resolve()
        for _ in range(64):
            if not (isinstance(item, dict) and isinstance(item.get("$ref"), str)):
                break
            target, _, fragment = item["$ref"].partition("#")
            try:
                if target:
                    file = (file.parent / target).resolve()
                    if file not in trees:
                        trees[file] = read_tree(file)
                item = _pointer_get(trees[file], fragment)
            except (OSError, KeyError, IndexError, ValueError, yaml.YAMLError):
                item = None
        if isinstance(item, dict):
            count += sum(1 for method in HTTP_METHODS if isinstance(item.get(method), dict))
    return count


# -- one spec ------------------------------------------------------------------------------------------

#: Run in a fresh interpreter (`python -I -c IMPORT_CHECK FOLDER PACKAGE`); prints one JSON line.
IMPORT_CHECK = r"""
import importlib, json, pkgutil, sys, traceback, types, typing

folder, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, folder)
report = {"modules": 0, "models": 0, "errors": []}

def failed(what, exc):
    line = traceback.format_exception_only(type(exc), exc)[-1].strip()
    report["errors"].append(f"{what}: {line}")

package = importlib.import_module(name)
modules = [package]
for info in pkgutil.walk_packages(package.__path__, name + "."):
    try:
        modules.append(importlib.import_module(info.name))
    except Exception as exc:
        failed(f"import {info.name}", exc)
report["modules"] = len(modules)

import pydantic

seen = set()
for module in modules:
    for attribute, value in sorted(vars(module).items()):
        if not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
            continue
        if not value.__module__.startswith(name) or value in seen:
            continue
        seen.add(value)
        try:
            value.model_rebuild()  # raises on forward references it cannot resolve
            if not value.__pydantic_complete__:
                raise RuntimeError("the model is still incomplete after model_rebuild()")
            pydantic.TypeAdapter(value)
        except Exception as exc:
            failed(f"model {value.__module__}.{value.__qualname__}", exc)
    if module.__name__ == name + ".models" or module.__name__.startswith(name + ".models."):
        for attribute in getattr(module, "__all__", ()):
            value = getattr(module, attribute, None)
            if isinstance(value, type) or value is None:
                continue
            if typing.get_origin(value) is None and not isinstance(value, types.UnionType):
                continue
            try:
                pydantic.TypeAdapter(value)  # a type alias (a union, an annotated union)
            except Exception as exc:
                failed(f"alias {module.__name__}.{attribute}", exc)
report["models"] = len(seen)

try:
    client = package.Client(base_url="https://example.test")
    for attribute in dir(client):
        if not attribute.startswith("_"):
            getattr(client, attribute)
    client.close()
except Exception as exc:
    failed("Client(base_url='https://example.test')", exc)
print(json.dumps(report))
"""


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def check_imports(folder: Path, package: str) -> tuple[bool, str, int, int]:
    """Import the package in `folder` in a fresh interpreter: (ok, message, modules imported, models built)."""
    try:
        completed = subprocess.run(
            [sys.executable, "-I", "-c", IMPORT_CHECK, str(folder), package],
            capture_output=True,
            text=True,
            timeout=IMPORT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return False, f"the import check timed out after {IMPORT_TIMEOUT}s", 0, 0
    if completed.returncode != 0:
        return False, _last_line(completed.stderr), 0, 0
    try:
        report = json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False, f"unexpected output: {_last_line(completed.stdout + completed.stderr)}", 0, 0
    errors: list[str] = report["errors"]
    message = ""
    if errors:
        message = f"{len(errors)} failure(s), first: {errors[0]}"
        if len(errors) > 1:
            message += "; " + "; ".join(errors[1:4]) + ("; ..." if len(errors) > 4 else "")
    return not errors, message, int(report["modules"]), int(report["models"])


def spec_error_message(diagnostics: Any) -> str:
    """What `clientgen generate` prints before exiting 2: the errors (all diagnostics when strict), then the tally."""
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = len(diagnostics) - len(errors)
    shown = errors or list(diagnostics)
    lines = [d.render() for d in shown[:5]]
    if len(shown) > 5:
        lines.append(f"... and {len(shown) - 5} more")
    lines.append(f"failed: {len(errors)} error(s), {warnings} warning(s); nothing was written")
    return "\n".join(lines)


_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks(markdown: str) -> list[str]:
    """The fenced ```python blocks of a Markdown text, in order."""
    return [match.group(1) for match in _PYTHON_BLOCK.finditer(markdown)]


def readme_compile_errors(markdown: str) -> list[str]:
    """ "block N: error" for every Python block of a README that does not compile."""
    errors = []
    for number, block in enumerate(python_blocks(markdown), 1):
        try:
            compile(block, f"README block {number}", "exec")
        except SyntaxError as exc:
            errors.append(f"block {number}: {exc.msg} at line {exc.lineno}: {exc.text!r}")
    return errors


def readme_block_modules(markdown: str, package: str) -> dict[str, str]:
    """The README's Python blocks as modules a type checker can read: each after a preamble that declares what
    its text says the reader has (`client`, and a webhook delivery's `request_url`, `request_headers`,
    `raw_body`)."""
    preamble = (
        f"from {package} import Client\n"
        'client: Client = Client(base_url="http://127.0.0.1:9")\n'
        'request_url: str = "https://tenant.example/hook"\n'
        "request_headers: dict[str, str] = {}\n"
        'raw_body: bytes = b""\n'
    )
    return {
        f"readme_{package}_{number}.py": preamble + block for number, block in enumerate(python_blocks(markdown), 1)
    }


def run_spec(spec: Path, *, strict: bool = False, workdir: Path | None = None) -> SpecResult:
    """Generate, count, write and import the client of one spec. Never raises for the spec's sake: failures are
    recorded in the result. `workdir` keeps the generated project (a temporary folder is used otherwise)."""
    from generator.config import Config
    from generator.diagnostics import SpecError
    from generator.pipeline import generate
    from generator.write import write

    name = spec_name(spec)
    result = SpecResult(spec=name, package=package_name(name))
    tree: Any = None
    try:
        tree = read_tree(spec)
        result.swagger2 = isinstance(tree, dict) and "swagger" in tree
        result.declared_operations = declared_operations(spec, tree)
    except Exception as exc:  # the generator reports unreadable specs itself
        result.message = f"(could not count operations: {type(exc).__name__}: {exc})"
    del tree

    with tempfile.TemporaryDirectory(prefix="clientgen-corpus-") as scratch:
        target = (workdir or Path(scratch)) / result.package
        started = time.perf_counter()
        try:
            # verify_format: the async pieces spared black (derived from their sync twins) are checked against it
            generation = generate(spec, Config.of(package=result.package), strict=strict, verify_format=True)
            write(generation.files, target)
        except SpecError as exc:
            result.status = "spec-error"
            result.message = spec_error_message(exc.diagnostics)
            result.warnings = sum(1 for d in exc.diagnostics if d.severity == "warning")
            return result
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            result.status = "crash"
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
            result.message = traceback.format_exception_only(type(exc), exc)[-1].strip() + where
            return result
        finally:
            result.generate_seconds = time.perf_counter() - started
        api = generation.api
        result.operations = len(api.operations)
        result.models = len(api.schemas)
        warnings = [d for d in generation.diagnostics if d.severity == "warning"]
        result.warnings = len(warnings)
        result.warning_codes = dict(Counter(d.code for d in warnings).most_common())
        result.output = str(target) if workdir else ""
        del generation, api
        result.readme_errors = readme_compile_errors((target / "README.md").read_text(encoding="utf-8"))

        started = time.perf_counter()
        ok, message, modules, built = check_imports(target, result.package)
        result.import_seconds = time.perf_counter() - started
        result.import_ok, result.import_message = ok, message
        result.imported_modules, result.built_models = modules, built
    return result


def _run_spec_in_worker(spec: Path, strict: bool, keep: Path | None) -> SpecResult:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    return run_spec(spec, strict=strict, workdir=keep)


# -- the command line ----------------------------------------------------------------------------------


def run_all(
    specs: list[Path], *, strict: bool = False, jobs: int = 2, keep: Path | None = None, progress: bool = True
) -> list[SpecResult]:
    """Run every spec in a pool of processes (the biggest first), one fresh worker process per spec."""
    results: dict[Path, SpecResult] = {}
    ordered = sorted(specs, key=lambda p: p.stat().st_size, reverse=True)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context, max_tasks_per_child=1) as pool:
        futures = {pool.submit(_run_spec_in_worker, spec, strict, keep): spec for spec in ordered}
        for future in concurrent.futures.as_completed(futures):
            spec = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died (killed, out of memory, interpreter crash)
                result = SpecResult(spec=spec_name(spec), status="crash", message=f"worker failed: {exc!r}")
            results[spec] = result
            if progress:
                mark = "ok" if result.ok else "FAIL"
                print(f"  {mark:4} {result.spec} ({result.seconds:.1f}s)", file=sys.stderr, flush=True)
    return [results[spec] for spec in specs]


def table(results: list[SpecResult]) -> str:
    header = ("spec", "operations", "models", "warnings", "gen s", "import s", "import", "status")
    rows: list[tuple[str, ...]] = []
    for r in results:
        generated = "-" if r.operations is None else str(r.operations)
        declared = "?" if r.declared_operations is None else str(r.declared_operations)
        operations = f"{generated}/{declared}"
        rows.append(
            (
                r.spec + (" [swagger 2.0]" if r.swagger2 else ""),
                operations,
                "-" if r.models is None else str(r.models),
                "-" if r.warnings is None else str(r.warnings),
                f"{r.generate_seconds:.1f}",
                f"{r.import_seconds:.1f}" if r.import_ok is not None else "-",
                {True: "ok", False: "FAIL", None: "-"}[r.import_ok],
                "ok" if r.ok else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 3, 4, 5}

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "specs", nargs="*", type=Path, metavar="SPEC", help="specs to run (default: all of ../shared/specs)"
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail (generate(strict=True))")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="specs run in parallel (default 2)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the warnings of each spec by code")
    args = parser.parse_args(argv)
    if args.specs:
        missing = [str(p) for p in args.specs if not p.is_file()]
        if missing:
            print(f"error: no such spec file: {', '.join(missing)}", file=sys.stderr)
            return 2
        specs = [p.resolve() for p in args.specs]
    else:
        try:
            specs = find_specs()
        except SharedSpecsMissing as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    keep = args.keep.resolve() if args.keep else None
    started = time.perf_counter()
    results = run_all(specs, strict=args.strict, jobs=max(1, args.jobs), keep=keep)
    elapsed = time.perf_counter() - started
    print(table(results))
    failing = [r for r in results if not r.ok]
    for r in results:
        if args.verbose and r.warning_codes:
            codes = ", ".join(f"{code} {n}" for code, n in r.warning_codes.items())
            print(f"\n{r.spec}: warnings: {codes}")
    for r in failing:
        print(f"\n{r.spec}:")
        for problem in r.problems():
            print("  " + problem.replace("\n", "\n  "))
    total_ops = sum(r.operations or 0 for r in results)
    declared = sum(r.declared_operations or 0 for r in results)
    print(
        f"\n{len(results) - len(failing)}/{len(results)} specs ok; {total_ops}/{declared} operations;"
        f" {elapsed:.1f}s wall with {args.jobs} job(s)"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
