"""Reporting: how `generate`, `check` and `validate` print diagnostics, their summary line and their progress.

The commands decide what happened; this module decides how it looks. Two formats:

- **text** (the default), on stderr. Diagnostics come errors first, then warnings, then notes (what clientgen
  inferred from the spec or took from a vendor profile); within a severity, grouped by file (files in name order),
  each group headed by a line `FILE: N error(s)` and its diagnostics sorted by line, then pointer, one line each
  in the form of `Diagnostic.render()`::

      FILE[:LINE]: SEVERITY: MESSAGE [at #/POINTER] (CODE)

  Groups are separated by a blank line; no line is indented. Then, with `-v`, a `timings:` line (seconds per
  stage, and how many formatted pieces came from the cache). Every run ends with exactly one summary line, e.g.
  `generated pkg into out: 94 operations, 233 models, 3 files written, 35 unchanged, 0 removed, 7 warnings, 1.2s`
  or `failed: 1 error(s), 0 warning(s); nothing was written, 0.3s`. `-q` prints errors only (no warnings, no notes), and the summary line
  only when the run fails (exit code not 0): a quiet success prints nothing.

  Colour (severity words, codes, file headers) only when stderr is a terminal, unless `--color always|never`;
  with `--color auto` a non-empty `NO_COLOR` turns it off (https://no-color.org), then a non-empty `FORCE_COLOR`
  turns it on, then `TERM=dumb` turns it off.

- **json** (`--format json`): stdout holds exactly one JSON document, on one line, printed when the command ends
  (whatever it ends with, bad input and internal errors included); nothing else is printed on stdout (`check`
  does not print its diff), nor on stderr but click's usage errors (exit 2, no document: the command never ran)
  and the progress display on a terminal. `-q` and `-v` change nothing in it::

      {"diagnostics": [{"severity": "error" | "warning" | "note", "code": str, "message": str, "file": str,
                        "pointer": str, "line": int | null}, ...],
       "summary": {"command": str, "status": "ok" | "stale" | "changed" | "failed", "exit_code": int, "message": str,
                   "errors": int, "warnings": int, "seconds": float,
                   "package": str | null, "output": str | null, "operations": int | null, "models": int | null,
                   "written": int | null, "unchanged": int | null, "removed": int | null,
                   "differing": [str] | null, "timings": {stage: seconds}, "formatting": {"cached": int,
                   "formatted": int} | null}}

  Diagnostics are in the order of the text form. `pointer` is a JSON pointer (RFC 6901: "" is the document's root,
  else it starts with "/"); `line` is 1-based. `message` is the text form's summary line. `differing` (for
  `check`) lists the output folder's files that differ from what `generate` would write. Keys that do not apply
  to a command are null (`validate` builds no models and writes nothing). Keys may be added later; these keep
  their meaning.

  Every command that works on specs or clients (`generate`, `check`, `validate`, `diff`, `update`, `build`,
  `publish`) takes these options. `diff` and `update` add their change report's keys (`changes`, `bump`) at the
  top of the document; `diff`'s status is "changed" when the report reaches `--fail-on`. `build` adds `wheel` and
  `sdist` to the summary, `publish` `uploaded` and `skipped`, `update` `spec`, `version` and `bump`.

Progress: on a terminal (stderr a tty, `CI` unset, `TERM` not `dumb`, no `-q`), a run that takes more than a second
shows one line on stderr, redrawn in place at most every 0.1 s: the stage and, while formatting, the pieces done.
It is cleared before anything else is printed and when the run ends. Never in pipes or CI logs.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence, TextIO

import click

from generator.diagnostics import Diagnostic, SpecError

OutputFormat = Literal["text", "json"]
ColorChoice = Literal["auto", "always", "never"]
#: "changed": `diff` found changes that reach its --fail-on threshold
Status = Literal["ok", "stale", "changed", "failed"]

FORMATS: tuple[OutputFormat, ...] = ("text", "json")
COLOR_CHOICES: tuple[ColorChoice, ...] = ("auto", "always", "never")

#: the stages of a run, in order, as `generator.pipeline` and the commands name them; and what progress says
STAGES = {
    "load": "loading the spec",
    "validate": "validating",
    "build": "building the model",
    "render": "rendering",
    "format": "formatting",
    "write": "writing files",
    "compare": "comparing with the output folder",
}
#: the keys of a diagnostic in the JSON document
DIAGNOSTIC_KEYS = ("severity", "code", "message", "file", "pointer", "line")
#: the keys of the summary in the JSON document
SUMMARY_KEYS = (
    "command",
    "status",
    "exit_code",
    "message",
    "errors",
    "warnings",
    "seconds",
    "package",
    "output",
    "operations",
    "models",
    "written",
    "unchanged",
    "removed",
    "differing",
    "timings",
    "formatting",
)

_CLEAR_LINE = "\r\x1b[K"
_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


# -- deciding: colour and progress ---------------------------------------------------------------------


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or odd stream
        return False


def use_color(stream: TextIO, choice: ColorChoice = "auto", environ: Mapping[str, str] | None = None) -> bool:
    """Colour on `stream`? `always`/`never` decide; `auto`: NO_COLOR, then FORCE_COLOR, then TERM=dumb, then a tty."""
    if choice != "auto":
        return choice == "always"
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def use_progress(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """A progress display on `stream`? Only on a terminal, and not in CI (`CI` set) nor on a dumb terminal."""
    environ = os.environ if environ is None else environ
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


# -- diagnostics ---------------------------------------------------------------------------------------


_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors, then warnings, then notes; by file; within a file by line (none first), then pointer; else as found."""
    return sorted(diagnostics, key=lambda d: (_SEVERITY_ORDER[d.severity], d.file, d.line or 0, d.pointer))


