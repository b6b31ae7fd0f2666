"""The pipeline: load, validate, build, render, format; the one path every command and test runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.build import build
from generator.config import Config
from generator.diagnostics import Diagnostic, SpecError
from generator.format import FormatCache, Workers, format_files
from generator.load import Document, load
from generator.model import Api
from generator.render import check_overlay, render
from generator.validate import validate
from generator.write import with_manifest


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
    failing = [d for d in diagnostics if d.severity == "error" or strict]
    if failing:
        raise SpecError(diagnostics)
    return diagnostics


def build_api(
    spec: Path, config: Config, *, strict: bool = False, allow_remote_refs: bool = False
) -> tuple[Api, list[Diagnostic]]:
    """Load, validate and build: the intermediate model of a spec, and what was found on the way."""
    document = load(spec, allow_remote_refs=allow_remote_refs)
    diagnostics = check_spec(document, strict=strict)
    try:
        api, warnings = build(document, config)
    except RecursionError:  # outside schema conversion (which names the schema itself): say where we know
        message = "the spec's schemas are nested too deeply to generate"
        raise SpecError([Diagnostic("error", "too-deep", message, str(document.path))]) from None
    diagnostics += warnings
    if strict and warnings:
        raise SpecError(diagnostics)
    return api, diagnostics


def generate(
    spec: Path,
    config: Config,
    *,
    strict: bool = False,
    allow_remote_refs: bool = False,
    cache: FormatCache | None = None,
    jobs: int = 1,
) -> Generation:
    """Everything `generate` writes, in memory: the files by relative path, manifest included.

    `cache` keeps formatted pieces between runs; `jobs` processes format what the cache lacks (the workers are
    forked first thing, while this process is small).
    """
    with Workers(jobs) as workers:
        api, diagnostics = build_api(spec, config, strict=strict, allow_remote_refs=allow_remote_refs)
        if config.templates is not None:
            if not config.templates.is_dir():
                message = f"the template overlay folder {config.templates} does not exist"
                source = str(config.source or config.templates)
                raise SpecError([Diagnostic("error", "config-invalid", message, source)])
            found = check_overlay(config.templates)
            diagnostics += found
            if any(d.severity == "error" for d in found) or (strict and found):
                raise SpecError(diagnostics)
        rendered = render(api, spec_name=spec.name, type_field=config.webhook_type_field, overlay=config.templates)
        files = format_files(rendered, cache=cache, jobs=jobs, workers=workers)
    return Generation(api=api, files=with_manifest(files, __version__), diagnostics=tuple(diagnostics))
