"""`clientgen update --from` and `generate --bump`: new specs fetched, reported, and versioned, all or nothing."""

from __future__ import annotations

import json

import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from generator.version import bump, generated_version

from conftest import FIXTURES, ROOT

CASES = FIXTURES / "diff"


def clientgen(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving a folder; yields its base URL and the folder."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with a spec (the 'old' one of a diff fixture pair) and its generated client."""
    folder = tmp_path / "project"
    (folder / "specs").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        '[tool.clientgen]\nspec = "specs/api.yaml"\noutput = "out"\npackage = "shop_client"\nversion = "1.4.2"\n',
        encoding="utf-8",
    )
    (folder / "specs" / "api.yaml").write_bytes((CASES / "operation_added" / "old.yaml").read_bytes())
    result = clientgen("generate", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert generated_version(folder / "out") == "1.4.2"
    return folder


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.4.2", "none", "1.4.2"),
        ("2022.11.28", "minor", "2022.12.0"),
        ("3", "patch", "3.0.1"),
        ("1.0.0rc1", "patch", "1.0.1"),
        ("1.0.0rc1", "none", "1.0.0rc1"),
        ("2.1.0.post3", "none", "2.1.0.post3"),
        ("v1.2", "none", "1.2"),
        ("1.2-beta", "none", "1.2b0"),
        ("banana", "none", "0.0.0"),
    ],
)
def test_bump(version: str, level: str, expected: str) -> None:
    assert bump(version, level) == expected  # type: ignore[arg-type]


