"""The command line, run as users run it: a subprocess, from a folder without a pyproject.toml.

Every run uses cwd=tmp_path so the repository's [tool.clientgen] is not picked up unless a test passes --config.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import FIXTURES, ROOT, UPVEST_SPEC
from expectations import EXPECTED, clientgen, expected_line, no_traceback

BROKEN = FIXTURES / "broken"
MULTIFILE = FIXTURES / "multifile" / "main.yaml"
MANIFEST = ".clientgen-manifest.json"
TIMEOUT = 600


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    no_traceback(result)
    return result


Snapshot = dict[str, tuple[object, ...]]


def snapshot(folder: Path, *, metadata: bool = True) -> Snapshot:
    """Every entry under `folder`: folders, symlinks and files with their bytes (and mode and mtime)."""
    entries: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[relative] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[relative] = ("dir",)
        else:
            stat = path.stat()
            extra = (stat.st_mode, stat.st_mtime_ns) if metadata else ()
            entries[relative] = ("file", path.read_bytes(), *extra)
    return entries


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_files(folder: Path) -> list[str]:
    files: list[str] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    return files


def package_name(result: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"generated (\w+) into ", result.stderr)
    assert match, result.stderr
    return match.group(1)


def make_user_output(folder: Path) -> None:
    """An output folder with content of the user's: it must come through a failed run untouched."""
    (folder / "nested" / "deeper").mkdir(parents=True)
    (folder / "empty-dir").mkdir()
    (folder / "SENTINEL").write_text("do not touch\n", encoding="utf-8")
    (folder / "nested" / "notes.md").write_text("# notes\n", encoding="utf-8")
    (folder / "nested" / "deeper" / "data.bin").write_bytes(bytes(range(256)))
    # a manifest claiming a file: a run that wrongly went ahead would delete it
    (folder / "old_client").mkdir()
    (folder / "old_client" / "__init__.py").write_text("OLD = True\n", encoding="utf-8")
    (folder / MANIFEST).write_text(
        json.dumps({"generator": "clientgen", "version": "0.0.1", "files": ["old_client/__init__.py"]}) + "\n",
        encoding="utf-8",
    )


# -- broken specs ------------------------------------------------------------------------------------

#: broken specs made by the tests themselves (binary content is not committed): name -> (writer, code)
GENERATED_BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {}


def _binary(folder: Path) -> Path:
    path = folder / "specs" / "binary.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x01\x02openapi\xff\xfe\x00" * 16)
    return path


def _latin1(folder: Path) -> Path:
    path = folder / "specs" / "latin1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("openapi: 3.0.3\ninfo:\n  title: Caf\u00e9\n  version: '1'\npaths: {}\n".encode("latin-1"))
    return path


def _missing(folder: Path) -> Path:
    return folder / "specs" / "does-not-exist.yaml"


GENERATED_BROKEN["binary"] = (_binary, "file-binary")
GENERATED_BROKEN["latin1"] = (_latin1, "file-encoding")
GENERATED_BROKEN["missing-file"] = (_missing, "file-unreadable")

BROKEN_CASES = [*sorted(EXPECTED), *(f"generated:{name}" for name in GENERATED_BROKEN)]


def broken_spec(case: str, tmp_path: Path) -> tuple[Path, str, str, int | None]:
    """The spec of a case, its error code, its pointer and its line (None when it has none)."""
    if case.startswith("generated:"):
        writer, code = GENERATED_BROKEN[case.split(":", 1)[1]]
        return writer(tmp_path), code, "", None
    path = BROKEN / case
    expected = EXPECTED[case]
    return path, expected.code, expected.pointer, expected_line(path, expected.line_text)


def assert_reports(
    result: subprocess.CompletedProcess[str], spec: Path, code: str, pointer: str, line: int | None
) -> None:
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stderr}"
    no_traceback(result)
    stderr = result.stderr
    spec_name = str(spec.resolve())
    assert spec_name in stderr
    assert f"[at #{pointer or '/'}]" in stderr
    assert f"({code})" in stderr
    if line is not None:
        assert f"{spec_name}:{line}: error:" in stderr
    assert "error" in stderr


