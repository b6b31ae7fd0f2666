"""The pipeline: load, validate, build, render, format; the one path every command and test runs."""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from generator import __version__
from generator.build import build
from generator.config import Config
from generator.diagnostics import Diagnostic, SpecError
from generator.format import FormatCache, Workers, format_files
from generator.load import Document, load
from generator.model import Api
from generator.render import check_overlay, render, runtime_files
from generator.samples import sample_calls
from generator.skip import Skipped, skip_invalid
from generator.validate import validate
from generator.write import with_manifest

#: told of each stage as it starts, ("load", 0, 0), and of the formatting as it goes, ("format", done, total)
Progress = Callable[[str, int, int], None]


@contextmanager
def _stage(name: str, timings: dict[str, float] | None, progress: Progress | None) -> Iterator[None]:
    """A stage of a run: announced to `progress`, its seconds added to `timings[name]` (also when it fails)."""
    if progress is not None:
        progress(name, 0, 0)
    started = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the spec is parsed and the model built (and, in `generate`, rendered).

    Those stages make millions of objects and little cyclic garbage, and each full collection walks every object
    alive: a fifth of their time on GitHub's spec. Black makes cycles: the formatter turns the collector on while
    this process formats (`generator.format`), which a regeneration, whose few pieces a worker formats, never
    does. Nested, only the outermost pause turns the collector back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _formatting(progress: Progress | None) -> Callable[[int, int], None] | None:
    """The formatter's (done, total) as ("format", done, total)."""
    if progress is None:
        return None
    tell = progress

    def formatted(done: int, total: int) -> None:
        tell("format", done, total)

    return formatted


@dataclass(frozen=True)
class Generation:
    api: Api
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def check_spec(
    document: Document, *, strict: bool = False, structural: bool = True, thorough: bool = False
) -> list[Diagnostic]:
    """Validate; raise SpecError when there are errors (or warnings, when strict)."""
    diagnostics = validate(document, structural=structural, thorough=thorough)
    failing = [d for d in diagnostics if d.severity == "error" or (strict and d.severity == "warning")]
    if failing:
        raise SpecError(diagnostics)
    return diagnostics


def build_api(
    spec: Path,
    config: Config,
    *,
    strict: bool = False,
    allow_remote_refs: bool = False,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and build: the intermediate model of a spec, and what was found on the way.

    `timings` (when given) receives the seconds of the stages "load", "validate" and "build"; `progress` is told of
    each as it starts.
    """
    api, _, diagnostics = build_document(
        spec, config, strict=strict, allow_remote_refs=allow_remote_refs, timings=timings, progress=progress
    )
    return api, diagnostics


def build_document(
    spec: Path,
    config: Config,
    *,
    strict: bool = False,
    allow_remote_refs: bool = False,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> tuple[Api, Document, list[Diagnostic]]:
    """`build_api`, with the document the model was built from (what `diff` compares besides the model)."""
    with collector_paused():
        with _stage("load", timings, progress):
            document = load(spec, allow_remote_refs=allow_remote_refs)
        with _stage("validate", timings, progress):
            skipped: tuple[Skipped, ...] = ()
            if config.project.skip_invalid:  # errors in operations and schemas drop them (generator.skip)
                document, diagnostics, skipped = skip_invalid(document, validate(document))
                if strict and any(d.severity == "warning" for d in diagnostics):
                    raise SpecError(diagnostics)
            else:
                diagnostics = check_spec(document, strict=strict)
        try:
            with _stage("build", timings, progress):
                api, warnings = build(document, config)
        except RecursionError:  # outside schema conversion (which names the schema itself): say where we know
            message = "the spec's schemas are nested too deeply to generate"
            raise SpecError([Diagnostic("error", "too-deep", message, str(document.path))]) from None
    diagnostics += warnings
    if strict and any(d.severity != "note" for d in warnings):  # notes say what was inferred: never a failure
        raise SpecError(diagnostics)
    if skipped:
        api = replace(api, skipped=tuple(str(s) for s in skipped))
    return api, document, diagnostics


def generate(
    spec: Path,
    config: Config,
    *,
    strict: bool = False,
    allow_remote_refs: bool = False,
    cache: FormatCache | None = None,
    jobs: int = 1,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
    verify_format: bool = False,
) -> Generation:
    """Everything `generate` writes, in memory: the files by relative path, manifest included.

    `cache` keeps formatted pieces between runs; `jobs` processes format what the cache lacks (the workers are
    forked first thing, while this process is small). `timings` (when given) receives the seconds of each stage:
    "load", "validate", "build", "render", "format". `progress` is told of each stage as it starts, and of the
    pieces formatted so far: ("format", done, total), where total is the number of pieces the cache lacked.
    `verify_format` checks the pieces black is spared against black (`format_files(verify=True)`; for tests).
    """
    overlay: list[Diagnostic] = []
    if config.project.templates is not None:  # checked first: a wrong folder should not cost a whole build
        if not config.project.templates.is_dir():
            message = f"the template overlay folder {config.project.templates} does not exist"
            raise SpecError(
                [Diagnostic("error", "config-invalid", message, str(config.source or config.project.templates))]
            )
        overlay = check_overlay(config.project.templates)
        if any(d.severity == "error" for d in overlay) or (strict and overlay):
            raise SpecError(overlay)
    with Workers(jobs) as workers, collector_paused():
        api, document, diagnostics = build_document(
            spec, config, strict=strict, allow_remote_refs=allow_remote_refs, timings=timings, progress=progress
        )
        diagnostics += overlay
        with _stage("render", timings, progress):
            rendered = render(
                api,
                spec_name=spec.name,
                overlay=config.project.templates,
                compiled=cache.folder / "templates" if cache is not None else None,
                cache=cache,
                samples=sample_calls(api, document),
                tests=config.project.tests,
            )
        with _stage("format", timings, progress):
            files = format_files(
                rendered,
                cache=cache,
                jobs=jobs,
                workers=workers,
                progress=_formatting(progress),
                verify=verify_format,
            )
        files.update(runtime_files(api))  # black-clean already: never formatted again
    return Generation(api=api, files=with_manifest(files, __version__), diagnostics=tuple(diagnostics))
