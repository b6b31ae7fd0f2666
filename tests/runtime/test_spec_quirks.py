"""Quirks of published specs that the generator reads as their authors meant (issue 16), each checked on the wire:
a generated client sends its requests to an in-process transport that records them."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from generator.config import Config
from generator.diagnostics import SpecError
from generator.model import AnyType, Primitive
from generator.pipeline import generate
from generator.write import write

from conftest import ROOT

QUIRKS = ROOT / "tests" / "fixtures" / "quirks"


def import_client(spec: Path, folder: Path, package: str, **config: Any) -> tuple[Any, list[str]]:
    """The generated package, imported, and the codes of the warnings its generation gave."""
    result = generate(spec, Config.of(package=package, **config))
    write(result.files, folder)
    sys.path.insert(0, str(folder))
    try:
        return __import__(package), [d.code for d in result.diagnostics if d.severity == "warning"]
    finally:
        sys.path.remove(str(folder))


class Recorder:
    """An httpx transport that answers every request with `status` (JSON `{}` unless 204) and keeps it."""

    def __init__(self, status: int = 200, body: Any = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.body = {} if body is None else body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status == 204:
            return httpx.Response(204)
        if isinstance(self.body, str) and self.body:
            return httpx.Response(self.status, text=self.body, headers={"content-type": "text/plain"})
        return httpx.Response(self.status, json=self.body)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(scope="module")
def path_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str]]:
    return import_client(QUIRKS / "path_keys.yaml", tmp_path_factory.mktemp("path_keys"), "path_keys_client")


def client(package: Any, recorder: Recorder) -> Any:
    return package.Client(
        base_url="https://api.example.com", http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    )


def test_extensions_in_paths_and_responses_are_ignored(path_keys: tuple[Any, list[str]]) -> None:
    """`x-codegen-contextRoot: "/apis/..."` among the paths was refused as a path item that is not a mapping; an
    `x-internal` among the responses was read as a status."""
    package, _ = path_keys
    api = package.Client(base_url="https://x")
    assert {"uploads", "iconsets", "files", "search", "pets"} <= set(dir(api))
    uploads = importlib.import_module(f"{package.__name__}.resources.uploads")
    assert list(uploads._UPLOAD.responses) == ["200"]


def test_a_query_string_in_a_path_key_becomes_query_parameters(path_keys: tuple[Any, list[str]]) -> None:
    package, warnings = path_keys
    assert warnings.count("path-query-string") == 3
    recorder = Recorder(204)
    api = client(package, recorder)
    api.uploads.upload(convert="pdf")
    assert (recorder.last.method, recorder.last.url.path, dict(recorder.last.url.params)) == (
        "POST",
        "/uploads",
        {"convert": "pdf"},
    )
    recorder.status = 200
    api.iconsets.latest_icons(term="cat", amount=3)  # amount keeps its declared integer schema
    assert (recorder.last.url.path, dict(recorder.last.url.params)) == (
        "/iconsets/latest",
        {"term": "cat", "amount": "3"},
    )
    with pytest.raises(TypeError):
        api.iconsets.latest_icons(amount=3)  # an undeclared one is required
    recorder.status = 204
    api.search.search(q="lion")  # the fixed part is sent as written, beside the parameter
    assert (recorder.last.url.path, recorder.last.url.query) == ("/search", b"type=link&raw+text&flag&q=lion")


def test_a_fragment_is_not_sent_and_the_operations_stay_apart(path_keys: tuple[Any, list[str]]) -> None:
    package, warnings = path_keys
    assert "path-fragment" in warnings
    recorder = Recorder(204)
    api = client(package, recorder)
    api.files.remove_shared_link(file_id="f1")
    api.files.update(file_id=7)  # declared in the query, used in the template: a path parameter of its schema
    assert [(r.method, r.url.raw_path) for r in recorder.requests] == [("PUT", b"/files/f1"), ("PUT", b"/files/7")]


def test_undeclared_path_parameters_are_required_strings(path_keys: tuple[Any, list[str]]) -> None:
    package, warnings = path_keys
    assert warnings.count("undeclared-path-parameter") == 4
    recorder = Recorder(204)
    client(package, recorder).pets.get_toy(pet_id="p 1", toy_id="t/2")
    assert recorder.last.url.raw_path == b"/pets/p%201/toys/t%2F2"


def test_strict_refuses_what_it_would_otherwise_read_around() -> None:
    with pytest.raises(SpecError) as raised:
        generate(QUIRKS / "path_keys.yaml", Config.of(package="strict_client"), strict=True)
    codes = {d.code for d in raised.value.diagnostics}
    assert {"path-query-string", "path-fragment", "undeclared-path-parameter"} <= codes


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package, warnings = import_client(QUIRKS / "wire.yaml", tmp_path_factory.mktemp("wire"), "wire_client")
    package.warnings = warnings
    return package


def test_every_reference_to_a_nullable_schema_is_nullable(wire: Any) -> None:
    """`nullable: true` on a component was kept for the first property referring to it only (bkk.hu's
    `intermediateStops: [null, ...]` failed to parse)."""
    trip = {"first_stop": None, "last_stop": None, "stops": [None, {"name": "Deák"}]}
    recorder = Recorder(200, trip)
    result = client(wire, recorder).trips.get(trip_id="t1")
    assert (result.first_stop, result.last_stop, result.stops[0], result.stops[1].name) == (None, None, None, "Deák")


def test_nulls_in_a_query_list_are_left_out(wire: Any) -> None:
    """They were sent as the text "None"."""
    recorder = Recorder(200, {})
    client(wire, recorder).trips.get(trip_id="t1", include=["stops", None, "fares"])
    assert recorder.last.url.query == b"include=stops&include=fares"


def test_a_header_name_no_request_can_carry_is_left_out_with_a_warning(wire: Any) -> None:
    """`x trace` (a space) made every call fail in h11 with LocalProtocolError."""
    import inspect

    assert "x_trace" not in inspect.signature(wire.Client(base_url="https://x").trips.get).parameters
    result = generate(QUIRKS / "wire.yaml", Config.of(package="wire_warnings"))
    assert [d.code for d in result.diagnostics if "x trace" in d.message] == ["header-name-invalid"]


def test_an_operation_whose_only_response_is_default_returns_it(wire: Any) -> None:
    """`default` stands for every status the spec does not list: with nothing else listed, also for success (it
    was read as an error response, so the call asked for JSON and returned nothing; Prism answered 406)."""
    recorder = Recorder(200, "pong")
    assert client(wire, recorder).ping.ping() == "pong"
    assert recorder.last.headers["accept"] == "text/plain"


def test_accept_names_what_the_operation_declares(wire: Any) -> None:
    recorder = Recorder(200, "")
    api = client(wire, recorder)
    api.exports.get(export_id="e1")  # only */*: application/json would be answered 406
    assert recorder.last.headers["accept"] == "*/*"
    api.reports.get(report_id="r1")
    assert recorder.last.headers["accept"] == "text/csv, application/pdf"
    recorder.body = {}
    api.trips.get(trip_id="t1")
    assert recorder.last.headers["accept"] == "application/json"


def multipart_parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, filename, content type, content) of each part, parsed with the standard library."""
    import email.parser
    import email.policy

    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    found = []
    for part in message.iter_parts():
        disposition = part.get("content-disposition")
        content_type = part.get("content-type")
        found.append(
            (
                part.get_param("name", header="content-disposition"),
                part.get_filename(),
                str(content_type) if content_type else None,
                part.get_payload(decode=True),
            )
        )
        assert disposition is not None
    return found


