"""Upvest's real 1.9.0 spec (from ../shared/specs): all 94 operations, importable, mypy-clean, no transport headers."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import generate
from generator.write import write

from conftest import ROOT, shared_spec

MANAGED = {"signature", "signature_input", "authorization", "upvest_client_id", "idempotency_key"}


@pytest.fixture(scope="module")
def real_upvest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = shared_spec("upvest/upvest-investment-api-1.9.0.yaml")
    result = generate(spec, load_config(ROOT / "pyproject.toml").merged(package="upvest_real_client"))
    assert len(result.api.operations) == 94
    target = tmp_path_factory.mktemp("real-upvest")
    write(result.files, target)
    return target


def test_all_94_operations_generate_as_methods(real_upvest: Path) -> None:
    sys.path.insert(0, str(real_upvest))
    try:
        import upvest_real_client as package

        client = package.Client(base_url="https://example.test")
        methods = []
        for name in dir(client):
            resource = getattr(client, name)
            if name.startswith("_") or not type(resource).__module__.startswith("upvest_real_client.resources"):
                continue
            for method_name, method in inspect.getmembers(resource, inspect.ismethod):
                if not method_name.startswith("_"):
                    methods.append(method)
                    assert not MANAGED & set(inspect.signature(method).parameters), method.__qualname__
        assert len(methods) == 94
    finally:
        sys.path.remove(str(real_upvest))


def test_real_client_passes_mypy_strict(real_upvest: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "upvest_real_client"],
        cwd=real_upvest,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cleaned_variant_generates_the_same_operations() -> None:
    spec = shared_spec("upvest/upvest-investment-api-1.9.0-cleaned.yaml")
    result = generate(spec, load_config(ROOT / "pyproject.toml"))
    assert len(result.api.operations) == 94