@pytest.mark.parametrize("case", BROKEN_CASES)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_broken_spec_leaves_existing_output_untouched(tmp_path: Path, case: str, command: str) -> None:
    spec, code, pointer, line = broken_spec(case, tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    make_user_output(output)
    before, siblings = snapshot(output), sorted(os.listdir(tmp_path))

    extra = ["--package", "pets_client"] if command == "generate" else []
    result = clientgen(command, spec, "-o", output, *extra, cwd=tmp_path)

    assert_reports(result, spec, code, pointer, line)
    assert snapshot(output) == before
    assert sorted(os.listdir(tmp_path)) == siblings, "a staging or backup folder was left beside the output"


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_spec_does_not_create_the_output(tmp_path: Path, case: str) -> None:
    spec, code, pointer, line = broken_spec(case, tmp_path)
    output = tmp_path / "not-yet" / "out"
    siblings = sorted(os.listdir(tmp_path))

    result = clientgen("generate", spec, "-o", output, cwd=tmp_path)

    assert_reports(result, spec, code, pointer, line)
    assert "nothing was written" in result.stderr
    assert not output.exists()
    assert not output.parent.exists()
    assert sorted(os.listdir(tmp_path)) == siblings


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_spec_validate(tmp_path: Path, case: str) -> None:
    spec, code, pointer, line = broken_spec(case, tmp_path)
    result = clientgen("validate", spec, cwd=tmp_path)
    assert_reports(result, spec, code, pointer, line)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("Pet:\n  type: object\n  properties: [unclosed\n    name: {type: string}\n", "syntax", 4),
        ("", "file-empty", None),
    ],
    ids=["syntax", "empty"],
)
def test_broken_referenced_file_is_named(tmp_path: Path, content: str, code: str, line: int | None) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        (BROKEN / "remote_ref.yaml")
        .read_text(encoding="utf-8")
        .replace("https://example.com/x.yaml", "other.yaml#/Pet"),
        encoding="utf-8",
    )
    other = tmp_path / "other.yaml"
    other.write_text(content, encoding="utf-8")
    output = tmp_path / "out"
    result = clientgen("generate", spec, "-o", output, cwd=tmp_path)
    assert_reports(result, other, code, "", line)
    assert not output.exists()


