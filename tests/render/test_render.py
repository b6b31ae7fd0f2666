"""Rendering: escaping filters, annotations, and hostile spec strings that must never become code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import Config
from generator.model import AnyType, ArrayType, LiteralType, MapType, Nullable, Primitive, Ref, UnionType
from generator.pipeline import generate
from generator.render import annotation, docstring, oneline, pystr, tomlstr
from hypothesis import given, settings
from hypothesis import strategies as st
from generator.write import write

HOSTILE = [
    'a"b',
    "a'b",
    '"""; __import__("os").system("touch PWNED"); """',
    "'''",
    "back\\slash\\",
    "new\nline\r\n",
    "{{ 7*7 }} {% for x in y %}",
    "\x00null",
    "line\u2028sep\u2029para",
    "../../../etc/passwd",
    "\\N{BULLET} \\u0041",
    'ends with quote"',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_pystr_is_a_literal_of_the_same_text(text: str) -> None:
    assert ast.literal_eval(pystr(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_cannot_escape_its_quotes(text: str) -> None:
    source = f'def f() -> None:\n    """{docstring(text, 4)}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    assert isinstance(function.body[0], ast.Expr) and isinstance(function.body[0].value, ast.Constant)


@pytest.mark.parametrize("text", HOSTILE)
def test_oneline_is_one_printable_line(text: str) -> None:
    line = oneline(text)
    assert "\n" not in line and "\r" not in line and line.isprintable()


@pytest.mark.parametrize("text", HOSTILE)
def test_tomlstr_is_a_toml_string(text: str) -> None:
    import tomllib

    assert tomllib.loads(f"key = {tomlstr(text)}")["key"] == text.replace("\x00", "\x00")


def test_annotations() -> None:
    assert annotation(Primitive("decimal")) == "_decimal.Decimal"
    assert annotation(Primitive("decimal"), argument=True) == "_decimal.Decimal | str"
    assert annotation(ArrayType(Ref("Order"))) == "_t.List[_models.Order]"
    assert annotation(ArrayType(Ref("Order")), "models") == "_t.List[Order]"
    assert annotation(ArrayType(Primitive("int")), argument=True) == "_t.Sequence[int]"
    assert annotation(MapType(AnyType())) == "_t.Dict[str, _t.Any]"
    assert annotation(Nullable(Nullable(Primitive("str")))) == "str | None"
    assert annotation(UnionType((Ref("A"), Ref("BinaryContent")))) == "_models.A | _content.BinaryContent"
    # each value a literal black keeps: double quotes, unless the text holds one
    assert annotation(LiteralType(("a'b", "c"))) == '_t.Literal["a\'b", "c"]'
    assert annotation(LiteralType(('say "hi"',))) == "_t.Literal['say \"hi\"']"
    assert annotation(None) == "_content.NoContent"