def groups(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, str, list[Diagnostic]]]:
    """(severity, file, diagnostics) groups, in the order of `ordered`."""
    result: list[tuple[str, str, list[Diagnostic]]] = []
    for diagnostic in ordered(diagnostics):
        if result and result[-1][0] == diagnostic.severity and result[-1][1] == diagnostic.file:
            result[-1][2].append(diagnostic)
        else:
            result.append((diagnostic.severity, diagnostic.file, [diagnostic]))
    return result


def json_pointer(pointer: str) -> str:
    """RFC 6901 form: "" for the root, else a leading "/" (some diagnostics carry "tool/clientgen/key")."""
    if pointer in ("", "/"):
        return ""
    return pointer if pointer.startswith("/") else "/" + pointer


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": diagnostic.file,
        "pointer": json_pointer(diagnostic.pointer),
        "line": diagnostic.line,
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def render_colored(diagnostic: Diagnostic) -> str:
    """`Diagnostic.render()` with ANSI styles: the location bold, the severity in red or yellow, the code dim."""
    where = diagnostic.file + (f":{diagnostic.line}" if diagnostic.line is not None else "")
    colour = {"error": "red", "warning": "yellow"}.get(diagnostic.severity, "cyan")
    severity = click.style(diagnostic.severity, fg=colour, bold=True, reset=True)
    pointer = diagnostic.pointer or "/"
    code = click.style(f"({diagnostic.code})", dim=True)
    return f"{click.style(where, bold=True)}: {severity}: {diagnostic.message} [at #{pointer}] {code}"


def human_lines(diagnostics: Iterable[Diagnostic], *, color: bool = False) -> list[str]:
    """The text form: a header per (severity, file) group, its diagnostics one a line, a blank line between groups."""
    lines: list[str] = []
    for severity, file, members in groups(diagnostics):
        if lines:
            lines.append("")
        header = f"{file or '<no file>'}: {_plural(len(members), severity)}"
        lines.append(click.style(header, underline=True) if color else header)
        lines.extend(render_colored(d) if color else d.render() for d in members)
    return lines


# -- what a spec holds, for validate -------------------------------------------------------------------


def spec_operations(root: Any) -> int:
    """The operations of an OpenAPI tree as loaded (Swagger 2.0 is up-converted by then)."""
    paths = root.get("paths") if isinstance(root, dict) else None
    if not isinstance(paths, dict):
        return 0
    return sum(sum(1 for key in item if key in _HTTP_METHODS) for item in paths.values() if isinstance(item, dict))


def diff_path(diff: str) -> str:
    """The file a unified diff of `generator.write.check` is about (its +++ side, or --- when it is removed)."""
    lines = diff.splitlines()
    new = lines[1][4:] if len(lines) > 1 and lines[1].startswith("+++ ") else "/dev/null"
    old = lines[0][4:] if lines and lines[0].startswith("--- ") else "/dev/null"
    name = new if new != "/dev/null" else old
    return name[2:] if name.startswith(("a/", "b/")) else name