def test_update_from_url_reports_replaces_and_bumps(project: Path, served: tuple[str, Path]) -> None:
    url, folder = served
    (folder / "new.yaml").write_bytes((CASES / "operation_added" / "new.yaml").read_bytes())
    result = clientgen("update", "--from", f"{url}/new.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "endpoint-added: new operation: client.orders.cancel" in result.stdout
    assert "suggested version bump: minor" in result.stdout
    assert (project / "specs" / "api.yaml").read_bytes() == (folder / "new.yaml").read_bytes()
    assert generated_version(project / "out") == "1.5.0"
    assert clientgen("check", cwd=project).returncode == 0
    assert not [p for p in (project / "specs").iterdir() if p.name.startswith(".")]  # no staged file left
    (folder / "newer.yaml").write_bytes((CASES / "operation_added" / "new.yaml").read_bytes())
    again = clientgen("update", "--from", f"{url}/newer.yaml", "--format", "json", cwd=project)
    document = json.loads(again.stdout)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert (document["changes"], document["bump"]) == ([], "none")  # the same spec again
    summary = document["summary"]
    assert (summary["command"], summary["version"], summary["bump"]) == ("update", "1.5.0", "none")


def test_update_with_a_breaking_change_bumps_major(project: Path, served: tuple[str, Path]) -> None:
    url, folder = served
    (project / "specs" / "api.yaml").write_bytes((CASES / "operation_removed" / "old.yaml").read_bytes())
    assert clientgen("generate", cwd=project).returncode == 0
    (folder / "new.yaml").write_bytes((CASES / "operation_removed" / "new.yaml").read_bytes())
    result = clientgen("update", "--from", f"{url}/new.yaml", "--format", "markdown", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "suggested version bump: major" in result.stdout
    assert generated_version(project / "out") == "2.0.0"


@pytest.mark.parametrize("case", ["missing", "broken", "not-found"])
def test_a_failed_update_changes_nothing(project: Path, served: tuple[str, Path], case: str) -> None:
    url, folder = served
    (folder / "broken.yaml").write_text("openapi: 3.0.3\ninfo: [\n", encoding="utf-8")
    source = {"missing": str(project / "nope.yaml"), "broken": f"{url}/broken.yaml", "not-found": f"{url}/gone.yaml"}
    before = snapshot(project)
    result = clientgen("update", "--from", source[case], cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_generate_bump_auto_needs_the_previous_spec(project: Path) -> None:
    new = CASES / "operation_added" / "new.yaml"
    refused = clientgen("generate", new, "--bump", "auto", cwd=project)
    assert refused.returncode == 2 and "--previous" in refused.stderr
    done = clientgen("generate", new, "--bump", "auto", "--previous", project / "specs" / "api.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert generated_version(project / "out") == "1.5.0"
    forced = clientgen("generate", new, "--bump", "major", cwd=project)
    assert forced.returncode == 0 and generated_version(project / "out") == "2.0.0"


def test_the_regeneration_workflow_runs_update_check_and_diff() -> None:
    workflow = (ROOT / ".github" / "workflows" / "regenerate-client.yml").read_text(encoding="utf-8")
    for step in ("clientgen update --from", "clientgen check", "clientgen diff", "schedule:", "workflow_dispatch:"):
        assert step in workflow


def test_a_bumped_version_is_recorded_in_the_configuration(project: Path) -> None:
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert clientgen("generate", "--bump", "patch", cwd=project).returncode == 0
    recorded = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert recorded == text.replace('version = "1.4.2"', 'version = "1.4.3"')
    assert clientgen("check", cwd=project).returncode == 0  # later runs keep the bumped version


def test_no_change_keeps_a_pre_release_version(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"1.4.2"', '"1.5.0rc1"'), encoding="utf-8")
    assert clientgen("generate", cwd=project).returncode == 0
    assert generated_version(project / "out") == "1.5.0rc1"
    spec = project / "specs" / "api.yaml"
    same = clientgen("generate", "--bump", "auto", "--previous", spec, cwd=project)
    assert same.returncode == 0, same.stderr
    assert generated_version(project / "out") == "1.5.0rc1"  # nothing changed: no release made of a pre-release
    assert 'version = "1.5.0rc1"' in pyproject.read_text(encoding="utf-8")


def _with_a_warning(spec: Path) -> str:
    """The spec's text with one response's description taken away (a warning, not an error)."""
    import yaml

    tree = yaml.safe_load(spec.read_text(encoding="utf-8"))
    operation = tree["paths"]["/orders"]["get"]
    del next(iter(operation["responses"].values()))["description"]
    return yaml.safe_dump(tree, sort_keys=False)


def test_update_names_the_new_spec_in_its_warnings_and_strict_refuses_them(
    project: Path, served: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, folder = served
    (folder / "new.yaml").write_text(_with_a_warning(CASES / "operation_added" / "new.yaml"), encoding="utf-8")
    source = f"{url}/new.yaml"
    before = snapshot(project)
    refused = clientgen("update", "--from", source, "--strict", cwd=project)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"{source}:" in refused.stderr and "warning" in refused.stderr
    assert snapshot(project) == before
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(cache))
    link = tmp_path / "link"  # the project reached through a symlink: diagnostics carry resolved paths
    link.symlink_to(project, target_is_directory=True)
    spec, out = link / "specs" / "api.yaml", link / "out"
    done = clientgen("update", spec, "-o", out, "--from", source, "--no-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{source}:"), done.stderr
    assert ".api.yaml." not in done.stderr  # never the staged file's name
    assert done.stderr.splitlines()[-1].startswith("updated ")
    assert not cache.exists()  # --no-cache: nothing read or written there
    assert generated_version(project / "out") == "1.5.0"


def test_credentials_in_the_url_of_the_new_spec_are_never_shown(project: Path, served: tuple[str, Path]) -> None:
    url, folder = served
    (folder / "new.yaml").write_text(_with_a_warning(CASES / "operation_added" / "new.yaml"), encoding="utf-8")
    secret_url = url.replace("http://", "http://deploy:s3cret-TOKEN@")
    done = clientgen("update", "--from", f"{secret_url}/new.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert f"{url}/new.yaml:" in done.stderr and f"from {url}/new.yaml and regenerated" in done.stderr
    missing = clientgen("update", "--from", f"{secret_url}/missing.yaml", cwd=project)
    assert missing.returncode == 2 and f"{url}/missing.yaml" in missing.stderr
    for result in (done, missing):
        assert "s3cret" not in result.stdout + result.stderr and "deploy" not in result.stdout + result.stderr


def test_a_table_header_with_a_comment_gets_the_version_and_keeps_its_layout(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        "[project]\nname = 'shop'  # ours\n\n[tool.clientgen]  # generated client settings\n"
        'spec = "specs/api.yaml"\noutput = "out"  # committed\npackage = "shop_client"\nversion = "1.4.2"\n\n'
        "[tool.other]\nx = 1\n",
        encoding="utf-8",
    )
    done = clientgen("generate", "--bump", "minor", cwd=project)
    assert done.returncode == 0, done.stderr
    text = pyproject.read_text(encoding="utf-8")
    assert text.count("[tool.clientgen]") == 1 and 'version = "1.5.0"' in text
    assert "# generated client settings" in text and 'output = "out"  # committed' in text and "[tool.other]" in text
    assert clientgen("check", cwd=project).returncode == 0


def test_a_clientgen_toml_gets_the_version_at_its_top_level(project: Path) -> None:
    (project / "pyproject.toml").unlink()
    config = project / "clientgen.toml"
    config.write_text(
        '# clientgen settings\nspec = "specs/api.yaml"\noutput = "out"\npackage = "shop_client"\n\n[names]\n',
        encoding="utf-8",
    )
    config.chmod(0o640)
    done = clientgen("generate", "--bump", "major", cwd=project)
    assert done.returncode == 0, done.stderr
    text = config.read_text(encoding="utf-8")
    assert "[tool.clientgen]" not in text and text.index('version = "2.0.0"') < text.index("[names]")
    assert (config.stat().st_mode & 0o777) == 0o640
    again = clientgen("generate", cwd=project)  # every run after it exited 2 before
    assert again.returncode == 0, again.stderr
    assert generated_version(project / "out") == "2.0.0"


def test_a_version_that_cannot_be_recorded_replaces_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import generator.cli as cli
    from generator.write import WriteError

    def refuse(config_file: Path, version: str) -> None:
        raise WriteError(f"cannot record version {version} in {config_file}: refused by the test")

    monkeypatch.setattr(cli, "version_edit", refuse)
    monkeypatch.chdir(project)
    before = snapshot(project)
    result = CliRunner().invoke(cli.main, ["generate", "--bump", "patch"])
    assert result.exit_code == 2 and "refused by the test" in result.output
    assert snapshot(project) == before
