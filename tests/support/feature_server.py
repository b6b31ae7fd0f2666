"""A small HTTP server on 127.0.0.1 for end-to-end tests of generated clients' surface (issue 17).

Stdlib only (``http.server.ThreadingHTTPServer`` in a background thread). Routes are plain functions that get
the recorded request and answer with a status, headers and a body: bytes, or an iterable of bytes written as the
iterable gives them (chunked: streamed responses). Every request is recorded, so a test can check what reached
the wire, and that nothing did when the client had to refuse a call before sending it.

    def note(request: Recorded) -> Reply:
        return Reply(200, {"id": request.path_parts[-1]})

    with FeatureServer({("GET", "/notes/{id}"): note}) as server:
        server.base_url, server.requests
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import http.server
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    """One request as the server read it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    #: the values of the route's `{placeholders}`
    params: dict[str, str] = field(default_factory=dict)
    #: for a body read without keeping it (`FeatureServer(hashed=...)`): its length and SHA-256
    length: int = 0
    sha256: str = ""

    def json(self) -> Any:
        return json.loads(self.body)

    def parts(self) -> list[tuple[str, str | None, str | None, bytes]]:
        """A multipart/form-data body's parts: (name, filename, content type, content)."""
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: " + self.headers["content-type"].encode() + b"\r\n\r\n" + self.body
        )
        found = []
        for part in message.iter_parts():
            content = part.get_payload(decode=True)
            found.append(
                (
                    str(part.get_param("name", header="content-disposition")),
                    part.get_filename(),
                    part.get("content-type"),
                    content if isinstance(content, bytes) else b"",
                )
            )
        return found


@dataclass
class Reply:
    status: int = 200
    #: JSON-able data, bytes, or an iterable of byte chunks (sent chunked, each flushed as it comes)
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


Route = Callable[[Recorded], Reply]


class FeatureServer:
    """Routes keyed by (method, path template); anything else answers 404 with a problem document."""

    def __init__(self, routes: Mapping[tuple[str, str], Route], *, hashed: tuple[str, ...] = ()) -> None:
        self.requests: list[Recorded] = []
        #: path prefixes whose request bodies are read a chunk at a time and hashed, not kept (big uploads)
        self.hashed = hashed
        self._routes = [(method, _pattern(template), route) for (method, template), route in routes.items()]
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FeatureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, recorded: Recorded) -> Reply:
        self.requests.append(recorded)
        for method, pattern, route in self._routes:
            match = pattern.fullmatch(recorded.path)
            if method == recorded.method and match:
                recorded.params = match.groupdict()
                return route(recorded)
        return Reply(404, {"type": "about:blank", "title": "Not Found", "status": 404})


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts)))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: FeatureServer


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - no stderr log
        pass

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        digest = hashlib.sha256()
        kept: list[bytes] = []
        keep = not url.path.startswith(self.server.owner.hashed) if self.server.owner.hashed else True
        size = 0
        for chunk in self._body_chunks():
            size += len(chunk)
            digest.update(chunk)
            if keep:
                kept.append(chunk)
        recorded = Recorded(
            self.command,
            url.path,
            parse_qsl(url.query, keep_blank_values=True),
            {k.lower(): v for k, v in self.headers.items()},
            b"".join(kept),
            length=size,
            sha256=digest.hexdigest(),
        )
        reply = self.server.owner.answer(recorded)
        self.send_response(reply.status)
        headers = {k.lower(): v for k, v in reply.headers.items()}
        if isinstance(reply.body, (bytes, bytearray)) or reply.body is None or not _is_stream(reply.body):
            data = (
                bytes(reply.body)
                if isinstance(reply.body, (bytes, bytearray))
                else b"" if reply.body is None else json.dumps(reply.body).encode()
            )
            if reply.body is not None and not isinstance(reply.body, (bytes, bytearray)):
                headers.setdefault(
                    "content-type", "application/problem+json" if reply.status >= 400 else "application/json"
                )
            headers["content-length"] = str(len(data))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            return
        headers["transfer-encoding"] = "chunked"
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            for chunk in reply.body:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client closed the stream early
            self.close_connection = True

    do_POST = do_DELETE = do_PATCH = do_PUT = do_GET

    def _body_chunks(self) -> Iterator[bytes]:
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return
                yield self.rfile.read(size)
                self.rfile.readline()
        left = int(self.headers.get("content-length") or 0)
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _is_stream(body: Any) -> bool:
    return isinstance(body, Iterable) and not isinstance(body, (str, dict, list))