def test_multipart_objects_and_arrays_are_json_parts(wire: Any) -> None:
    """Objects and arrays were sent as Python repr (`{'categories': ['sample']}`)."""
    recorder = Recorder(204)
    client(wire, recorder).documents.upload(
        file=b"%PDF-1.7",
        metadata={"categories": ["sample"], "title": "Q3"},
        labels=["a", "b"],
        attachments=[b"one", b"two"],
        tags=["x", "y"],
        note="hello",
        pages=3,
    )
    request = recorder.last
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert multipart_parts(request) == [
        ("file", "upload", "application/octet-stream", b"%PDF-1.7"),
        ("metadata", None, "application/json", b'{"categories":["sample"],"title":"Q3"}'),
        ("labels", None, "application/json", b'["a","b"]'),
        ("attachments", "upload", "application/octet-stream", b"one"),  # a list of files: a part each
        ("attachments", "upload", "application/octet-stream", b"two"),
        ("tags", None, "text/plain", b"x"),  # the encoding says text/plain: one part per item
        ("tags", None, "text/plain", b"y"),
        ("note", None, None, b"hello"),
        ("pages", None, None, b"3"),
    ]


def test_a_multipart_body_without_a_file_stays_multipart(wire: Any) -> None:
    """It was sent as application/x-www-form-urlencoded."""
    recorder = Recorder(204)
    client(wire, recorder).notes.create(text="hi", meta={"lang": "en"})
    assert recorder.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert multipart_parts(recorder.last) == [
        ("text", None, None, b"hi"),
        ("meta", None, "application/json", b'{"lang":"en"}'),
    ]


