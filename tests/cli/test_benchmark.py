"""The benchmark's own helpers (benchmarks/generate.py): its timings are a report, but its edits must be right."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def a_spec(summary: str) -> dict[str, object]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Bench — café ☕ 🚀", "version": "1.0", "description": "Ünïcödé before the edit: 🙂"},
        "paths": {
            "/a": {"get": {"summary": "Multi\nline", "responses": {"200": {"description": "ok"}}}},
            "/b": {"post": {"summary": summary, "responses": {"200": {"description": "dé"}}}},
        },
    }


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_the_warm_edit_changes_one_summary_and_nothing_else(
    bench: ModuleType, tmp_path: Path, suffix: str, newline: str
) -> None:
    original = a_spec("Créer un élément 🚀")
    source = tmp_path / f"spec{suffix}"
    if suffix == ".json":
        text = json.dumps(original, ensure_ascii=False, indent=1)
    else:
        text = yaml.safe_dump(original, allow_unicode=True, sort_keys=False)
    source.write_bytes(text.replace("\n", newline).encode("utf-8"))
    edit = bench.OneOperationEdit(source)  # located in a child process, written from bytes here
    assert edit.where == "POST /b"
    edited_path = tmp_path / f"edited{suffix}"
    edit.write(edited_path, 7)
    assert edited_path.read_bytes().count(b"\r") == source.read_bytes().count(b"\r")
    edited = bench.load_spec(edited_path)
    assert edited["paths"]["/b"]["post"]["summary"] == "Créer un élément 🚀 (benchmark edit 7)"
    edited["paths"]["/b"]["post"]["summary"] = "Créer un élément 🚀"
    assert edited == original
    assert bench.in_child(bench.count_operations, source) == 2
