"""The client surface of issue 17, end to end: a client generated from tests/fixtures/features.yaml calls a real
server on 127.0.0.1 (tests/support/feature_server.py), sync and async, and the test checks what reached the wire.

Covered here: omitted vs null (`NOT_GIVEN`), None refused where the spec allows no null, empty path parameters
refused, deprecation warnings, per-call options (`extra_headers`, `extra_query`, `extra_body`, `timeout`), real
async methods, and public names in signatures.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
import sys
import time
import typing
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import ROOT
from feature_server import FeatureServer, Recorded, Reply
from generator.config import Config
from generator.pipeline import generate
from generator.write import write

SPEC = ROOT / "tests" / "fixtures" / "features.yaml"


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("features")
    write(generate(SPEC, Config.of(package="features_client")).files, folder)
    sys.path.insert(0, str(folder))
    try:
        return __import__("features_client")
    finally:
        sys.path.remove(str(folder))


def _note(request: Recorded, **fields: Any) -> dict[str, Any]:
    return {"id": request.params.get("note_id", "n1"), "title": "t", **fields}


def _slow(request: Recorded) -> Reply:
    time.sleep(1.0)
    return Reply(200, _note(request))


ROUTES = {
    ("GET", "/notes"): lambda r: Reply(200, [_note(r)]),
    ("POST", "/notes"): lambda r: (
        Reply(422, {"errors": [{"field": "title", "message": "is blank"}]}, {"content-type": "application/json"})
        if r.json().get("title") == ""
        else Reply(201, _note(r, **r.json()))
    ),
    ("GET", "/notes/slow"): _slow,
    ("GET", "/notes/{note_id}"): lambda r: (
        Reply(404, {"title": "Not Found", "status": 404}) if r.params["note_id"] == "missing" else Reply(200, _note(r))
    ),
    ("PATCH", "/notes/{note_id}"): lambda r: Reply(200, _note(r, **r.json())),
    ("DELETE", "/notes/{note_id}"): lambda r: Reply(204),
    ("POST", "/notes/{note_id}/archive"): lambda r: Reply(204),
    ("POST", "/attachments"): lambda r: Reply(204),
    ("GET", "/events"): lambda r: (
        Reply(404, {"title": "No such feed", "status": 404})
        if ("fail", "1") in r.query
        else Reply(200, iter(_EVENTS), {"content-type": "text/event-stream"})
    ),
    ("GET", "/events/raw"): lambda r: Reply(200, iter(_EVENTS), {"content-type": "text/event-stream"}),
    ("GET", "/downloads/{name}"): lambda r: Reply(
        200,
        (bytes([index % 251]) * (1 << 20) for index in range(int(dict(r.query).get("megabytes", "1")))),
        {"content-type": "application/octet-stream", "x-request-id": "req-download"},
    ),
    ("GET", "/pages/numbered"): lambda r: Reply(200, _slice(r, "page", "per_page", numbered=True)[0]),
    ("GET", "/pages/cursor"): lambda r: Reply(
        200, {"data": _slice(r, "cursor", "limit")[0], "meta": {"next_cursor": _slice(r, "cursor", "limit")[1]}}
    ),
    ("GET", "/pages/after"): lambda r: Reply(
        200, {"data": _after(r), "has_more": bool(_after(r)) and _after(r)[-1]["id"] != "n5"}
    ),
    ("GET", "/pages/next"): lambda r: Reply(
        200,
        {
            "results": _slice(r, "from", "size")[0],
            "next": (
                f"/pages/next?size={dict(r.query).get('size', '2')}&from={_slice(r, 'from', 'size')[1]}"
                if _slice(r, "from", "size")[1]
                else None
            ),
        },
    ),
    ("GET", "/pages/link"): lambda r: Reply(
        200,
        _slice(r, "page", "per_page", numbered=True)[0],
        {"link": _link_header(r)},
    ),
    ("GET", "/pages/stuck"): lambda r: Reply(200, {"data": [_note(r)], "next_cursor": "same"}),
    ("GET", "/exports/notes"): lambda r: Reply(
        200,
        iter([b'{"id": "1", "title": "a"}\n', b"\n", b'{"id": "2", ', b'"title": "b"}\n']),
        {"content-type": "application/x-ndjson"},
    ),
    ("PUT", "/blobs/{name}"): lambda r: Reply(503 if r.params["name"] == "flaky" and _attempts(r) == 1 else 204),
}
_ATTEMPTS: dict[str, int] = {}
#: the notes the paging routes serve, two a page unless the call asks otherwise
_PAGED = [{"id": f"n{index}", "title": f"note {index}"} for index in range(1, 6)]


def _slice(request: Recorded, param: str, size_param: str, numbered: bool = False) -> tuple[list[Any], str | None]:
    """The page a call asks for, and where the next one starts (None after the last)."""
    query = dict(request.query)
    size = int(query.get(size_param, "2"))
    start = (int(query.get(param, "1")) - 1) * size if numbered else int(query.get(param) or 0)
    end = start + size
    return _PAGED[start:end], (str(end) if end < len(_PAGED) else None)


def _after(request: Recorded) -> list[Any]:
    after = dict(request.query).get("starting_after")
    start = next((i + 1 for i, note in enumerate(_PAGED) if note["id"] == after), 0)
    return _PAGED[start : start + int(dict(request.query).get("limit", "2"))]


def _link_header(request: Recorded) -> str:
    query = dict(request.query)
    page, size = int(query.get("page", "1")), int(query.get("per_page", "2"))
    links = [f'<http://elsewhere.invalid/pages/link?page=1&per_page={size}>; rel="first"']
    if "elsewhere" in query:
        links.append('<http://elsewhere.invalid/pages/link?page=2>; rel="next"')
    elif page * size < len(_PAGED):
        links.append(f'</pages/link?page={page + 1}&per_page={size}>; rel="next"')
    return ", ".join(links)


#: a comment, an event split across chunks, data on two lines, an id and retry, then [DONE] and one too many
_EVENTS = [
    b": keep-alive\n\n",
    b'event: created\ndata: {"type": "created", ',
    b'"note_id": "n1"}\nid: 7\n\n',
    b'data: {"type": "updated",\ndata:  "note_id": "n1"}\nretry: 1500\n\n',
    b"data: [DONE]\n\n",
    b'data: {"type": "never", "note_id": "x"}\n\n',
]


def _attempts(request: Recorded) -> int:
    key = request.headers.get("x-attempt-key", "")
    _ATTEMPTS[key] = _ATTEMPTS.get(key, 0) + 1
    return _ATTEMPTS[key]


@pytest.fixture
def server() -> Iterator[FeatureServer]:
    with FeatureServer(ROUTES, hashed=("/blobs/big",)) as running:
        yield running


Call = Callable[[Callable[[Any], Any]], Any]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest, features: Any, server: FeatureServer) -> Call:
    """Runs `use(client)` with a Client, or awaits it with an AsyncClient, against the server."""

    def sync(use: Callable[[Any], Any]) -> Any:
        with features.Client(base_url=server.base_url) as client:
            return use(client)

    def asynchronous(use: Callable[[Any], Any]) -> Any:
        async def run() -> Any:
            async with features.AsyncClient(base_url=server.base_url) as client:
                return await use(client)

        return asyncio.run(run())

    return sync if request.param == "sync" else asynchronous


def test_none_is_sent_as_null_and_an_argument_left_out_is_absent(call: Call, server: FeatureServer) -> None:
    """A PATCH can clear a field (`body=None` sends null) and leave others alone (not given: absent)."""
    note = call(lambda c: c.notes.update(note_id="n1", body=None, due=None))
    assert server.requests[-1].json() == {"body": None, "due": None}
    assert note.body is None and note.due is None and {"body", "due"} <= note.model_fields_set
    call(lambda c: c.notes.update(note_id="n1", title="new"))
    assert server.requests[-1].json() == {"title": "new"}
    call(lambda c: c.notes.list(label=None, q="x"))  # a nullable query parameter: no null in a query, left out
    assert server.requests[-1].query == [("q", "x")]


def test_none_where_the_spec_allows_no_null_is_refused_before_sending(call: Call, server: FeatureServer) -> None:
    with pytest.raises(TypeError, match="body field 'title' cannot be None"):
        call(lambda c: c.notes.update(note_id="n1", title=None))
    with pytest.raises(TypeError, match="query parameter 'q' cannot be None"):
        call(lambda c: c.notes.list(q=None))
    with pytest.raises(TypeError, match="body field 'title' cannot be None"):
        call(lambda c: c.notes.create(title=None))
    assert server.requests == []


def test_empty_path_parameters_are_refused_before_sending(call: Call, server: FeatureServer) -> None:
    """`delete(note_id="")` would send DELETE /notes/, acting on another resource."""
    for use in (lambda c: c.notes.delete(note_id=""), lambda c: c.notes.retrieve(note_id=None)):
        with pytest.raises(ValueError, match="path parameter 'note_id' must not be empty"):
            call(use)
    assert server.requests == []


def test_deprecated_operations_and_arguments_warn_once_per_call_site(call: Call, server: FeatureServer) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # Python's default: once per call site
        for _ in range(3):
            call(lambda c: c.notes.archive(note_id="n1"))
        call(lambda c: c.notes.list(legacy_filter="old"))
        call(lambda c: c.notes.list(q="new"))
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert messages == ["notes.archive() is deprecated", "notes.list(): the argument legacy_filter is deprecated"]
    assert {Path(w.filename) for w in caught} == {Path(__file__)}  # the caller's line, not the runtime's
    assert len(server.requests) == 5


def test_docstrings_say_what_is_deprecated(features: Any) -> None:
    assert "Deprecated." in (importlib.import_module("features_client.resources.notes").Notes.archive.__doc__ or "")
    assert "legacy_filter: Deprecated." in (
        importlib.import_module("features_client.resources.notes").Notes.list.__doc__ or ""
    )


def test_per_call_options_reach_the_wire(call: Call, server: FeatureServer) -> None:
    call(
        lambda c: c.notes.create(
            title="t",
            extra_headers={"x-trace": "abc"},
            extra_query={"dry_run": "true"},
            extra_body={"pinned": True},
            options={"headers": {"x-other": "1"}},
        )
    )
    sent = server.requests[-1]
    assert sent.headers["x-trace"] == "abc" and sent.headers["x-other"] == "1"
    assert sent.query == [("dry_run", "true")]
    assert sent.json() == {"title": "t", "pinned": True}


def test_a_per_call_timeout_applies(call: Call, features: Any, server: FeatureServer) -> None:
    with pytest.raises(features.APITimeoutError):
        call(lambda c: c.notes.retrieve(note_id="slow", timeout=0.1, options={"max_retries": 0}))
    assert len(server.requests) == 1


def _methods(resource_class: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(resource_class).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def test_async_methods_are_coroutine_functions_of_their_own(features: Any) -> None:
    """Not the sync methods wrapped: `inspect`, `help()` and go-to-definition show the async method."""
    notes = importlib.import_module("features_client.resources.notes")
    sync_methods, async_methods = _methods(notes.Notes), _methods(notes.AsyncNotes)
    assert sync_methods.keys() == async_methods.keys() == {"list", "create", "retrieve", "update", "delete", "archive"}
    for name, method in async_methods.items():
        assert inspect.iscoroutinefunction(method), name
        assert method.__qualname__ == f"AsyncNotes.{name}"
        assert method.__doc__ == sync_methods[name].__doc__
        assert inspect.signature(method) == inspect.signature(sync_methods[name])


def test_signatures_show_public_names_that_resolve(features: Any) -> None:
    """No private alias (`_models.Note`, `_uuid.UUID`) in any annotation, and every annotation resolves."""
    private = re.compile(r"(?<![\w.])_\w+\.")
    for resource_class in (
        importlib.import_module("features_client.resources.notes").Notes,
        importlib.import_module("features_client.resources.notes").AsyncNotes,
    ):
        for name, method in _methods(resource_class).items():
            signature = inspect.signature(method)
            annotations = [p.annotation for p in signature.parameters.values() if p.name != "self"]
            for annotation in [*annotations, signature.return_annotation]:
                assert isinstance(annotation, str) and not private.search(annotation), (name, annotation)
            hints = typing.get_type_hints(method)
            assert hints["timeout"] is not None and "options" in hints
    assert (
        typing.get_type_hints(importlib.import_module("features_client.resources.notes").Notes.retrieve)["return"]
        is features.models.Note
    )
    assert (
        features.NOT_GIVEN is importlib.import_module("features_client.resources.notes").NOT_GIVEN
        and not features.NOT_GIVEN
    )
    assert repr(features.NOT_GIVEN) == "NOT_GIVEN" and isinstance(features.NOT_GIVEN, features.NotGiven)


def test_with_options_configures_a_copy_and_leaves_the_client_alone(
    call: Call, features: Any, server: FeatureServer
) -> None:
    with pytest.raises(features.APITimeoutError):
        call(lambda c: c.with_options(timeout=0.1, max_retries=0).notes.retrieve(note_id="slow"))
    call(lambda c: c.copy(default_headers={"x-tenant": "t1"}).notes.retrieve(note_id="n1"))
    call(lambda c: c.notes.retrieve(note_id="n1"))
    assert [r.headers.get("x-tenant") for r in server.requests] == [None, "t1", None]


def test_an_error_body_the_spec_describes_is_parsed_into_its_model(call: Call, features: Any) -> None:
    """A 422 with a field list is `.body` as its model; a problem document stays `.problem` (`.body` its text)."""
    with pytest.raises(features.UnprocessableEntityError) as invalid:
        call(lambda c: c.notes.create(title=""))
    body = invalid.value.body
    assert type(body).__module__ == "features_client.models" and body.errors[0].field == "title"
    with pytest.raises(features.NotFoundError) as missing:
        call(lambda c: c.notes.retrieve(note_id="missing"))
    assert missing.value.problem is not None and missing.value.problem.title == "Not Found"
    assert isinstance(missing.value.body, str)


def test_the_api_reference_lists_every_method_with_its_signature() -> None:
    """api.md (issue 17): each resource's methods with their arguments, result, route and summary; the models;
    the README links to it."""
    files = generate(SPEC, Config.of(package="features_client")).files
    reference = files["api.md"]
    assert "- `client.notes.retrieve(*, note_id: str) -> Note`: `GET /notes/{note_id}`" in reference
    assert (
        "`client.notes.update(*, note_id: str, title: str = ..., body: str | None = ..., due: datetime.date | None"
        " = ..., tags: typing.Sequence[str] = ...) -> Note`" in reference
    )
    assert "`client.notes.list(*, q: str = ..., label: str | None = ..., legacy_filter: str = ...)" in reference
    assert "`POST /notes/{note_id}/archive` (deprecated)" in reference
    assert "- `Note`\n" in reference and "- `NoteUpdate`\n" in reference
    assert "[API reference](api.md)" in files["README.md"]


def test_spec_text_in_the_api_reference_stays_inside_its_code_spans() -> None:
    from generator.render import code

    assert code("a`b") == "`` a`b ``" and code("plain") == "`plain`" and code("x\n# heading") == "`x # heading`"
    assert code("``") == "``` `` ```"


def test_files_upload_from_bytes_paths_file_objects_and_tuples(
    call: Call, server: FeatureServer, tmp_path: Path
) -> None:
    """Issue 17: a file argument takes `FileTypes`; the filename comes from the path or the file object, the
    content type from the tuple, else the extension; objects are JSON parts; a list of files is a part each."""
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 report")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"plain notes")
    with open(notes, "rb") as handle:
        call(
            lambda c: c.files.upload_attachment(
                file=report, caption="Q3", meta={"source": "scan"}, extras=[handle, ("data.csv", b"a,b", "text/csv")]
            )
        )
    assert server.requests[-1].parts() == [
        ("file", "report.pdf", "application/pdf", b"%PDF-1.7 report"),
        ("caption", None, None, b"Q3"),
        ("meta", None, "application/json", b'{"source":"scan"}'),
        ("extras", "notes.txt", "text/plain", b"plain notes"),
        ("extras", "data.csv", "text/csv", b"a,b"),
    ]
    call(lambda c: c.files.upload_attachment(file=b"raw bytes"))
    assert server.requests[-1].parts() == [("file", "upload", "application/octet-stream", b"raw bytes")]


def test_a_binary_body_streams_a_file_and_a_retry_sends_it_whole_again(
    call: Call, server: FeatureServer, tmp_path: Path
) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 1000)
    key = f"{id(call)}-{time.monotonic()}"
    call(lambda c: c.files.put_blob(name="flaky", body=blob, extra_headers={"x-attempt-key": key}))
    first, second = server.requests
    assert first.body == second.body == blob.read_bytes()  # the retry read the file again from its start
    assert second.headers["content-type"] == "application/octet-stream"
    assert second.headers["content-length"] == str(256_000)


def test_a_big_upload_is_streamed_not_read_into_memory(features: Any, server: FeatureServer, tmp_path: Path) -> None:
    import hashlib
    import tracemalloc

    big = tmp_path / "big.bin"
    with open(big, "wb") as out:
        for index in range(32):
            out.write(bytes([index]) * (1 << 20))
    with features.Client(base_url=server.base_url) as client:
        client.files.put_blob(name="warm-up", body=b"x")
        tracemalloc.start()
        try:
            client.files.put_blob(name="big", body=big)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    sent = server.requests[-1]
    assert sent.length == 32 << 20 and sent.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    assert peak < 8 << 20, f"peak {peak >> 20} MiB for a 32 MiB upload"


def _items(result: Any) -> Any:
    """A stream's items: the sync Stream iterated, or the AsyncStream awaited and iterated."""
    if inspect.isawaitable(result):

        async def collect() -> list[Any]:
            stream = await result
            async with stream:
                return [item async for item in stream]

        return collect()
    with result as stream:
        return list(stream)


