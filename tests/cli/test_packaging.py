"""clientgen as users get it: a wheel whose templates ship as package data, working outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import GOLDEN, ROOT


def test_installed_wheel_generates_outside_the_repository(tmp_path: Path) -> None:
    # built from a copy of the project's own files: setuptools keeps a build/ folder in the tree it builds, and a
    # stale one in the checkout would put files in the wheel that the project no longer has
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("clientgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "generator/templates/package/_client.py.jinja" in names
        assert (
            "generator/templates/runtime/_base_client.py" in names and "generator/templates/runtime/_config.py" in names
        )
        assert "generator/templates/package/resources/resource.py.jinja" in names
        assert "generator/profiles/upvest.toml" in names
        archive.extractall(tmp_path / "site")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    where = python("-c", "import generator; print(generator.__file__)")
    assert where.stdout.strip().startswith(str(tmp_path / "site")), where.stdout + where.stderr
    run = python("-m", "generator", "generate", str(GOLDEN / "media.yaml"), "-o", "out")
    assert run.returncode == 0, run.stderr
    assert (work / "out" / "media_types_client" / "_base_client.py").is_file()
    profiles = python("-c", "from generator.config import load_profile as p; print(p('upvest').servers)")
    assert "*.upvest.co" in profiles.stdout, profiles.stderr
