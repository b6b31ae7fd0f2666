"""Versions of the generated package: what the next one is, given the last one and what changed.

Policy: the package's version is `version` of `[tool.clientgen]`, or else the spec's `info.version` made PEP 440.
`generate --bump` and `update` move it on from the version in the output folder: `auto` by the bump the diff of
the old and new spec suggests (major for breaking changes, minor for compatible additions, patch for
documentation), `major`, `minor` or `patch` by force; the new version is written back to `[tool.clientgen]`, so
later runs (and `check`) keep it. Versions are always valid PEP 440 versions; a bump makes a release version.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

Level = Literal["major", "minor", "patch", "none"]
_RELEASE = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def bump(version: str, level: Level) -> str:
    """`version` moved on by one `level` (major, minor, patch), the parts after major.minor.patch dropped. `none`
    keeps a valid PEP 440 version as it is, normalized (a pre-release stays one: nothing changed to make it a
    release); an invalid one becomes its leading numbers, or 0.0.0."""
    if level == "none":
        from packaging.version import InvalidVersion, Version

        try:
            return str(Version(version.strip()))
        except InvalidVersion:
            pass
    match = _RELEASE.match(version.strip())
    major, minor, patch = (int(part) if part else 0 for part in match.groups()) if match else (0, 0, 0)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}" if match else "0.0.0"


def generated_version(output: Path) -> str | None:
    """The version of the package generated into `output` last time, from its pyproject.toml."""
    try:
        data = tomllib.loads((output / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    version = data.get("project", {}).get("version")
    return version if isinstance(version, str) else None


_TABLE = re.compile(r"^\[tool\.clientgen\]\s*$", re.MULTILINE)
_NEXT_TABLE = re.compile(r"^\[", re.MULTILINE)
_VERSION_LINE = re.compile(r"^version\s*=.*$", re.MULTILINE)


def record_version(pyproject: Path, version: str) -> None:
    """Set `version` in the `[tool.clientgen]` table of a pyproject.toml, leaving every other line as it was."""
    text = pyproject.read_text(encoding="utf-8")
    table = _TABLE.search(text)
    line = f'version = "{version}"'
    if table is None:
        text = text.rstrip("\n") + f"\n\n[tool.clientgen]\n{line}\n"
    else:
        following = _NEXT_TABLE.search(text, table.end())
        end = following.start() if following else len(text)
        body = text[table.end() : end]
        existing = _VERSION_LINE.search(body)
        if existing:
            body = body[: existing.start()] + line + body[existing.end() :]
        else:
            body = "\n" + line + body
        text = text[: table.end()] + body + text[end:]
    tomllib.loads(text)  # never leave a file that no longer parses
    temporary = pyproject.with_name(f".{pyproject.name}.clientgen")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(pyproject)


def next_version(output: Path, level: Level) -> str | None:
    """The version after the one generated into `output`; None the first time (the configured or spec version)."""
    current = generated_version(output)
    return None if current is None else bump(current, level)
