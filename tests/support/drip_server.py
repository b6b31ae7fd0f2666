"""A server on 127.0.0.1 that answers every request slowly: its headers (`phase="headers"`) or its body
(`phase="body"`) one byte at a time, `every` seconds apart, so that each read a client makes finishes well
within any read timeout while the whole answer takes `len(answer) * every` seconds. For deadline tests."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from typing import Any

BODY = b'{"id": "n1", "title": "' + b"x" * 200 + b'"}'


class DripServer:
    def __init__(self, phase: str, every: float = 0.05) -> None:
        self.phase = phase
        self.every = every
        self.requests = 0
        #: answers sent to their last byte: 0 after a call means the call ended while its answer was still dripping
        self.completed = 0
        self._stop = threading.Event()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner.requests += 1
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = self.request.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                head += b"content-length: %d\r\nx-padding: " % len(BODY) + b"p" * 200 + b"\r\n\r\n"
                slow, fast = (head, b"") if owner.phase == "headers" else (BODY, head)
                try:
                    self.request.sendall(fast)
                    for index in range(len(slow)):
                        if owner._stop.wait(owner.every):
                            return
                        self.request.sendall(slow[index : index + 1])
                    if owner.phase == "headers":
                        self.request.sendall(BODY)
                    owner.completed += 1
                except OSError:  # the client gave up and closed the connection
                    return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> DripServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
