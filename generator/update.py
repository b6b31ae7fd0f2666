"""Fetching a new version of a spec for `clientgen update`: from http(s), a file:// URL or a path.

The new spec is staged beside the one it replaces (so its relative `$ref`s resolve the same way, and the final
rename stays on one file system); the caller swaps it in only when everything else succeeded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic, SpecError

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
        import urllib.request  # here: `generate` imports this module, and needs no downloads

        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise SpecError([Diagnostic("error", "update-source", f"cannot download the new spec: {exc}", url)]) from None
    if len(data) > MAX_BYTES:
        raise SpecError(
            [Diagnostic("error", "update-source", f"the new spec is larger than {MAX_BYTES // 2**20} MB", url)]
        )
    handle.write(data)
