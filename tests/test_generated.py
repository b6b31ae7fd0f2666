"""The generated packages import in a fresh interpreter, every module of them, and pass `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import OUTPUT

GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECTS = sorted(p for p in GOLDEN.iterdir() if p.is_dir()) + [OUTPUT]

IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
client = package.Client(base_url="https://example.test") if hasattr(package, "Client") else None
for name in dir(client):
    if not name.startswith("_"):
        getattr(client, name)
print("imported", package.__name__)
"""


def package_of(project: Path) -> Path:
    (package,) = [p for p in project.iterdir() if (p / "__init__.py").is_file()]
    return package


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_module_imports_in_a_fresh_interpreter(project: Path) -> None:
    package = package_of(project)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, package.name], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert f"imported {package.name}" in result.stdout


def test_generated_packages_pass_mypy_strict(tmp_path: Path) -> None:
    # output/ equals the Upvest golden folder (test_golden checks it), so one copy of each package is checked
    packages = sorted({package_of(p).name: str(package_of(p)) for p in PROJECTS}.values())
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *packages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
