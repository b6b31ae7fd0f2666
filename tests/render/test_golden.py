"""Golden files: the complete generated output for the small feature specs (tests/golden/<name>/) and for our
Upvest spec, whose golden copy is the committed client itself (output/, what CI publishes).

Any change to the generated code shows up here as a diff in review. To refresh after an intended change:

    CLIENTGEN_UPDATE_GOLDEN=1 python -m pytest tests/render/test_golden.py; python -m generator check

The refresh writes the golden files (and output/) and fails for each case whose files changed, naming them: a
refresh never passes without comparing, and `.ci/run` clears the variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.pipeline import generate
from generator.write import write

from conftest import GOLDEN, OUTPUT, ROOT, UPVEST_SPEC

FEATURE_SPECS = sorted(GOLDEN.glob("*.yaml"))
CASES = {spec.stem: spec for spec in FEATURE_SPECS} | {"upvest-investment-api": UPVEST_SPEC}


def config_for(name: str) -> Config:
    # our Upvest spec is generated with the repository's configuration, as `clientgen generate` does
    return load_config(ROOT / "pyproject.toml") if name == "upvest-investment-api" else Config()


def read_tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not {"__pycache__", ".mypy_cache", "dist"} & set(path.relative_to(folder).parts)
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_output_matches_golden_files(name: str) -> None:
    files = generate(CASES[name], config_for(name)).files
    folder = OUTPUT if name == "upvest-investment-api" else GOLDEN / name
    golden = read_tree(folder) if folder.is_dir() else {}
    if os.environ.get("CLIENTGEN_UPDATE_GOLDEN"):
        # refreshed, and still compared: the golden files as they were decide whether this passes
        changed = sorted(set(golden) ^ set(files) | {path for path in files if golden.get(path) != files[path]})
        write(files, folder)
        assert not changed, f"{name}: golden files refreshed, review them (git diff): {', '.join(changed)}"
        return
    assert (
        folder.is_dir()
    ), f"no golden files for {name}: run CLIENTGEN_UPDATE_GOLDEN=1 python -m pytest tests/render/test_golden.py"
    assert sorted(golden) == sorted(files), "generated file list differs from the golden files"
    for path, text in files.items():
        assert golden[path] == text, f"{name}/{path} differs from its golden file"


def test_generation_is_deterministic() -> None:
    first = generate(GOLDEN / "shapes.yaml", Config()).files
    second = generate(GOLDEN / "shapes.yaml", Config()).files
    assert first == second


def test_golden_files_are_exactly_what_black_makes_of_them() -> None:
    """Files are formatted piece by piece and joined (generator.format): the join must be black's own."""
    import black

    from generator.format import MODE

    checked = 0
    for path in sorted([*GOLDEN.rglob("*.py"), *OUTPUT.rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, f"{path} is not black-clean"
        checked += 1
    assert checked > 50
