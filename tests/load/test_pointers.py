"""JSON pointers (RFC 6901): tokens escape `~` as `~0` and `/` as `~1`, and unescape `~1` before `~0` (so `~01` is
`~1`, not `/`); `$ref`s whose pointers are written by hand, not by our escape function, resolve to what they
name; and URI fragments are percent-decoded before they are read as pointers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.load import Location, escape_pointer_token, load, unescape_pointer_token

#: the characters pointer escaping is about, and their neighbours
TRICKY = st.text(alphabet=st.sampled_from(["~", "/", "0", "1", "%", "2", "F", "a", " ", "é"]), max_size=12)


@given(TRICKY)
def test_escaping_a_token_and_unescaping_it_gives_it_back(name: str) -> None:
    assert unescape_pointer_token(escape_pointer_token(name)) == name


@pytest.mark.parametrize(
    "written, meant",
    [("~0", "~"), ("~1", "/"), ("~01", "~1"), ("~10", "/0"), ("~00", "~0"), ("a~1b~0c", "a/b~c"), ("%25", "%25")],
)
def test_tokens_written_by_hand_unescape_as_rfc_6901_says(written: str, meant: str) -> None:
    assert unescape_pointer_token(written) == meant


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("a~1b", "a~01b"),  # the classic mistake reads ~01 as "/" and finds nothing, or the wrong schema
        ("a/b", "a~1b"),
        ("til~de", "til~0de"),
        ("per%cent", "per%25cent"),  # a URI fragment: percent-decoded first
        ("sp ace", "sp%20ace"),
    ],
)
def test_a_reference_written_by_hand_resolves_to_the_schema_it_names(tmp_path: Path, name: str, fragment: str) -> None:
    decoy = {"a/b": {"type": "boolean"}, "a~1b": {"type": "integer"}} if name not in ("a/b", "a~1b") else {}
    schemas = {**decoy, name: {"type": "string", "title": "the one"}}
    if name == "a~1b":
        schemas["a/b"] = {"type": "boolean"}  # what the classic mistake would find instead
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Pointers", "version": "1"},
        "paths": {},
        "components": {"schemas": {**schemas, "Holder": {"$ref": f"#/components/schemas/{fragment}"}}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    document = load(path)
    resolved, location = document.follow({"$ref": f"#/components/schemas/{fragment}"}, Location(str(path), ""))
    assert resolved == {"type": "string", "title": "the one"}, location