def test_server_sent_events_are_parsed_into_the_model_the_spec_gives(call: Call, features: Any) -> None:
    events = call(lambda c: _items(c.events.follow()))
    assert [type(e) for e in events] == [features.models.NoteEvent] * 2
    assert [(e.type, e.note_id) for e in events] == [("created", "n1"), ("updated", "n1")]


def test_events_the_spec_does_not_describe_come_as_server_sent_events(call: Call, features: Any) -> None:
    events = call(lambda c: _items(c.events.follow_raw()))
    assert events == [
        features.ServerSentEvent(event="created", data='{"type": "created", "note_id": "n1"}', id="7"),
        features.ServerSentEvent(data='{"type": "updated",\n "note_id": "n1"}', id="7", retry=1500),
    ]


def test_json_lines_are_parsed_one_model_a_line(call: Call, features: Any) -> None:
    notes = call(lambda c: _items(c.events.export_notes()))
    assert [(n.id, n.title) for n in notes] == [("1", "a"), ("2", "b")]
    assert all(isinstance(n, features.models.Note) for n in notes)


def test_stream_methods_are_typed_as_streams(features: Any) -> None:
    events = importlib.import_module("features_client.resources.events")
    assert typing.get_type_hints(events.Events.follow)["return"] == features.Stream[features.models.NoteEvent]
    assert typing.get_type_hints(events.AsyncEvents.follow)["return"] == features.AsyncStream[features.models.NoteEvent]
    assert typing.get_type_hints(events.Events.follow_raw)["return"] == features.Stream[features.ServerSentEvent]


