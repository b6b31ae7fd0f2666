"""How generate, check and validate report: grouped diagnostics, colour, the JSON document, -q/-v, the summary line
and the progress display (generator/report.py)."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import FIXTURES
from generator import format as formatting
from generator.cli import main
from generator.config import Config
from generator.diagnostics import Diagnostic, SpecError
from generator.pipeline import generate
from generator.report import (
    DIAGNOSTIC_KEYS,
    SUMMARY_KEYS,
    Progress,
    Reporter,
    diff_path,
    human_lines,
    json_pointer,
    use_color,
    use_progress,
)
from expectations import ERROR_LINE

MULTIFILE = FIXTURES / "multifile" / "main.yaml"
BROKEN = FIXTURES / "broken"
ESCAPE = "\x1b"
CLEAR = "\r\x1b[K"

#: a spec that generates with one warning (a response without a description, at line 10)
WARNING_SPEC = """\
openapi: 3.0.3
info:
  title: Validator findings
  version: "1.0"
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          content:
            application/json:
              schema:
                type: string
"""
#: a spec with one error: an operationId used twice (line 17)
ERROR_SPEC = """\
openapi: 3.0.3
info:
  title: Duplicates
  version: "1.0"
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
  /owners:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
"""


@pytest.fixture(autouse=True)
def no_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command lines run in-process from tmp_path: the repository's [tool.clientgen] is not picked up."""
    monkeypatch.chdir(tmp_path)


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def spec(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def sample() -> list[Diagnostic]:
    return [
        Diagnostic("warning", "w-late", "late warning", "b.yaml", "/paths/~1z", 30),
        Diagnostic("error", "e-b", "in b", "b.yaml", "/paths/~1b", 5),
        Diagnostic("warning", "w-a", "a warning", "a.yaml", "/info", 2),
        Diagnostic("error", "e-a-pointer-z", "same line, pointer z", "a.yaml", "/z", 7),
        Diagnostic("error", "e-a-pointer-a", "same line, pointer a", "a.yaml", "/a", 7),
        Diagnostic("error", "e-a-no-line", "no line", "a.yaml"),
        Diagnostic("error", "e-a-early", "early", "a.yaml", "/paths", 3),
    ]


# -- the text form --------------------------------------------------------------------------------------


def test_text_groups_errors_first_by_file_sorted_by_line_then_pointer() -> None:
    lines = human_lines(sample())
    assert lines == [
        "a.yaml: 4 errors",
        "a.yaml: error: no line [at #/] (e-a-no-line)",
        "a.yaml:3: error: early [at #/paths] (e-a-early)",
        "a.yaml:7: error: same line, pointer a [at #/a] (e-a-pointer-a)",
        "a.yaml:7: error: same line, pointer z [at #/z] (e-a-pointer-z)",
        "",
        "b.yaml: 1 error",
        "b.yaml:5: error: in b [at #/paths/~1b] (e-b)",
        "",
        "a.yaml: 1 warning",
        "a.yaml:2: warning: a warning [at #/info] (w-a)",
        "",
        "b.yaml: 1 warning",
        "b.yaml:30: warning: late warning [at #/paths/~1z] (w-late)",
    ]


def test_text_keeps_error_lines_parseable() -> None:
    """What tests/load/test_broken_input.py asks of stderr: every line with ': error: ' is one whole error, none
    indented; the headers are not taken for errors."""
    diagnostics = sample()
    lines = human_lines(diagnostics)
    reported = [line for line in lines if ": error: " in line]
    parsed = [m for m in map(ERROR_LINE.match, lines) if m]
    assert len(parsed) == len(reported) == sum(d.severity == "error" for d in diagnostics)
    assert not [line for line in lines if line.startswith((" ", "\t"))]
    rendered = {d.render() for d in diagnostics}
    assert {line for line in lines if line and not re.match(r"^\S+: \d+ (error|warning)s?$", line)} == rendered


def test_reporter_text_ends_with_one_summary_line() -> None:
    err, out = io.StringIO(), io.StringIO()
    reporter = Reporter("validate", err=err, out=out)
    code = reporter.spec_failed(SpecError(sample()))
    assert code == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert lines[-1].startswith("failed: 5 error(s), 2 warning(s); nothing was written, ")
    assert lines[-2] == ""
    assert lines[:-2] == human_lines(sample())
    # a run has one ending: a second one prints nothing
    reporter.failed("error: again", 2)
    assert err.getvalue().splitlines()[-1] == lines[-1]


# -- colour ---------------------------------------------------------------------------------------------


def test_no_escape_codes_when_not_a_terminal() -> None:
    err = io.StringIO()
    reporter = Reporter("validate", err=err, out=io.StringIO(), environ={})
    assert reporter.color is False and reporter.progress is False
    reporter.spec_failed(SpecError(sample()))
    assert ESCAPE not in err.getvalue() and "\r" not in err.getvalue()


@pytest.mark.parametrize(
    ("environ", "choice", "expected"),
    [
        ({}, "auto", True),
        ({"NO_COLOR": "1"}, "auto", False),
        ({"NO_COLOR": ""}, "auto", True),  # no-color.org: only a non-empty value counts
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", False),
        ({"TERM": "dumb"}, "auto", False),
        ({}, "never", False),
        ({"NO_COLOR": "1"}, "always", True),
    ],
)
def test_color_on_a_terminal(environ: dict[str, str], choice: Any, expected: bool) -> None:
    assert use_color(FakeTerminal(), choice, environ) is expected
    err = FakeTerminal()
    Reporter("validate", err=err, out=io.StringIO(), color_choice=choice, environ=environ).spec_failed(
        SpecError(sample())
    )
    assert (ESCAPE in err.getvalue()) is expected


def test_color_off_a_terminal_unless_forced() -> None:
    assert use_color(io.StringIO(), "auto", {}) is False
    assert use_color(io.StringIO(), "auto", {"FORCE_COLOR": "1"}) is True
    assert use_color(io.StringIO(), "always", {}) is True


def test_colored_line_reads_as_the_plain_one() -> None:
    lines = human_lines(sample(), color=True)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert plain == human_lines(sample())
    assert any("\x1b[31m" in line for line in lines)  # errors in red
    assert any("\x1b[33m" in line for line in lines)  # warnings in yellow


def test_a_real_terminal_gets_colour(tmp_path: Path) -> None:
    """The command line with its stderr on a pty: coloured; NO_COLOR set: plain."""
    broken = spec(tmp_path, ERROR_SPEC)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    env["TERM"] = "xterm"
    colored = _run_on_pty(["validate", str(broken)], env, tmp_path)
    assert "\x1b[31m" in colored, colored
    assert "(duplicate-operation-id)" in colored
    plain = _run_on_pty(["validate", str(broken)], {**env, "NO_COLOR": "1"}, tmp_path)
    assert ESCAPE not in plain, plain
    assert f"{broken.resolve()}:14: error: " in plain


def _run_on_pty(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run the command line with stderr on a pseudo-terminal; what it wrote there."""
    parent, child = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=child,
            env=env,
        )
        os.close(child)
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([parent], [], [], 120)
            if not ready:
                process.kill()
                break
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 2
    finally:
        os.close(parent)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


# -- JSON -----------------------------------------------------------------------------------------------


def assert_document(text: str) -> dict[str, Any]:
    """stdout holds exactly one JSON document, of the documented schema."""
    assert text.endswith("\n") and text.count("\n") == 1, text
    document: dict[str, Any] = json.loads(text)
    assert set(document) == {"diagnostics", "summary"}
    for item in document["diagnostics"]:
        assert tuple(item) == DIAGNOSTIC_KEYS
        assert item["severity"] in ("error", "warning")
        assert all(isinstance(item[key], str) for key in ("code", "message", "file", "pointer"))
        assert item["pointer"] == "" or item["pointer"].startswith("/")
        assert item["line"] is None or (isinstance(item["line"], int) and item["line"] >= 1)
    summary = document["summary"]
    assert tuple(summary) == SUMMARY_KEYS
    assert summary["status"] in ("ok", "stale", "failed")
    for key in ("exit_code", "errors", "warnings"):
        assert isinstance(summary[key], int) and not isinstance(summary[key], bool)
    assert isinstance(summary["seconds"], float) and summary["seconds"] >= 0
    assert isinstance(summary["message"], str) and "\n" not in summary["message"]
    for key in ("package", "output"):
        assert summary[key] is None or isinstance(summary[key], str)
    for key in ("operations", "models", "written", "unchanged", "removed"):
        assert summary[key] is None or isinstance(summary[key], int)
    assert summary["differing"] is None or all(isinstance(p, str) for p in summary["differing"])
    assert all(isinstance(k, str) and isinstance(v, float) for k, v in summary["timings"].items())
    assert summary["formatting"] is None or set(summary["formatting"]) == {"cached", "formatted"}
    return document


def test_json_document_of_a_failure() -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = Reporter("generate", output_format="json", err=err, out=out)
    assert reporter.spec_failed(SpecError(sample())) == 2
    assert err.getvalue() == ""
    document = assert_document(out.getvalue())
    assert [d["code"] for d in document["diagnostics"]] == [
        "e-a-no-line",
        "e-a-early",
        "e-a-pointer-a",
        "e-a-pointer-z",
        "e-b",
        "w-a",
        "w-late",
    ]
    assert document["diagnostics"][0] == {
        "severity": "error",
        "code": "e-a-no-line",
        "message": "no line",
        "file": "a.yaml",
        "pointer": "",
        "line": None,
    }
    summary = document["summary"]
    assert (summary["status"], summary["exit_code"], summary["errors"], summary["warnings"]) == ("failed", 2, 5, 2)
    assert "nothing was written" in summary["message"]


def test_json_pointer_form() -> None:
    assert json_pointer("") == json_pointer("/") == ""
    assert json_pointer("/paths/~1a") == "/paths/~1a"
    assert json_pointer("tool/clientgen/pakage") == "/tool/clientgen/pakage"


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_json_generate_then_check(tmp_path: Path) -> None:
    source = spec(tmp_path, WARNING_SPEC)
    output = tmp_path / "out"
    result = invoke("generate", source, "-o", output, "--no-cache", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = assert_document(result.stdout)
    assert [(d["code"], d["line"]) for d in document["diagnostics"]] == [("spec-invalid", 10)]
    summary = document["summary"]
    assert summary["command"] == "generate" and summary["status"] == "ok" and summary["warnings"] == 1
    assert (summary["operations"], summary["models"], summary["unchanged"], summary["removed"]) == (1, 0, 0, 0)
    assert summary["written"] == len(list(p for p in output.rglob("*") if p.is_file()))
    assert summary["package"] == "validator_findings_client" and summary["output"] == str(output)
    assert list(summary["timings"]) == ["load", "validate", "build", "render", "format", "write"]
    assert summary["formatting"]["cached"] == 0 and summary["formatting"]["formatted"] > 0

    readme = output / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    stale = invoke("check", source, "-o", output, "--format", "json")
    assert stale.exit_code == 1
    assert stale.stderr == ""
    summary = assert_document(stale.stdout)["summary"]  # the diff is not printed: the document is all of stdout
    assert (summary["status"], summary["exit_code"], summary["differing"]) == ("stale", 1, ["README.md"])
    assert summary["written"] is None and summary["unchanged"] > 0


def test_json_validate_and_other_failures(tmp_path: Path) -> None:
    broken = spec(tmp_path, ERROR_SPEC)
    failed = invoke("validate", broken, "--format", "json")
    assert failed.exit_code == 2 and failed.stderr == ""
    document = assert_document(failed.stdout)
    assert [(d["code"], d["line"], d["file"]) for d in document["diagnostics"]] == [
        ("duplicate-operation-id", 14, str(broken.resolve()))
    ]
    assert document["summary"]["status"] == "failed"

    valid = invoke("validate", spec(tmp_path, WARNING_SPEC, "ok.yaml"), "--format", "json")
    assert valid.exit_code == 0
    document = assert_document(valid.stdout)
    summary = document["summary"]
    assert (summary["operations"], summary["models"], summary["errors"]) == (1, None, 0)
    assert summary["warnings"] == len(document["diagnostics"]) >= 1

    # not a spec problem: still one document, with the message, and exit 2
    mine = tmp_path / "out" / "validator_findings_client" / "__init__.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("# not generated\n", encoding="utf-8")
    refused = invoke("generate", spec(tmp_path, WARNING_SPEC, "w.yaml"), "-o", tmp_path / "out", "--format", "json")
    assert refused.exit_code == 2 and refused.stderr == ""
    document = assert_document(refused.stdout)
    assert [d["code"] for d in document["diagnostics"]] == ["spec-invalid"]
    summary = document["summary"]
    assert (summary["status"], summary["exit_code"], summary["errors"], summary["warnings"]) == ("failed", 2, 1, 1)
    assert summary["message"].startswith("error: ") and "did not generate" in summary["message"]
    bad = invoke("generate", spec(tmp_path, WARNING_SPEC, "w.yaml"), "--bump", "auto", "--format", "json")
    assert bad.exit_code == 2 and bad.stderr == ""
    assert assert_document(bad.stdout)["summary"]["message"].startswith("error: ")


def test_json_in_a_subprocess_is_stdout_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(BROKEN / "missing_info.yaml"), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == ""
    document = assert_document(result.stdout)
    assert document["diagnostics"] and document["diagnostics"][0]["severity"] == "error"


# -- -q and -v ------------------------------------------------------------------------------------------


def test_quiet_success_prints_nothing(tmp_path: Path) -> None:
    result = invoke("generate", spec(tmp_path, WARNING_SPEC), "-o", tmp_path / "out", "-q")
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""
    validated = invoke("validate", spec(tmp_path, WARNING_SPEC), "-q")
    assert validated.exit_code == 0 and validated.stderr == ""


def test_quiet_failure_prints_errors_and_the_summary(tmp_path: Path) -> None:
    broken = spec(tmp_path, ERROR_SPEC)
    result = invoke("generate", broken, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert ERROR_LINE.match(lines[1]) and "(duplicate-operation-id)" in lines[1]
    assert lines[-1].startswith("failed: 1 error(s), 0 warning(s); nothing was written")
    assert "warning:" not in result.stderr
    # --strict fails on warnings: -q shows those, or the failure would be unexplained
    strict = invoke("generate", spec(tmp_path, WARNING_SPEC, "w.yaml"), "-o", tmp_path / "out", "-q", "--strict")
    assert strict.exit_code == 2
    assert "(spec-invalid)" in strict.stderr and "failed: 0 error(s), 1 warning(s)" in strict.stderr


def test_default_and_verbose_output(tmp_path: Path) -> None:
    source = spec(tmp_path, WARNING_SPEC)
    normal = invoke("generate", source, "-o", tmp_path / "out")
    assert normal.exit_code == 0
    lines = normal.stderr.splitlines()
    assert lines[0] == f"{source.resolve()}: 1 warning"
    assert lines[1].startswith(f"{source.resolve()}:10: warning: ")
    assert re.fullmatch(
        r"generated validator_findings_client into \S+: 1 operation, 0 models, \d+ files written, 0 unchanged, "
        r"0 removed, 1 warning, \d+\.\ds",
        lines[-1],
    ), lines[-1]
    assert "timings:" not in normal.stderr

    verbose = invoke("generate", source, "-o", tmp_path / "out", "-v")
    lines = verbose.stderr.splitlines()
    assert lines[-1].startswith("generated validator_findings_client into ")
    assert re.fullmatch(
        r"timings: load \S+s, validate \S+s, build \S+s, render \S+s, "
        r"format \S+s \(\d+ pieces cached, 0 formatted\), write \S+s",
        lines[-2],
    ), lines[-2]
    assert "0 files written" in lines[-1]

    checked = invoke("check", source, "-o", tmp_path / "out", "-v")
    assert checked.exit_code == 0 and checked.stdout == ""
    assert checked.stderr.splitlines()[-1].startswith(f"{tmp_path / 'out'} is up to date: 1 operation, 0 models, ")
    assert ", compare " in checked.stderr.splitlines()[-2]


def test_every_run_has_exactly_one_summary_line(tmp_path: Path) -> None:
    source = spec(tmp_path, WARNING_SPEC)
    summaries = re.compile(r"^(generated |failed: |\S+ is (up to date|stale|valid)\b|error: )")
    for args in (
        ("generate", source, "-o", tmp_path / "out"),
        ("check", source, "-o", tmp_path / "out"),
        ("check", source, "-o", tmp_path / "elsewhere"),
        ("validate", source),
        ("validate", spec(tmp_path, ERROR_SPEC, "broken.yaml")),
        ("generate", source, "-o", tmp_path / "out", "--bump", "auto"),  # bad arguments: `error: ...`
    ):
        result = invoke(*args)
        found = [line for line in result.stderr.splitlines() if summaries.match(line)]
        assert len(found) == 1 and result.stderr.splitlines()[-1] == found[0], result.stderr


def test_quiet_and_verbose_exclude_each_other(tmp_path: Path) -> None:
    result = invoke("validate", spec(tmp_path, WARNING_SPEC), "-q", "-v")
    assert result.exit_code == 2
    assert "-q and -v" in result.stderr


# -- progress -------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_not_shown_off_a_terminal() -> None:
    assert use_progress(io.StringIO(), {}) is False
    assert Reporter("generate", err=io.StringIO(), out=io.StringIO(), environ={}).progress is False


@pytest.mark.parametrize("environ", [{"CI": "true"}, {"CI": "1"}, {"TERM": "dumb"}])
def test_progress_is_not_shown_in_ci_or_on_a_dumb_terminal(environ: dict[str, str]) -> None:
    assert use_progress(FakeTerminal(), environ) is False
    assert use_progress(FakeTerminal(), {"CI": "false"}) is True


def test_progress_is_off_when_quiet() -> None:
    reporter = Reporter("generate", verbosity=-1, err=FakeTerminal(), out=io.StringIO(), environ={})
    assert reporter.progress is False and reporter.color is True


def test_progress_shows_after_the_threshold_and_clears() -> None:
    clock = Clock()
    stream = FakeTerminal()
    progress = Progress(stream, threshold=1.0, clock=clock, width=200)
    progress.update("format", 0, 5678)
    clock.now += 0.5
    progress.tick()
    assert stream.getvalue() == "", "drawn before a second had passed"
    clock.now += 1.5
    progress.update("format", 1234, 5678)
    progress.tick()
    assert stream.getvalue() == CLEAR + "formatting 1,234/5,678 pieces (2s)"
    progress.tick()  # nothing changed: nothing redrawn
    assert stream.getvalue() == CLEAR + "formatting 1,234/5,678 pieces (2s)"
    progress.update("write")
    progress.tick()
    assert stream.getvalue().endswith(CLEAR + "writing files (2s)")
    progress.stop()
    assert stream.getvalue().endswith(CLEAR)
    progress.update("format", 1, 2)
    progress.tick()  # stopped: never drawn again
    assert stream.getvalue().endswith(CLEAR)


def test_progress_line_fits_the_terminal() -> None:
    clock = Clock()
    stream = FakeTerminal()
    progress = Progress(stream, threshold=0, clock=clock, width=20)
    progress.update("compare")
    progress.tick()
    assert stream.getvalue() == CLEAR + "comparing with the "


def test_reporter_progress_is_cleared_before_the_summary() -> None:
    """The background thread draws (no threshold here); the summary comes after the line is erased."""
    stream = FakeTerminal()
    reporter = Reporter(
        "generate", err=stream, out=io.StringIO(), progress=True, progress_threshold=0, color=False, environ={}
    )
    reporter.start()
    reporter.stage("format", 3, 10)
    deadline = time.monotonic() + 30
    while "formatting 3/10 pieces" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "formatting 3/10 pieces" in stream.getvalue()
    reporter.failed("error: stopped here", 2)
    text = stream.getvalue()
    drawn, _, after = text.rpartition(CLEAR)
    assert "formatting 3/10 pieces" in drawn
    assert after == "error: stopped here\n"
    assert not [t for t in threading.enumerate() if t.name == "clientgen-progress"]


def test_workers_fork_before_the_progress_thread_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that forks should run no other thread: the progress thread starts with the first stage, after
    `generate` has forked its formatting workers."""
    stream = FakeTerminal()
    reporter = Reporter(
        "generate", err=stream, out=io.StringIO(), progress=True, progress_threshold=0, color=False, environ={}
    )
    threads_at_fork: list[list[str]] = []
    fork = os.fork

    def watched_fork() -> int:
        threads_at_fork.append([thread.name for thread in threading.enumerate()])
        return fork()

    monkeypatch.setattr(os, "fork", watched_fork)
    before = {thread.name for thread in threading.enumerate()}  # the test runner's own, if any
    reporter.start()
    assert not [t for t in threading.enumerate() if t.name == "clientgen-progress"]
    try:
        generate(MULTIFILE, Config(), jobs=2, progress=reporter.stage)
        assert [t for t in threading.enumerate() if t.name == "clientgen-progress"]  # it did start
    finally:
        reporter.stop_progress()
    assert threads_at_fork, "no worker was forked"
    assert all(set(names) <= before for names in threads_at_fork), (before, threads_at_fork)


def test_cli_prints_no_progress_into_a_pipe(tmp_path: Path) -> None:
    """A run of more than a second, stderr a pipe: no carriage returns, no escape codes, whatever the terminal."""
    source = spec(tmp_path, WARNING_SPEC)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(source), "-o", "out", "--no-cache", "-v"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "TERM": "xterm"},
    )
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and ESCAPE not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("generated ")


