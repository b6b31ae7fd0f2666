"""Issue 4: every spec of the real-world corpus (../shared/specs) generates a package that imports, with every
operation the spec declares; unsupported constructs warn with a pointer; Box's and Stripe's packages pass
`mypy --strict`. Runs `corpus.run_spec` (tests/support/corpus.py) per spec; `python tests/support/corpus.py` runs them all.

Fails (never skips) when ../shared/specs is missing, naming the folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import corpus
from conftest import SHARED_SPECS, shared_spec
from generator.config import Config
from generator.diagnostics import SpecError
from generator.pipeline import generate
from generator.write import write

pytestmark = pytest.mark.corpus

#: Specs whose generated packages must pass `mypy --strict` (ours and Upvest's real spec are checked elsewhere).
MYPY_SPECS = ("big-box.json", "fin-stripe-apisguru.json")


def _spec_cases() -> list[Any]:
    """One case per corpus spec, the biggest first (so the slow ones start first under xdist); a single failing
    case when the corpus folder is missing, so the run fails instead of collecting nothing."""
    try:
        specs = corpus.find_specs(SHARED_SPECS)
    except corpus.SharedSpecsMissing as missing:
        return [pytest.param(str(missing), id="shared-specs-missing")]
    cases = []
    for spec in sorted(specs, key=lambda p: (-p.stat().st_size, p.name)):
        marks: list[pytest.MarkDecorator] = []
        cases.append(pytest.param(spec, id=corpus.spec_name(spec, SHARED_SPECS), marks=marks))
    return cases


@pytest.mark.parametrize("spec", _spec_cases())
def test_spec_generates_every_operation_and_imports(spec: Path | str, tmp_path: Path) -> None:
    if isinstance(spec, str):
        pytest.fail(spec, pytrace=False)
    result = corpus.run_spec(spec, workdir=tmp_path)
    assert result.status == "ok", f"{result.spec}: {result.status}:\n{result.message}"
    assert (
        result.operations == result.declared_operations
    ), f"{result.spec}: {result.operations} operations generated, the spec declares {result.declared_operations}"
    assert result.import_ok, f"{result.spec}: the generated package does not import: {result.import_message}"
    assert result.readme_errors == [], f"{result.spec}: the generated README's Python does not compile"


def test_readme_blocks_that_do_not_compile_are_found() -> None:
    text = "# x\n\n```python\nprint(1)\n```\n\n```python\nwith Client(\n) as client:\n```\n"
    assert corpus.python_blocks(text) == ["print(1)\n", "with Client(\n) as client:\n"]
    assert [e.split(":")[0] for e in corpus.readme_compile_errors(text)] == ["block 2"]


@pytest.mark.parametrize("name", MYPY_SPECS)
def test_generated_package_passes_mypy_strict(name: str, tmp_path: Path) -> None:
    spec = shared_spec(name)
    package = corpus.package_name(name)
    project = tmp_path / "project"
    write(generate(spec, Config.of(package=package)).files, project)
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache"), package],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-2000:]
    assert "Success" in completed.stdout


# -- unsupported constructs warn, with a pointer, instead of failing ---------------------------------------

COOKIE_SPEC = """\
openapi: 3.0.3
info: {title: Cookies, version: "1.0"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: session, in: cookie, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/Tracking"
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: the items
          content:
            application/json:
              schema: {type: array, items: {type: string}}
components:
  parameters:
    Tracking: {name: tracking, in: cookie, schema: {type: string}}
"""


@pytest.fixture
def cookie_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "cookies.yaml"
    spec.write_text(COOKIE_SPEC, encoding="utf-8")
    return spec


def test_cookie_parameters_warn_with_their_pointers_and_are_skipped(cookie_spec: Path) -> None:
    result = generate(cookie_spec, Config.of(package="cookie_client"))
    (operation,) = result.api.operations
    assert [p.name for p in operation.parameters] == ["limit"]
    cookies = [d for d in result.diagnostics if d.code == "cookie-parameter"]
    assert [(d.severity, d.pointer, d.line) for d in cookies] == [
        ("warning", "/paths/~1items/get/parameters/0", 8),
        ("warning", "/components/parameters/Tracking", 19),  # where the $ref leads
    ]
    assert "'session'" in cookies[0].message and "'tracking'" in cookies[1].message
    assert "[at #/paths/~1items/get/parameters/0] (cookie-parameter)" in cookies[0].render()
    assert not [d for d in result.diagnostics if d.severity == "error"]


def test_cookie_parameters_fail_only_when_strict(cookie_spec: Path, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        generate(cookie_spec, Config.of(package="cookie_client"), strict=True)
    assert {d.code for d in raised.value.diagnostics} == {"cookie-parameter"}

    lenient = corpus.run_spec(cookie_spec, workdir=tmp_path / "lenient")
    assert lenient.ok, lenient.problems()
    assert lenient.warning_codes == {"cookie-parameter": 2}
    strict = corpus.run_spec(cookie_spec, strict=True, workdir=tmp_path / "strict")
    assert strict.status == "spec-error"
    assert "[at #/paths/~1items/get/parameters/0] (cookie-parameter)" in strict.message
    assert strict.message.endswith("failed: 0 error(s), 2 warning(s); nothing was written")


# -- the runner itself --------------------------------------------------------------------------------------


def test_declared_operations_follow_path_item_refs(tmp_path: Path) -> None:
    (tmp_path / "paths.yaml").write_text(
        "Ext:\n  post: {responses: {'204': {description: none}}}\n  put: {responses: {'204': {description: none}}}\n"
        "  parameters: []\n",
        encoding="utf-8",
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(
        """\
openapi: 3.1.0
info: {title: Refs, version: "1"}
paths:
  /a: {get: {responses: {"204": {description: none}}}, summary: not an operation}
  /local: {$ref: "#/components/pathItems/Local"}
  /external: {$ref: "paths.yaml#/Ext"}
components:
  pathItems:
    Local:
      get: {responses: {"204": {description: none}}}
      delete: {responses: {"204": {description: none}}}
""",
        encoding="utf-8",
    )
    assert corpus.declared_operations(spec) == 5
    result = corpus.run_spec(spec, workdir=tmp_path / "out")
    assert result.ok, result.problems()
    assert result.operations == 5


def test_runner_exits_2_naming_the_shared_folder_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(corpus, "SHARED_SPECS", tmp_path / "shared" / "specs")
    assert corpus.main([]) == 2
    error = capsys.readouterr().err
    assert str(tmp_path / "shared" / "specs") in error and "../shared/specs" in error
    with pytest.raises(corpus.SharedSpecsMissing, match="shared specs folder"):
        corpus.find_specs()


def test_swagger2_detection_reads_the_top_level_only(tmp_path: Path) -> None:
    json_spec = tmp_path / "a.json"
    json_spec.write_text('{"info": {"swagger": "no"}, "swagger": "2.0", "paths": {}}', encoding="utf-8")
    nested = tmp_path / "b.json"
    nested.write_text('{"openapi": "3.0.0", "info": {"swagger": "2.0"}, "paths": {}}', encoding="utf-8")
    yaml_spec = tmp_path / "c.yaml"
    yaml_spec.write_text('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n', encoding="utf-8")
    nested_yaml = tmp_path / "d.yaml"
    nested_yaml.write_text('openapi: 3.0.0\ninfo:\n  swagger: "2.0"\npaths: {}\n', encoding="utf-8")
    assert [corpus.is_swagger2(p) for p in (json_spec, nested, yaml_spec, nested_yaml)] == [True, False, True, False]
