"""Versions of the generated package: what the next one is, given the last one and what changed.

Policy: the package's version is `version` of `[tool.clientgen]`, or else the spec's `info.version` made PEP 440.
`generate --bump` and `update` move it on from the version in the output folder: `auto` by the bump the diff of
the old and new spec suggests (major for breaking changes, minor for compatible additions, patch for
documentation), `major`, `minor` or `patch` by force; the new version is written back to the configuration
(`version_edit`), so later runs (and `check`) keep it. Versions are always valid PEP 440 versions; a bump makes a release version.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Callable, Literal

from generator.write import WriteError

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


def version_edit(config_file: Path, version: str) -> Callable[[], None]:
    """The write-back of `version` to a configuration file (a clientgen.toml's top level, or a pyproject.toml's
    `[tool.clientgen]`), worked out now: a file that cannot take it fails here, before anything else is replaced.
    The returned function writes it (one atomic rename, keeping the file's mode). Comments, layout and every
    other key stay as they were (tomlkit edits the document, not its lines)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from generator.config import CONFIG_FILE

    top_level = config_file.name == CONFIG_FILE
    try:
        text = config_file.read_text(encoding="utf-8")
        document = tomlkit.parse(text)
        if top_level:
            document["version"] = version
        else:
            tool = document.get("tool")
            if tool is None:
                document["tool"] = tool = tomlkit.table(is_super_table=True)
            table = tool.get("clientgen")
            if table is None:
                tool["clientgen"] = table = tomlkit.table()
            table["version"] = version
        edited = tomlkit.dumps(document)
        data = tomllib.loads(edited)
    except (OSError, UnicodeDecodeError, TOMLKitError, tomllib.TOMLDecodeError, TypeError, ValueError) as exc:
        raise WriteError(f"cannot record version {version} in {config_file}: {exc}") from None
    written = data.get("version") if top_level else data.get("tool", {}).get("clientgen", {}).get("version")
    if written != version:  # never leave a file that says something else
        raise WriteError(f"cannot record version {version} in {config_file}: its tables are laid out unusually")

    def commit() -> None:
        temporary = config_file.with_name(f".{config_file.name}.clientgen-{os.getpid()}")
        try:
            temporary.write_text(edited, encoding="utf-8")
            os.chmod(temporary, stat.S_IMODE(config_file.stat().st_mode))
            os.replace(temporary, config_file)
        finally:
            temporary.unlink(missing_ok=True)

    return commit


def next_version(output: Path, level: Level) -> str | None:
    """The version after the one generated into `output`; None the first time (the configured or spec version)."""
    current = generated_version(output)
    return None if current is None else bump(current, level)
