"""Broken input through the command line (issue 4, item 4): every case ends in exit 0 or exit 2, nothing else.

Each case runs `python -m generator generate SPEC -o OUT` in a subprocess (cwd=tmp_path, a timeout, an address
space limit) into an output folder that already holds files of the user's, and accepts two outcomes only:

- exit 0: every generated `.py` file compiles, the package imports in a fresh interpreter (every module, and a
  `Client`), the user's files are still there and nothing appeared beside the output folder;
- exit 2: every error line names the file, a `[at #/pointer]` and, for text input, a `:LINE`; no traceback; the
  output folder is byte for byte (and mtime for mtime) as it was, and no staging folder is left beside it.

Never exit 3 (an internal error), never a traceback, never a hang, never more memory than `MEMORY_LIMIT`.

The fixtures are in `fixtures/broken/more/` (files they refer to in `fixtures/broken/more/parts/`); the files
directly in `fixtures/broken/` belong to test_validate.py's table, which must list exactly them, and are run
through the command line by test_cli.py. Binary and huge specs are made by the tests in tmp_path.

The slow cases (10,000 levels, a 100,000-value enum, a 50 MB spec, a YAML alias bomb) come first in the file,
so that with `-n 2` xdist hands them out alternately to both workers; each prints and records
(`record_property`) its duration and the peak resident memory of the generator process.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from conftest import FIXTURES
from generator.names import CALL_OPTIONS

BROKEN = FIXTURES / "broken"
MORE = BROKEN / "more"
MANIFEST = ".clientgen-manifest.json"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
ENV.pop("CLIENTGEN_DEBUG", None)
#: seconds a case may take; the slow ones get the "reasonable time" of the issue, 5 minutes
TIMEOUT = 120
SLOW_TIMEOUT = 300
#: the generator's address space: a YAML alias bomb must not take the machine down with it
MEMORY_LIMIT = 6 * 1024**3
#: an error line: FILE[:LINE]: error: MESSAGE [at #/POINTER] (CODE)
from expectations import ERROR_LINE  # noqa: E402 - shared with the report tests

# -- running the command line ------------------------------------------------------------------------


@dataclass
class Run:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the generator process's peak resident memory

    def describe(self) -> str:
        code = "killed at the timeout" if self.returncode is None else f"exit {self.returncode}"
        return f"{code} after {self.seconds:.1f}s, peak {self.peak_mb:.0f} MB\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def clientgen(*args: str | Path, cwd: Path, timeout: float = TIMEOUT) -> Run:
    """Run the command line; its own rusage (os.wait4) gives the peak memory of exactly this process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", *map(str, args)],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=ENV,
            preexec_fn=_limit_memory,
            start_new_session=True,
        )
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                killed = True
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(
            None if killed else process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            usage.ru_maxrss / 1024,
        )


Snapshot = dict[str, tuple[object, ...]]


def snapshot(folder: Path) -> Snapshot:
    """Every entry under `folder`: folders, symlinks and files with their bytes, mode and mtime."""
    entries: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[relative] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[relative] = ("dir",)
        else:
            stat = path.stat()
            entries[relative] = ("file", path.read_bytes(), stat.st_mode, stat.st_mtime_ns)
    return entries


USER_FILES = {
    "SENTINEL": b"do not touch\n",
    "nested/notes.md": b"# notes\n",
    "nested/deeper/data.bin": bytes(range(256)),
}


def make_user_output(folder: Path) -> None:
    """An output folder holding files of the user's, and a manifest claiming one file a success must remove."""
    for relative, content in USER_FILES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
    (folder / "empty-dir").mkdir()
    (folder / "old_client").mkdir()
    (folder / "old_client" / "__init__.py").write_text("OLD = True\n", encoding="utf-8")
    (folder / MANIFEST).write_text(
        json.dumps({"generator": "clientgen", "version": "0.0.1", "files": ["old_client/__init__.py"]}) + "\n",
        encoding="utf-8",
    )


IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
client = package.Client(base_url="https://example.test", access_token="t")
for name in dir(client):
    if not name.startswith("_"):
        getattr(client, name)