def test_an_error_status_on_a_stream_raises_with_its_body_read(call: Call, features: Any) -> None:
    with pytest.raises(features.NotFoundError) as missing:
        call(lambda c: _items(c.events.follow(extra_query={"fail": "1"})))
    assert missing.value.problem is not None and missing.value.problem.title == "No such feed"


def _expected_download(megabytes: int) -> str:
    import hashlib

    digest = hashlib.sha256()
    for index in range(megabytes):
        digest.update(bytes([index % 251]) * (1 << 20))
    return digest.hexdigest()


def _stream_to_file(client: Any, path: Path) -> Any:
    """A 50 MiB download written to `path` through with_streaming_response, sync or async; returns its headers."""
    call = client.files.with_streaming_response.download(name="big", megabytes=50)
    if inspect.iscoroutinefunction(client.files.download):

        async def run() -> Any:
            async with call as response:
                await response.write_to_file(path)
                return response.status_code, response.request_id

        return run()
    with call as response:
        response.write_to_file(path)
        return response.status_code, response.request_id


def test_a_streamed_download_is_written_to_a_file_without_being_held_in_memory(
    call: Call, server: FeatureServer, tmp_path: Path
) -> None:
    """Issue 17's done-when: a 50 MB download streamed with peak memory growing by less than 10 MB."""
    import hashlib
    import tracemalloc

    target = tmp_path / "download.bin"
    call(lambda c: c.notes.retrieve(note_id="warm-up"))  # imports and connections before measuring
    tracemalloc.start()
    try:
        status, request_id = call(lambda c: _stream_to_file(c, target))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (status, request_id) == (200, "req-download")
    assert target.stat().st_size == 50 << 20
    assert hashlib.sha256(target.read_bytes()).hexdigest() == _expected_download(50)
    assert peak < 10 << 20, f"peak {peak >> 20} MiB for a 50 MiB download"


