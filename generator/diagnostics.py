"""Diagnostics: findings about a spec, collected as values and turned into messages only by the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

#: "note": something clientgen inferred or chose for the user; never a failure, not even under --strict
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    file: str
    pointer: str = ""
    line: int | None = None

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        pointer = self.pointer or "/"
        return f"{where}: {self.severity}: {self.message} [at #{pointer}] ({self.code})"


class SpecError(Exception):
    """Raised when a spec cannot be turned into a client; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


class PublishError(Exception):
    """Building or uploading failed for a reason the user can act on; the message is one line, without secrets."""
