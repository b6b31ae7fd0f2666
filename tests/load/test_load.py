"""load(): reading YAML and JSON specs, `$ref` resolution across files, line lookup and unreadable input."""

from __future__ import annotations

import http.server
import json
import random
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import FIXTURES, UPVEST_SPEC
from generator.diagnostics import Diagnostic, SpecError
from generator.load import Document, Location, RefError, _line_map, _may_hold_anchor, escape_pointer_token, load

BROKEN = FIXTURES / "broken"
MULTIFILE = FIXTURES / "multifile"

SMALL_YAML = """\
openapi: 3.0.3
info:
  title: Small
  version: "1.0"
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: integer
        - name: verbose
          in: query
          schema:
            type: boolean
      responses:
        "200":
          description: OK
components:
  schemas:
    "a/b~c":
      type: string
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only_error(excinfo: pytest.ExceptionInfo[SpecError]) -> Diagnostic:
    errors = excinfo.value.errors
    assert len(errors) == 1, errors
    return errors[0]


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the only line of `path` containing `needle`."""
    hits = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


# -- YAML and JSON ----------------------------------------------------------------------------------


def test_load_yaml(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", SMALL_YAML)
    document = load(spec)
    assert isinstance(document, Document)
    assert document.path == spec.resolve()
    assert document.main == str(spec.resolve())
    assert document.root["openapi"] == "3.0.3"  # a string, not a float
    assert document.root["info"] == {"title": "Small", "version": "1.0"}
    assert list(document.root["paths"]) == ["/pets/{petId}"]
    assert document.files[document.main] is document.root


def test_load_json(tmp_path: Path) -> None:
    tree = {"openapi": "3.1.0", "info": {"title": "J", "version": "2"}, "paths": {"/a": {}}}
    spec = write(tmp_path / "api.json", json.dumps(tree, indent=2))
    document = load(spec)
    assert document.root == tree


def test_load_accepts_str_path_and_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "api.yaml", SMALL_YAML)
    monkeypatch.chdir(tmp_path)
    document = load("api.yaml")
    assert document.path == (tmp_path / "api.yaml").resolve()
    assert document.path.is_absolute()


def test_yaml_flow_mapping_starting_with_brace_is_read_as_yaml(tmp_path: Path) -> None:
    spec = write(tmp_path / "flow.yaml", "{openapi: 3.0.3, info: {title: F, version: '1'}, paths: {}}\n")
    assert load(spec).root == {"openapi": "3.0.3", "info": {"title": "F", "version": "1"}, "paths": {}}


def test_json_with_escaped_surrogate_pairs(tmp_path: Path) -> None:
    # written with ASCII escapes only: the file holds the six-character sequences \ud83d\udc4d
    text = (
        '{"openapi": "3.0.3",\n'
        ' "info": {"title": "Thumbs \\ud83d\\udc4d", "version": "1"},\n'
        ' "paths": {"/\\ud83d\\udc4d": {}}}\n'
    )
    assert "\\ud83d\\udc4d" in text and text.isascii()
    spec = write(tmp_path / "emoji.json", text)
    document = load(spec)
    assert document.root["info"]["title"] == "Thumbs \N{THUMBS UP SIGN}"
    assert list(document.root["paths"]) == ["/\N{THUMBS UP SIGN}"]
    # no lone surrogates anywhere: the pair became one character
    assert document.root["info"]["title"].encode("utf-8")


@pytest.mark.parametrize("where", ["enum", "key"])
def test_a_lone_surrogate_is_refused_with_its_pointer_and_line(tmp_path: Path, where: str) -> None:
    """JSON lets `\\ud800` stand alone; no UTF-8 text (a request body, a generated module) can carry it."""
    bad = '"bad \\ud800"'
    schema = f'{{"type": "string", "enum": ["pair \\ud83d\\udc4d", "\\\\ud800 is text", {bad}]}}'
    if where == "key":
        schema = f'{{"type": "object", "properties": {{{bad}: {{"type": "string"}}}}}}'
    text = (
        '{"openapi": "3.0.3", "info": {"title": "S", "version": "1"},\n'
        ' "paths": {},\n'
        f' "components": {{"schemas": {{"S": {schema}}}}}}}\n'
    )
    with pytest.raises(SpecError) as caught:
        load(write(tmp_path / "s.json", text))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "invalid-unicode" and diagnostic.line == 3
    expected = "/components/schemas/S/enum/2" if where == "enum" else "/components/schemas/S/properties/bad \ud800"
    assert diagnostic.pointer == expected