def test_a_streamed_response_offers_chunks_text_lines_and_parse(features: Any, server: FeatureServer) -> None:
    with features.Client(base_url=server.base_url) as client:
        with client.files.with_streaming_response.download(name="small", megabytes=2) as response:
            assert response.headers["content-type"] == "application/octet-stream"
            sizes = [len(chunk) for chunk in response.iter_bytes(1 << 19)]
        assert sizes == [1 << 19] * 4
        with client.events.with_streaming_response.export_notes() as response:
            assert [line for line in response.iter_lines() if line] == [
                '{"id": "1", "title": "a"}',
                '{"id": "2", "title": "b"}',
            ]
        with client.notes.with_streaming_response.retrieve(note_id="n1") as response:
            note = response.parse()
        assert isinstance(note, features.models.Note) and note.id == "n1"
        with pytest.raises(features.NotFoundError):  # an error status raises when the call is entered
            with client.notes.with_streaming_response.retrieve(note_id="missing"):
                pass


def test_an_async_streamed_response_offers_the_same(features: Any, server: FeatureServer) -> None:
    async def run() -> tuple[list[int], Any, str]:
        async with features.AsyncClient(base_url=server.base_url) as client:
            async with client.files.with_streaming_response.download(name="small", megabytes=2) as response:
                sizes = [len(chunk) async for chunk in response.iter_bytes(1 << 19)]
            async with client.notes.with_streaming_response.retrieve(note_id="n1") as response:
                note = await response.parse()
            async with client.events.with_streaming_response.export_notes() as response:
                text = "".join([part async for part in response.iter_text()])
            return sizes, note, text

    sizes, note, text = asyncio.run(run())
    assert sizes == [1 << 19] * 4 and note.id == "n1" and text.count("title") == 2