# -- progress ------------------------------------------------------------------------------------------


def describe(stage: str, done: int, total: int) -> str:
    """What the progress line says of a stage: 'formatting 1,234/5,678 pieces'."""
    text = STAGES.get(stage, stage)
    if stage == "format" and total:
        text += f" {done:,}/{total:,} pieces"
    return text


class Progress:
    """One line on a terminal, redrawn in place from a background thread, shown only once `threshold` seconds have
    passed since it was made. `update` is cheap and safe from any thread; `clear` before printing anything else.

    `clock` and the thread are injectable so tests need no sleeps: `tick()` is one redraw.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        threshold: float = 1.0,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        width: int | None = None,
    ) -> None:
        self.stream = stream
        self.threshold = threshold
        self.interval = interval
        self.clock = clock
        self.width = width
        self.started = clock()
        self._state: tuple[str, int, int] | None = None
        self._shown = ""  # the text on screen now; "" when the line is clear
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def update(self, stage: str, done: int = 0, total: int = 0) -> None:
        self._state = (stage, done, total)

    def start(self) -> None:
        """Redraw every `interval` seconds from a daemon thread, until `stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="clientgen-progress", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.tick()

    def _columns(self) -> int:
        if self.width is not None:
            return self.width
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
            columns = 0
        return columns or shutil.get_terminal_size().columns  # a terminal of no known size: COLUMNS, else 80

    def tick(self) -> None:
        """Draw the current state, if the run has been going for `threshold` seconds and it changed."""
        with self._lock:
            state = self._state
            if state is None or self._stopped.is_set():
                return
            elapsed = self.clock() - self.started
            if elapsed < self.threshold:
                return
            text = f"{describe(*state)} ({elapsed:.0f}s)"[: max(self._columns() - 1, 10)]
            if text == self._shown:
                return
            self._write(_CLEAR_LINE + text)
            self._shown = text

    def clear(self) -> None:
        """Erase the line, if anything is drawn (the next tick may draw it again)."""
        with self._lock:
            if self._shown:
                self._write(_CLEAR_LINE)
                self._shown = ""

    def stop(self) -> None:
        """No more drawing; the line cleared."""
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self.clear()

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal: progress is not worth failing for
            pass


# -- the reporter --------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What a run ends with: the summary line, and the facts of the JSON summary."""

    status: Status
    exit_code: int
    message: str
    errors: int = 0
    warnings: int = 0
    package: str | None = None
    output: str | None = None
    operations: int | None = None
    models: int | None = None
    written: int | None = None
    unchanged: int | None = None
    removed: int | None = None
    differing: list[str] | None = None
    #: facts of one command's own (build: wheel, sdist; publish: uploaded, skipped; diff: bump, ...)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reporter:
    """Prints one command's diagnostics, timings and summary line, in text or JSON, and shows its progress.

    Streams default to the process's stderr and stdout at the time the reporter is made. `progress` None: decided
    by `use_progress` (and off with -q); `color` None: decided by `use_color` for `color_choice`.
    """

    command: str
    output_format: OutputFormat = "text"
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose
    color_choice: ColorChoice = "auto"
    err: TextIO = field(default_factory=lambda: sys.stderr)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    color: bool | None = None
    progress: bool | None = None
    progress_threshold: float = 1.0
    clock: Callable[[], float] = time.perf_counter
    environ: Mapping[str, str] | None = None
    #: seconds per stage, filled in by `generator.pipeline` and `timed`
    timings: dict[str, float] = field(default_factory=dict)
    #: formatted pieces taken from the cache, and formatted afresh (None: no formatting this run)
    cached: int | None = None
    formatted: int | None = None
    #: top-level keys a command adds to its JSON document (diff and update: the change report's)
    document: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.started = self.clock()
        if self.color is None:
            self.color = self.output_format == "text" and use_color(self.err, self.color_choice, self.environ)
        if self.progress is None:
            self.progress = self.verbosity >= 0 and use_progress(self.err, self.environ)
        self._progress: Progress | None = None
        self._diagnostics: list[Diagnostic] = []
        self._finished = False

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 0

    @property
    def json(self) -> bool:
        return self.output_format == "json"

    # -- progress

    def start(self) -> None:
        """Start the progress display (it shows itself `progress_threshold` seconds from now), when wanted. Its
        thread starts with the first stage: `generate` forks its formatting workers before that, and a process
        that forks should have no other thread (one holding a lock would leave it held in the child)."""
        if self.progress and self._progress is None:
            self._progress = Progress(self.err, threshold=self.progress_threshold)

    def stage(self, stage: str, done: int = 0, total: int = 0) -> None:
        """The progress callback of `generator.pipeline.generate`: a stage started, or formatted `done`/`total`."""
        if stage == "format" and not done:
            self.formatted = total
        if self._progress is not None:
            self._progress.update(stage, done, total)
            self._progress.start()

    def timed(self, stage: str) -> _Timed:
        """`with reporter.timed("write"):` a stage of the command's own, shown and timed like the pipeline's."""
        self.stage(stage)
        return _Timed(self, stage)

    def stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    # -- printing

    def _echo(self, text: str) -> None:
        self.stop_progress()
        click.echo(text, file=self.err, color=bool(self.color))

    def stdout(self, text: str) -> None:
        """Text for stdout (check's diff): printed in text form only; the JSON document is all stdout holds."""
        if not self.json:
            self.stop_progress()
            click.echo(text, file=self.out, nl=False)

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Keep them for the end of the run (`finish` prints them, or puts them in the JSON document)."""
        self._diagnostics.extend(diagnostics)

    def _print_diagnostics(self, failing: bool) -> None:
        """Grouped, errors first. -q: errors only; or, when failing without errors (--strict), the warnings."""
        shown = self._diagnostics
        if self.quiet:
            errors = [d for d in shown if d.severity == "error"]
            shown = errors if errors or not failing else [d for d in shown if d.severity == "warning"]
        for line in human_lines(shown, color=bool(self.color)):
            self._echo(line)
        if shown:
            self._echo("")

    def seconds(self) -> float:
        return self.clock() - self.started

    def timings_line(self) -> str:
        """`timings: load 0.12s, validate 0.30s, ..., format 0.80s (2,100 pieces cached, 34 formatted), ...`"""
        parts = []
        for stage, seconds in self.timings.items():
            part = f"{stage} {seconds:.2f}s"
            if stage == "format" and self.formatted is not None:
                part += f" ({self.cached or 0:,} pieces cached, {self.formatted:,} formatted)"
            parts.append(part)
        return "timings: " + (", ".join(parts) if parts else "none")

    def finish(self, summary: Summary) -> int:
        """End the run: the diagnostics, the timings (-v) and the summary line (text), or the JSON document.

        Returns the exit code. Only the first call prints: a run has one ending.
        """
        self.stop_progress()
        if self._finished:  # one summary per run, whatever happens after the first
            return summary.exit_code
        self._finished = True
        seconds = self.seconds()
        if self.json:
            document = {
                **self.document,
                "diagnostics": [diagnostic_json(d) for d in ordered(self._diagnostics)],
                "summary": self._summary_json(summary, seconds),
            }
            click.echo(json.dumps(document, ensure_ascii=False), file=self.out)
            return summary.exit_code
        self._print_diagnostics(failing=summary.status == "failed")
        if self.verbose and self.timings:
            self._echo(self.timings_line())
        if not self.quiet or summary.exit_code != 0:
            message = summary.message
            if self.color and summary.status == "failed" and ":" in message:
                head, _, rest = message.partition(":")
                message = click.style(head, fg="red", bold=True) + ":" + rest
            self._echo(message)
        return summary.exit_code

    def _summary_json(self, summary: Summary, seconds: float) -> dict[str, Any]:
        formatting = None
        if self.formatted is not None:
            formatting = {"cached": self.cached or 0, "formatted": self.formatted}
        return {
            "command": self.command,
            "status": summary.status,
            "exit_code": summary.exit_code,
            "message": summary.message,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "seconds": round(seconds, 3),
            "package": summary.package,
            "output": summary.output,
            "operations": summary.operations,
            "models": summary.models,
            "written": summary.written,
            "unchanged": summary.unchanged,
            "removed": summary.removed,
            "differing": summary.differing,
            "timings": {stage: round(value, 3) for stage, value in self.timings.items()},
            "formatting": formatting,
            **summary.extra,
        }

    # -- the endings of the commands

    def _counts(self, diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
        errors = sum(1 for d in diagnostics if d.severity == "error")
        return errors, sum(1 for d in diagnostics if d.severity == "warning")

    def generated(
        self,
        package: str,
        output: Path,
        *,
        operations: int,
        models: int,
        written: int,
        unchanged: int,
        removed: int,
        diagnostics: Sequence[Diagnostic],
    ) -> int:
        errors, warnings = self._counts(diagnostics)
        message = (
            f"generated {package} into {output}: {_plural(operations, 'operation')}, {_plural(models, 'model')}, "
            f"{_plural(written, 'file')} written, {unchanged} unchanged, {removed} removed, "
            f"{_plural(warnings, 'warning')}, {self.seconds():.1f}s"
        )
        return self.finish(
            Summary(
                "ok",
                0,
                message,
                errors,
                warnings,
                package=package,
                output=str(output),
                operations=operations,
                models=models,
                written=written,
                unchanged=unchanged,
                removed=removed,
            )
        )

    def checked(
        self,
        package: str,
        output: Path,
        *,
        operations: int,
        models: int,
        files: Iterable[str],
        diffs: Sequence[str],
        diagnostics: Sequence[Diagnostic],
    ) -> int:
        """check's ending: exit 0 when the folder is up to date, else 1 (the diffs are printed by the command)."""
        errors, warnings = self._counts(diagnostics)
        differing = [diff_path(diff) for diff in diffs]
        unchanged = len(set(files) - set(differing))
        tail = f"{_plural(warnings, 'warning')}, {self.seconds():.1f}s"
        counts = f"{_plural(operations, 'operation')}, {_plural(models, 'model')}"
        if diffs:
            status: Status = "stale"
            message = (
                f"{output} is stale, run clientgen generate: {counts}, {len(diffs)} file(s) differ, "
                f"{unchanged} unchanged, {tail}"
            )
        else:
            status = "ok"
            message = f"{output} is up to date: {counts}, {_plural(unchanged, 'file')} unchanged, {tail}"
        return self.finish(
            Summary(
                status,
                1 if diffs else 0,
                message,
                errors,
                warnings,
                package=package,
                output=str(output),
                operations=operations,
                models=models,
                unchanged=unchanged,
                differing=differing,
            )
        )

    def validated(self, spec: Path, root: Any, diagnostics: Sequence[Diagnostic]) -> int:
        """validate's ending. Models are not counted: they are known only once built (the JSON has null)."""
        errors, warnings = self._counts(diagnostics)
        operations = spec_operations(root)
        message = f"{spec} is valid: {_plural(operations, 'operation')}, {_plural(warnings, 'warning')}, {self.seconds():.1f}s"
        return self.finish(Summary("ok", 0, message, errors, warnings, operations=operations))

    def spec_failed(self, error: SpecError) -> int:
        """Bad input with diagnostics: print them, then `failed: ...; nothing was written`. Exit 2."""
        self.diagnostics(error.diagnostics)
        errors, warnings = self._counts(error.diagnostics)
        message = f"failed: {errors} error(s), {warnings} warning(s); nothing was written, {self.seconds():.1f}s"
        return self.finish(Summary("failed", 2, message, errors, warnings))

    def info(self, line: str) -> None:
        """A line of what the command did, on stderr in text form (not with -q); JSON has it in the summary."""
        if not self.json and not self.quiet:
            self._echo(line)

    def done(self, message: str, *, exit_code: int = 0, status: Status = "ok", **extra: Any) -> int:
        """The ending of `diff`, `update`, `build` and `publish`: their summary line, and their facts (`extra`)
        in the JSON summary."""
        errors, warnings = self._counts(self._diagnostics)
        return self.finish(Summary(status, exit_code, message, errors, warnings, extra=extra))

    def failed(self, message: str, exit_code: int) -> int:
        """Any other failure (bad arguments, an unwritable folder, an internal error): its one line is the summary."""
        errors, warnings = self._counts(self._diagnostics)
        return self.finish(Summary("failed", exit_code, message, errors + 1, warnings))


class _Timed:
    def __init__(self, reporter: Reporter, stage: str) -> None:
        self.reporter = reporter
        self.stage = stage
        self.started = 0.0

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        timings = self.reporter.timings
        timings[self.stage] = timings.get(self.stage, 0.0) + time.perf_counter() - self.started
