"""One change between two specs, as every view of `clientgen diff` reports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["breaking", "compatible"]
Bump = Literal["major", "minor", "patch", "none"]


@dataclass(frozen=True)
class Change:
    """One difference between the two specs, where it is, and what it means for the client's users."""

    category: str
    severity: Severity
    location: str  # "METHOD /path (operationId)", "schema Name", "webhook name", "servers" or "security"
    message: str
    #: The least version bump of the generated package this change asks for: "major" when breaking,
    #: "minor" for an addition, "patch" for documentation and deprecations.
    bump: Bump = "minor"
    #: The check that found it: oasdiff's id for the same change (`request-parameter-max-length-decreased`), or
    #: one of ours, prefixed `clientgen-`, for what oasdiff does not check (`clientgen-method-renamed`).
    id: str = ""
