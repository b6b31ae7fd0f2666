"""The parts of `generator/load.py` that the load tests reached only through the diff, the samples or a clientgen
subprocess: where operations are, following `$ref` chains, line lookups in JSON, downloads past the size limit,
encodings, keys met twice in JSON, YAML errors with their lines and columns. Each test pins a behaviour whose
one-line bug (a flipped comparison, an index moved by one, an error not raised) no other in-process test caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, SpecError
from generator.load import (
    Document,
    JsonLines,
    Location,
    RefError,
    _json_line_map,
    _line_map,
    load,
    load_text,
    parse_spec_bytes,
)
from test_load import loopback_server  # noqa: F401 - fixture
from test_load import only_error, write

# -- where operations are ---------------------------------------------------------------------------------


OPERATIONS = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    summary: not an operation
    get: {responses: {"200": {description: ok}}}
    post: {responses: {"200": {description: ok}}}
  "/b#frag":
    $ref: "items.yaml#/B"
  /c:
    $ref: "#/components/pathItems/C"
  /d: 3
  "/e#x":
    get: {responses: {"200": {description: ok}}}
  /e:
    get: {responses: {"200": {description: ok}}}
components:
  pathItems:
    C:
      put: {responses: {"200": {description: ok}}}
"""


@pytest.fixture
def operations_document(tmp_path: Path) -> Document:
    write(tmp_path / "items.yaml", "B:\n  delete:\n    responses: {'200': {description: ok}}\n  parameters: []\n")
    return load(write(tmp_path / "api.yaml", OPERATIONS))


def test_operations_are_found_through_path_item_refs_and_by_their_path_without_a_fragment(
    operations_document: Document, tmp_path: Path
) -> None:
    document = operations_document
    main, items = document.main, str((tmp_path / "items.yaml").resolve())
    assert document.operations() == {
        ("GET", "/a"): Location(main, "/paths/~1a/get"),
        ("POST", "/a"): Location(main, "/paths/~1a/post"),
        ("DELETE", "/b#frag"): Location(items, "/B/delete"),
        ("DELETE", "/b"): Location(items, "/B/delete"),
        ("PUT", "/c"): Location(main, "/components/pathItems/C/put"),
        ("GET", "/e#x"): Location(main, "/paths/~1e#x/get"),
        ("GET", "/e"): Location(main, "/paths/~1e/get"),  # its own, not the one with a fragment met first
    }
    assert document.operations() is document.operations()  # worked out once


def test_locate_finds_an_operation_by_its_pointer_then_by_its_path(operations_document: Document) -> None:
    document = operations_document
    assert document.locate("GET", "/paths/~1a/get", "/a") == Location(document.main, "/paths/~1a/get")
    assert document.locate("DELETE", "/paths/~1b#frag/delete", "/b#frag").pointer == "/B/delete"
    # the model's pointer names no key of `paths`: found by its path
    assert document.locate("PUT", "/components/pathItems/C/put", "/c").pointer == "/components/pathItems/C/put"
    assert document.locate("PUT", "/paths/elsewhere/put", "/c").pointer == "/components/pathItems/C/put"
    assert document.locate("GET", "/paths/~1a/get/extra", "/e") == Location(document.main, "/paths/~1e/get")
    # nowhere: the pointer as given
    assert document.locate("PATCH", "/paths/~1zz/patch", "/zz") == Location(document.main, "/paths/~1zz/patch")


# -- references -------------------------------------------------------------------------------------------


def _chain(length: int) -> dict[str, Any]:
    """A spec whose schema S0 refers to S1, ... to S<length>, which is a real schema."""
    schemas: dict[str, Any] = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(length)}
    schemas[f"S{length}"] = {"type": "string"}
    return {"openapi": "3.1.0", "components": {"schemas": schemas}}


@pytest.mark.parametrize("length, followed", [(64, True), (65, False)])
def test_a_chain_of_64_refs_is_followed_and_a_longer_one_is_not(length: int, followed: bool) -> None:
    document = load_text(json.dumps(_chain(length)), "chain.json")
    start = Location(document.main, "/components/schemas/S0")
    node, location = document.follow({"$ref": "#/components/schemas/S1"}, start)
    if followed:
        assert (node, location.pointer) == ({"type": "string"}, f"/components/schemas/S{length}")
    else:
        assert node == {}


