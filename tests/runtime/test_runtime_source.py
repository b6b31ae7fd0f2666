"""The runtime as source: templates/runtime/ holds plain Python that every generated package gets unchanged.

It is checked here as it stands in the repository, without generating anything: black leaves it as it is (in the
mode of generated code, since it is not formatted again when copied), `mypy --strict` passes, every generated
`_config.py` defines what the runtime reads from it, and the error classes are the ones the generator exports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import black
import pytest

from generator.config import Config
from generator.format import mode
from generator.pipeline import generate
from generator.render import RUNTIME_FILES, SIGNING_FILES, STATUS_ERRORS, WEBHOOK_FILES, templates_root

from conftest import GOLDEN, ROOT

RUNTIME = templates_root() / "runtime"
COPIED = sorted([*RUNTIME_FILES, *SIGNING_FILES, *WEBHOOK_FILES])


def test_the_runtime_folder_holds_what_is_copied_and_its_helpers() -> None:
    """Beside the copied modules: the package marker, and the shapes of the two generated modules it reads."""
    helpers = ["__init__.py", "_config.py", "_version.py"]
    assert sorted(p.name for p in RUNTIME.glob("*.py")) == sorted([*COPIED, *helpers])


@pytest.mark.parametrize("name", COPIED)
def test_runtime_module_is_black_clean_in_the_mode_of_generated_code(name: str) -> None:
    text = (RUNTIME / name).read_text(encoding="utf-8")
    assert black.format_str(text, mode=mode()) == text, f"run black on templates/runtime/{name} (line length 100)"


def test_the_runtime_passes_mypy_strict_as_source(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "-p", "runtime"],
        cwd=RUNTIME.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]


def _annotated(text: str) -> dict[str, str]:
    """Module-level annotated names and their annotations."""
    return {
        node.target.id: ast.unparse(node.annotation)
        for node in ast.parse(text).body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }


@pytest.mark.parametrize("spec", ["specs/upvest-investment-api.yaml", "tests/golden/media.yaml"])
def test_every_generated_config_defines_what_the_runtime_reads(spec: str) -> None:
    files = generate(ROOT / spec, Config.of(package="shape_check", retry=Config().client.retry)).files
    expected = _annotated((RUNTIME / "_config.py").read_text(encoding="utf-8"))
    assert _annotated(files["shape_check/_config.py"]) == expected
    for name in COPIED:
        path = f"shape_check/{name}"
        if path in files:  # copied byte for byte
            assert files[path] == (RUNTIME / name).read_text(encoding="utf-8")


def test_the_retry_settings_of_the_configuration_reach_the_default_policy(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text((GOLDEN / "media.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "clientgen.toml").write_text("[retry]\nmax-retries = 7\ndeadline = 9.5\n", encoding="utf-8")
    from generator.config import load_config
    from generator.write import write

    write(generate(spec, load_config(tmp_path / "clientgen.toml").merged(package="retry_check")).files, tmp_path / "o")
    run = subprocess.run(
        [sys.executable, "-c", "from retry_check._retry import DEFAULT_RETRY as d; print(d.max_retries, d.deadline)"],
        cwd=tmp_path / "o",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.split() == ["7", "9.5"], run.stderr


def test_the_runtime_error_classes_are_the_ones_the_generator_exports() -> None:
    tree = ast.parse((RUNTIME / "_errors.py").read_text(encoding="utf-8"))
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert {name for _, name in STATUS_ERRORS} <= classes
    (table,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "_BY_STATUS"
    ]
    assert isinstance(table, ast.Dict)
    pairs = sorted(
        (ast.literal_eval(k), v.id) for k, v in zip(table.keys, table.values) if k and isinstance(v, ast.Name)
    )
    assert pairs == sorted(STATUS_ERRORS)


def test_the_documented_defaults_are_the_runtimes() -> None:
    """The reference's retry defaults are the runtime RetryPolicy's, and its timeouts the stub _config's."""
    from generator.config import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, RUNTIME_RETRY_DEFAULTS

    policy = next(
        node
        for node in ast.parse((RUNTIME / "_retry.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef) and node.name == "RetryPolicy"
    )
    defaults = {
        node.target.id.replace("_", "-"): ast.literal_eval(node.value)
        for node in policy.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None
    }
    assert {name: defaults[name] for name in RUNTIME_RETRY_DEFAULTS} == RUNTIME_RETRY_DEFAULTS
    stub = {
        node.target.id: ast.literal_eval(node.value)
        for node in ast.parse((RUNTIME / "_config.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None
    }
    assert (stub["TIMEOUT"], stub["CONNECT_TIMEOUT"]) == (DEFAULT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT)
