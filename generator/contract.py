"""`clientgen test`: the tests `generate` wrote, run against a mock server of the spec.

Prism (Stoplight's OpenAPI mock server, an npm package) serves the spec on a free port of 127.0.0.1 and checks
every request the generated client sends; pytest runs the project's tests/ with CLIENTGEN_TEST_BASE_URL pointing
at it, in this interpreter, with the output folder first on the import path (the package as generated, not an
installed copy). The outcome is read from pytest's JUnit XML report and told per operation: an operation passes
when its sync and its async test both do.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.model import Api

PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
INSTALL_HINT = f"npm install --no-save {PRISM_PACKAGE} (Node.js 18 or later), or pass --prism PATH"
PRISM_VARIABLE = "CLIENTGEN_PRISM"
BASE_URL_VARIABLE = "CLIENTGEN_TEST_BASE_URL"
STARTUP_SECONDS = 120.0


class ContractError(Exception):
    """What stops the tests from running (exit 2): Prism or pytest missing, Prism not starting, no tests."""


def find_prism(explicit: Path | None, start: Path) -> Path:
    """Prism: `--prism`, else $CLIENTGEN_PRISM, else node_modules/.bin/prism in `start` or a folder above it, else
    `prism` on the PATH."""
    if explicit is not None:
        if not explicit.is_file():
            raise ContractError(f"--prism {explicit}: no such file")
        return explicit
    variable = os.environ.get(PRISM_VARIABLE)
    if variable:
        if not Path(variable).is_file():
            raise ContractError(f"${PRISM_VARIABLE} is {variable}: no such file")
        return Path(variable)
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "node_modules" / ".bin" / "prism"
        if candidate.is_file():
            return candidate
    found = shutil.which("prism")
    if found:
        return Path(found)
    raise ContractError(f"Prism, the mock server the tests run against, is not installed: {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MockServer:
    """`prism mock SPEC` on a free port of 127.0.0.1, with dynamic responses from a fixed seed (the same on every
    run); what it prints goes to `log`."""

    def __init__(self, prism: Path, spec: Path, log: Path) -> None:
        self.prism, self.spec, self.log = prism, spec, log
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> MockServer:
        command = [str(self.prism), "mock", str(self.spec), "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--dynamic", "--seed", "clientgen", "--verboseLevel", "warn"]
        with open(self.log, "ab") as output:
            try:
                self._process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            except OSError as error:
                raise ContractError(f"cannot start Prism ({self.prism}): {error.strerror}") from None
        started = time.monotonic()
        while time.monotonic() - started < STARTUP_SECONDS:
            if self._process.poll() is not None:
                raise ContractError(f"Prism exited with {self._process.returncode} before listening:\n{self._tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise ContractError(f"Prism did not listen on {self.base_url} within {STARTUP_SECONDS:.0f} s:\n{self._tail()}")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def _tail(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-20:])


@dataclass(frozen=True)
class OperationOutcome:
    """The tests of one operation: the generated method, its operationId, and each test's failure (None: passed)."""

    method: str
    operation_id: str
    tests: tuple[tuple[str, str | None], ...]

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(failure is None for _, failure in self.tests)


@dataclass(frozen=True)
class Outcome:
    operations: tuple[OperationOutcome, ...]
    #: tests no operation of the spec owns (a test file the user added): name -> failure or None
    others: tuple[tuple[str, str | None], ...] = ()
    output: str = ""
    exit_code: int = 0

    @property
    def failed(self) -> list[OperationOutcome]:
        return [o for o in self.operations if not o.passed]

    def summary(self) -> str:
        failed = self.failed
        text = f"{len(self.operations)} operations: {len(self.operations) - len(failed)} passed"
        if failed:
            text += f", {len(failed)} failed"
        broken = [name for name, failure in self.others if failure is not None]
        if broken:
            text += f"; {len(broken)} other test(s) failed"
        return text


def run_tests(folder: Path, spec: Path, api: Api, prism: Path, *, pytest_arguments: tuple[str, ...] = ()) -> Outcome:
    """Prism on `spec`, pytest on `folder`/tests, the outcome per operation of `api`."""
    if not (folder / "tests").is_dir():
        raise ContractError(f"{folder / 'tests'} does not exist: generate writes it when `tests = true` (the default)")
    if importlib.util.find_spec("pytest") is None:
        raise ContractError("pytest is not installed in this environment: pip install pytest")
    with tempfile.TemporaryDirectory(prefix="clientgen-test-") as scratch:
        report = Path(scratch) / "report.xml"
        with MockServer(prism, spec, Path(scratch) / "prism.log") as server:
            environment = dict(os.environ)
            environment[BASE_URL_VARIABLE] = server.base_url
            environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
            command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "-o", "addopts="]
            command += ["--junitxml", str(report), *pytest_arguments]
            completed = subprocess.run(
                command, cwd=folder, env=environment, capture_output=True, text=True, errors="replace"
            )
        if not report.is_file():
            raise ContractError(
                f"pytest did not run the tests (exit {completed.returncode}):\n{completed.stdout}{completed.stderr}"
            )
        results = dict(_results(report))
    operations: list[OperationOutcome] = []
    owned: set[str] = set()
    for group in api.groups:
        for operation in group.operations:
            case = f"{group.attribute}.{operation.python_name}"
            names = (f"test_operation[{case}]", f"test_operation_async[{case}]")
            tests = tuple((test, results[test]) for test in names if test in results)
            owned.update(test for test, _ in tests)
            method = f"client.{group.attribute}.{operation.python_name}"
            operations.append(OperationOutcome(method, operation.operation_id, tests))
    others = tuple((test, failure) for test, failure in results.items() if test not in owned)
    failing = any(not o.passed for o in operations) or any(f is not None for _, f in others)
    return Outcome(tuple(operations), others, completed.stdout + completed.stderr, 1 if failing else 0)


def _results(report: Path) -> Iterator[tuple[str, str | None]]:
    """(test function, its failure's message or None) from a JUnit XML report."""
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        name = case.get("name", "")
        problem = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
        if problem is None:
            yield name, None
        else:
            kind = "skipped" if problem.tag == "skipped" else "failed"
            yield name, f"{kind}: {(problem.get('message') or '').strip()}"