def test_follow_gives_an_empty_node_for_a_cycle_and_for_a_dangling_ref() -> None:
    tree = {
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}
    }
    document = load_text(json.dumps(tree), "cycle.json")
    here = Location(document.main, "/x")
    assert document.follow({"$ref": "#/components/schemas/A"}, here)[0] == {}
    assert document.follow({"$ref": "#/components/schemas/Nope"}, here) == ({}, here)
    assert document.follow({"type": "string"}, here) == ({"type": "string"}, here)


def test_a_ref_that_is_not_a_string_or_whose_fragment_is_no_pointer_is_a_ref_error() -> None:
    document = load_text('{"components": {"schemas": {"A": {}}}}', "refs.json")
    with pytest.raises(RefError, match="must be a string, not int"):
        document.resolve(3, document.main)  # type: ignore[arg-type]
    with pytest.raises(RefError, match="not a JSON pointer"):
        document.resolve("#components/schemas/A", document.main)


def test_an_index_past_the_end_of_a_list_does_not_exist() -> None:
    document = load_text('{"list": [{"a": 1}]}', "list.json")
    assert document.resolve("#/list/0", document.main)[1] == {"a": 1}
    with pytest.raises(RefError, match="does not exist"):
        document.resolve("#/list/1", document.main)


def test_resolved_locations_and_texts_list_what_was_read(tmp_path: Path) -> None:
    write(tmp_path / "other.yaml", "Thing:\n  type: string\n")
    document = load(write(tmp_path / "api.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"))
    location, _ = document.resolve("other.yaml#/Thing", document.main)
    assert document.resolved_locations() == [location]
    assert document.texts() == ["openapi: 3.1.0\ninfo: {title: t, version: '1'}\n", "Thing:\n  type: string\n"]


def test_a_document_made_without_saying_follows_no_remote_ref() -> None:
    document = Document(path=Path("api.yaml").resolve(), root={})
    with pytest.raises(RefError, match="is not followed") as raised:
        document.resolve("http://127.0.0.1:9/x.yaml#/A", document.main)
    assert raised.value.code == "ref-remote"


