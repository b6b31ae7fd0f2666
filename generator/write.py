"""Writing: the generated files into the output folder, atomically, never deleting what we did not generate.

The new tree is built in a temporary folder beside the target (generated files, plus any files of the user's
that were already there) and swapped in with renames only when it is complete.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".clientgen-manifest.json"


class WriteError(Exception):
    pass


@dataclass(frozen=True)
class WriteSummary:
    written: int
    unchanged: int
    removed: int


def with_manifest(files: dict[str, str], generator_version: str) -> dict[str, str]:
    """The files plus the manifest that lists them, so a later run knows which files are its own."""
    manifest = {"generator": "clientgen", "version": generator_version, "files": sorted(files)}
    return {**files, MANIFEST: json.dumps(manifest, indent=2) + "\n"}


def read_manifest(target: Path) -> set[str]:
    path = target / MANIFEST
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(p) for p in data.get("files", [])} | {MANIFEST}
    except (OSError, ValueError, AttributeError):
        return set()


def _safe_relative(path: str) -> Path:
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return relative


def write(files: dict[str, str], target: Path) -> WriteSummary:
    """Replace the generated files in `target` with `files` (which include the manifest)."""
    target = target.resolve()
    previous = read_manifest(target) if target.is_dir() else set()
    if target.exists() and not target.is_dir():
        raise WriteError(f"the output path {target} exists and is not a folder")
    existing: dict[str, Path] = {}
    if target.is_dir():
        for found in target.rglob("*"):
            if found.is_file() or found.is_symlink():
                existing[found.relative_to(target).as_posix()] = found
    conflicts = sorted(p for p in files if p in existing and p not in previous and p != MANIFEST)
    if conflicts:
        raise WriteError(
            f"{target} holds files clientgen did not generate that it would overwrite: {', '.join(conflicts[:5])}"
            " (move them away, or choose another output folder)"
        )
    unchanged = 0
    for path, text in files.items():
        current = existing.get(path)
        if current is not None and current.is_file():
            try:
                if current.read_text(encoding="utf-8") == text:
                    unchanged += 1
            except (OSError, UnicodeDecodeError):
                pass
    removed = sorted(p for p in previous if p in existing and p not in files)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.clientgen-", dir=target.parent))
    try:
        for path, text in files.items():
            destination = staging / _safe_relative(path)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(destination, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        for path, source in existing.items():
            if path in files or path in previous:
                continue  # ours: replaced or removed
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), destination)
            else:
                shutil.copy2(source, destination)
        for folder in target.rglob("*") if target.is_dir() else ():
            if folder.is_dir() and not any(folder.iterdir()):
                (staging / folder.relative_to(target)).mkdir(parents=True, exist_ok=True)
        backup = None
        if target.exists():
            backup = target.with_name(f".{target.name}.clientgen-old-{os.getpid()}")
            os.rename(target, backup)
        try:
            os.rename(staging, target)
        except OSError:
            if backup is not None:
                os.rename(backup, target)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteSummary(written=len(files) - unchanged, unchanged=unchanged, removed=len(removed))


def check(files: dict[str, str], target: Path) -> list[str]:
    """Unified diffs between the folder and what generate would write; empty when they are the same."""
    target = target.resolve()
    previous = read_manifest(target) if target.is_dir() else set()
    diffs: list[str] = []
    for path in sorted(files):
        current_path = target / path
        try:
            current = current_path.read_text(encoding="utf-8") if current_path.is_file() else None
        except (OSError, UnicodeDecodeError):
            current = None
        if current == files[path]:
            continue
        diff = "".join(
            difflib.unified_diff(
                (current or "").splitlines(keepends=True),
                files[path].splitlines(keepends=True),
                fromfile=f"a/{path}" if current is not None else "/dev/null",
                tofile=f"b/{path}",
            )
        )
        if not diff:  # an empty file that is missing: difflib has no lines to show
            diff = f"--- /dev/null\n+++ b/{path}\n(empty file missing: would be created)\n"
        diffs.append(diff)

    for path in sorted(previous - set(files)):
        if (target / path).exists():
            diffs.append(f"--- a/{path}\n+++ /dev/null\n(generated file no longer generated: would be removed)\n")
    return diffs