TYPICAL_CALLS = """
import uuid

from upvest_investment_client import AsyncClient, Client

client = Client(base_url="https://upvest.test", access_token="t")
reveal_type(client.reports.retrieve(report_id=uuid.uuid4(), accept="application/pdf"))
reveal_type(client.reports.retrieve(report_id=uuid.uuid4()))
reveal_type(client.orders.list())
with client.reports.with_streaming_response.retrieve(report_id=uuid.uuid4()) as response:
    reveal_type(response.parse())


async def main() -> None:
    async_client = AsyncClient(base_url="https://upvest.test", access_token="t")
    reveal_type(await async_client.orders.retrieve(order_id=uuid.uuid4()))
    reveal_type(await async_client.reports.retrieve(report_id=uuid.uuid4(), accept="application/pdf"))
    async for order in async_client.orders.list():
        reveal_type(order)
"""


def test_pyright_reports_no_error_and_resolves_typical_calls(tmp_path: Path) -> None:
    """The generated Upvest client (output/) and a script of typical calls: no pyright error; the accept
    overloads give BinaryContent for a PDF, async results are the awaited types."""
    import subprocess

    script = tmp_path / "calls.py"
    script.write_text(TYPICAL_CALLS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--pythonpath", sys.executable, str(script), "upvest_investment_client"],
        cwd=ROOT / "output",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0 and "0 errors" in result.stdout, result.stdout + result.stderr
    revealed = re.findall(r' is "([^"]+)"$', result.stdout, re.MULTILINE)
    assert revealed == [
        "BinaryContent",
        "Report",
        "SyncPage[Order]",
        "Report",  # parse() of a streamed call: its first overload, the default media type
        "Order",
        "BinaryContent",
        "Order",
    ], result.stdout


def _walk(result: Any) -> Any:
    """Every item of a list method's pages: the sync page iterated, or the async paginator."""
    if hasattr(result, "__aiter__"):

        async def collect() -> list[Any]:
            return [item async for item in result]

        return collect()
    return list(result)


@pytest.mark.parametrize(
    ("method", "arguments", "requests"),
    [
        ("list_numbered", {"per_page": 2}, 3),
        ("list_by_cursor", {"limit": 2}, 3),
        ("list_after", {"limit": 2}, 3),
        ("list_by_next_url", {"size": 2}, 3),
        ("list_by_link", {"per_page": 2}, 3),
    ],
)
def test_every_paging_style_walks_to_the_end(
    call: Call, server: FeatureServer, method: str, arguments: dict[str, Any], requests: int
) -> None:
    """Issue 17: page number, cursor from a response field, cursor from the last item (starting_after +
    has_more), a next-page URL in the body, and the Link header: `for item in client.x.list()` walks them all."""
    notes = call(lambda c: _walk(getattr(c.pages, method)(**arguments)))
    assert [n.id for n in notes] == ["n1", "n2", "n3", "n4", "n5"]
    assert len(server.requests) == requests


def test_pages_move_one_at_a_time(features: Any, server: FeatureServer) -> None:
    with features.Client(base_url=server.base_url) as client:
        page = client.pages.list_by_cursor(limit=2)
        assert [n.id for n in page.data] == ["n1", "n2"] and page.has_next_page()
        second = page.next_page()
        assert [n.id for n in second.data] == ["n3", "n4"]
        assert sorted(server.requests[-1].query) == [("cursor", "2"), ("limit", "2")]
        last = second.next_page()
        assert [n.id for n in last.data] == ["n5"] and not last.has_next_page()
        with pytest.raises(features.PaginationError, match="last page"):
            last.next_page()
        assert [len(p.data) for p in client.pages.list_numbered(per_page=2).iter_pages()] == [2, 2, 1]


def test_a_server_that_answers_the_same_page_again_stops_the_walk(
    call: Call, features: Any, server: FeatureServer
) -> None:
    with pytest.raises(features.PaginationError, match="same next page twice"):
        call(lambda c: _walk(c.pages.list_stuck()))
    assert len(server.requests) == 2  # the first page, then the one its cursor named; never a third


def test_the_link_header_is_followed_only_on_the_apis_origin(call: Call, features: Any, server: FeatureServer) -> None:
    """rel="first" points elsewhere and is ignored; a rel="next" to another origin is refused, not followed (the
    client's credentials would go there)."""
    with pytest.raises(features.PaginationError, match="not on the API's origin"):
        call(lambda c: _walk(c.pages.list_by_link(per_page=2, extra_query={"elsewhere": "1"})))
    assert len(server.requests) == 1


# -- review findings (issue 17), each with the scenario that showed it --------------------------------------------


class _Pipe:
    """A stream that cannot seek back (a pipe, a socket): read once."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        chunk, self._data = (self._data, b"") if size < 0 else (self._data[:size], self._data[size:])
        return chunk


def test_a_body_that_cannot_be_read_again_is_not_retried(call: Call, features: Any, server: FeatureServer) -> None:
    """A 503 used to be retried with what was left of the stream: an empty body the server accepted."""
    key = f"pipe-{time.monotonic()}"
    with pytest.raises(features.ServiceUnavailableError):
        call(lambda c: c.files.put_blob(name="flaky", body=_Pipe(b"data"), extra_headers={"x-attempt-key": key}))
    assert [r.body for r in server.requests] == [b"data"]


def test_text_is_no_file(call: Call, server: FeatureServer) -> None:
    with pytest.raises(TypeError, match="the body is a file"):
        call(lambda c: c.files.put_blob(name="x", body="photo.jpg"))
    assert server.requests == []


def test_stream_lines_break_only_at_cr_and_lf_and_events_need_data(features: Any) -> None:
    """U+2028 inside JSON is no line break; `event: ping` without data is no event; CRLF split across chunks."""
    import httpx

    body = [b"event: ping\r", b"\n\r\n", 'data: {"type": "a\u2028b", "note_id": "n1"}\r\n\r\n'.encode()]
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(body))
    )
    with features.Client(base_url="https://api.example.com", http_client=httpx.Client(transport=transport)) as client:
        with client.events.follow() as events:
            assert [(e.type, e.note_id) for e in events] == [("a\u2028b", "n1")]


def test_a_relative_next_link_is_read_against_the_page_that_gave_it(features: Any) -> None:
    import httpx

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        page = int(request.url.params.get("page", "1"))
        link = {"link": '<?page=2&per_page=2>; rel="next"'} if page == 1 else {}
        return httpx.Response(200, json=_PAGED[(page - 1) * 2 : page * 2], headers=link)

    transport = httpx.MockTransport(answer)
    with features.Client(base_url="https://api.example.com/v1", http_client=httpx.Client(transport=transport)) as c:
        assert [n.id for n in c.pages.list_by_link(per_page=2)] == ["n1", "n2", "n3", "n4"]
    assert seen[1] == "https://api.example.com/v1/pages/link?page=2&per_page=2"


def test_a_server_that_ignores_the_page_number_stops_the_walk(features: Any) -> None:
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=_PAGED[:2]))
    with features.Client(base_url="https://api.example.com", http_client=httpx.Client(transport=transport)) as c:
        with pytest.raises(features.PaginationError, match="same next page twice"):
            list(c.pages.list_numbered(per_page=2))


def test_with_options_on_another_base_url_keeps_tokens_apart(features: Any) -> None:
    with features.Client(base_url="https://prod.example.com") as client:
        assert client.with_options(timeout=3.0)._tokens is client._tokens
        assert client.with_options(base_url="https://sandbox.example.com")._tokens is not client._tokens


def test_a_broken_error_body_on_a_stream_is_retried_like_a_broken_send(features: Any) -> None:
    """Reading a streamed call's 503 body failed with a raw httpx.ReadError after one attempt."""
    import httpx

    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            raise httpx.ReadError("connection reset while reading the body")

    attempts: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return httpx.Response(503, stream=Broken())
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=_EVENTS[1] + _EVENTS[2])

    transport = httpx.MockTransport(answer)
    with features.Client(base_url="https://api.example.com", http_client=httpx.Client(transport=transport)) as client:
        with client.with_options(
            retry=features.RetryPolicy(initial_delay=0.0, max_delay=0.0)
        ).events.follow() as events:
            assert [e.type for e in events] == ["created"]
    assert len(attempts) == 2