def test_a_required_property_the_spec_does_not_declare_is_sent_with_extra_body(wire: Any) -> None:
    """`required: [email, consent]` with only `email` declared: a warning at generation, and the call sends
    `consent` through `options={"extra_body": ...}` (not validated: the spec gives it no type)."""
    assert "required-undeclared" in wire.warnings
    recorder = Recorder(204)
    signups = client(wire, recorder).signups
    signups.create(email="a@example.com", options={"extra_body": {"consent": True, "email": "b@example.com"}})
    assert json.loads(recorder.last.content) == {"email": "b@example.com", "consent": True}
    signups.create(email="a@example.com")
    assert json.loads(recorder.last.content) == {"email": "a@example.com"}
    with pytest.raises(ValueError, match="sends no object body: extra_body"):
        client(wire, recorder).trips.get(trip_id="t", options={"extra_body": {"x": 1}})


@pytest.fixture(scope="module")
def unions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package, _ = import_client(QUIRKS / "unions.yaml", tmp_path_factory.mktemp("unions"), "unions_client")
    return package


def test_a_union_dispatches_on_its_discriminator_mapping(unions: Any) -> None:
    """Members that declare the property as a plain string (the most common shape) made `{"pet-kind": "dog"}`
    parse as the first member, a Cat."""
    api = client(unions, Recorder(200, {"pet-kind": "dog", "name": "Rex", "barks": True}))
    dog = api.pets.get(pet_id="p1")
    assert type(dog).__name__ == "Dog" and dog.barks is True
    api = client(unions, Recorder(200, {"pet-kind": "kitten", "name": "Tom"}))  # a second value for Cat
    assert type(api.pets.get(pet_id="p2")).__name__ == "Cat"


def test_a_union_written_in_a_response_dispatches_too(unions: Any) -> None:
    """Not a component: the resource module holds the tagged union itself (it held a plain `Cat | Dog`)."""
    dog = client(unions, Recorder(200, {"pet-kind": "dog", "barks": True})).pets.random()
    assert type(dog).__name__ == "Dog"
    other = client(unions, Recorder(200, {"pet-kind": "ferret"})).pets.random()
    assert isinstance(other, unions.UnknownVariant)


def test_without_a_mapping_the_schema_names_are_the_values(unions: Any) -> None:
    body = {"shapes": [{"@type": "Square", "side": 2}, {"@type": "Circle", "radius": 1.5}]}
    drawing = client(unions, Recorder(200, body)).drawings.get(drawing_id="d1")
    assert [type(shape).__name__ for shape in drawing.shapes] == ["Square", "Circle"]


def test_an_unknown_discriminator_value_is_kept_as_an_unknown_variant(unions: Any) -> None:
    """A variant the API adds later used to fail the whole response (APIResponseValidationError)."""
    parrot = client(unions, Recorder(200, {"pet-kind": "parrot", "wings": 2})).pets.get(pet_id="p3")
    assert isinstance(parrot, unions.UnknownVariant)
    assert parrot.model_dump() == {"pet-kind": "parrot", "wings": 2}
    body = {"shapes": [{"@type": "Hexagon", "side": 1}, {"@type": "Circle", "radius": 1}]}
    drawing = client(unions, Recorder(200, body)).drawings.get(drawing_id="d2")
    assert [type(shape).__name__ for shape in drawing.shapes] == ["UnknownVariant", "Circle"]


def test_a_discriminator_on_a_base_schema_dispatches_to_the_schemas_that_extend_it(tmp_path: Path) -> None:
    """`Vehicle` with a discriminator, `Car` and `Bike` each `allOf: [Vehicle, ...]`: a list of vehicles holds cars
    (named by the mapping) and bikes (by their schema name), and a kind the client does not know stays data."""
    package, _ = import_client(QUIRKS / "inheritance.yaml", tmp_path, "inheritance_client")
    body = [
        {"kind": "car", "wheels": 4, "seats": 5},
        {"kind": "Bike", "gears": 21},
        {"kind": "tram", "wheels": 8},
        {"kind": "truck", "axles": 3},  # the mapping names Truck, which is only a $ref to Lorry
    ]
    vehicles = client(package, Recorder(200, body)).vehicles.list()
    assert [type(v).__name__ for v in vehicles] == ["Car", "Bike", "UnknownVariant", "Lorry"]
    assert (vehicles[0].seats, vehicles[1].gears, vehicles[2].model_dump()) == (5, 21, body[2])


