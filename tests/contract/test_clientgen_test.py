"""`clientgen test`: the tests generate writes into a client project, run against Prism.

Our Upvest client (output/) and the client of Upvest's real 1.9.0 spec must pass every operation, sync and async;
a bug planted in a template (a template overlay sending POST requests as PUT) must fail, naming the operations it
breaks; and without Prism or without tests the command says what is missing and exits 2.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import OUTPUT, ROOT, shared_spec
from expectations import clientgen, no_traceback
from prism_mock import prism_executable

REAL_SPEC = "upvest/upvest-investment-api-1.9.0.yaml"


def clientgen_test(*args: str | Path, cwd: Path) -> tuple[int, str, str]:
    result = clientgen("test", *args, "--prism", prism_executable(), cwd=cwd)
    no_traceback(result)
    return result.returncode, result.stdout, result.stderr


def test_our_upvest_client_passes_every_operation() -> None:
    code, stdout, stderr = clientgen_test(OUTPUT, cwd=ROOT)
    assert code == 0, stdout + stderr
    assert stderr.strip().endswith("33 operations: 33 passed"), stderr


def test_the_client_of_upvests_real_spec_passes_every_operation(tmp_path: Path) -> None:
    spec = shared_spec(REAL_SPEC)
    made = clientgen("generate", spec, "-o", tmp_path / "client", "--package", "upvest_real_client", cwd=ROOT)
    assert made.returncode == 0, made.stderr
    code, stdout, stderr = clientgen_test(
        tmp_path / "client", "--spec", spec, "--package", "upvest_real_client", cwd=ROOT
    )
    assert code == 0, stdout + stderr
    assert stderr.strip().endswith("94 operations: 94 passed"), stderr


def test_a_template_bug_fails_the_operations_it_breaks(tmp_path: Path) -> None:
    """An overlay of the resource template that sends every POST as a PUT: Prism has no such operation."""
    overlay = tmp_path / "overlay" / "package" / "resources"
    overlay.mkdir(parents=True)
    original = (ROOT / "templates" / "package" / "resources" / "resource.py.jinja").read_text(encoding="utf-8")
    planted = original.replace("{{ m.endpoint() }}", "{{ m.endpoint()|replace('\"POST\"', '\"PUT\"') }}")
    assert planted != original
    (overlay / "resource.py.jinja").write_text(planted, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.clientgen]\nspec = "{ROOT / "specs" / "upvest-investment-api.yaml"}"\noutput = "client"\n'
        f'templates = "{tmp_path / "overlay"}"\n',
        encoding="utf-8",
    )
    made = clientgen("generate", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    code, stdout, stderr = clientgen_test(cwd=tmp_path)
    assert code == 1, stdout + stderr
    assert "FAILED client.orders.place (place_order) test_operation[orders.place]" in stdout
    assert "FAILED client.orders.place (place_order) test_operation_async[orders.place]" in stdout
    assert "FAILED client.orders.list" not in stdout  # a GET is untouched
    summary = stderr.strip().splitlines()[-1]
    assert summary.startswith("33 operations: ") and "failed" in summary
    result = clientgen("test", "--prism", prism_executable(), "--format", "json", cwd=tmp_path)
    document = json.loads(result.stdout)
    assert result.returncode == 1 and "client.orders.place" in document["summary"]["failed"]


def test_without_prism_it_says_how_to_install_it(tmp_path: Path) -> None:
    shutil.copytree(OUTPUT, tmp_path / "client")
    environment = {k: v for k, v in os.environ.items() if k != "CLIENTGEN_PRISM"}
    environment["PATH"] = str(Path(os.__file__).parent)  # no prism there
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "test", "client", "--spec", ROOT / "specs" / "upvest-investment-api.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
    )
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "Prism, the mock server the tests run against, is not installed: npm install" in result.stderr
    spec = ROOT / "specs" / "upvest-investment-api.yaml"
    missing = clientgen("test", "client", "--spec", spec, "--prism", tmp_path / "nothing", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_a_folder_without_tests_is_refused(tmp_path: Path) -> None:
    (tmp_path / "client").mkdir()
    code, _, stderr = clientgen_test(
        tmp_path / "client", "--spec", ROOT / "specs" / "upvest-investment-api.yaml", cwd=tmp_path
    )
    assert code == 2 and "tests does not exist: generate writes it when `tests = true`" in stderr


@pytest.mark.parametrize("mode", ["missing", "set"])
def test_the_generated_tests_fail_without_a_mock_server(tmp_path: Path, mode: str) -> None:
    """Run by hand without `clientgen test`, the tests fail and say why; they never pass without a server."""
    import subprocess
    import sys

    environment = {**os.environ, "PYTHONPATH": str(OUTPUT)}
    environment.pop("CLIENTGEN_TEST_BASE_URL", None)
    if mode == "set":
        environment["CLIENTGEN_TEST_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", str(OUTPUT / "tests")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert result.returncode == 1, result.stdout
    if mode == "missing":
        assert "CLIENTGEN_TEST_BASE_URL is not set: run these tests with `clientgen test`" in result.stdout
