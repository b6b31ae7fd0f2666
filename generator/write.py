"""Writing: the generated files into the output folder, all or nothing, touching only what clientgen generated.

Changed files are staged beside their destinations and swapped in by renames after a journal is committed; an
interrupted swap is finished by the next run (`write`, `recover`).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import stat
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
    """The files the manifest says are clientgen's: only relative paths inside the folder (a manifest is often
    committed: an edited one must not make a run remove files elsewhere)."""
    path = target / MANIFEST
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(p) for p in data.get("files", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()
    return {p for p in listed if _inside(p)} | {MANIFEST}


def _inside(path: str) -> bool:
    relative = Path(path)
    return bool(relative.parts) and not relative.is_absolute() and ".." not in relative.parts


def _refuse_outside(path: str) -> None:
    if not _inside(path):
        raise WriteError(f"refusing to write outside the output folder: {path!r}")


def write(files: dict[str, str], target: Path) -> WriteSummary:
    """Replace the generated files in `target` with `files` (which include the manifest).

    Only what clientgen owns is touched: the files its manifest lists. Each changed file is first written beside
    its destination (so that a rename replaces it, even in a folder that is a symlink or on another disk), with
    the mode of the file it replaces; then a journal naming every replacement and removal is committed, and
    the renames and removals follow. A run killed before the journal leaves the output as it was (the next run
    clears what it had staged); one killed after it is finished by the next run (`recover`). The output folder
    itself is never moved: it may be a mount point, and its mode and the user's files stay as they are.
    """
    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise WriteError(f"the output path {target} exists and is not a folder")
    if target.is_dir():
        recover(target)
    previous = read_manifest(target) if target.is_dir() else set()
    for path in files:
        _refuse_outside(path)
    removed = sorted(p for p in previous if p not in files and _lexists(target / p) and not (target / p).is_dir())
    conflicts = sorted(
        p
        for p in files
        if p != MANIFEST
        and _lexists(target / p)
        and (p not in previous or (target / p).is_dir())
        and not _only_ours(target, p, set(removed))
    )
    if conflicts:
        raise WriteError(
            f"{target} holds files or folders clientgen did not generate where it would write:"
            f" {', '.join(conflicts[:5])} (move them away, or choose another output folder)"
        )
    changed = [p for p in files if not _holds(target / p, files[p])]
    summary = WriteSummary(written=len(changed), unchanged=len(files) - len(changed), removed=len(removed))
    if not changed and not removed:
        return summary
    target.mkdir(parents=True, exist_ok=True)
    _clear_staged(target, {*files, *previous})
    token = f"{os.getpid()}-{os.urandom(4).hex()}"
    staged: list[list[str]] = []
    try:
        for path in changed:
            destination = target / path
            if _blocked(target, destination.parent):  # a generated file there now, removed first: staged aside
                beside = target / f"{_STAGED_FOLDER}{token}" / path
            else:
                beside = destination.with_name(f".{destination.name}{_STAGED}{token}")
            beside.parent.mkdir(parents=True, exist_ok=True)
            staged.append([path, beside.relative_to(target).as_posix()])
            with open(beside, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(files[path])
            if destination.is_file() and not destination.is_symlink():  # keep the mode it has
                os.chmod(beside, stat.S_IMODE(destination.stat().st_mode))
        journal = target / JOURNAL
        temporary = target / f"{JOURNAL}{_STAGED}{token}"
        temporary.write_text(json.dumps({"replace": staged, "remove": removed}), encoding="utf-8")
        os.replace(temporary, journal)  # the commit: from here on, the next run finishes what this one starts
    except BaseException:
        for _, beside_path in staged:
            (target / beside_path).unlink(missing_ok=True)
        (target / f"{JOURNAL}{_STAGED}{token}").unlink(missing_ok=True)
        shutil.rmtree(target / f"{_STAGED_FOLDER}{token}", ignore_errors=True)
        raise
    _apply(target, staged, removed)
    return summary


#: the journal of a swap under way, in the output folder (see `write`)
JOURNAL = ".clientgen-journal.json"
#: in the names of files staged beside their destinations
_STAGED = ".clientgen-new-"
#: the folder (in the output folder) of files staged where a generated file stands in the way until removed
_STAGED_FOLDER = ".clientgen-staged-"


def _blocked(target: Path, folder: Path) -> bool:
    """Whether a folder cannot be made now because a file (a generated one, to be removed) stands on its path."""
    while folder != target and target in folder.parents:
        if _lexists(folder) and not folder.is_dir():
            return True
        folder = folder.parent
    return False


def _only_ours(target: Path, path: str, removed: set[str]) -> bool:
    """Whether what stands at `path` is a folder holding nothing but generated files this run removes (removing
    them removes the folder). A folder of its own in it, even an empty one, is the user's: it stays, in the way."""
    folder = target / path
    if folder.is_symlink() or not folder.is_dir():
        return False
    for entry in folder.rglob("*"):
        if entry.is_dir() and not entry.is_symlink():
            if not any(entry.iterdir()):
                return False
        elif entry.relative_to(target).as_posix() not in removed:
            return False
    return True


def recover(target: Path) -> bool:
    """Finish a swap a run was stopped in (its journal is there); True when there was one."""
    journal = target / JOURNAL
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as exc:
        raise WriteError(f"cannot read {journal}, left by an interrupted run: {exc}; remove it to go on") from None
    try:
        replace = [(str(a), str(b)) for a, b in data["replace"]]
        remove = [str(p) for p in data["remove"]]
    except (KeyError, TypeError, ValueError):
        raise WriteError(f"{journal}, left by an interrupted run, is not a journal of clientgen's; remove it") from None
    for path in [p for pair in replace for p in pair] + remove:
        _refuse_outside(path)
    _apply(target, [list(pair) for pair in replace], remove)
    return True


def _apply(target: Path, replace: list[list[str]], remove: list[str]) -> None:
    """The renames and removals of a committed swap, then its journal removed. Each step may have been done
    already (a run finishing another's): a staged file that is gone was renamed."""
    try:
        for path in remove:  # first: a removed file may stand where a new folder goes, and the reverse
            (target / path).unlink(missing_ok=True)
            _remove_empty_parents(target, target / path)
        for path, beside in replace:
            try:  # a folder of generated files where this file goes was emptied, so removed, above
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target / beside, target / path)
            except FileNotFoundError:
                if not _lexists(target / path):
                    raise
        aside = next((beside.split("/", 1)[0] for _, beside in replace if beside.startswith(_STAGED_FOLDER)), None)
        if aside is not None:  # the folder of files staged aside, emptied by the renames
            shutil.rmtree(target / aside, ignore_errors=True)
        (target / JOURNAL).unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError(
            f"replacing the generated files in {target} stopped: {exc.strerror or exc} ({exc.filename});"
            " the next run finishes the swap"
        ) from None


def _remove_empty_parents(target: Path, path: Path) -> None:
    folder = path.parent
    while folder != target and target in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (the user's files, or ours still): kept
            return
        folder = folder.parent


def _clear_staged(target: Path, paths: set[str]) -> None:
    """Remove what an interrupted run staged and never committed, in the folders of the generated files."""
    for entry in os.scandir(target):
        if entry.name.startswith(_STAGED_FOLDER) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
    folders = {(target / p).parent for p in paths}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _STAGED in entry.name and entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def _holds(path: Path, text: str) -> bool:
    """Whether the file at `path` holds exactly `text` (a missing or unreadable file does not)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read() == text
    except (OSError, UnicodeDecodeError):
        return False


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