def test_security_requirements_that_need_several_api_keys_get_one_argument_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Appwrite's requirements combine a project id with a key or a JWT: one `api_key` could not say that."""
    package, _ = import_client(QUIRKS / "api_keys.yaml", tmp_path, "api_keys_client")
    recorder = Recorder(200)
    api = package.Client(
        base_url="https://cloud.example.com/v1",
        project="p1",
        key="secret-key",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    api.databases.list()
    headers = recorder.last.headers
    assert (headers["x-appwrite-project"], headers["x-appwrite-key"]) == ("p1", "secret-key")
    assert "x-appwrite-jwt" not in headers
    api.health.health()  # `security: []`: no key at all
    assert not {"x-appwrite-project", "x-appwrite-key"} & set(recorder.last.headers)
    assert "secret-key" not in repr(api) and "secret-key" not in repr(vars(api))
    # each key has its environment variable, named after its scheme
    monkeypatch.setenv("APPWRITE_PROJECT", "p2")
    monkeypatch.setenv("APPWRITE_JWT", "jwt-1")
    from_env = package.Client(
        base_url="https://cloud.example.com/v1", http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    )
    from_env.databases.list()
    headers = recorder.last.headers
    assert (headers["x-appwrite-project"], headers["x-appwrite-jwt"]) == ("p2", "jwt-1")
    assert not hasattr(package.Client, "api_key") and "api_key" not in package.Client.__init__.__code__.co_varnames


# -- skip-invalid ---------------------------------------------------------------------------------------------


def test_without_skip_invalid_a_broken_operation_stops_generation() -> None:
    with pytest.raises(SpecError) as raised:
        generate(QUIRKS / "broken_parts.yaml", Config.of(package="broken_client"))
    assert sorted(d.code for d in raised.value.errors) == [
        "duplicate-operation-id",
        "invalid-path-item",
        "ref-unresolvable",
        "ref-unresolvable",
    ]


def test_skip_invalid_leaves_out_exactly_the_broken_operations_and_schemas(tmp_path: Path) -> None:
    result = generate(QUIRKS / "broken_parts.yaml", Config.of(package="broken_parts_client", skip_invalid=True))
    assert [(o.method, o.path) for o in result.api.operations] == [("GET", "/pets")]
    assert {s.name for s in result.api.schemas} == {"Pet"}
    assert [f.type for f in result.api.schemas[0].fields] == [Primitive("str"), AnyType()]  # toy: a dropped schema
    codes = [d.code for d in result.diagnostics if d.severity == "warning"]
    assert codes.count("skipped-operation") == 3 and codes.count("skipped-schema") == 1
    readme = result.files["README.md"]
    section = readme[readme.index("## Not generated") : readme.index("## Timeouts")]
    assert (
        section.count("\n- ") == 4 and "GET /vets (duplicate-operation-id at #/paths/~1vets/get/operationId)" in section
    )
    assert str(QUIRKS) not in readme  # no absolute path: the README is the same on every machine
    package, _ = import_client(QUIRKS / "broken_parts.yaml", tmp_path, "broken_parts_client", skip_invalid=True)
    pets = client(package, Recorder(200, [{"name": "Rex", "toy": {"maker": "ACME"}}])).pets.list()
    assert pets[0].toy == {"maker": "ACME"}


def test_skip_invalid_still_refuses_a_document_that_is_broken_as_a_whole(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        (QUIRKS / "broken_parts.yaml").read_text(encoding="utf-8").replace("openapi: 3.0.3", "openapi: 2.5.0"),
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as raised:
        generate(spec, Config.of(package="whole_client", skip_invalid=True))
    assert [d.code for d in raised.value.errors] == ["unsupported-version"]


def test_skip_invalid_from_the_command_line_and_the_configuration(tmp_path: Path) -> None:
    from expectations import clientgen

    spec = tmp_path / "api.yaml"
    spec.write_text((QUIRKS / "broken_parts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert clientgen("generate", spec, "-o", tmp_path / "out", cwd=tmp_path).returncode == 2
    flagged = clientgen("generate", spec, "-o", tmp_path / "out", "--skip-invalid", cwd=tmp_path)
    assert flagged.returncode == 0 and "skipped-operation" in flagged.stderr + flagged.stdout
    assert clientgen("check", spec, "-o", tmp_path / "out", "--skip-invalid", cwd=tmp_path).returncode == 0
    (tmp_path / "clientgen.toml").write_text("skip-invalid = true\n", encoding="utf-8")
    assert clientgen("check", spec, "-o", tmp_path / "out", cwd=tmp_path).returncode == 0
    (tmp_path / "clientgen.toml").write_text('skip-invalid = "yes"\n', encoding="utf-8")
    refused = clientgen("check", spec, "-o", tmp_path / "out", cwd=tmp_path)
    assert refused.returncode == 2 and "'skip-invalid' must be true or false" in refused.stderr + refused.stdout