def test_models_show_public_names_unless_a_field_takes_the_modules_name(
    features: Any, upvest_client_path: Path
) -> None:
    """help(Note) and hovers show `datetime.date`, not `_dt.date`; a class with a field called `uuid` keeps the
    private alias (pydantic reads annotations in the class's namespace, where the field's default would hide the
    module), and both validate."""
    import datetime

    assert features.models.Note.__annotations__["due"] == "datetime.date | None"
    assert features.models.Note.model_validate({"id": "1", "title": "t", "due": "2026-12-04"}).due == datetime.date(
        2026, 12, 4
    )
    upvest = importlib.import_module("upvest_investment_client.models")
    assert upvest.PositionInstrument.__annotations__["uuid"] == "_uuid.UUID"
    assert upvest.Order.__annotations__["created_at"] == "datetime.datetime"
    assert str(
        upvest.PositionInstrument.model_validate({"uuid": "6f1c7d1e-0000-4000-8000-000000000000"}).uuid
    ).startswith("6f1c")


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_is_never_followed_and_is_a_result_only_where_declared(features: Any, status: int) -> None:
    """A caller's client that follows redirects is overridden: a declared 302 is the method's result (its
    `Location` for the caller to use), any other 3xx a `RedirectError`; the new location is never requested."""
    import httpx

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(status, headers={"location": "https://elsewhere.example/file"})

    http = httpx.Client(transport=httpx.MockTransport(answer), follow_redirects=True)
    with features.Client(base_url="https://api.example.com", http_client=http) as client:
        if status == 302:
            result = client.files.download_link(name="a")
            assert result.status_code == 302 and result.headers["location"] == "https://elsewhere.example/file"
        else:
            with pytest.raises(features.RedirectError, match="elsewhere.example") as caught:
                client.files.download_link(name="a")
            assert caught.value.location == "https://elsewhere.example/file"
        with pytest.raises(features.RedirectError) as caught:
            client.files.download(name="a")  # declares no redirect
        assert caught.value.status_code == status
    assert seen == ["https://api.example.com/downloads/a/link", "https://api.example.com/downloads/a"]


