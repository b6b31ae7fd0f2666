"""What the broken fixtures must give, and the command line as users run it: shared by the tests of several
stages (validate, cli, diff, report)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

TIMEOUT = 600

RESPONSE_SCHEMA_REF = "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"


class Expected(NamedTuple):
    code: str
    pointer: str
    #: the text on the line the diagnostic must point at; None when the error has no line
    line_text: str | None


#: every file in fixtures/broken, with the one error it must give
EXPECTED: dict[str, Expected] = {
    "yaml_syntax_error.yaml": Expected("syntax", "", "       responses:"),
    "invalid_json.json": Expected("syntax", "", '"version": 1.0.0'),
    "empty.yaml": Expected("file-empty", "", None),
    "unsafe_yaml_tag.yaml": Expected("syntax", "", "!!python/object/apply:os.system"),
    "top_level_list.yaml": Expected("not-a-mapping", "", "- openapi: 3.0.3"),
    "missing_openapi.yaml": Expected("missing-openapi", "", "info:"),
    "unsupported_version.yaml": Expected("unsupported-version", "/openapi", 'openapi: "2.5.0"'),
    "swagger12.yaml": Expected("unsupported-version", "/swagger", 'swagger: "1.2"'),
    "missing_info.yaml": Expected("missing-info", "", "openapi: 3.0.3"),
    "missing_paths.yaml": Expected("missing-paths", "", "openapi: 3.0.3"),
    "dangling_local_ref.yaml": Expected("ref-unresolvable", RESPONSE_SCHEMA_REF, "#/components/schemas/Nope"),
    "dangling_file_ref.yaml": Expected("ref-unresolvable", RESPONSE_SCHEMA_REF, "other.yaml#/Pet"),
    "remote_ref.yaml": Expected("ref-remote", RESPONSE_SCHEMA_REF, "https://example.com/x.yaml"),
    "ref_outside_folder.yaml": Expected("ref-outside", RESPONSE_SCHEMA_REF, "../multifile/schemas/pet.yaml"),
    "duplicate_operation_id.yaml": Expected(
        "duplicate-operation-id", "/paths/~1owners/get/operationId", "operationId: listThings"
    ),
}


def expected_line(path: Path, line_text: str | None) -> int | None:
    """The 1-based line of `path` holding `line_text` (its last occurrence, for repeated text)."""
    if line_text is None:
        return None
    hits = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line_text in text]
    assert hits, f"{line_text!r} not in {path}"
    return hits[-1]


#: one error line of the text report: FILE[:LINE]: error: MESSAGE [at #POINTER] (CODE)
ERROR_LINE = re.compile(
    r"^(?P<file>.+?)(?::(?P<line>\d+))?: error: (?P<message>.*) \[at #(?P<pointer>/[^\]]*)\] \((?P<code>[\w-]+)\)$"
)


def clientgen(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line in a subprocess, as users run it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