def test_a_two_letter_scheme_is_unsupported_and_a_one_letter_one_is_a_drive(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", "openapi: 3.1.0\n"))
    with pytest.raises(RefError, match="unsupported scheme 'ab'"):
        document.resolve("ab:thing.yaml#/A", document.main)
    write(tmp_path / "c:thing.yaml", "A: {type: string}\n")  # `c:` read as a Windows drive: a path here
    assert document.resolve("c:thing.yaml#/A", document.main)[1] == {"type": "string"}


def test_a_download_of_the_size_limit_is_read_and_one_past_it_refused(
    tmp_path: Path, loopback_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    import generator.load as load_module

    monkeypatch.setattr(load_module, "MAX_REMOTE_BYTES", 2 * 1024 * 1024)
    base, served = loopback_server
    body = "A: {type: string}\n"
    exact = body + "#" * (2 * 1024 * 1024 - len(body) - 1) + "\n"
    write(served / "exact.yaml", exact)
    write(served / "over.yaml", exact + "\n")
    document = load(write(tmp_path / "api.yaml", "openapi: 3.1.0\n"), allow_remote_refs=True)
    assert document.resolve(f"{base}/exact.yaml#/A", document.main)[1] == {"type": "string"}
    with pytest.raises(RefError, match="over.yaml' is larger than 2 MB") as raised:
        document.resolve(f"{base}/over.yaml#/A", document.main)
    assert raised.value.code == "ref-remote"


# -- lines ------------------------------------------------------------------------------------------------


def test_json_line_lookups_fall_back_to_the_nearest_existing_parent(tmp_path: Path) -> None:
    text = '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": {\n      "get": {}\n    }\n  }\n}\n'
    document = load(write(tmp_path / "api.json", text))
    assert document.line(document.main, "/paths/~1a/get/responses/200") == 5
    assert document.line(document.main, "/paths/~1b") == 3
    assert document.line(document.main, "/nope") == 1


def test_json_lines_of_compact_text_and_of_text_after_a_blank_line() -> None:
    compact = JsonLines('{"a":{"b":1},"c":[1,{"d":2}]}')
    assert [compact.line(p) for p in ("/a/b", "/c/1/d", "/c/0")] == [1, 1, 1]
    spaced = JsonLines('\n\n{"a": 1,\n "b": {"c": 2}}')
    assert [spaced.line(p) for p in ("", "/a", "/b/c")] == [3, 3, 4]


@pytest.mark.parametrize("text", ["{a: 1, b: 2}", '{"a" 1, "b": 2}', '{"a": 1 "b": 2}'])
def test_json_lines_of_text_that_is_not_json_after_all_are_none(text: str) -> None:
    assert JsonLines(text).line("/b") is None


def test_the_json_line_map_has_every_member_and_item() -> None:
    text = '{\n "a": [\n  1,\n  {"b": 2},\n  [3,\n   4]\n ],\n "c": {},\n "d": "x"\n}'
    assert _json_line_map(text) == {
        "": 1,
        "/a": 2,
        "/a/0": 3,
        "/a/1": 4,
        "/a/1/b": 4,
        "/a/2": 5,
        "/a/2/0": 5,
        "/a/2/1": 6,
        "/c": 8,
        "/d": 9,
    }
    assert _json_line_map("{a: 2}") == {}  # a key that is not JSON: no map


def test_the_line_map_of_nothing_of_broken_yaml_and_of_a_comment_is_empty() -> None:
    assert _line_map("") == {}
    assert _line_map("a: [unclosed\n") == {}
    assert _line_map("# a comment only\n") == {}
    assert _line_map('{"a": 1}') == {"": 1, "/a": 1}
    assert _line_map("a:\n  b: 1\n") == {"": 1, "/a": 1, "/a/b": 2}


def test_line_lookups_of_a_swagger2_spec_are_in_the_file_as_written(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "swagger.yaml",
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\ndefinitions:\n  Pet:\n    type: object\n',
    )
    document = load(spec)
    assert document.line(document.main, "/components/schemas/Pet") == 5


def test_load_text_reads_yaml_and_json() -> None:
    assert load_text("a: 1\n").root == {"a": 1}
    document = load_text('{"a": [1]}', "x.json")
    assert document.root == {"a": [1]} and document.files[document.main] == {"a": [1]}


# -- bytes, encodings and syntax --------------------------------------------------------------------------


def test_a_byte_order_mark_the_text_does_not_follow_is_an_encoding_error() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"\xff\xfe" + b"\x00\xd8", "x.yaml", "x.yaml")  # UTF-16: a lone surrogate
    error = only_error(excinfo)
    assert (error.code, error.message.startswith("the file is not UTF-16 text")) == ("file-encoding", True)


def test_text_that_is_not_utf8_names_its_line() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\nb: 2\nc: \xff\n", "x.yaml", "x.yaml")
    error = only_error(excinfo)
    assert (error.code, error.line) == ("file-encoding", 3)
    assert "(byte 13)" in error.message


def test_only_the_first_8192_bytes_are_looked_at_for_binary_content() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\n" + b"#" * 8186 + b"\n\x00", "x.yaml", "x.yaml")  # the NUL is byte 8192
    assert only_error(excinfo).code == "syntax"  # read as text: YAML refuses the NUL, with its line
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\n" + b"#" * 8185 + b"\n\x00", "x.yaml", "x.yaml")  # byte 8191
    assert only_error(excinfo).code == "file-binary"


def test_a_character_yaml_does_not_allow_names_its_line() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\nb: 2\nc: \x1b\n", "x.yaml", "x.yaml")
    error = only_error(excinfo)
    assert (error.code, error.line) == ("syntax", 3)
    assert error.message == "invalid YAML: character '\\x1b' is not allowed (position 13)"


def test_a_yaml_syntax_error_names_its_line_and_column() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\nb: [2\n", "x.yaml", "x.yaml")
    error = only_error(excinfo)
    assert error.line == 3 and error.message.endswith("(column 1)"), error


def test_a_json_file_not_starting_with_a_brace_is_still_read_as_json() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"[1, 2", "x.json", "x.json")
    assert only_error(excinfo).message.startswith("invalid JSON:")
    assert parse_spec_bytes(b"  [1, 2]", "x.json", "x.json")[1] == [1, 2]


def test_json_keys_met_twice_are_warned_of_with_their_lines() -> None:
    found: list[Diagnostic] = []
    text = '{\n  "a": 1,\n  "b": {"c": 1, "c": 2},\n  "a": 3\n}\n'
    _, tree, _ = parse_spec_bytes(text.encode(), "x.json", "x.json", found)
    assert tree == {"a": 3, "b": {"c": 2}}
    assert sorted((d.pointer, d.line, d.message.split(":")[0]) for d in found) == [
        ("/a", 4, "key 'a' appears twice in one mapping (lines 2 and 4)"),
        ("/b/c", 3, "key 'c' appears twice in one mapping (both on line 3)"),
    ]
    assert parse_spec_bytes(text.encode(), "x.json", "x.json")[1] == tree  # nobody asking: no warning, no error


def test_a_key_that_cannot_be_a_key_is_a_yaml_error_with_its_line() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"a: 1\n? [x, y]\n: 2\n", "x.yaml", "x.yaml")
    error = only_error(excinfo)
    assert error.code == "syntax" and "unhashable" in error.message and error.line == 2


