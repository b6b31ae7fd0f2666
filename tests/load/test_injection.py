"""Injection (issue 4, item 5): hostile strings in every position a spec string can reach generated code from.

Hypothesis draws one string per position from an alphabet biased to what breaks code generators: quotes, triple
quotes, backslashes, line breaks (`\\n`, `\\r`, U+2028, U+2029, U+0085), NUL, Jinja delimiters, `__import__`
payloads that touch a marker file, `../`, `#`, `:` and letters of other scripts. The spec is generated and
written in-process (`generator.pipeline.generate` + `generator.write.write`), then a fresh interpreter imports
every module of the package and calls the operation through respx. The properties:

- every generated `.py` file compiles;
- the marker file never appears (not while generating, not on import, not on a call);
- nothing is written outside the output folder;
- the call reaches the mocked transport, with the hostile enum value as its query value.

Strings stay where a spec may put them: path parameter braces are kept out of literal path segments (a `{x}`
there would be an undeclared parameter, an error by design), and operationIds get distinct suffixes (equal ones
are an error by design). Everything else is used verbatim.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.config import Config
from generator.diagnostics import SpecError
from generator.load import escape_pointer_token
from generator.model import Api, ObjectSchema
from generator.pipeline import generate
from generator.write import write

#: where the marker would appear: a payload names it by its absolute path (one per process: xdist workers and
#: concurrent runs do not see each other's)
MARKER = Path(tempfile.gettempdir()) / f"clientgen-injection-marker-{os.getpid()}"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

_TOUCH = f"__import__('pathlib').Path('{MARKER}').touch()"
TOKENS = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\\x00",
    "\\N{BULLET}",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x00",
    "\x1b[31m",
    "\t",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{ lipsum.__globals__['os'].system('touch " + str(MARKER) + "') }}",
    "{% raw %}",
    "__import__",
    _TOUCH,
    f'"""); {_TOUCH}; ("""',
    f"'); {_TOUCH}; ('",
    f"\\'); {_TOUCH} #",
    f"\n{_TOUCH}\n",
    f"\r{_TOUCH}",
    f"\u2028{_TOUCH}",
    f"\x00{_TOUCH}",
    "../",
    "../../",
    "/",
    ".",
    "#",
    ":",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!python/object/apply:os.system",
    "%",
    "%2e%2e%2f",
    "$",
    "${HOME}",
    "`",
    ";",
    "<",
    ">",
    "&",
    "?",
    "=",
    " ",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "Ⅻ",
    "中",
    "文",
    "🐍",
    "\u200b",
    "\u202e",
    "a",
    "Z",
    "_",
    "0",
    "9",
    "class",
    "None",
    "self",
]
hostile = st.lists(st.sampled_from(TOKENS), max_size=6).map("".join)

#: every place a spec string can reach generated code or file names from
POSITIONS = (
    "title",
    "version",
    "info_description",
    "server_url",
    "server_description",
    "server_variable",
    "tag",
    "tag_description",
    "path_segment",
    "operation_id",
    "summary",
    "description",
    "parameter_name",
    "parameter_description",
    "header_name",
    "enum_value",
    "default",
    "example",
    "example_name",
    "schema_name",
    "schema_title",
    "schema_description",
    "property_name",
    "property_description",
    "response_description",
    "security_scheme",
    "scope",
    "scope_description",
    "webhook_name",
    "webhook_summary",
)
payloads = st.fixed_dictionaries({position: hostile for position in POSITIONS})


def schema_ref(name: str) -> str:
    """A `$ref` to a component schema of any name: JSON pointer escapes, then URI fragment escapes."""
    return "#/components/schemas/" + quote(escape_pointer_token(name), safe="")


def literal_segment(text: str) -> str:
    """A literal path segment: braces would make it a path parameter the operation does not declare."""
    return text.replace("{", "(").replace("}", ")")


def sent_path(key: str) -> str:
    """What a client sends for a path key: no fragment (from `#` on), and of a query string (from `?` on) the
    non-empty parts (issue 16: they are sent as written)."""
    template, mark, query = key.split("#")[0].partition("?")
    parts = [part for part in query.split("&") if part]
    return f"{template}?{'&'.join(parts)}" if mark and parts else template


def hostile_spec(h: dict[str, str]) -> dict[str, Any]:
    ref = {"$ref": schema_ref(h["schema_name"])}
    path = "/items/{id}/" + literal_segment(h["path_segment"])
    return {
        "openapi": "3.1.0",
        "info": {"title": h["title"], "version": h["version"], "description": h["info_description"]},
        "servers": [
            {"url": "https://example.test/" + h["server_url"], "description": h["server_description"]},
            # the variable in the path: a "[" in a host is test_broken_input.py's server_url_invalid_host case
            {"url": "https://example.test/{region}/v1", "variables": {"region": {"default": h["server_variable"]}}},
        ],
        "tags": [{"name": h["tag"], "description": h["tag_description"]}],
        "security": [{h["security_scheme"]: [h["scope"]]}],
        "paths": {
            path: {
                "get": {
                    "operationId": h["operation_id"] + "#get",
                    "summary": h["summary"],
                    "description": h["description"],
                    "tags": [h["tag"]],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": h["parameter_description"],
                            "schema": {"type": "string", "default": h["default"], "examples": [h["example"]]},
                        },
                        {
                            "name": h["parameter_name"],
                            "in": "query",
                            "required": True,
                            "description": h["parameter_description"],
                            "schema": {"type": "string", "enum": [h["enum_value"], "plain"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": h["response_description"],
                            "content": {
                                "application/json": {
                                    "schema": ref,
                                    "examples": {h["example_name"]: {"value": {h["property_name"]: h["example"]}}},
                                }
                            },
                        },
                        "404": {"description": h["response_description"]},
                    },
                },
                "post": {
                    "operationId": h["operation_id"] + "#post",
                    "tags": [h["tag"]],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": h["header_name"], "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {
                        "201": {
                            "description": h["response_description"],
                            "content": {"application/json": {"schema": ref}},
                        }
                    },
                },
            }
        },
        "webhooks": {
            h["webhook_name"]: {
                "post": {
                    "summary": h["webhook_summary"],
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {"200": {"description": h["response_description"]}},
                }
            }
        },
        "components": {
            "securitySchemes": {
                h["security_scheme"]: {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://example.test/oauth/token",
                            "scopes": {h["scope"]: h["scope_description"]},
                        }
                    },
                }
            },
            "schemas": {
                h["schema_name"]: {
                    "title": h["schema_title"],
                    "description": h["schema_description"],
                    "type": "object",
                    "properties": {
                        h["property_name"]: {
                            "type": "string",
                            "description": h["property_description"],
                            "default": h["default"],
                            "examples": [h["example"]],
                        },
                        "kind": {
                            "type": "string",
                            "enum": [h["enum_value"], h["enum_value"] + "2", "plain"],
                            "default": h["enum_value"],
                        },
                        "type": {"type": "string", "enum": [h["enum_value"] + "3"]},
                    },
                }
            },
        },
    }


CALL = r"""
import importlib, json, pkgutil, sys
import httpx, respx
job = json.loads(sys.stdin.read())
package = importlib.import_module(job["package"])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
client = package.Client(base_url="https://example.test", access_token="t")
method = getattr(getattr(client, job["resource"]), job["method"])
with respx.mock() as mock:
    route = mock.route().mock(return_value=httpx.Response(200, json={}))
    method(**job["kwargs"])
    request = route.calls.last.request
print(json.dumps({"calls": route.call_count, "query": list(httpx.QueryParams(request.url.query).multi_items()),
                  "method": request.method, "raw_path": request.url.raw_path.decode("ascii")}))
"""


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("injection")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(h=payloads, as_json=st.booleans())
def test_hostile_strings_in_every_position(workspace: Path, h: dict[str, str], as_json: bool) -> None:
    case = Path(tempfile.mkdtemp(dir=workspace))
    spec_folder = case / "spec"
    spec_folder.mkdir()
    spec = hostile_spec(h)
    spec_path = spec_folder / ("api.json" if as_json else "api.yaml")
    if as_json:
        spec_path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    else:
        spec_path.write_text(yaml.safe_dump(spec, allow_unicode=False, sort_keys=False), encoding="utf-8")
    output = case / "out"
    around = [workspace, workspace.parent]  # "../" would land here: write and the names must stop it
    around_before = [sorted(os.listdir(folder)) for folder in around]

    try:
        result = generate(spec_path, Config())
    except SpecError as exc:  # every string here is one a spec may hold: refusing it is a bug
        pytest.fail(f"a spec with hostile strings was refused:\n{exc}")
    assert not MARKER.exists(), "generating ran a payload"
    assert_every_position_arrived(result.api, h)
    for relative in result.files:
        path = Path(relative)
        assert not path.is_absolute() and ".." not in path.parts, relative
    write(result.files, output)
    assert not MARKER.exists(), "writing ran a payload"

    # every generated file compiles, and everything written is inside the output folder
    for relative, text in result.files.items():
        if relative.endswith(".py"):
            compile(text, relative, "exec", dont_inherit=True)
    written = {p.resolve() for p in case.rglob("*") if p.is_file()}
    assert all(p.is_relative_to(output.resolve()) or p.is_relative_to(spec_folder.resolve()) for p in written)
    assert {(output / f).resolve() for f in result.files} <= written
    assert [sorted(os.listdir(folder)) for folder in around] == around_before, "a file appeared outside the output"

    # import every module and call the GET operation through respx, in a fresh interpreter
    api = result.api
    group, operation = next((g, o) for g in api.groups for o in g.operations if o.method == "GET")
    kwargs: dict[str, Any] = {}
    identifier = h["example"] if h["example"].strip(".") else h["example"] + "x"  # dot segments: see below
    for parameter in operation.parameters:
        if parameter.location == "path":
            kwargs[parameter.python_name] = identifier
        elif parameter.location == "query":
            kwargs[parameter.python_name] = h["enum_value"]
    job = {"package": api.package.name, "resource": group.attribute, "method": operation.python_name, "kwargs": kwargs}
    called = subprocess.run(
        [sys.executable, "-c", CALL],
        input=json.dumps(job),
        cwd=output,
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    assert not MARKER.exists(), "importing or calling the client ran a payload"
    assert called.returncode == 0, called.stderr[-4000:]
    outcome = json.loads(called.stdout.strip().splitlines()[-1])
    assert outcome["calls"] == 1 and outcome["method"] == "GET"
    # a "?" in the path key starts a query string whose fixed parts are sent before the call's parameters
    fixed = sent_path("/items/{id}/" + literal_segment(h["path_segment"])).partition("?")[2]
    expected_query = [[name, value] for name, value in parse_qsl(fixed, keep_blank_values=True)]
    assert outcome["query"] == [*expected_query, [h["parameter_name"], h["enum_value"]]]
    # the path parameter stays one segment of /items/: a "/" or "?" in it is escaped (unless the spec's own
    # literal part has dot segments, which every HTTP client resolves: `/items/{id}/../..` is `/`)
    if not {".", ".."} & set(literal_segment(h["path_segment"]).split("/")):
        prefix, _, rest = outcome["raw_path"].partition("/items/")
        assert prefix == "" and unquote(rest.split("/", 1)[0]) == identifier, outcome
    assert listing(output) <= set(result.files) | _parents(result.files), "the import or the call wrote files"
    shutil.rmtree(case)


def assert_every_position_arrived(api: Api, h: dict[str, str]) -> None:
    """The hostile strings reached the model (no position was dropped as unresolvable or invalid)."""
    assert api.title == h["title"]
    assert [server.url for server in api.servers] == [
        "https://example.test/" + h["server_url"],
        f"https://example.test/{h['server_variable']}/v1",
    ]
    [group] = api.groups
    assert group.name == h["tag"]
    assert (
        sorted(o.path for o in group.operations) == [sent_path("/items/{id}/" + literal_segment(h["path_segment"]))] * 2
    )
    assert {o.operation_id for o in group.operations} == {h["operation_id"] + "#get", h["operation_id"] + "#post"}
    objects = [s for s in api.schemas if isinstance(s, ObjectSchema)]
    assert any(h["property_name"] in {f.name for f in s.fields} for s in objects), api.schemas
    [scheme] = api.security_schemes
    assert (scheme.name, scheme.scopes) == (h["security_scheme"], (h["scope"],))
    [webhook] = api.webhooks
    assert webhook.name == h["webhook_name"] and webhook.type is not None


def _parents(files: dict[str, str]) -> set[str]:
    return {parent.as_posix() for f in files for parent in Path(f).parents if parent != Path(".")}


DOT_SEGMENTS = r"""
import httpx, respx, dots_client
client = dots_client.Client(base_url="https://example.test", access_token="t")
paths = []
with respx.mock() as mock:
    route = mock.route().mock(return_value=httpx.Response(200, json={}))
    for value in (".", "..", "../admin"):
        client.items.get(item_id=value)
        paths.append(route.calls.last.request.url.raw_path.decode("ascii"))
print(" ".join(paths))
"""


def test_dot_segments_in_path_parameters_stay_inside_their_segment(tmp_path: Path) -> None:
    spec = tmp_path / "dots.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo:\n  title: Dots\n  version: '1'\npaths:\n  /items/{item_id}/details:\n    get:\n"
        "      operationId: getItem\n      tags: [items]\n      parameters:\n"
        "        - {name: item_id, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n        '200':\n          description: OK\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    write(generate(spec, Config.of(package="dots_client")).files, output)
    called = subprocess.run(
        [sys.executable, "-c", DOT_SEGMENTS], cwd=output, capture_output=True, text=True, timeout=120, env=ENV
    )
    assert called.returncode == 0, called.stderr[-3000:]
    assert called.stdout.split() == ["/items/%2E/details", "/items/%2E%2E/details", "/items/..%2Fadmin/details"]
