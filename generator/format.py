"""Formatting: black, in-process, with one fixed mode so output is the same on every machine."""

from __future__ import annotations

import black
from black.mode import TargetVersion

MODE = black.Mode(
    target_versions={TargetVersion.PY310},
    line_length=100,
    string_normalization=True,
    magic_trailing_comma=True,
)


class FormatError(Exception):
    """Generated code black cannot parse: a bug in clientgen's templates, never the spec's fault."""


def format_source(text: str, path: str = "<generated>") -> str:
    try:
        return black.format_str(text, mode=MODE)
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"clientgen produced invalid Python in {path}: {exc}") from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Black-format every Python file; other files pass through."""
    return {path: format_source(text, path) if path.endswith(".py") else text for path, text in files.items()}