# -- what the pipeline and the formatter tell the reporter ----------------------------------------------


def test_pipeline_reports_stages_and_timings() -> None:
    timings: dict[str, float] = {}
    events: list[tuple[str, int, int]] = []
    generate(MULTIFILE, Config(), timings=timings, progress=lambda *event: events.append(event))
    assert list(timings) == ["load", "validate", "build", "render", "format"]
    assert all(seconds >= 0 for seconds in timings.values())
    stages = list(dict.fromkeys(stage for stage, _, _ in events))
    assert stages == ["load", "validate", "build", "render", "format"]
    formatting_events = [(done, total) for stage, done, total in events if stage == "format"]
    total = formatting_events[-1][1]
    assert total > 0 and formatting_events[-1] == (total, total)
    assert [done for done, _ in formatting_events] == sorted(done for done, _ in formatting_events)


def test_pipeline_times_a_failing_stage() -> None:
    timings: dict[str, float] = {}
    with pytest.raises(SpecError):
        generate(BROKEN / "missing_info.yaml", Config(), timings=timings)
    assert "load" in timings and "render" not in timings


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "workers"])
def test_format_files_progress(monkeypatch: pytest.MonkeyPatch, parallel: bool) -> None:
    files = {f"m{i}.py": f"x{i} = [ {i} ]\n{formatting.CUT}def f{i}( ):\n  return {i}\n" for i in range(6)}
    files["README.md"] = "not python\n"
    if parallel:
        monkeypatch.setattr(formatting, "PARALLEL_THRESHOLD", 0)
        monkeypatch.setattr(formatting, "BATCH_SIZE", 40)
    calls: list[tuple[int, int]] = []
    formatted = formatting.format_files(files, jobs=2 if parallel else 1, progress=lambda *c: calls.append(c))
    assert formatted == formatting.format_files(files)
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert all(total == 12 for _, total in calls)


def test_diff_path() -> None:
    assert diff_path("--- a/pkg/x.py\n+++ b/pkg/x.py\n@@ -1 +1 @@\n") == "pkg/x.py"
    assert diff_path("--- /dev/null\n+++ b/new.py\n(empty file missing: would be created)\n") == "new.py"
    assert (
        diff_path("--- a/old.py\n+++ /dev/null\n(generated file no longer generated: would be removed)\n") == "old.py"
    )
