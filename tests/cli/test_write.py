"""The output folder stays the user's (issue 18): `generator.write` touches only the files its manifest lists,
keeps modes, links, pipes and symlinked folders, never moves the folder itself, and finishes a swap a killed
run left half done."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator import write as write_module
from generator.write import JOURNAL, MANIFEST, WriteError, read_manifest, with_manifest, write

OLD = with_manifest({"pkg/__init__.py": "old = 1\n", "pkg/models.py": "m = 1\n", "README.md": "old\n"}, "1")
NEW = with_manifest({"pkg/__init__.py": "new = 2\n", "pkg/client.py": "c = 2\n", "README.md": "new\n"}, "1")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _generated(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in _tree(folder).items() if k in NEW or k in OLD}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    write(OLD, folder)
    return folder


def test_modes_of_the_folder_its_subfolders_and_files_are_kept(out: Path) -> None:
    os.chmod(out, 0o750)
    (out / "private").mkdir(mode=0o700)
    (out / "private" / "notes.txt").write_text("mine\n", encoding="utf-8")
    os.chmod(out / "private", 0o700)
    os.chmod(out / "pkg" / "__init__.py", 0o600)
    write(NEW, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750  # was reset to 0700 (mkdtemp's)
    assert stat.S_IMODE((out / "private").stat().st_mode) == 0o700  # was widened to 0755
    assert stat.S_IMODE((out / "pkg" / "__init__.py").stat().st_mode) == 0o600
    assert (out / "pkg" / "__init__.py").read_text(encoding="utf-8") == "new = 2\n"


def test_user_files_are_not_copied_and_keep_their_links_and_pipes(out: Path, tmp_path: Path) -> None:
    big = out / "data.bin"
    big.write_bytes(b"\0" * 1_000_000)
    os.link(big, tmp_path / "hard-link")
    os.mkfifo(out / "pipe")
    before = big.stat()
    write(NEW, out)
    after = big.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_nlink) == (before.st_ino, before.st_mtime_ns, 2)
    assert stat.S_ISFIFO((out / "pipe").lstat().st_mode)  # was dropped
    assert _generated(out) == {k: v.encode() for k, v in NEW.items()}
    assert not (out / "pkg" / "models.py").exists()  # no longer generated: removed


def test_unchanged_files_are_left_alone(out: Path) -> None:
    readme = out / "README.md"
    os.utime(readme, ns=(1_000_000_000, 1_000_000_000))
    summary = write(OLD, out)
    assert (summary.written, summary.removed) == (0, 0)
    assert readme.stat().st_mtime_ns == 1_000_000_000


def test_the_output_folder_is_never_moved(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mount point cannot be renamed (EBUSY): the swap renames files inside it only."""
    real_replace, real_rename = os.replace, os.rename

    def guarded(move: object) -> object:
        def check(source: object, destination: object) -> None:
            if Path(str(source)) == out or Path(str(destination)) == out:
                raise OSError(16, "Device or resource busy", str(out))
            move(source, destination)  # type: ignore[operator]

        return check

    monkeypatch.setattr(write_module.os, "replace", guarded(real_replace))
    monkeypatch.setattr(write_module.os, "rename", guarded(real_rename))
    write(NEW, out)
    assert _generated(out) == {k: v.encode() for k, v in NEW.items()}


