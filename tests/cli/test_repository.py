"""The repository's promises: the README's commands, the CI script and the configuration agree."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from generator.config import load_config

from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_install_and_generate_then_install_and_test() -> None:
    generate, test = readme_commands()[:2]
    assert "pip install" in generate and generate.rstrip().endswith("clientgen generate")
    assert "pip install" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in script.splitlines()


def test_repository_config_names_the_upvest_spec_and_output() -> None:
    config = load_config(ROOT / "pyproject.toml")
    assert config.project.spec == ROOT / "specs" / "upvest-investment-api.yaml"
    assert config.project.output == ROOT / "output"
    assert {"signature", "signature-input", "upvest-client-id", "authorization"} <= set(config.client.managed_headers)


def test_every_test_module_is_in_a_folder_pytest_collects(pytestconfig: pytest.Config) -> None:
    """pytest skips some folder names whatever they hold (build, dist, venv, ...): a test moved into one would
    silently stop running."""
    import fnmatch

    skipped = pytestconfig.getini("norecursedirs")
    assert "build" in skipped
    modules = sorted((ROOT / "tests").rglob("test_*.py"))
    assert len(modules) >= 30
    golden = ROOT / "tests" / "golden"  # generated trees: their tests are the generated ones (`clientgen test`)
    for module in (m for m in modules if not m.is_relative_to(golden)):
        for folder in module.relative_to(ROOT / "tests").parts[:-1]:
            assert not any(fnmatch.fnmatch(folder, pattern) for pattern in skipped), module


def test_the_generator_and_its_tests_are_black_clean() -> None:
    """As its runtime is (tests/runtime/test_runtime_source.py); `mypy --strict`: tests/render/test_typing.py."""
    black = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", "generator", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert black.returncode == 0, black.stderr