def hostile_spec(payload: str, marker: Path) -> dict[str, Any]:
    """A spec with `payload` in every position a spec string can reach generated code from."""
    attack = payload.replace("MARKER", str(marker))
    return {
        "openapi": "3.0.3",
        "info": {"title": attack, "version": attack, "description": attack},
        "servers": [{"url": f"https://example.test/{attack}", "description": attack}],
        "tags": [{"name": attack, "description": attack}],
        "paths": {
            "/items/{id}/"
            + attack.replace("{", "(").replace("}", ")"): {
                "post": {
                    "operationId": attack,
                    "summary": attack,
                    "description": attack,
                    "tags": [attack],
                    "security": [{attack: [attack]}],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": attack,
                            "schema": {"type": "string", "default": attack, "example": attack},
                        },
                        {"name": attack, "in": "query", "schema": {"type": "string"}},
                        {"name": attack + "q", "in": "query", "schema": {"type": "string", "enum": [attack, "x"]}},
                        {"name": attack + "h", "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {
                        "200": {
                            "description": attack,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                attack: {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {"tokenUrl": f"https://example.test/{attack}", "scopes": {attack: attack}}
                    },
                }
            },
            "schemas": {
                "Thing": {
                    "title": attack,
                    "description": attack,
                    "type": "object",
                    "properties": {
                        attack: {"type": "string", "description": attack, "default": attack, "example": attack},
                        "kind": {"type": "string", "enum": [attack, attack + "2", "plain"], "description": attack},
                        "level": {"type": "integer", "enum": [1, 2]},
                    },
                },
                attack: {"type": "object", "properties": {"x": {"type": "string"}}},
            },
        },
    }


PAYLOADS = [
    '"""); __import__("pathlib").Path("MARKER").touch(); ("""',
    "'); __import__('pathlib').Path('MARKER').touch(); ('",
    "\\\"); __import__('pathlib').Path('MARKER').touch() #",
    "x\n__import__('pathlib').Path('MARKER').touch()\n",
    "x\u2028__import__('pathlib').Path('MARKER').touch()",
    "{{ __import__('pathlib').Path('MARKER').touch() }}{% raw %}",
    "../../MARKER",
    "\x00\x1b[31m",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_strings_never_run(payload: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    spec_path = tmp_path / "spec" / "hostile.yaml"
    spec_path.parent.mkdir()
    spec_path.write_text(yaml.safe_dump(hostile_spec(payload, marker)), encoding="utf-8")
    result = generate(spec_path, Config.of(package="hostile_client"))
    out = tmp_path / "out"
    write(result.files, out)
    written = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.is_relative_to(out.resolve()) or p.is_relative_to(spec_path.parent.resolve()) for p in written)
    for path, text in result.files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    script = (
        "import importlib, pkgutil, hostile_client as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'hostile_client.'): importlib.import_module(m.name)\n"
        "import respx, httpx\n"
        "c = p.Client(base_url='https://example.test', access_token='t')\n"
        "resource = next(getattr(c, n) for n in dir(c) if not n.startswith('_') and type(getattr(c, n)).__module__.startswith('hostile_client.resources'))\n"
        "method = next(getattr(resource, n) for n in dir(resource) if not n.startswith('_') and not n.startswith('with_'))\n"
        "import inspect\n"
        "kwargs = {n: 'v' for n, prm in inspect.signature(method).parameters.items() if prm.default is inspect.Parameter.empty}\n"
        "with respx.mock(assert_all_called=False) as mock:\n"
        "    mock.route().mock(return_value=httpx.Response(200, json={}))\n"
        "    method(**kwargs)\n"
        "print('called')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "called" in run.stdout
    assert not marker.exists()


def test_a_hostile_jwks_path_stays_inside_its_docstring(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = f'/keys"""\n__import__("pathlib").Path({str(marker)!r}).touch()\n"""'
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Keys", "version": "1"},
        "paths": {
            path: {
                "get": {
                    "operationId": "get_keys",
                    "responses": {
                        "200": {
                            "description": "JWKS",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "keys": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "properties": {
                                                        "kty": {"type": "string"},
                                                        "kid": {"type": "string"},
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "x-webhooks": {
            "thing": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"type": {"type": "string"}}}
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    spec_path = tmp_path / "keys.yaml"
    spec_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = generate(spec_path, Config.of(package="keys_client"))
    assert result.api.auth.jwks_path == path
    for name, text in result.files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")
    out = tmp_path / "out"
    write(result.files, out)
    run = subprocess.run([sys.executable, "-c", "import keys_client.webhooks"], cwd=out, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()


@settings(max_examples=500, deadline=None)
@given(text=st.text())
def test_pystr_quotes_are_the_ones_black_chooses(text: str) -> None:
    from black.strings import normalize_string_quotes

    assert pystr(text) == normalize_string_quotes(repr(text))
    assert eval(pystr(text)) == text  # noqa: S307 - a literal we made