def test_a_package_folder_that_is_a_symlink_is_written_through(out: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (out / "pkg").rename(elsewhere)
    (out / "pkg").symlink_to(elsewhere, target_is_directory=True)
    write(NEW, out)
    assert (out / "pkg").is_symlink()
    assert (elsewhere / "__init__.py").read_text(encoding="utf-8") == "new = 2\n"
    assert (elsewhere / "client.py").read_text(encoding="utf-8") == "c = 2\n"
    assert not (elsewhere / "models.py").exists()


def test_a_run_killed_after_its_journal_is_finished_by_the_next(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = out / "mine.txt"
    user.write_text("mine\n", encoding="utf-8")
    real_replace = os.replace
    moves: list[str] = []

    def killed(source: object, destination: object) -> None:
        if JOURNAL not in str(destination) and moves:
            raise KeyboardInterrupt  # killed after one file was swapped in
        moves.append(str(destination))
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write(NEW, out)
    monkeypatch.setattr(write_module.os, "replace", real_replace)
    assert (out / JOURNAL).exists()  # half swapped: the journal says what is left
    write(NEW, out)  # the next run finishes it, then finds nothing more to do
    assert _generated(out) == {k: v.encode() for k, v in NEW.items()}
    assert user.read_text(encoding="utf-8") == "mine\n" and not (out / JOURNAL).exists()
    assert not [p for p in out.rglob("*") if ".clientgen-new-" in p.name]
    assert read_manifest(out) == set(NEW)


def test_a_run_killed_before_its_journal_leaves_the_output_as_it_was(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _tree(out)
    real_replace = os.replace

    def killed(source: object, destination: object) -> None:
        if str(destination).endswith(JOURNAL):
            raise KeyboardInterrupt
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write(NEW, out)
    assert _tree(out) == before  # what it staged is gone too
    monkeypatch.setattr(write_module.os, "replace", real_replace)
    (out / "pkg" / ".models.py.clientgen-new-1-ab").write_text("left by a run killed harder", encoding="utf-8")
    write(NEW, out)
    assert not [p for p in out.rglob("*") if ".clientgen-new-" in p.name]
    assert _generated(out) == {k: v.encode() for k, v in NEW.items()}


def test_a_journal_pointing_outside_the_folder_is_refused(out: Path) -> None:
    (out / JOURNAL).write_text('{"replace": [["../escape", "README.md"]], "remove": []}', encoding="utf-8")
    with pytest.raises(WriteError, match="outside the output folder"):
        write(NEW, out)
    assert (out / "README.md").read_text(encoding="utf-8") == "old\n"
    assert MANIFEST in read_manifest(out)


def test_a_manifest_naming_files_outside_the_folder_removes_nothing_there(out: Path, tmp_path: Path) -> None:
    """A manifest is often committed: an edited one must not make a run delete the user's files elsewhere."""
    import json

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] += [str(victim), "../victim.txt", "pkg/../../victim.txt"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    summary = write(NEW, out)
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert summary.removed == 1  # pkg/models.py only


def test_a_generated_file_that_becomes_a_folder_and_the_reverse(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(with_manifest({"pkg/extra": "a file\n", "pkg/sub/a.py": "a = 1\n", "pkg/sub/d/b.py": "b = 1\n"}, "1"), out)
    again = with_manifest({"pkg/extra/x.py": "x = 1\n", "pkg/sub": "now a file\n"}, "1")
    write(again, out)
    assert _tree(out) == {k: v.encode() for k, v in again.items()}


def test_a_generated_file_the_user_turned_into_a_folder_stops_the_run_before_anything(out: Path) -> None:
    (out / "README.md").unlink()
    (out / "README.md").mkdir()
    (out / "README.md" / "mine.txt").write_text("mine\n", encoding="utf-8")
    before = _tree(out)
    with pytest.raises(WriteError, match="README.md"):
        write(NEW, out)
    assert _tree(out) == before and not (out / JOURNAL).exists()


@pytest.mark.parametrize("journal", ["[]", '{"replace": 3, "remove": []}', '{"replace": [["a"]], "remove": []}', "{"])
def test_a_journal_that_is_not_clientgens_is_a_clear_error(out: Path, journal: str) -> None:
    (out / JOURNAL).write_text(journal, encoding="utf-8")
    with pytest.raises(WriteError, match="journal|remove it"):
        write(NEW, out)


class _Injected(OSError):
    pass


def _failing_at(step: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file system call `write` makes counted (opens, chmods, renames, unlinks, removed trees); the one
    numbered `step` raises. Returns the calls made, by name."""
    calls: list[str] = []

    def counted(name: str, real: object) -> object:
        def call(*args: object, **kwargs: object) -> object:
            calls.append(name)
            if len(calls) - 1 == step:
                raise _Injected(f"injected failure at {name}")
            return real(*args, **kwargs)  # type: ignore[operator]

        return call

    import builtins
    import shutil

    monkeypatch.setattr(write_module, "open", counted("open", builtins.open), raising=False)
    for name in ("replace", "chmod", "unlink"):
        monkeypatch.setattr(write_module.os, name, counted(name, getattr(os, name)))
    monkeypatch.setattr(write_module.shutil, "rmtree", counted("rmtree", shutil.rmtree))
    monkeypatch.setattr(Path, "unlink", counted("Path.unlink", Path.unlink))
    monkeypatch.setattr(Path, "write_text", counted("Path.write_text", Path.write_text))
    return calls


def _steps() -> int:
    """How many file system calls `write` makes replacing OLD by NEW: each is a step a failure is injected at."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out"
        write(OLD, target)
        (target / "USER.md").write_text("mine\n", encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            calls = _failing_at(10_000, patch)
            write(NEW, target)
    return len(calls)


STEPS = _steps()


@pytest.mark.parametrize("step", range(STEPS))
def test_a_failure_at_any_step_of_the_swap_leaves_the_old_output_or_one_the_next_run_finishes(
    step: int, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the journal is committed, a failure leaves the output and the user's files byte for byte as they
    were; after it, the run says the next one finishes the swap, and it does: never a mix, never a user file
    lost."""
    (out / "USER.md").write_text("mine\n", encoding="utf-8")
    (out / "pkg" / "custom.py").write_text("CUSTOM = 1\n", encoding="utf-8")
    before = _tree(out)
    raised: BaseException | None = None
    with monkeypatch.context() as patch:
        calls = _failing_at(step, patch)
        try:
            write(NEW, out)
        except (_Injected, WriteError) as error:
            raised = error
    expected = {k: v.encode() for k, v in NEW.items()}
    if raised is None:  # a read it can do without (an unreadable file counts as changed): the swap went through
        assert calls[step].startswith("open") and _generated(out) == expected, calls[step]
    elif (out / JOURNAL).exists():  # committed: the run says the next one finishes it, and it does
        assert isinstance(raised, WriteError) and "the next run finishes the swap" in str(raised)
        write(NEW, out)
        assert not (out / JOURNAL).exists() and _generated(out) == expected
    else:
        assert _tree(out) == before, f"a failure at step {step} ({calls[-1]}) changed the output"
    assert (out / "USER.md").read_text(encoding="utf-8") == "mine\n"
    assert (out / "pkg" / "custom.py").read_text(encoding="utf-8") == "CUSTOM = 1\n"
    assert not [p for p in _tree(out) if ".clientgen-new-" in p or ".clientgen-staged-" in p]


def test_the_steps_of_a_swap_are_counted() -> None:
    assert STEPS >= 8  # stage three files, the manifest, commit the journal, rename, remove, clear the journal


# -- check, leftovers, emptied folders: the parts of write's module the swap tests do not reach --------------------


def test_check_says_what_would_change_and_nothing_when_nothing_would(out: Path) -> None:
    assert write_module.check(OLD, out) == []
    diffs = write_module.check(NEW, out)
    joined = "".join(diffs)
    assert "--- a/pkg/__init__.py\n+++ b/pkg/__init__.py\n" in joined and "-old = 1\n+new = 2\n" in joined
    assert "--- /dev/null\n+++ b/pkg/client.py\n" in joined  # a new file
    assert "--- a/pkg/models.py\n+++ /dev/null\n(generated file no longer generated: would be removed)\n" in diffs
    (out / "pkg" / "models.py").unlink()  # gone already: nothing to remove
    assert not any(d.startswith("--- a/pkg/models.py") for d in write_module.check(NEW, out))
    empty = {**OLD, "pkg/empty.py": ""}
    created = "--- /dev/null\n+++ b/pkg/empty.py\n(empty file missing: would be created)\n"
    assert created in write_module.check(empty, out)


def test_what_a_killed_run_staged_is_cleared_and_the_users_look_alikes_are_not(out: Path) -> None:
    (out / "pkg" / ".models.py.clientgen-new-99-ab").write_text("staged", encoding="utf-8")
    (out / ".clientgen-staged-99-ab" / "pkg").mkdir(parents=True)
    (out / ".clientgen-staged-99-ab" / "pkg" / "x.py").write_text("staged", encoding="utf-8")
    (out / "pkg" / "notes.clientgen-new-keep").write_text("mine", encoding="utf-8")  # not hidden: not ours
    (out / "keep.clientgen-staged-folder").mkdir()  # not the prefix: not ours
    write(NEW, out)
    names = set(_tree(out)) | {p.name for p in out.iterdir()}
    assert "pkg/.models.py.clientgen-new-99-ab" not in names and ".clientgen-staged-99-ab" not in names
    assert "pkg/notes.clientgen-new-keep" in names and "keep.clientgen-staged-folder" in names


def test_a_folder_emptied_of_generated_files_goes_and_one_the_user_uses_stays(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write(with_manifest({"a/b/gen.py": "x = 1\n", "c/gen.py": "y = 1\n", "top.py": "z\n"}, "1"), target)
    (target / "c" / "mine.txt").write_text("mine", encoding="utf-8")
    write(with_manifest({"top.py": "z\n"}, "1"), target)
    assert not (target / "a").exists()  # a/b/ and a/ held only generated files
    assert (target / "c" / "mine.txt").read_text(encoding="utf-8") == "mine" and not (target / "c" / "gen.py").exists()
    assert target.is_dir()


def test_recover_finishes_a_journal_and_refuses_one_it_cannot_read(out: Path) -> None:
    assert write_module.recover(out) is False
    (out / JOURNAL).write_text("{not json", encoding="utf-8")
    with pytest.raises(WriteError, match="cannot read .* left by an interrupted run"):
        write_module.recover(out)
    (out / JOURNAL).write_text('{"replace": [], "remove": ["README.md"]}', encoding="utf-8")
    assert write_module.recover(out) is True
    assert not (out / "README.md").exists() and not (out / JOURNAL).exists()


def test_an_output_folder_without_a_manifest_is_written_into_and_its_files_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "NOTES.md").write_text("mine", encoding="utf-8")
    write(OLD, target)
    assert (target / "NOTES.md").read_text(encoding="utf-8") == "mine"
    assert read_manifest(target) == set(OLD)


def test_a_manifest_that_cannot_be_read_claims_no_file(out: Path) -> None:
    """An edited, broken manifest proves nothing is clientgen's: the files it listed are refused, not replaced."""
    (out / MANIFEST).write_text("{broken", encoding="utf-8")
    assert read_manifest(out) == set()
    with pytest.raises(WriteError, match="holds files or folders clientgen did not generate"):
        write(NEW, out)
    assert (out / "pkg" / "__init__.py").read_text(encoding="utf-8") == "old = 1\n"


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(WriteError, match="exists and is not a folder"):
        write(OLD, target)
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_an_output_folder_whose_parents_are_missing_is_made(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out"
    assert write(OLD, target) == write_module.WriteSummary(written=len(OLD), unchanged=0, removed=0)
    assert _tree(target) == {k: v.encode() for k, v in OLD.items()}


def test_the_summary_counts_written_unchanged_and_removed_files(out: Path) -> None:
    # README.md and the manifest stay; pkg/__init__.py changes, pkg/client.py is new, pkg/models.py goes
    again = with_manifest({"pkg/__init__.py": "new = 2\n", "pkg/client.py": "c = 2\n", "README.md": "old\n"}, "1")
    assert again[MANIFEST] != OLD[MANIFEST]
    assert write(again, out) == write_module.WriteSummary(written=3, unchanged=1, removed=1)
    assert write(again, out) == write_module.WriteSummary(written=0, unchanged=4, removed=0)


def test_a_conflict_names_the_first_five_paths_in_the_way(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    files = with_manifest({f"f{i}.py": "x = 1\n" for i in range(7)}, "1")
    for i in range(7):
        (target / f"f{i}.py").write_text("mine\n", encoding="utf-8")
    with pytest.raises(WriteError) as raised:
        write(files, target)
    assert "f0.py, f1.py, f2.py, f3.py, f4.py (move them away" in str(raised.value)
    assert all((target / f"f{i}.py").read_text(encoding="utf-8") == "mine\n" for i in range(7))


def test_a_generated_file_that_becomes_a_deeper_folder_leaves_nothing_staged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(with_manifest({"pkg/extra": "a file\n", "pkg/a.py": "a = 1\n"}, "1"), out)
    again = with_manifest({"pkg/extra/deep/er/x.py": "x = 1\n", "pkg/a.py": "a = 2\n"}, "1")
    write(again, out)
    assert _tree(out) == {k: v.encode() for k, v in again.items()}
    assert [p.name for p in out.rglob("*") if "clientgen-staged" in p.name or "clientgen-new" in p.name] == []


def test_an_empty_folder_of_the_users_where_a_generated_file_goes_stops_the_run_before_anything(
    tmp_path: Path,
) -> None:
    """Its generated files are removed, but the folder would stay (the user's empty folder in it), in the way of
    the file: refused before the journal, not half swapped."""
    out = tmp_path / "out"
    write(with_manifest({"pkg/sub/a.py": "a = 1\n", "top.py": "t\n"}, "1"), out)
    (out / "pkg" / "sub" / "cache").mkdir()
    before = _tree(out)
    with pytest.raises(WriteError, match="pkg/sub"):
        write(with_manifest({"pkg/sub": "now a file\n", "top.py": "t\n"}, "1"), out)
    assert _tree(out) == before and (out / "pkg" / "sub" / "cache").is_dir() and not (out / JOURNAL).exists()


def test_a_package_folder_linked_to_another_file_system_is_written_through(out: Path) -> None:
    """Files are staged beside their destinations, so that the renames stay on the destination's file system
    (a rename across file systems fails). /dev/shm is memory, not the disk the test's folder is on."""
    import shutil
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == out.stat().st_dev:
        pytest.skip("this test needs /dev/shm on a file system of its own, and this machine has none")
    elsewhere = Path(tempfile.mkdtemp(dir=shm))
    try:
        shutil.copytree(out / "pkg", elsewhere / "pkg")
        shutil.rmtree(out / "pkg")
        (out / "pkg").symlink_to(elsewhere / "pkg", target_is_directory=True)
        write(NEW, out)
        assert (elsewhere / "pkg" / "__init__.py").read_text(encoding="utf-8") == "new = 2\n"
        assert (elsewhere / "pkg" / "client.py").read_text(encoding="utf-8") == "c = 2\n"
    finally:
        shutil.rmtree(elsewhere)


def test_a_journal_whose_staged_file_and_destination_are_both_gone_is_an_error(out: Path) -> None:
    """A staged file that is gone was renamed by the run being finished, unless its destination is gone too:
    then the swap cannot be finished, and the error says which file, in words."""
    journal = '{"replace": [["pkg/new.py", "pkg/.new.py.clientgen-new-1-ab"]], "remove": []}'
    (out / JOURNAL).write_text(journal, encoding="utf-8")
    with pytest.raises(WriteError, match=r"stopped: No such file or directory \(.*clientgen-new-1-ab\)") as raised:
        write_module.recover(out)
    assert "[Errno" not in str(raised.value)
    assert (out / JOURNAL).exists()  # kept: the next run tries again, or the user removes it
