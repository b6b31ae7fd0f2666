"""Prism (Stoplight's OpenAPI mock server) on 127.0.0.1, and a record of what it said about each request.

Prism is an npm package pinned in tests/contract/package.json; `.ci/run` installs it with
`npm ci --prefix tests/contract`. It validates every request against the spec (parameters, headers, bodies,
security) and answers a rejected one with an error status and an `sl-violations` header listing what was wrong;
valid requests get a response generated from the response schema (`--dynamic` with a `--seed`: Prism reseeds its
generator for every response, so each one is the same on every run, whatever the order of the tests).
`--errors` is not used: it would also turn Prism's complaints about its own generated responses (it does not know
the custom format `url`, for one) into errors; request validation is on without it.

    with PrismMock(spec) as prism:
        log = ViolationLog()
        client = Client(base_url=prism.base_url, http_client=httpx.Client(event_hooks=log.hooks()), ...)
        ...
        assert log.request_errors == []
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import ROOT
from generator.contract import MockServer

CONTRACT = ROOT / "tests" / "contract"
PRISM = CONTRACT / "node_modules" / ".bin" / "prism"
INSTALL_HINT = f"npm ci --prefix {CONTRACT.relative_to(ROOT)}"
#: The `type` of the problems Prism makes up itself (no response in the spec fits the error).
PRISM_ERRORS = "https://stoplight.io/prism/errors"


def prism_executable() -> Path:
    """The pinned Prism; fails (never skips) the test with the command that installs it."""
    if not PRISM.is_file():
        pytest.fail(
            f"Prism is not installed ({PRISM} is missing): run `{INSTALL_HINT}` in the repository"
            " (.ci/run does); it needs Node.js and npm",
            pytrace=False,
        )
    return PRISM


class PrismMock(MockServer):
    """`prism mock` serving one spec on a free port of 127.0.0.1, with dynamic (seeded) responses: the server
    `clientgen test` runs (generator.contract), with the pinned Prism."""

    def __init__(self, spec: Path, *, log: Path | None = None) -> None:
        super().__init__(prism_executable(), spec, log or Path(os.devnull))

    def start(self) -> PrismMock:
        self.__enter__()
        return self

    def stop(self) -> None:
        self.__exit__()


@dataclass(frozen=True)
class Violation:
    """One finding of Prism's about an exchange: where (request or response, and the part), how bad, what."""

    method: str
    url: str
    status: int
    location: tuple[str, ...]
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} -> {self.status}: {'.'.join(self.location)}: {self.message}"


@dataclass
class ViolationLog:
    """Reads Prism's `sl-violations` header of every response an httpx client receives."""

    exchanges: list[tuple[str, str, int]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def hooks(self) -> dict[str, list[Any]]:
        """Event hooks for an `httpx.Client`."""
        return {"response": [self.record]}

    def async_hooks(self) -> dict[str, list[Any]]:
        """Event hooks for an `httpx.AsyncClient`."""

        async def record(response: httpx.Response) -> None:
            await response.aread()
            self.record(response)

        return {"response": [record]}

    def record(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append((request.method, str(request.url), response.status_code))
        raw = response.headers.get("sl-violations")
        items = json.loads(raw) if raw else []
        problem = self._prism_problem(response)
        if problem is not None:  # Prism's own error: no response of the spec fits what was wrong with the request
            details = problem.get("validation") or [
                {"location": [], "severity": "Error", "message": f"{problem.get('title')}: {problem.get('detail')}"}
            ]
            items += [{**item, "location": ["request", *item.get("location", ())]} for item in details]
        for item in items:
            self.violations.append(
                Violation(
                    method=request.method,
                    url=str(request.url),
                    status=response.status_code,
                    location=tuple(str(part) for part in item.get("location", ())),
                    severity=str(item.get("severity")),
                    message=str(item.get("message")),
                )
            )

    @staticmethod
    def _prism_problem(response: httpx.Response) -> dict[str, Any] | None:
        if response.status_code < 400 or "json" not in response.headers.get("content-type", ""):
            return None
        response.read()
        try:
            body = response.json()
        except ValueError:
            return None
        if isinstance(body, dict) and str(body.get("type", "")).startswith(PRISM_ERRORS):
            return body
        return None

    @property
    def request_errors(self) -> list[Violation]:
        """What Prism rejected in the requests the client sent."""
        return [v for v in self.violations if v.location[:1] == ("request",) and v.severity == "Error"]
