"""`clientgen update`: fetch a new version of a spec (http(s), a file:// URL or a path), report what changed,
regenerate the client from it, and only then replace the spec and record the new version.

The new spec is staged beside the one it replaces (so its relative `$ref`s resolve the same way, and the final
rename stays on one file system); it is swapped in only when everything else succeeded.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable
from urllib.parse import unquote, urlsplit

from generator.config import Config
from generator.diagnostics import Diagnostic, SpecError
from generator.format import FormatCache, default_jobs
from generator.pipeline import Generation, Progress, generate
from generator.urls import display_url
from generator.version import Level, next_version, version_edit
from generator.write import write

if TYPE_CHECKING:
    from generator.diff import Report

MAX_BYTES = 64 * 1024 * 1024
TIMEOUT = 60.0


def stage_spec(source: str, destination: Path) -> Path:
    """Copy or download `source` into a temporary file beside `destination`; SpecError when it cannot be read."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=destination.suffix, dir=destination.parent
    )
    staged = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            scheme = urlsplit(source).scheme
            if scheme in ("http", "https"):
                _download(source, handle)
            else:
                path = Path(unquote(urlsplit(source).path)) if scheme == "file" else Path(source)
                try:
                    with open(path, "rb") as original:
                        shutil.copyfileobj(original, handle)
                except OSError as exc:
                    raise SpecError(
                        [Diagnostic("error", "update-source", f"cannot read the new spec: {exc.strerror}", str(path))]
                    )
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


def _download(url: str, handle: BinaryIO) -> None:
    try:
        import base64
        import urllib.request  # here: `generate` imports this module, and needs no downloads

        parts = urlsplit(url)
        request = urllib.request.Request(display_url(url))
        if parts.username is not None or parts.password is not None:  # user info: HTTP basic authentication
            pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode()
            request.add_unredirected_header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        message = f"cannot download the new spec: {exc}"
        raise SpecError([Diagnostic("error", "update-source", message, display_url(url))]) from None
    if len(data) > MAX_BYTES:
        message = f"the new spec is larger than {MAX_BYTES // 2**20} MB"
        raise SpecError([Diagnostic("error", "update-source", message, display_url(url))])
    handle.write(data)


@dataclass(frozen=True)
class Update:
    """What an update did: the generation from the new spec (its diagnostics naming the spec as given), and the
    version bump its changes called for (None: there was no spec to compare with)."""

    generation: Generation
    bump: Level | None


def update(
    source: str,
    spec: Path,
    output: Path,
    config: Config,
    *,
    strict: bool = False,
    allow_remote_refs: bool = False,
    cache: FormatCache | None = None,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
    show: Callable[[Report], None] = lambda report: None,
) -> Update:
    """Stage `source`, show its change report against `spec` (`show`), regenerate `output` from it, then put it in
    place of `spec` and record the bumped version (configuration: version-policy). Nothing changes unless every
    step succeeds; diagnostics name the new spec as `source`."""
    staged = stage_spec(source, spec)
    try:
        level = _changes(spec, staged, config, strict, allow_remote_refs, show)
        version = None
        if level is not None and config.project.version_policy == "diff":
            version = next_version(output, level)
        generation = generate(
            staged,
            config.merged(version=version),
            strict=strict,
            allow_remote_refs=allow_remote_refs,
            cache=cache,
            jobs=default_jobs(staged),
            timings=timings,
            progress=progress,
        )
        record = (
            version_edit(config.source, version) if version is not None and config.source is not None else None
        )  # worked out first: a configuration that cannot take the version fails with nothing replaced
        write(generation.files, output)
        os.replace(staged, spec)
        if record is not None:
            record()
    except SpecError as exc:
        raise SpecError(_named(exc.diagnostics, staged, source)) from None
    finally:
        staged.unlink(missing_ok=True)
    named = tuple(_named(generation.diagnostics, staged, source))
    return Update(dataclasses.replace(generation, diagnostics=named), level)


def _changes(
    old: Path, new: Path, config: Config, strict: bool, allow_remote_refs: bool, show: Callable[[Report], None]
) -> Level | None:
    """Show the changes from spec `old` to `new`; the version bump they call for (None: no old spec). The two
    models are gone when this returns, before generation forks its formatting worker; their warnings are the ones
    generation reports (the new spec's), not reported twice."""
    if not old.is_file():  # nothing to compare with: generation checks the new spec
        return None
    from generator import diff as spec_diff

    after = spec_diff.load_version(new, config, strict=strict, allow_remote_refs=allow_remote_refs)
    before = spec_diff.load_version(old, config, allow_remote_refs=allow_remote_refs)
    report = spec_diff.diff(before, after, spec_diff.policy_of(config))
    show(report)
    return report.bump


def _named(diagnostics: Iterable[Diagnostic], staged: Path, source: str) -> list[Diagnostic]:
    """Diagnostics of a staged spec, naming it as the user did (the staged file is gone when they read them).
    They name files by their resolved paths: the staged one's differs when its folder is reached by a symlink."""
    names = {str(staged), str(staged.resolve())}
    shown = display_url(source)  # never the credentials a URL carries
    return [dataclasses.replace(d, file=shown) if d.file in names else d for d in diagnostics]