def test_a_streamed_item_nested_too_deeply_is_a_package_error(features: Any) -> None:
    import httpx

    deep = b"[" * 200_000 + b"]" * 200_000
    body = b'{"id": "n1", "title": "first"}\n' + deep + b"\n"
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "application/x-ndjson"}, content=body)
    )
    with features.Client(base_url="https://api.example.com", http_client=httpx.Client(transport=transport)) as client:
        with client.events.export_notes() as notes:
            items = iter(notes)
            assert next(items).id == "n1"
            with pytest.raises(features.APIResponseValidationError, match="nested too deeply"):
                next(items)


class _Wrapped:
    """A transport of the caller's own (not httpx's HTTPTransport): one the client cannot bound in this thread."""

    def __init__(self) -> None:
        import httpx

        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: Any) -> Any:
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@pytest.mark.parametrize("phase", ["headers", "body"])
@pytest.mark.parametrize(
    "asynchronous,transport", [(False, "own"), (False, "wrapped"), (True, "own")], ids=["sync", "sync-wrapped", "async"]
)
def test_a_server_that_answers_a_byte_at_a_time_cannot_hold_a_call_past_its_deadline(
    features: Any, phase: str, asynchronous: bool, transport: str
) -> None:
    """Each read ends well within the read timeout (5 s), the whole answer would take 20 s: the deadline (1 s)
    bounds the call, sync (each read's timeout is what is left of it; with a transport of the caller's own, the
    send runs in a thread the call stops waiting for) and async (cancelled)."""
    import asyncio

    import httpx
    from drip_server import DripServer

    with DripServer(phase, every=0.05) as server:
        with pytest.raises(features.APITimeoutError, match="deadline of 1.0s"):
            if asynchronous:

                async def run() -> None:
                    async with features.AsyncClient(base_url=server.base_url, timeout=5.0) as client:
                        await client.notes.retrieve(note_id="n1", options={"deadline": 1.0, "max_retries": 0})

                asyncio.run(run())
            else:
                http = httpx.Client(transport=_Wrapped(), timeout=5.0) if transport == "wrapped" else None  # type: ignore[arg-type]
                with features.Client(base_url=server.base_url, timeout=5.0, http_client=http) as client:
                    client.notes.retrieve(note_id="n1", options={"deadline": 1.0, "max_retries": 0})
                    assert client._bounded is (transport == "own")
        # it used to take the whole 20 s, every read coming in under the read timeout: the call must end while
        # its answer is still dripping (checked inside the block: leaving it stops the server)
        assert server.completed == 0
    assert server.requests == 1