def test_deeply_nested_json_spec(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text('{"openapi": "3.0.3", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = clientgen("validate", spec, cwd=tmp_path)
    assert "internal error" not in result.stderr
    assert_reports(result, spec, "too-deep", "/x" + "/0" * 512, 1)


def test_unsafe_yaml_fixture_runs_nothing(tmp_path: Path) -> None:
    result = clientgen("validate", BROKEN / "unsafe_yaml_tag.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "clientgen-pwned" not in result.stdout + result.stderr.replace("echo clientgen-pwned", "")


def test_remote_ref_followed_with_allow_remote_refs(tmp_path: Path) -> None:
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    (served / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    name:\n      type: string\n", encoding="utf-8"
    )
    directory = str(served)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/pet.yaml"
        spec = tmp_path / "api.yaml"
        spec.write_text(
            (BROKEN / "remote_ref.yaml")
            .read_text(encoding="utf-8")
            .replace("https://example.com/x.yaml", f"{url}#/Pet"),
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        refused = subprocess.run(
            [sys.executable, "-m", "generator", "validate", str(spec)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
        )
        assert refused.returncode == 2
        assert "(ref-remote)" in refused.stderr
        allowed = subprocess.run(
            [sys.executable, "-m", "generator", "validate", "--allow-remote-refs", str(spec)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
        )
        ok(allowed)
    finally:
        server.shutdown()
        server.server_close()


# -- validate ------------------------------------------------------------------------------------------


def test_validate_valid_spec(tmp_path: Path) -> None:
    result = ok(clientgen("validate", UPVEST_SPEC, cwd=tmp_path))
    assert "valid" in result.stderr
    assert ": error:" not in result.stderr


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    shutil.copyfile(FIXTURES / "validator-only.yaml", spec)  # our own checks pass, the OpenAPI schema does not
    result = ok(clientgen("validate", spec, cwd=tmp_path))
    assert "warning" in result.stderr and "(spec-invalid)" in result.stderr
    strict = clientgen("validate", "--strict", spec, cwd=tmp_path)
    assert strict.returncode == 2
    no_traceback(strict)
    assert f"{spec.resolve()}:10: warning:" in strict.stderr


# -- generate and check --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upvest_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The Upvest client generated once per module (tests copy it before changing it), and its package name."""
    work = tmp_path_factory.mktemp("upvest")
    result = ok(clientgen("generate", UPVEST_SPEC, "-o", work / "out", cwd=work))
    return work / "out", package_name(result)


def copy_output(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(source, target, symlinks=True)
    return target


def test_generate_writes_a_manifest_of_every_file(upvest_output: tuple[Path, str]) -> None:
    output, package = upvest_output
    listed = manifest_files(output)
    on_disk = sorted(set(files_of(output)) - {MANIFEST})
    assert listed == on_disk
    assert f"{package}/__init__.py" in listed


def test_generate_twice_is_byte_identical(tmp_path: Path, upvest_output: tuple[Path, str]) -> None:
    first = files_of(upvest_output[0])
    output = copy_output(upvest_output[0], tmp_path)
    ok(clientgen("generate", UPVEST_SPEC, "-o", output, cwd=tmp_path))
    assert files_of(output) == first
    assert snapshot(output, metadata=False) == snapshot(upvest_output[0], metadata=False)
    # and into a fresh folder, from another working folder, with a relative spec path
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(UPVEST_SPEC, elsewhere / UPVEST_SPEC.name)
    ok(clientgen("generate", UPVEST_SPEC.name, "-o", "fresh", cwd=elsewhere))
    assert files_of(elsewhere / "fresh") == first


def test_check_edit_and_regenerate(tmp_path: Path, upvest_output: tuple[Path, str]) -> None:
    output = copy_output(upvest_output[0], tmp_path)
    package = upvest_output[1]

    clean = ok(clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path))
    assert clean.stdout == ""

    edited = output / package / "__init__.py"
    original = edited.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    index = next(i for i, text in enumerate(lines) if text.strip() and not text.startswith("#"))
    changed_line = lines[index]
    lines[index] = "HAND_EDITED = True\n"
    edited_text = "".join(lines)
    edited.write_text(edited_text, encoding="utf-8")
    before = snapshot(output)

    stale = clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path)
    assert stale.returncode == 1, stale.stderr
    no_traceback(stale)
    diff = stale.stdout
    assert f"--- a/{package}/__init__.py" in diff.splitlines()
    assert f"+++ b/{package}/__init__.py" in diff.splitlines()
    assert "-HAND_EDITED = True" in diff.splitlines()
    assert "+" + changed_line.rstrip("\n") in diff.splitlines()
    assert re.search(r"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@", diff, re.MULTILINE)
    # only the edited file differs
    assert len(re.findall(r"^\+\+\+ ", diff, re.MULTILINE)) == 1
    # check writes nothing
    assert edited.read_text(encoding="utf-8") == edited_text
    assert snapshot(output) == before

    ok(clientgen("generate", UPVEST_SPEC, "-o", output, cwd=tmp_path))
    assert edited.read_text(encoding="utf-8") == original
    ok(clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path))


@pytest.mark.parametrize("deleted", ["README.md", "{package}/__init__.py"])
def test_check_reports_a_deleted_generated_file(tmp_path: Path, upvest_output: tuple[Path, str], deleted: str) -> None:
    output = copy_output(upvest_output[0], tmp_path)
    deleted = deleted.format(package=upvest_output[1])
    assert (output / deleted).read_bytes(), "this case needs a non-empty file"
    (output / deleted).unlink()
    result = clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path)
    assert result.returncode == 1
    no_traceback(result)
    assert "--- /dev/null" in result.stdout.splitlines()
    assert f"+++ b/{deleted}" in result.stdout.splitlines()
    assert not (output / deleted).exists()


def test_check_names_a_deleted_empty_generated_file(tmp_path: Path, upvest_output: tuple[Path, str]) -> None:
    output = copy_output(upvest_output[0], tmp_path)
    deleted = f"{upvest_output[1]}/py.typed"
    assert (output / deleted).read_bytes() == b"", "this case needs an empty generated file"
    (output / deleted).unlink()
    result = clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path)
    assert result.returncode == 1
    no_traceback(result)
    assert f"+++ b/{deleted}" in result.stdout.splitlines()


def test_check_missing_output_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "missing"
    result = clientgen(
        "check", MULTIFILE, "-o", output, "--config", _config(tmp_path, package="pets_client"), cwd=tmp_path
    )
    assert result.returncode == 1
    no_traceback(result)
    assert "+++ b/pets_client/__init__.py" in result.stdout
    assert not output.exists()


def test_user_files_survive_regeneration(tmp_path: Path, upvest_output: tuple[Path, str]) -> None:
    output = copy_output(upvest_output[0], tmp_path)
    package = upvest_output[1]
    user_files = {
        "USER_NOTES.md": b"my notes\n",
        f"{package}/custom.py": b"CUSTOM = 1\n",
        "extras/deep/data.bin": bytes(range(256)),
    }
    for relative, content in user_files.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(content)
    (output / "empty-user-dir").mkdir()

    ok(clientgen("generate", UPVEST_SPEC, "-o", output, cwd=tmp_path))

    for relative, content in user_files.items():
        assert (output / relative).read_bytes() == content, relative
    assert (output / "empty-user-dir").is_dir()
    generated = {k: v for k, v in files_of(output).items() if k not in user_files}
    assert generated == files_of(upvest_output[0])
    # user files are not the generator's: check does not complain about them
    ok(clientgen("check", UPVEST_SPEC, "-o", output, cwd=tmp_path))


def test_files_no_longer_generated_are_removed_but_user_files_kept(tmp_path: Path) -> None:
    output = tmp_path / "out"
    ok(clientgen("generate", MULTIFILE, "-o", output, "--package", "first_client", cwd=tmp_path))
    first = manifest_files(output)
    assert "first_client/__init__.py" in first
    (output / "first_client" / "mine.py").write_text("MINE = 1\n", encoding="utf-8")
    (output / "KEEP.txt").write_text("keep\n", encoding="utf-8")

    ok(clientgen("generate", MULTIFILE, "-o", output, "--package", "second_client", cwd=tmp_path))

    for relative in first:
        if relative.startswith("first_client/"):
            assert not (output / relative).exists(), f"{relative} is no longer generated and must be removed"
    assert (output / "first_client" / "mine.py").read_text(encoding="utf-8") == "MINE = 1\n"
    assert (output / "KEEP.txt").read_text(encoding="utf-8") == "keep\n"
    assert (output / "second_client" / "__init__.py").is_file()
    assert all(not p.startswith("first_client/") for p in manifest_files(output))
    remaining = sorted(p.relative_to(output).as_posix() for p in (output / "first_client").rglob("*") if p.is_file())
    assert remaining == ["first_client/mine.py"]


def test_generate_refuses_to_overwrite_a_user_file(tmp_path: Path) -> None:
    output = tmp_path / "out"
    (output / "pets_client").mkdir(parents=True)
    (output / "pets_client" / "__init__.py").write_text("# mine, not generated\n", encoding="utf-8")
    before = snapshot(output)
    result = clientgen("generate", MULTIFILE, "-o", output, "--package", "pets_client", cwd=tmp_path)
    assert result.returncode == 2
    no_traceback(result)
    assert "pets_client/__init__.py" in result.stderr
    assert snapshot(output) == before
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_generate_into_a_path_that_is_a_file(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.write_text("a file\n", encoding="utf-8")
    result = clientgen("generate", MULTIFILE, "-o", output, cwd=tmp_path)
    assert result.returncode == 2
    no_traceback(result)
    assert output.read_text(encoding="utf-8") == "a file\n"


def test_multifile_spec_generates_and_imports(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = ok(clientgen("generate", MULTIFILE, "-o", output, cwd=tmp_path))
    package = package_name(result)
    assert (output / package / "__init__.py").is_file()
    code = (
        f"import {package}\n"
        f"from {package} import models\n"
        "owner = models.Owner.model_validate({'id': 1, 'pets': [{'id': 2, 'name': 'Rex', 'owner': {'id': 1}}]})\n"
        "assert owner.pets[0].owner.id == 1, owner\n"
        "print('imported', " + package + ".__name__)\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code],
        cwd=output,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == f"imported {package}"


def test_package_option_names_the_package(tmp_path: Path) -> None:
    result = ok(clientgen("generate", MULTIFILE, "-o", tmp_path / "out", "--package", "yourname", cwd=tmp_path))
    assert package_name(result) == "yourname"
    assert (tmp_path / "out" / "yourname" / "__init__.py").is_file()


def _config(folder: Path, **values: str) -> Path:
    path = folder / "config" / "pyproject.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    path.write_text(f"[tool.clientgen]\n{body}", encoding="utf-8")
    return path


def test_config_option_is_used(tmp_path: Path) -> None:
    config = _config(tmp_path, spec=str(MULTIFILE), output="../generated", package="configured_client")
    result = ok(clientgen("generate", "--config", config, cwd=tmp_path))
    assert package_name(result) == "configured_client"
    assert (tmp_path / "generated" / "configured_client" / "__init__.py").is_file()


def test_no_spec_and_no_config(tmp_path: Path) -> None:
    result = clientgen("generate", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2
    no_traceback(result)
    assert "no spec given" in result.stderr
    assert not (tmp_path / "out").exists()


def test_invalid_config_is_reported(tmp_path: Path) -> None:
    config = _config(tmp_path, pakage="x")
    result = clientgen("generate", MULTIFILE, "-o", tmp_path / "out", "--config", config, cwd=tmp_path)
    assert result.returncode == 2
    no_traceback(result)
    assert str(config) in result.stderr
    assert "did you mean 'package'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_repository_config_is_not_picked_up_from_tmp(tmp_path: Path) -> None:
    # guards every other test here: the working folder has no pyproject.toml above it
    assert not any((folder / "pyproject.toml").is_file() for folder in (tmp_path, *tmp_path.parents))
    assert not tmp_path.resolve().is_relative_to(ROOT)


# -- help ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [[], ["generate"], ["check"], ["validate"]], ids=["main", "generate", "check", "validate"]
)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(tmp_path: Path, command: list[str], flag: str) -> None:
    result = ok(clientgen(*command, flag, cwd=tmp_path))
    assert "Example" in result.stdout
    assert "Usage:" in result.stdout
    if command:
        assert f"clientgen {command[0]}" in result.stdout.split("Example", 1)[1]


def test_unknown_command_exits_2(tmp_path: Path) -> None:
    result = clientgen("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    no_traceback(result)


@pytest.mark.parametrize("name", ["a/b", "x-y", "Upper", "httpx", "pydantic", "json", "class", 'a"""b', "caf\u00e9"])
def test_a_package_name_that_cannot_be_imported_or_would_shadow_a_module_is_refused(tmp_path: Path, name: str) -> None:
    result = clientgen("generate", UPVEST_SPEC, "-o", tmp_path / "out", "--package", name, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert "--package" in result.stderr and not (tmp_path / "out").exists()
    config = tmp_path / "clientgen.toml"
    config.write_text(f"package = {json.dumps(name)}\n", encoding="utf-8")
    result = clientgen("generate", UPVEST_SPEC, "-o", tmp_path / "out", "--config", config, cwd=tmp_path)
    assert result.returncode == 2 and "'package'" in result.stderr and not (tmp_path / "out").exists()
    no_traceback(result)


@pytest.mark.parametrize(
    "failure",
    [
        (errno.EROFS, "Read-only file system", "stage"),
        (errno.ENOSPC, "No space left on device", "stage"),
        (errno.EACCES, "Permission denied", "commit"),
    ],
    ids=["read-only", "disk-full", "no-permission"],
)
def test_the_machines_errors_exit_2_with_the_path_and_leave_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: tuple[int, str, str]
) -> None:
    """Root passes permission checks and no disk here fills up: the OS errors are injected where they happen
    (writing a staged file, committing the swap's journal)."""
    import builtins

    from click.testing import CliRunner

    from generator import write as write_module
    from generator.cli import main

    number, text, where = failure
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["generate", str(UPVEST_SPEC), "-o", str(out), "--no-cache"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    if where == "commit":
        real_replace = write_module.os.replace

        def refuse(source: object, destination: object) -> None:
            if str(destination).endswith(write_module.JOURNAL):
                raise OSError(number, text, str(destination))
            real_replace(source, destination)  # type: ignore[arg-type]

        monkeypatch.setattr(write_module.os, "replace", refuse)
    else:
        real_open = builtins.open

        def full(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
            if any(flag in mode for flag in "wx") and ".clientgen-" in str(file):
                raise OSError(number, text, str(file))
            return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", full)
    (out / "README.md").write_text("changed by hand\n", encoding="utf-8")  # so the run has something to write
    before[out / "README.md"] = b"changed by hand\n"
    result = CliRunner().invoke(main, ["generate", str(UPVEST_SPEC), "-o", str(out), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert text in result.output and "internal error" not in result.output and "nothing was written" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