print("imported", package.__name__)
"""


def generated_package(output: Path) -> tuple[str, list[str]]:
    """The package a successful run wrote, and the files its manifest lists."""
    files: list[str] = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    packages = sorted({f.split("/")[0] for f in files if f.count("/") == 1 and f.endswith("/__init__.py")})
    assert len(packages) == 1, files
    return packages[0], files


def assert_generated(run: Run, output: Path, tmp_path: Path, siblings: list[str]) -> str:
    """Exit 0: every file compiles, the package imports in a fresh interpreter, the user's files are kept."""
    assert run.returncode == 0, run.describe()
    package, files = generated_package(output)
    for relative in files:
        if relative.endswith(".py"):
            source = (output / relative).read_text(encoding="utf-8")
            compile(source, str(output / relative), "exec", dont_inherit=True)
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, package],
        cwd=output,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=ENV,
    )
    assert imported.returncode == 0, f"{package} does not import:\n{imported.stderr[-3000:]}"
    assert f"imported {package}" in imported.stdout
    for relative, content in USER_FILES.items():
        assert (output / relative).read_bytes() == content, relative
    assert (output / "empty-dir").is_dir()
    assert not (output / "old_client" / "__init__.py").exists(), "a file the old manifest claimed was kept"
    assert sorted(os.listdir(tmp_path)) == siblings, "something was written beside the output folder"
    return package


def error_lines(run: Run) -> list[re.Match[str]]:
    return [m for m in map(ERROR_LINE.match, run.stderr.splitlines()) if m]


def assert_rejected(
    run: Run,
    spec: Path,
    *,
    has_lines: bool,
    code: str | None = None,
    pointer: str | None = None,
    line: int | None = None,
) -> None:
    """Exit 2: one well-formed line per error, naming the file, a pointer and (for text) a line."""
    assert run.returncode == 2, run.describe()
    errors = error_lines(run)
    reported = [text for text in run.stderr.splitlines() if ": error: " in text]
    assert errors, f"no error line of the form FILE:LINE: error: ... [at #/...] (code):\n{run.stderr}"
    assert len(errors) == len(reported), f"malformed error lines (one line per problem):\n{run.stderr}"
    continuation = [text for text in run.stderr.splitlines() if text.startswith((" ", "\t"))]
    assert not continuation, f"a diagnostic spans several lines:\n{run.stderr}"
    assert "nothing was written" in run.stderr
    spec_name = str(spec.resolve())
    assert any(m["file"] == spec_name or m["file"].startswith(str(spec.resolve().parent)) for m in errors), run.stderr
    if has_lines:
        missing = [m.group(0) for m in errors if m["line"] is None]
        assert not missing, f"errors without a line in a text file: {missing}"
    if code is not None:
        first = errors[0]
        assert first["code"] == code, run.stderr
        if pointer is None:  # somewhere inside the document, not its root
            assert first["pointer"] != "/", run.stderr
        else:
            assert first["pointer"] == (pointer or "/"), run.stderr
        if line is not None:
            assert first["file"] == spec_name and first["line"] == str(line), run.stderr


@dataclass
class Attempt:
    run: Run
    spec: Path
    output: Path
    before: Snapshot
    siblings: list[str]


def attempt(spec: Path, tmp_path: Path, *, timeout: float = TIMEOUT) -> Attempt:
    """Generate into a pre-filled output folder."""
    output = tmp_path / "out"
    output.mkdir()
    make_user_output(output)
    before = snapshot(output)
    siblings = sorted(os.listdir(tmp_path))
    run = clientgen("generate", spec, "-o", output, cwd=tmp_path, timeout=timeout)
    return Attempt(run, spec, output, before, siblings)


def check(
    tried: Attempt,
    tmp_path: Path,
    *,
    expect: str,
    has_lines: bool,
    code: str | None = None,
    pointer: str | None = None,
    line: int | None = None,
) -> None:
    """Whichever of the two outcomes happened, it happened properly."""
    run = tried.run
    assert run.returncode is not None, f"hang: {run.describe()}"
    assert "Traceback" not in run.stderr + run.stdout, run.describe()
    assert run.returncode in (0, 2), run.describe()
    assert expect in ("either", "generate" if run.returncode == 0 else "error"), f"expected {expect}: {run.describe()}"
    if run.returncode == 0:
        assert_generated(run, tried.output, tmp_path, tried.siblings)
    else:
        assert_rejected(run, tried.spec, has_lines=has_lines, code=code, pointer=pointer, line=line)
        assert snapshot(tried.output) == tried.before, "a failed run changed the output folder"
        assert sorted(os.listdir(tmp_path)) == tried.siblings, "a staging or backup folder was left beside the output"