def test_yaml_keys_met_twice_name_the_lines_of_both() -> None:
    found: list[Diagnostic] = []
    parse_spec_bytes(b"x: 0\na: 1\nb: 2\na: 3\n", "x.yaml", "x.yaml", found)
    assert [(d.pointer, d.line) for d in found] == [("/a", 4)]
    assert "(lines 2 and 4)" in found[0].message


def test_a_yaml_line_lookup_past_the_end_of_a_list_is_the_lists_line(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", "openapi: 3.1.0\nlist:\n  - a\n  - b\n"))
    assert [document.line(document.main, f"/list/{i}") for i in range(3)] == [3, 4, 2]


EXPANDING = "a: &a [1, 2]\nb: [*a, *a, *a]\n"  # 14 nodes (the root, a's 3, b's 1 + 3 x 3) from 3 objects


@pytest.mark.parametrize("floor, refused", [(14, False), (13, True)])
def test_yaml_that_expands_past_the_limit_is_refused_naming_the_shared_value(
    monkeypatch: pytest.MonkeyPatch, floor: int, refused: bool
) -> None:
    import generator.load as load_module

    monkeypatch.setattr(load_module, "EXPANSION_FLOOR", floor)
    monkeypatch.setattr(load_module, "EXPANSION_FACTOR", 1)
    if not refused:
        assert parse_spec_bytes(EXPANDING.encode(), "x.yaml", "x.yaml")[1] == {"a": [1, 2], "b": [[1, 2]] * 3}
        return
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(EXPANDING.encode(), "x.yaml", "x.yaml")
    error = only_error(excinfo)
    assert error.message.startswith("YAML aliases expand this document to 14 nodes (more than 13)")
    assert (error.code, error.pointer, error.line) == ("yaml-expansion", "/b/0", 1)  # where the value is written


def test_locate_prefers_the_operation_its_pointer_names_over_one_of_the_same_path(
    operations_document: Document,
) -> None:
    document = operations_document
    assert document.locate("GET", "/paths/~1e#x/get", "/e") == Location(document.main, "/paths/~1e#x/get")


def test_line_lookups_of_text_that_only_looks_like_json_are_made_as_yaml() -> None:
    import yaml

    text = "{a: {b: 1},\n c: [2, 3]}\n"  # a YAML flow mapping, read as a downloaded file is: no nodes kept
    document = Document(path=Path("flow.yaml").resolve(), root=yaml.safe_load(text))
    document.files[document.main], document._texts[document.main] = document.root, text
    assert document.line(document.main, "/a/b/missing") == 1
    assert document.line(document.main, "/c/1") == 2
    assert document.line(document.main, "/c/9/x") == 2


def test_a_members_line_is_its_keys_when_its_value_starts_below() -> None:
    assert JsonLines('{"a":\n  {"b": 1}}').line("/a") == 1


def test_lines_count_from_the_start_of_a_text_that_starts_with_a_newline() -> None:
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"\na: 1\nc: \xff\n", "x.yaml", "x.yaml")
    assert only_error(excinfo).line == 3
    with pytest.raises(SpecError) as excinfo:
        parse_spec_bytes(b"\na: \x1b\n", "x.yaml", "x.yaml")
    assert only_error(excinfo).line == 2
    found: list[Diagnostic] = []
    parse_spec_bytes(b'\n{\n  "a": 1,\n  "a": 2\n}\n', "x.json", "x.json", found)
    assert [(d.line, d.message.split(":")[0]) for d in found] == [
        (4, "key 'a' appears twice in one mapping (lines 3 and 4)")
    ]


def test_a_json_key_met_twice_laid_out_unlike_the_first_names_the_first_line_only() -> None:
    found: list[Diagnostic] = []
    parse_spec_bytes(b'{"a": 1,\n    "a": 2}\n', "x.json", "x.json", found)
    assert [(d.line, d.message.split(":")[0]) for d in found] == [
        (1, "key 'a' appears twice in one mapping (first on line 1)")
    ]