def test_surrogate_pairs_and_escaped_backslashes_are_no_lone_surrogates(tmp_path: Path) -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "\\ud83d\\udc4d \\\\ud800", "version": "1"}, "paths": {}}'
    assert load(write(tmp_path / "ok.json", text)).root["info"]["title"] == "\N{THUMBS UP SIGN} \\ud800"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path: Path, encoding: str, suffix: str) -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "Caf\u00e9 \u2615", "version": "1"}, "paths": {}}\n'
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}.get(encoding, "")
    spec = tmp_path / f"wide{suffix}"
    spec.write_bytes((bom + text).encode(encoding))
    assert load(spec).root["info"]["title"] == "Caf\u00e9 \u2615"


def test_utf16_without_a_byte_order_mark_says_what_is_needed(tmp_path: Path) -> None:
    spec = tmp_path / "wide.yaml"
    spec.write_bytes("openapi: 3.0.3\n".encode("utf-16-le"))
    with pytest.raises(SpecError, match="needs a byte order mark"):
        load(spec)


def test_a_pipe_or_a_device_as_the_spec_is_refused_at_once(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(SpecError, match="not a regular file"):
            load(path)  # a FIFO blocked on its read, /dev/zero read until MemoryError


def test_json_with_byte_order_mark(tmp_path: Path) -> None:
    spec = tmp_path / "bom.json"
    spec.write_bytes(b"\xef\xbb\xbf" + b'{"openapi": "3.0.3", "info": {"title": "B", "version": "1"}, "paths": {}}')
    assert load(spec).root["info"]["title"] == "B"


def test_utf8_yaml_text(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", SMALL_YAML.replace("title: Small", "title: Café – 👍"))
    assert load(spec).root["info"]["title"] == "Café – 👍"


# -- references ---------------------------------------------------------------------------------------


def test_relative_file_refs_resolve() -> None:
    document = load(MULTIFILE / "main.yaml")
    location, pet = document.resolve("schemas/pet.yaml#/Pet", document.main)
    pet_file = str((MULTIFILE / "schemas" / "pet.yaml").resolve())
    assert location == Location(pet_file, "/Pet")
    assert pet["required"] == ["id", "name"]
    assert pet["properties"]["owner"] == {"$ref": "owner.yaml#/Owner"}
    assert pet_file in document.files

    # a ref inside pet.yaml is relative to pet.yaml, not to main.yaml
    owner_location, owner = document.resolve(pet["properties"]["owner"]["$ref"], location.file)
    assert owner_location == Location(str((MULTIFILE / "schemas" / "owner.yaml").resolve()), "/Owner")
    # and back: the cycle Pet -> Owner -> Pet ends at the same node
    back_location, back = document.resolve(owner["properties"]["pets"]["items"]["$ref"], owner_location.file)
    assert back_location == location
    assert back is pet


def test_relative_file_ref_without_fragment_is_the_whole_file() -> None:
    document = load(MULTIFILE / "main.yaml")
    location, parameter = document.resolve("parameters/pet_id.yaml", document.main)
    assert location == Location(str((MULTIFILE / "parameters" / "pet_id.yaml").resolve()), "")
    assert parameter["name"] == "petId" and parameter["in"] == "path"


def test_local_ref_and_escaped_pointer_tokens(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    location, node = document.resolve("#/components/schemas/a~1b~0c", document.main)
    assert location == Location(document.main, "/components/schemas/a~1b~0c")
    assert node == {"type": "string"}
    _, parameter = document.resolve("#/paths/~1pets~1%7BpetId%7D/get/parameters/1", document.main)
    assert parameter["name"] == "verbose"


@pytest.mark.parametrize(
    "ref",
    ["#/components/schemas/Nope", "#/paths/~1pets~1{petId}/get/parameters/7", "#/info/title/deeper"],
)
def test_dangling_local_ref_raises(tmp_path: Path, ref: str) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError) as excinfo:
        document.resolve(ref, document.main)
    assert excinfo.value.code == "ref-unresolvable"


def test_ref_fragment_must_be_a_pointer(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError):
        document.resolve("#components/schemas", document.main)


def test_missing_ref_file_raises(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError) as excinfo:
        document.resolve("other.yaml#/Pet", document.main)
    assert excinfo.value.code == "ref-unresolvable"
    assert "other.yaml" in str(excinfo.value)


def _outside_layout(tmp_path: Path) -> Path:
    write(tmp_path / "shared" / "pet.yaml", "Pet:\n  type: object\n")
    return write(tmp_path / "spec" / "api.yaml", SMALL_YAML)


@pytest.mark.parametrize(
    "ref",
    [
        "../shared/pet.yaml#/Pet",
        "sub/../../shared/pet.yaml#/Pet",
        "{shared}/pet.yaml#/Pet",  # absolute path
        "file://{shared}/pet.yaml#/Pet",
    ],
)
def test_refs_outside_the_spec_folder_are_refused(tmp_path: Path, ref: str) -> None:
    spec = _outside_layout(tmp_path)
    ref = ref.format(shared=(tmp_path / "shared").resolve().as_posix())
    document = load(spec)
    with pytest.raises(RefError) as excinfo:
        document.resolve(ref, document.main)
    assert excinfo.value.code == "ref-outside"
    assert not any("shared" in key for key in document.files), "the outside file must not even be read"


def test_absolute_ref_to_system_file_is_refused(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError) as excinfo:
        document.resolve("/etc/passwd", document.main)
    assert excinfo.value.code == "ref-outside"


def test_symlink_escaping_the_spec_folder_is_refused(tmp_path: Path) -> None:
    spec = _outside_layout(tmp_path)
    (tmp_path / "spec" / "link.yaml").symlink_to(tmp_path / "shared" / "pet.yaml")
    document = load(spec)
    with pytest.raises(RefError) as excinfo:
        document.resolve("link.yaml#/Pet", document.main)
    assert excinfo.value.code == "ref-outside"


def test_refs_outside_the_spec_folder_followed_when_allowed(tmp_path: Path) -> None:
    spec = _outside_layout(tmp_path)
    document = load(spec, allow_remote_refs=True)
    location, node = document.resolve("../shared/pet.yaml#/Pet", document.main)
    assert node == {"type": "object"}
    assert location == Location(str((tmp_path / "shared" / "pet.yaml").resolve()), "/Pet")


@pytest.mark.parametrize(
    "ref",
    ["https://example.com/x.yaml", "http://example.com/schemas.yaml#/Pet", "HTTPS://EXAMPLE.COM/x.yaml"],
)
def test_remote_http_refs_are_refused(tmp_path: Path, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("load() must not open network connections")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError) as excinfo:
        document.resolve(ref, document.main)
    assert excinfo.value.code == "ref-remote"


def test_unsupported_ref_scheme_is_refused(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", SMALL_YAML))
    with pytest.raises(RefError) as excinfo:
        document.resolve("ftp://example.com/x.yaml", document.main)
    assert excinfo.value.code == "ref-remote"


@pytest.fixture
def loopback_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving a folder (nothing leaves the machine): its base URL and the folder."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    served = tmp_path / "served"
    served.mkdir()
    directory = str(served)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_remote_refs_followed_when_allowed(tmp_path: Path, loopback_server: tuple[str, Path]) -> None:
    base, served = loopback_server
    write(
        served / "schemas" / "pet.yaml",
        "Pet:\n  type: object\n  properties:\n    owner:\n      $ref: 'owner.yaml#/Owner'\n",
    )
    write(served / "schemas" / "owner.yaml", "Owner:\n  type: object\n")
    document = load(write(tmp_path / "api.yaml", SMALL_YAML), allow_remote_refs=True)
    location, node = document.resolve(f"{base}/schemas/pet.yaml#/Pet", document.main)
    assert node["type"] == "object"
    assert location.pointer == "/Pet"
    assert location.file.startswith(base)
    # a relative ref inside the downloaded file is relative to its URL
    owner_location, owner = document.resolve(node["properties"]["owner"]["$ref"], location.file)
    assert owner == {"type": "object"}
    assert owner_location.file == f"{base}/schemas/owner.yaml"
    # lines work in downloaded files too
    assert document.line(location.file, "/Pet/properties/owner") == 4


def test_remote_ref_that_cannot_be_downloaded(tmp_path: Path, loopback_server: tuple[str, Path]) -> None:
    base, _ = loopback_server
    document = load(write(tmp_path / "api.yaml", SMALL_YAML), allow_remote_refs=True)
    with pytest.raises(RefError) as excinfo:
        document.resolve(f"{base}/missing.yaml#/Pet", document.main)
    assert excinfo.value.code == "ref-remote"


def test_remote_ref_to_a_broken_file(tmp_path: Path, loopback_server: tuple[str, Path]) -> None:
    base, served = loopback_server
    write(served / "broken.yaml", "Pet: [unclosed\n")
    document = load(write(tmp_path / "api.yaml", SMALL_YAML), allow_remote_refs=True)
    with pytest.raises(RefError) as excinfo:
        document.resolve(f"{base}/broken.yaml#/Pet", document.main)
    assert excinfo.value.code == "ref-remote"


# -- lines --------------------------------------------------------------------------------------------


def test_line_lookup_yaml(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", SMALL_YAML)
    document = load(spec)
    main = document.main
    assert document.line(main, "") == 1
    assert document.line(main, "/openapi") == 1
    assert document.line(main, "/info/version") == line_of(spec, 'version: "1.0"')
    assert document.line(main, "/paths/~1pets~1{petId}") == line_of(spec, "/pets/{petId}:")
    assert document.line(main, "/paths/~1pets~1{petId}/get/operationId") == line_of(spec, "operationId: getPet")
    # sequence items and the keys inside them
    assert document.line(main, "/paths/~1pets~1{petId}/get/parameters/1") == line_of(spec, "name: verbose")
    assert document.line(main, "/paths/~1pets~1{petId}/get/parameters/1/in") == line_of(spec, "in: query")
    assert document.line(main, "/paths/~1pets~1{petId}/get/responses/200/description") == line_of(
        spec, "description: OK"
    )
    # escaped tokens
    assert document.line(main, "/components/schemas/a~1b~0c") == line_of(spec, '"a/b~c":')
    assert document.line(main, "/components/schemas/a~1b~0c/type") == line_of(spec, "type: string")


def test_line_lookup_falls_back_to_the_nearest_existing_parent(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", SMALL_YAML)
    document = load(spec)
    assert document.line(document.main, "/paths/~1pets~1{petId}/get/nothing/here") == line_of(spec, "    get:")
    assert document.line(document.main, "/nope") == 1


def test_line_lookup_json(tmp_path: Path) -> None:
    tree = {
        "openapi": "3.0.3",
        "info": {"title": "J", "version": "1"},
        "paths": {"/pets/{petId}": {"get": {"operationId": "getPet", "parameters": [{"name": "a"}, {"name": "b"}]}}},
    }
    spec = write(tmp_path / "api.json", json.dumps(tree, indent=2))
    document = load(spec)
    main = document.main
    assert document.line(main, "/info/version") == line_of(spec, '"version": "1"')
    assert document.line(main, "/paths/~1pets~1{petId}/get/operationId") == line_of(spec, '"operationId"')
    assert document.line(main, "/paths/~1pets~1{petId}/get/parameters/1/name") == line_of(spec, '"name": "b"')


def test_line_lookup_in_a_referenced_file() -> None:
    document = load(MULTIFILE / "main.yaml")
    location, _ = document.resolve("schemas/pet.yaml#/Pet", document.main)
    pet = MULTIFILE / "schemas" / "pet.yaml"
    assert document.line(location.file, "/Pet/properties/owner") == line_of(pet, "owner:")
    assert document.line(location.file, "/Pet/properties/owner/$ref") == line_of(pet, "$ref")


def test_diagnostic_carries_file_pointer_and_line(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", SMALL_YAML)
    document = load(spec)
    diagnostic = document.diagnostic("error", "x", "msg", Location(document.main, "/info/title"))
    assert diagnostic == Diagnostic("error", "x", "msg", str(spec.resolve()), "/info/title", 3)
    assert diagnostic.render().startswith(f"{spec.resolve()}:3: error: msg [at #/info/title]")


def test_line_lookup_json_indented_with_tabs(tmp_path: Path) -> None:
    tree = {"openapi": "3.0.3", "info": {"title": "J", "version": "1"}, "paths": {}}
    spec = write(tmp_path / "tabs.json", json.dumps(tree, indent="\t"))
    document = load(spec)
    assert document.root == tree
    assert document.line(document.main, "/info/version") == line_of(spec, '"version"')


def _oracle_lines(text: str) -> dict[str, int]:
    """Lines of every pointer of a JSON text, found independently with PyYAML's pure-Python composer."""
    lines: dict[str, int] = {}
    stack: list[tuple[yaml.Node, str]] = [(yaml.compose(text, Loader=yaml.SafeLoader), "")]
    while stack:
        node, pointer = stack.pop()
        lines.setdefault(pointer, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{escape_pointer_token(key.value)}"
                lines.setdefault(child, key.start_mark.line + 1)
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{pointer}/{index}") for index, item in enumerate(node.value))
    return lines


JSON_LAYOUTS = {
    "indent-2": lambda tree: json.dumps(tree, indent=2, ensure_ascii=False),
    "indent-4-sorted": lambda tree: json.dumps(tree, indent=4, sort_keys=True, ensure_ascii=False),
    "mixed": lambda tree: json.dumps(tree, indent=1, ensure_ascii=False, separators=(",", ":")).replace(
        ",\n ", ", ", 40
    ),
}


@pytest.mark.parametrize("layout", sorted(JSON_LAYOUTS))
def test_line_lookup_json_matches_an_independent_oracle(tmp_path: Path, layout: str) -> None:
    tree = load(UPVEST_SPEC).root
    tree["x-extras"] = {
        "nested": [[1, 2, [3, {"deep": [{}, [], {"k": None}]}]], [], {}],
        "a/b~c": {'escaped \\ "quotes"': True, "": 1.5e-3},
        "unicode": "Café – ✓",
    }
    text = JSON_LAYOUTS[layout](tree)
    spec = write(tmp_path / "api.json", text)
    document = load(spec)
    assert document.root == json.loads(text)
    expected = _oracle_lines(text)
    assert len(expected) > 1000
    wrong = {
        p: (document.line(document.main, p), line)
        for p, line in expected.items()
        if document.line(document.main, p) != line
    }
    assert not wrong, dict(list(wrong.items())[:10])
    # JSON lines are found pointer by pointer, remembering what was passed: any order, from a fresh document, gives
    # the same lines; a pointer below a missing member gives the line of its nearest existing parent
    shuffled = list(expected.items())
    random.Random(layout).shuffle(shuffled)
    fresh = load(spec)
    wrong = {p: line for p, line in shuffled if fresh.line(fresh.main, p) != line}
    assert not wrong, dict(list(wrong.items())[:10])
    missing = {p: line for p, line in shuffled[:300] if fresh.line(fresh.main, f"{p}/~0missing/0") != line}
    assert not missing, dict(list(missing.items())[:10])


def test_line_lookup_json_with_escaped_surrogate_pairs(tmp_path: Path) -> None:
    text = (
        "{\n"
        '  "openapi": "3.0.3",\n'
        '  "info": {\n'
        '    "title": "Thumbs \\ud83d\\udc4d",\n'
        '    "version": "1"\n'
        "  },\n"
        '  "paths": {\n'
        '    "/\\ud83d\\udc4d": {}\n'
        "  }\n"
        "}\n"
    )
    spec = write(tmp_path / "emoji.json", text)
    document = load(spec)
    assert document.line(document.main, "/info/version") == 5
    assert document.line(document.main, "/paths/~1\N{THUMBS UP SIGN}") == 8


# -- unreadable input -----------------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line() -> None:
    spec = BROKEN / "yaml_syntax_error.yaml"
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "syntax"
    assert error.file == str(spec.resolve())
    assert error.line == line_of(spec, "       responses:")
    assert "YAML" in error.message


def test_json_syntax_error_names_file_and_line() -> None:
    spec = BROKEN / "invalid_json.json"
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "syntax"
    assert error.file == str(spec.resolve())
    assert error.line == line_of(spec, '"version": 1.0.0')
    assert "JSON" in error.message


def test_syntax_error_in_generated_yaml(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", "openapi: 3.0.3\ninfo:\n  title: 'unterminated\n  version: 1\npaths: {}\n")
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "syntax"
    assert error.file == str(spec.resolve())
    assert error.line is not None and 3 <= error.line <= 6


def test_unsafe_yaml_tag_is_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    spec = write(
        tmp_path / "evil.yaml",
        "openapi: 3.0.3\n"
        "info:\n"
        f'  title: !!python/object/apply:os.system ["touch {marker}"]\n'
        '  version: "1"\n'
        "paths: {}\n",
    )
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    assert not marker.exists(), "a YAML tag ran a shell command"
    error = only_error(excinfo)
    assert error.code == "syntax"
    assert error.file == str(spec.resolve())
    assert error.line == 3


@pytest.mark.parametrize(
    "tag",
    ["!!python/name:os.system", "!!python/object/new:os.system [x]", "!!python/module:os"],
)
def test_other_python_tags_are_refused(tmp_path: Path, tag: str) -> None:
    spec = write(tmp_path / "evil.yaml", f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {tag}\n")
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    assert only_error(excinfo).code == "syntax"


def test_committed_unsafe_fixture_is_refused() -> None:
    with pytest.raises(SpecError) as excinfo:
        load(BROKEN / "unsafe_yaml_tag.yaml")
    assert only_error(excinfo).line == 3


@pytest.mark.parametrize("content", ["", "\n\n", "   \n\t\n", "\ufeff"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    spec = write(tmp_path / "empty.yaml", content)
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "file-empty"
    assert error.file == str(spec.resolve())


def test_committed_empty_fixture() -> None:
    with pytest.raises(SpecError) as excinfo:
        load(BROKEN / "empty.yaml")
    assert only_error(excinfo).code == "file-empty"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\x03binary\xff\xfe",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"openapi: 3.0.3\n" + b"\x00" * 4,
        "openapi: 3.0.3\n".encode("utf-16-le"),  # no byte order mark: UTF-16 with one is read
    ],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    spec = tmp_path / "binary.yaml"
    spec.write_bytes(content)
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "file-binary"
    assert error.file == str(spec.resolve())


def test_not_utf8_file(tmp_path: Path) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("openapi: 3.0.3\ninfo:\n  title: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    assert only_error(excinfo).code == "file-encoding"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as excinfo:
        load(tmp_path / "nope.yaml")
    error = only_error(excinfo)
    assert error.code == "file-unreadable"
    assert error.file == str((tmp_path / "nope.yaml").resolve())


DEPTH = 100_000


@pytest.mark.parametrize("name", ["deep.yaml", "deep-flow.yaml"])
def test_deeply_nested_yaml_is_a_spec_error(tmp_path: Path, name: str) -> None:
    prefix = "openapi: 3.0.3\nx: " if name == "deep.yaml" else "{openapi: 3.0.3, x: "
    suffix = "\n" if name == "deep.yaml" else "}\n"
    spec = write(tmp_path / name, prefix + "[" * DEPTH + "]" * DEPTH + suffix)
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code in ("too-deep", "syntax")
    assert error.file == str(spec.resolve())


@pytest.mark.parametrize("name", ["deep.json", "deep-brace.yaml"])
def test_deeply_nested_json_is_a_spec_error(tmp_path: Path, name: str) -> None:
    spec = write(tmp_path / name, '{"openapi": "3.0.3", "x": ' + "[" * DEPTH + "]" * DEPTH + "}")
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "too-deep"
    assert error.file == str(spec.resolve())
    # where the nesting passes 512 levels: the pointer of the 513th list, on the only line there is
    assert error.pointer == "/x" + "/0" * 512
    assert error.line == 1


def _laughs(levels: int, use: str) -> str:
    """A YAML spec whose `use` line refers to anchors nested `levels` deep, each repeating the last ten times."""
    lines = ["openapi: 3.0.3", 'info: {title: Laughs, version: "1.0"}', "paths: {}", 'x-l0: &l0 ["lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"x-l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    lines.append(use.replace("TOP", f"*l{levels}"))
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_before_anything_walks_it(tmp_path: Path) -> None:
    spec = write(tmp_path / "bomb.yaml", _laughs(8, "x-use: {nested: {deeper: TOP}}"))
    with pytest.raises(SpecError) as excinfo:
        load(spec)
    error = only_error(excinfo)
    assert error.code == "yaml-expansion"
    assert "200,000,000" not in error.message and "nodes" in error.message
    # the outermost value reached through an alias on the biggest branch, and the line it is on
    assert (error.pointer, error.line) == ("/x-use/nested/deeper", 13)


def test_yaml_aliases_in_reasonable_use_load(tmp_path: Path) -> None:
    # a thousand-fold repetition of a small value stays far under the limit: anchors are fine, bombs are not
    spec = write(tmp_path / "anchors.yaml", _laughs(3, "x-use: TOP"))
    document = load(spec)
    assert len(document.root["x-use"]) == 10


def test_valid_real_spec_loads() -> None:
    document = load(UPVEST_SPEC)
    assert str(document.root["openapi"]).startswith("3.")
    assert document.root["paths"]


@pytest.mark.parametrize(
    "text",
    [
        "&top\nopenapi: 3.0.3\n",
        "x: &a [1]\ny: *a\n",
        "x:\n  - &a 1\n  - *a\n",
        "x: [&a 1, *a]\n",
        "x: {a: 1,&b c: 2}\n",
        'x: {"a":&b 1}\n',
        "x: !!str &a text\n",
        "&top\na: 1\n",  # at the very start of the text
    ],
)
def test_every_way_of_writing_an_anchor_triggers_the_expansion_check(text: str) -> None:
    assert _may_hold_anchor(text), text


@pytest.mark.parametrize("text", ["description: R&D and Q & A\n", "x: '*'\n", "a&b: 1\n"])
def test_text_without_anchors_skips_the_expansion_check(text: str) -> None:
    assert not _may_hold_anchor(text)


def test_lines_from_kept_nodes_agree_with_the_full_line_map(tmp_path: Path) -> None:
    # Document.line walks down the kept YAML nodes; _line_map (used when they are not kept) maps every pointer
    text = SMALL_YAML + "x-list:\n  - a\n  - {b: 1, 'c/d': [2, 3]}\n  -\n    e~f: 4\nx-flow: {g: [5, {h: 6}]}\n"
    spec = write(tmp_path / "lines.yaml", text)
    document = load(spec)
    assert document._nodes[str(spec)] is not None
    lines = _line_map(text)
    assert "/x-list/1/c~1d/1" in lines and "/x-list/2/e~0f" in lines and "/x-flow/g/1/h" in lines
    missing = ["/nope", "/x-list/9", "/x-list/1/c~1d/x", "/x-flow/g/1/h/deeper", "/info/title/more"]
    for pointer in [*lines, *missing]:
        expected = lines.get(pointer)
        parent = pointer
        while expected is None:
            parent = parent.rsplit("/", 1)[0]
            expected = lines.get(parent)
        assert document.line(str(spec), pointer) == expected, pointer


PLAIN_YAML = """\
openapi: 3.1.0
info: {title: "Plain", version: 1.0}
x-scalars: [1, -2, 0o17, 0x1F, 012, 09, -007, 1.5, -.5, 1e3, .inf, -.Inf, true, False, null, ~, "", 2024-01-01, yes, "3", '4']
x-keys: {200: a, 1.5: b, true: c, null: d, "quoted": e}
x-block: |
  line one
  line two
x-folded: >-
  folded
  text
x-nested: [[{a: [1, {b: []}]}], {}]
"""


def test_plain_construction_makes_the_tree_pyyaml_makes() -> None:
    from generator.load import SafeLoader

    nodes = [SafeLoader(PLAIN_YAML).get_single_node() for _ in range(2)]
    fast = SafeLoader(PLAIN_YAML).construct_plain(nodes[0])
    assert fast == SafeLoader(PLAIN_YAML).construct_document(nodes[1])
    assert fast["x-scalars"][:5] == [1, -2, 15, 31, 12]  # YAML 1.2: a leading zero is still decimal
    assert fast["x-scalars"][5:7] == [9, -7]
    assert fast["x-scalars"][17:19] == ["2024-01-01", "yes"] and 200 in fast["x-keys"]


def test_merge_keys_are_left_to_pyyaml(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\ninfo: {title: M, version: '1'}\npaths: {}\nx-base: &b {a: 1}\nx-use: {<<: *b, c: 2}\n"
    document = load(write(tmp_path / "merge.yaml", text))
    assert document.root["x-use"] == {"a": 1, "c": 2}
    # without an anchor in sight, a merge key still reaches PyYAML, which merges it
    text = "openapi: 3.0.3\ninfo: {title: M, version: '1'}\npaths: {}\nx-use: {<<: {a: 1}, c: 2}\n"
    document = load(write(tmp_path / "merge-inline.yaml", text))
    assert document.root["x-use"] == {"a": 1, "c": 2}


def test_an_explicit_int_tag_on_text_is_a_yaml_error_with_its_line(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-n: !!int twelve\n"
    with pytest.raises(SpecError) as excinfo:
        load(write(tmp_path / "int.yaml", text))
    error = only_error(excinfo)
    assert (error.code, error.line) == ("syntax", 4)
    assert "not a YAML 1.2 integer" in error.message


_TWICE_JSON = (
    '{"openapi": "3.0.3", "info": {"title": "D", "version": "1"},\n'
    ' "paths": {\n'
    '  "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}},\n'
    '  "/a": {"post": {"operationId": "b", "responses": {"200": {"description": "ok"}}}}\n'
    " }}\n"
)
_TWICE_YAML = (
    "openapi: 3.0.3\n"
    'info: {title: D, version: "1"}\n'
    "paths:\n"
    "  /a:\n"
    '    get: {operationId: a, responses: {"200": {description: ok}}}\n'
    "  /a:\n"
    '    post: {operationId: b, responses: {"200": {description: ok}}}\n'
)


@pytest.mark.parametrize(
    "name,text,lines",
    [
        ("d.json", _TWICE_JSON, "lines 3 and 4"),
        ("m.json", _TWICE_JSON.replace("\n", ""), "both on line 1"),
        ("d.yaml", _TWICE_YAML, "lines 4 and 6"),
    ],
)
def test_a_key_met_twice_is_a_warning_with_its_lines_and_strict_refuses_it(
    tmp_path: Path, name: str, text: str, lines: str
) -> None:
    from generator.pipeline import check_spec
    from generator.validate import validate

    document = load(write(tmp_path / name, text))
    assert list(document.root["paths"]["/a"]) == ["post"]  # the last one kept, as before
    [warning] = [d for d in validate(document) if d.code == "duplicate-key"]
    assert warning.severity == "warning" and warning.pointer == "/paths/~1a" and lines in warning.message
    with pytest.raises(SpecError):
        check_spec(load(write(tmp_path / name, text)), strict=True)


def test_a_key_met_twice_in_a_yaml_file_with_anchors_or_a_referenced_file_is_found(tmp_path: Path) -> None:
    from generator.validate import validate

    anchored = _TWICE_YAML.replace('info: {title: D, version: "1"}', 'info: &info {title: D, version: "1"}')
    anchored += "x-info: *info\n"
    document = load(write(tmp_path / "anchored.yaml", anchored))
    assert [d.line for d in validate(document) if d.code == "duplicate-key"] == [6]
    write(tmp_path / "schemas.yaml", "Pet:\n  type: object\n  type: string\n")
    spec = (
        _TWICE_YAML.replace("  /a:\n    get", "  /b:\n    get")
        + "components:\n  schemas:\n    Pet: {$ref: 'schemas.yaml#/Pet'}\n"
    )
    found = [d for d in validate(load(write(tmp_path / "main.yaml", spec))) if d.code == "duplicate-key"]
    assert [(Path(d.file).name, d.pointer, d.line) for d in found] == [("schemas.yaml", "/Pet/type", 3)]