def run_case(spec: Path, tmp_path: Path, *, expect: str, has_lines: bool, **expected: object) -> Run:
    tried = attempt(spec, tmp_path)
    check(tried, tmp_path, expect=expect, has_lines=has_lines, **expected)  # type: ignore[arg-type]
    return tried.run


def report(run: Run, name: str, record_property: Callable[[str, object], None]) -> None:
    code = "timeout" if run.returncode is None else run.returncode
    print(f"\n{name}: exit {code}, {run.seconds:.1f}s, peak RSS {run.peak_mb:.0f} MB")
    record_property("seconds", round(run.seconds, 1))
    record_property("peak_rss_mb", round(run.peak_mb))
    record_property("exit", code)


# -- slow cases: made in tmp_path, first in the file so that -n 2 runs them side by side -------------------

_DEEP_HEAD = {
    "openapi": "3.0.3",
    "info": {"title": "Deep", "version": "1.0"},
    "paths": {
        "/deep": {
            "get": {
                "operationId": "getDeep",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": {"Deep": "@@DEEP@@"}},
}
DEPTH = 10_000


def deep_inline_yaml(folder: Path) -> Path:
    """A schema of 10,000 nested objects, one level per line (YAML flow style)."""
    head = json.dumps(_DEEP_HEAD, indent=1)
    levels = "\n".join("{type: object, properties: {a: " for _ in range(DEPTH))
    path = folder / "deep_inline.yaml"
    path.write_text(head.replace('"@@DEEP@@"', levels + "{type: string}" + "}}" * DEPTH), encoding="utf-8")
    return path


def deep_inline_json(folder: Path) -> Path:
    """The same in JSON, one level per line."""
    levels = "\n".join('{"type": "object", "properties": {"a":' for _ in range(DEPTH))
    path = folder / "deep_inline.json"
    text = json.dumps(_DEEP_HEAD, indent=1).replace('"@@DEEP@@"', levels + '{"type": "string"}' + "}}" * DEPTH)
    path.write_text(text, encoding="utf-8")
    return path


def deep_ref_chain(folder: Path) -> Path:
    """10,000 component schemas, each an object whose only property is the next one: nesting through $refs."""
    schemas: dict[str, object] = {
        f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(DEPTH)
    }
    schemas[f"S{DEPTH}"] = {"type": "string"}
    spec = json.loads(json.dumps(_DEEP_HEAD).replace('"@@DEEP@@"', '{"$ref": "#/components/schemas/S0"}'))
    spec["components"]["schemas"].update(schemas)
    path = folder / "deep_ref_chain.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


ENUM_SIZE = 100_000


def huge_enum(folder: Path) -> Path:
    """A component enum of 100,000 values, used by a query parameter and a response."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Huge enum", "version": "1.0"},
        "paths": {
            "/values": {
                "get": {
                    "operationId": "getValue",
                    "parameters": [{"name": "v", "in": "query", "schema": {"$ref": "#/components/schemas/Big"}}],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Big"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Big": {"type": "string", "enum": [f"value-{i}" for i in range(ENUM_SIZE)]}}},
    }
    path = folder / "huge_enum.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


BIG_BYTES = 50 * 1000 * 1000


def fifty_megabytes(folder: Path) -> Path:
    """A 50 MB spec of ordinary content: 25,000 paths with a GET and a POST each, a model per path, 50 tags."""
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    index = 0
    size = 0
    while size < BIG_BYTES:
        schemas[f"Item{index}"] = {
            "type": "object",
            "description": f"Item number {index}. " + "Lorem ipsum dolor sit amet. " * 4,
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "description": "The name."},
                "count": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "created_at": {"type": "string", "format": "date-time"},
            },
        }
        ref = {"$ref": f"#/components/schemas/Item{index}"}
        paths[f"/resource{index}/{{id}}"] = {
            "get": {
                "operationId": f"getResource{index}",
                "tags": [f"group{index % 50}"],
                "summary": f"Get resource {index}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "expand", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                ],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": ref}}},
                    "404": {"description": "Not found"},
                },
            },
            "post": {
                "operationId": f"updateResource{index}",
                "tags": [f"group{index % 50}"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}},
            },
        }
        size += 2000  # about what one path and its model take below, indented
        index += 1
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path = folder / "fifty_megabytes.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    assert path.stat().st_size >= BIG_BYTES * 0.95, path.stat().st_size
    return path


def alias_bomb(folder: Path) -> Path:
    return MORE / "alias_bomb.yaml"


class Slow(NamedTuple):
    make: Callable[[Path], Path]
    expect: str
    bug: str | None = None
    code: str | None = None  # the error's code, when it must be an error


#: in the order xdist deals them out with -n 2: the first, third, fifth to one worker, the others to the second
SLOW: dict[str, Slow] = {
    "fifty_megabytes": Slow(fifty_megabytes, "either"),
    "alias_bomb": Slow(alias_bomb, "error", code="yaml-expansion"),
    "deep_ref_chain": Slow(deep_ref_chain, "error", code="too-deep"),
    "huge_enum": Slow(huge_enum, "either"),
    "deep_inline_json": Slow(deep_inline_json, "error", code="too-deep"),
    "deep_inline_yaml": Slow(deep_inline_yaml, "either"),
}


#: Cases that take minutes (or most of the machine's memory): run with `-m slow`, outside the default test run.
VERY_SLOW = frozenset({"fifty_megabytes"})


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[
                *([pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []),
                *([pytest.mark.slow] if name in VERY_SLOW else []),
            ],
        )
        for name, case in SLOW.items()
    ],
)
def test_slow_case(name: str, tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    case = SLOW[name]
    specs = tmp_path / "specs"
    specs.mkdir()
    spec = case.make(specs)
    work = tmp_path / "work"
    work.mkdir()
    tried = attempt(spec, work, timeout=SLOW_TIMEOUT)
    report(tried.run, name, record_property)
    check(tried, work, expect=case.expect, has_lines=True, code=case.code)


# -- committed fixtures ------------------------------------------------------------------------------------


class Case(NamedTuple):
    """What a fixture must give: "generate" (exit 0), "error" (exit 2) or "either"."""

    expect: str
    #: for "error": the code and pointer of the first error, and the text on the line it must name
    code: str | None = None
    pointer: str | None = None
    line_text: str | None = None
    #: whether errors must carry a line (False for documents without any node, like a file of comments)
    has_lines: bool = True
    #: a known generator bug: the case is an xfail(strict) with this reason
    bug: str | None = None


def error(code: str, pointer: str, line_text: str | None, **kwargs: object) -> Case:
    return Case("error", code, pointer, line_text, **kwargs)  # type: ignore[arg-type]


SCHEMA_REF = "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"

CASES: dict[str, Case] = {
    # -- not YAML or JSON, empty, wrong top-level type
    "html_page.yaml": error("not-a-mapping", "", "<!DOCTYPE html>"),
    "markdown.md": error("not-a-mapping", "", "See https://example.com/docs"),
    "comments_only.yaml": error("not-a-mapping", "", None, has_lines=False),
    "scalar_top_level.yaml": error("not-a-mapping", "", "openapi 3.0.3 info"),
    "number_top_level.json": error("not-a-mapping", "", "42"),
    "null_top_level.json": error("not-a-mapping", "", "null"),
    "array_top_level.json": error("not-a-mapping", "", "["),
    # -- syntax
    "truncated.json": error("syntax", "", '"get": {"operationId": "listPets"'),
    "tab_indentation.yaml": error("syntax", "", "\ttitle: Tabs"),
    "two_documents.yaml": error("syntax", "", "---"),
    "unclosed_flow.yaml": error("syntax", "", "paths: {}"),
    "control_character.yaml": error(
        "syntax",
        "",
        "title:",
    ),
    "json_duplicate_keys.json": Case("generate"),
    "yaml_duplicate_keys.yaml": Case("generate"),
    "alias_bomb_in_extension.yaml": error("yaml-expansion", "/paths/~1pets/get/x-lols", "x-lols: *i"),
    # -- missing or wrong openapi / info / paths
    "openapi_float.yaml": error("unsupported-version", "/openapi", "openapi: 3.0"),
    "openapi_number.json": error("unsupported-version", "/openapi", '"openapi": 3,'),
    "openapi_future.yaml": error("unsupported-version", "/openapi", 'openapi: "4.0.0"'),
    "info_not_mapping.yaml": error("missing-info", "/info", "info: Pets API"),
    "path_item_list.yaml": error("invalid-path-item", "/paths/~1pets", "  /pets:"),
    "path_item_null.yaml": error("invalid-path-item", "/paths/~1pets", "  /pets:"),
    "operation_not_mapping.yaml": error("invalid-operation", "/paths/~1pets/get", "get: listPets"),
    "components_not_mapping.yaml": Case("generate"),
    "tags_not_a_list.yaml": Case(
        "either",
    ),
    "servers_wrong.yaml": Case("generate"),
    "server_url_invalid_host.yaml": Case(
        "either",
    ),
    "wrong_types_everywhere.yaml": Case("generate"),
    "webhooks_wrong.yaml": Case("generate"),
    # -- references
    "ref_dangling_parameter.yaml": error(
        "ref-unresolvable", "/paths/~1pets/get/parameters/0/$ref", '- $ref: "#/components/parameters/Limit"'
    ),
    "ref_fragment_not_pointer.yaml": error("ref-unresolvable", SCHEMA_REF, '$ref: "#components/schemas/Pet"'),
    "ref_to_folder.yaml": error("ref-unresolvable", SCHEMA_REF, '$ref: "./#/Pet"'),
    "webhook_ref_dangling.yaml": error(
        "ref-unresolvable", "/webhooks/orderPlaced/post/requestBody/$ref", '$ref: "#/components/requestBodies'
    ),
    "ref_not_string.yaml": Case("generate"),
    "ref_to_non_schema.yaml": Case("generate"),
    "ref_whole_document.yaml": Case("generate"),
    "ref_pointer_escapes.yaml": Case("generate"),
    "ref_cycle_required.yaml": Case("generate"),
    "ref_self.yaml": Case(
        "either",
    ),
    "ref_cycle_alias.yaml": Case(
        "either",
    ),
    "ref_cycle_array_alias.yaml": Case("generate"),
    "recursive_union_alias.yaml": Case("generate"),
    "allof_cycle.yaml": Case(
        "either",
    ),
    "file_ref_cycle.yaml": Case("generate"),
    "path_item_ref_cycle.yaml": Case("generate"),
    "discriminator_dangling.yaml": Case("generate"),
    # -- parameters, responses, schemas
    "parameter_without_in.yaml": Case("generate"),
    "path_parameter_without_in.yaml": Case("generate"),  # a warning; the parameter is a path parameter
    "path_parameter_in_query.yaml": Case("generate"),
    "path_parameter_not_in_template.yaml": Case("generate"),
    "empty_path_template.yaml": Case("generate"),
    "response_content_null.yaml": Case("generate"),
    "type_list_in_30.yaml": Case("generate"),
    "invalid_regex_pattern.yaml": Case("generate"),
    "required_not_a_list.yaml": Case(
        "either",
    ),
    "enum_odd_values.yaml": Case("generate"),
    "property_keys_not_strings.yaml": Case(
        "either",
    ),
    # -- names
    "operation_ids_collide_after_sanitising.yaml": Case("generate"),
    "names_collide_after_sanitising.yaml": Case("generate"),
    "python_keywords.yaml": Case("generate"),
    "non_ascii_names.yaml": Case("generate"),
    "long_names.yaml": Case(
        "either",
    ),
}


def fixture_line(path: Path, line_text: str | None) -> int | None:
    if line_text is None:
        return None
    hits = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line_text in text]
    assert hits, f"{line_text!r} not in {path}"
    return hits[0]


def _case_param(name: str) -> object:
    bug = CASES[name].bug
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=bug)) if bug else name


@pytest.mark.parametrize("name", [_case_param(name) for name in sorted(CASES)])
def test_broken_fixture(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    spec = MORE / name
    line = fixture_line(spec, case.line_text) if case.expect == "error" else None
    run_case(
        spec,
        tmp_path,
        expect=case.expect,
        has_lines=case.has_lines,
        code=case.code,
        pointer=case.pointer,
        line=line,
    )


def test_every_fixture_has_a_case() -> None:
    on_disk = {p.name for p in MORE.iterdir() if p.is_file()}
    assert on_disk == set(CASES) | {"alias_bomb.yaml"}  # the alias bomb is a slow case


def test_at_least_30_broken_specs() -> None:
    committed = [p for p in BROKEN.iterdir() if p.is_file()] + [p for p in MORE.iterdir() if p.is_file()]
    assert len(committed) >= 30, committed
    assert len(committed) + len(GENERATED) + len(SLOW) >= 80


# -- generated (binary or byte-exact) cases -------------------------------------------------------------------

SMALL = 'openapi: 3.0.3\ninfo:\n  title: Small\n  version: "1.0"\npaths: {}\n'


def _writer(name: str, content: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return write


class Generated(NamedTuple):
    make: Callable[[Path], Path]
    expect: str
    code: str | None = None
    line: int | None = None
    has_lines: bool = False
    bug: str | None = None


GENERATED: dict[str, Generated] = {
    "whitespace_only": Generated(_writer("spec.yaml", b"  \n\t\n\n"), "error", "file-empty"),
    "bom_only": Generated(_writer("spec.yaml", b"\xef\xbb\xbf\n"), "error", "file-empty"),
    "utf16": Generated(_writer("spec.yaml", SMALL.encode("utf-16")), "generate"),  # with its byte order mark
    "utf16_no_bom": Generated(_writer("spec.yaml", SMALL.encode("utf-16-le")), "error", "file-binary"),
    "gzip": Generated(_writer("spec.yaml", gzip.compress(SMALL.encode(), mtime=0)), "error", "file-binary"),
    "png_named_json": Generated(
        _writer("spec.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "error", "file-binary"
    ),
    "elf": Generated(_writer("spec.yaml", b"\x7fELF\x02\x01\x01\x00" + bytes(120)), "error", "file-binary"),
    "nul_after_8k": Generated(
        _writer("spec.yaml", ("# padding\n" * 1000 + SMALL).encode() + b"x-nul: a\x00b\n"),
        "error",
        "syntax",
        line=1006,
        has_lines=True,
    ),
    "invalid_utf8_on_line_10": Generated(
        _writer("spec.yaml", ("# padding\n" * 4 + SMALL).encode() + b"x-bad: caf\xe9\n"),
        "error",
        "file-encoding",
        line=10,
        has_lines=True,
    ),
    "bom_then_spec": Generated(_writer("spec.yaml", b"\xef\xbb\xbf" + SMALL.encode()), "generate"),
    "crlf": Generated(_writer("spec.yaml", SMALL.replace("\n", "\r\n").encode()), "generate"),
    "cr_only": Generated(_writer("spec.yaml", SMALL.replace("\n", "\r").encode()), "generate"),
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=case.bug)) if case.bug else name
        for name, case in GENERATED.items()
    ],
)
def test_generated_broken_spec(name: str, tmp_path: Path) -> None:
    case = GENERATED[name]
    specs = tmp_path / "specs"
    specs.mkdir()
    spec = case.make(specs)
    work = tmp_path / "work"
    work.mkdir()
    run_case(
        spec,
        work,
        expect=case.expect,
        has_lines=case.has_lines,
        code=case.code,
        pointer="" if case.code else None,
        line=case.line,
    )


# -- what the odd names generate: the right wire names, not just importable code ------------------------------------


def _generate_ok(name: str, tmp_path: Path) -> tuple[Path, str]:
    output = tmp_path / "out"
    run = clientgen("generate", MORE / name, "-o", output, cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    return output, generated_package(output)[0]


def _run_in(output: Path, script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=output, capture_output=True, text=True, timeout=TIMEOUT, env=ENV
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_colliding_names_keep_their_wire_names(tmp_path: Path) -> None:
    output, package = _generate_ok("names_collide_after_sanitising.yaml", tmp_path)
    script = f"""
import inspect, json, httpx, respx
import {package} as p
from {package} import models
client = p.Client(base_url="https://example.test", access_token="t")
resources = [getattr(client, n) for n in dir(client) if not n.startswith("_")
             and type(getattr(client, n)).__module__.startswith("{package}.resources")]
assert len(resources) == 3, resources  # tags "a b", "a-b" and "A_B" stay three groups
calls = next(r for r in resources if hasattr(r, "list_calls")).list_calls
names = [n for n in inspect.signature(calls).parameters if n.startswith("date_created")]
assert len(names) == 5, names
with respx.mock() as mock:
    route = mock.get("https://example.test/calls").mock(return_value=httpx.Response(200, json={{}}))
    calls(**{{n: "2024-01-0%d" % i if i < 4 else "v%d" % i for i, n in enumerate(names, 1)}})
    request = route.calls.last.request
params = dict(httpx.QueryParams(request.url.query))
print(json.dumps({{"params": params, "header": request.headers.get("Date-Created")}}))
thing = models.FooBar.model_validate({{"foo-bar": "s", "foo_bar": 1, "fooBar": True, "FOO_BAR": 1.5}})
assert thing.model_dump(by_alias=True, exclude_none=True) == {{"foo-bar": "s", "foo_bar": 1, "fooBar": True, "FOO_BAR": 1.5}}
"""
    result = json.loads(_run_in(output, script).strip().splitlines()[-1])
    assert set(result["params"]) == {"DateCreated", "DateCreated<", "DateCreated>", "date_created"}
    assert result["header"] is not None


def test_keyword_names_reach_the_wire(tmp_path: Path) -> None:
    output, package = _generate_ok("python_keywords.yaml", tmp_path)
    script = f"""
import inspect, json, httpx, respx
import {package} as p
from {package} import models
client = p.Client(base_url="https://example.test", access_token="t")
method = next(getattr(r, m) for r in (getattr(client, n) for n in dir(client) if not n.startswith("_"))
              for m in dir(r) if m.startswith("class"))
with respx.mock() as mock:
    route = mock.route().mock(return_value=httpx.Response(200, json={{"from": "f", "class": "c", "123": "n"}}))
    kwargs = {{n: n for n, prm in inspect.signature(method).parameters.items() if n not in {sorted(CALL_OPTIONS)}}}
    result = method(**kwargs)
    request = route.calls.last.request
print(json.dumps({{"path": request.url.path, "params": dict(httpx.QueryParams(request.url.query)),
                  "dump": result.model_dump(by_alias=True, exclude_none=True)}}))
"""
    result = json.loads(_run_in(output, script).strip().splitlines()[-1])
    assert result["path"] == "/class/def_"
    assert {"lambda", "async", "self", "options", "str", "2fa", "body"} <= set(result["params"])
    assert result["dump"] == {"from": "f", "class": "c", "123": "n"}


def test_non_ascii_names_reach_the_wire(tmp_path: Path) -> None:
    output, package = _generate_ok("non_ascii_names.yaml", tmp_path)
    script = f"""
import inspect, json, httpx, respx
import {package} as p
client = p.Client(base_url="https://example.test", access_token="t")
found = []
for n in dir(client):
    r = getattr(client, n)
    if n.startswith("_") or not type(r).__module__.startswith("{package}.resources"):
        continue
    for m in dir(r):
        method = getattr(r, m)
        if not m.startswith("_") and not m.startswith("with_") and len(set(inspect.signature(method).parameters) - set({sorted(CALL_OPTIONS)})) == 4:
            found.append(method)
[method] = found
required = [n for n, prm in inspect.signature(method).parameters.items() if prm.default is inspect.Parameter.empty]
with respx.mock() as mock:
    route = mock.route().mock(return_value=httpx.Response(200, json={{"名字": "小白", "🎂": "2020-01-01"}}))
    kwargs = {{n: "v" for n in inspect.signature(method).parameters if n not in {sorted(CALL_OPTIONS)}}}
    result = method(**{{**kwargs, required[0]: "七"}})
    request = route.calls.last.request
print(json.dumps({{"path": request.url.path, "params": dict(httpx.QueryParams(request.url.query)),
                  "dump": result.model_dump(mode="json", by_alias=True, exclude_none=True)}}, ensure_ascii=False))
"""
    result = json.loads(_run_in(output, script).strip().splitlines()[-1])
    assert result["path"] == "/宠物/七"
    assert set(result["params"]) == {"🔑", "名字", "größe"}
    assert result["dump"] == {"名字": "小白", "🎂": "2020-01-01"}


def test_escaped_pointers_resolve_to_their_schemas(tmp_path: Path) -> None:
    output, package = _generate_ok("ref_pointer_escapes.yaml", tmp_path)
    models = (output / package / "models" / "__init__.py").read_text(encoding="utf-8")
    assert re.search(r"^class MyPet\(BaseModel\):$", models, re.MULTILINE), models
    assert re.search(r"^\s+tilde: ", models, re.MULTILINE), models