def test_a_fast_answer_within_a_deadline_is_not_held_up(features: Any) -> None:
    from drip_server import DripServer

    with DripServer("body", every=0.001) as server:
        with features.Client(base_url=server.base_url, timeout=5.0) as client:
            note = client.notes.retrieve(note_id="n1", options={"deadline": 30.0})
    assert note.id == "n1"


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_body_that_cannot_be_decoded_is_a_package_error(features: Any, asynchronous: bool) -> None:
    """httpx's DecodingError (a broken gzip stream) escaped as itself: every failure to read a response is an error
    of the package."""
    import asyncio

    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=b"this is not gzip")

    with pytest.raises(features.APIConnectionError, match="could not be read.*DecodingError"):
        if asynchronous:

            async def run() -> None:
                http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
                async with features.AsyncClient(base_url="https://api.example.com", http_client=http) as client:
                    await client.notes.retrieve(note_id="n1")

            asyncio.run(run())
        else:
            http = httpx.Client(transport=httpx.MockTransport(answer))
            with features.Client(base_url="https://api.example.com", http_client=http) as client:
                client.notes.retrieve(note_id="n1")


def test_a_client_with_mounted_transports_or_used_connections_is_bounded_from_a_helper_thread(
    features: Any, server: FeatureServer
) -> None:
    """Connections the deadline wrapper cannot reach (a proxy from the environment is a mounted transport; a pool
    already in use holds connections made without it): the sync calls run in a helper thread instead."""
    import httpx

    mounted = httpx.Client(mounts={"http://": httpx.HTTPTransport()}, timeout=5.0)
    used = httpx.Client(timeout=5.0)
    used.get(server.base_url + "/notes/n1")
    assert used._transport._pool.connections  # kept alive
    for http in (mounted, used):
        with features.Client(base_url=server.base_url, http_client=http) as client:
            assert client.notes.retrieve(note_id="n1").id == "n1"
            assert client._bounded is False
    with features.Client(base_url=server.base_url, timeout=5.0) as client:
        assert client.notes.retrieve(note_id="n1").id == "n1" and client._bounded is True
