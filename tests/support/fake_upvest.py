"""A fake Upvest Investment API on 127.0.0.1 for end-to-end tests of the generated client.

Stdlib only (``http.server.ThreadingHTTPServer`` in a background thread) plus ``cryptography`` through
``signing_verifier``. Every request is checked the way Upvest documents it (see ../shared/UPVEST.md): the
``upvest-signature-version`` and ``upvest-client-id`` headers, an HTTP message signature (scheme 15) verified with
the independent verifier, a bearer token with the right scopes, an ``idempotency-key`` on creating POSTs (replayed,
never applied twice). Routes, bodies and responses follow specs/upvest-investment-api.yaml.

    with FakeUpvest(token_ttl=2) as server:
        server.base_url, server.client_id, server.client_secret
        server.client_key_id, server.client_private_key_pem   # a P-521 tenant key, unless public_keys= is given
        server.faults.add("POST", "/orders", "reset", apply_before_fault=True)
        ...
        server.requests, server.token_requests, server.created_users, server.placed_orders

Problems answer ``application/problem+json`` with type, status, title, detail, instance, request_id; every response
carries ``upvest-request-id``. Status codes used: 400 (malformed request, bad signature-version header, bad
parameters, missing/invalid idempotency-key, authorization header on the token request), 401 (bad client id,
bad signature, bad credentials, missing/unknown/expired token; title "Unauthorized"), 403 (scope), 404, 405, 406,
422 (order rules, idempotency key reused with a different request), plus whatever faults inject.

Routes: POST /auth/token; GET /auth/verify_keys (no token needed: the spec gives it ``security: []``; still signed);
GET/POST /users; GET/DELETE /users/{user_id}; GET/POST /orders; GET/DELETE /orders/{order_id}.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import http.server
import json
import math
import re
import secrets
import socket
import struct
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

try:  # imported as tests.fake_upvest or as a top-level module (pytest puts tests/ on sys.path)
    from .signing_verifier import (
        SignatureError,
        VerifiedSignature,
        jwk_from_public_key,
        sign_request,
        verify_request,
    )
except ImportError:  # pragma: no cover - depends on how the module is imported
    from signing_verifier import (  # type: ignore[no-redef]
        SignatureError,
        VerifiedSignature,
        jwk_from_public_key,
        sign_request,
        verify_request,
    )

__all__ = [
    "FakeUpvest",
    "FaultPlan",
    "Fault",
    "RecordedRequest",
    "SCOPES",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
]

DEFAULT_CLIENT_ID = "b23d470f-1610-47ae-905e-c7e120fe3990"
DEFAULT_CLIENT_SECRET = "fake-upvest-client-secret"

SCOPES = (
    "users:read",
    "users:admin",
    "accounts:read",
    "accounts:admin",
    "orders:read",
    "orders:admin",
    "positions:read",
    "instruments:read",
    "reports:read",
    "webhooks:read",
    "webhooks:admin",
    "fees:read",
    "fees:admin",
)

ERROR_TYPE_BASE = "https://docs.upvest.co/errors/"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    408: "Request Timeout",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_TYPES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_ISIN = re.compile(r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POSTCODE = re.compile(r"^[a-zA-Z0-9\s\-]{1,10}$")
_PHONE = re.compile(r"^([0-9]{8,15})?$")


def _iso(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------------------------
# Records and faults
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One HTTP request as the fake received it, and what became of it.

    ``outcome`` is one of: ok, replayed, bad_request, signature_error, unauthorized, token_expired, forbidden,
    not_found, method_not_allowed, not_acceptable, unprocessable, server_error, fault_status, fault_reset,
    fault_reset_after_apply, fault_status_after_apply (the last two: the request WAS applied, the response lost).
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    time: float
    request_id: str = ""
    token_scopes: frozenset[str] | None = None
    outcome: str = "pending"
    status: int | None = None
    detail: str | None = None
    signature: VerifiedSignature | None = None
    fault: str | None = None

    def json(self) -> Any:
        return json.loads(self.body)


FAULT_KINDS = ("reset", "status", "delay", "expire_token", "body")


@dataclass
class Fault:
    method: str
    path_prefix: str
    kind: str
    times: int
    kw: dict[str, Any] = field(default_factory=dict)
    released: threading.Event = field(default_factory=threading.Event)
    #: answers this fault has let go after its pause: 0 after a call means the call ended while the server still
    #: held its answer (a test of a deadline, with no clock read)
    let_go: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and path.startswith(self.path_prefix)

    def pause(self, seconds: float) -> None:
        """Waits `seconds`, or until `release()` (or the plan's `clear()`) lets the answer go."""
        self.released.wait(seconds)
        self.let_go += 1

    def release(self) -> None:
        self.released.set()


class FaultPlan:
    """Programmed faults, consumed in the order they were added (first matching fault with attempts left).

    ``add(method, path_prefix, kind, times=1, **kw)``; ``method`` may be "*". Kinds and keywords:

    * ``"reset"``: read the request, then drop the connection without a response (TCP RST; ``graceful=True`` for a
      plain close). ``apply_before_fault=True`` first processes the request (e.g. creates the order) and then drops
      the response.
    * ``"status"``: answer ``status=`` (429, 500, 502, 503, 504, 408, ...) with a problem+json body (``after=``
      seconds later, or sooner if the fault is released);
      ``retry_after=`` sets a Retry-After header; ``headers=`` adds more; ``apply_before_fault=True`` processes
      the request first (the effect happens, the client sees only the error).
    * ``"delay"``: wait ``seconds=`` before processing (or, with ``apply_before_fault=True``, after processing and
      before answering), or until the fault is released: ``Fault.let_go`` counts the answers it has let go, so
      that a test can tell, with no clock, that a call ended while the server still held its answer.
    * ``"expire_token"``: the presented bearer token is treated as expired from now on -> 401.
    * ``"body"``: answer ``status=`` (default 200) with ``content=`` bytes as they are, of ``content_type=``
      (default application/json): a malformed or hostile response.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._given: list[Fault] = []  # every fault added, used up or not: clear() releases them all
        self.fired: list[tuple[str, str, str]] = []  # (kind, method, path)

    def add(self, method: str, path_prefix: str, kind: str, times: int = 1, **kw: Any) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {FAULT_KINDS}")
        allowed = {
            "reset": {"apply_before_fault", "graceful"},
            "status": {"status", "retry_after", "headers", "apply_before_fault", "detail", "after"},
            "delay": {"seconds", "apply_before_fault"},
            "expire_token": set(),
            "body": {"status", "content", "content_type"},
        }[kind]
        unknown = set(kw) - allowed
        if unknown:
            raise TypeError(f"fault {kind!r} takes no {sorted(unknown)}")
        if kind == "status" and "status" not in kw:
            raise TypeError("a 'status' fault needs status=")
        if kind == "delay" and "seconds" not in kw:
            raise TypeError("a 'delay' fault needs seconds=")
        if times < 1:
            raise ValueError("times must be >= 1")
        fault = Fault(method.upper(), path_prefix, kind, times, dict(kw))
        with self._lock:
            self._faults.append(fault)
            self._given.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    self.fired.append((fault.kind, method, path))
                    return fault
        return None

    def clear(self) -> None:
        """Forgets the faults not yet used up, and lets every answer held by a fault go."""
        with self._lock:
            self._faults.clear()
        self.release()

    def release(self) -> None:
        """Lets every answer held by a fault go."""
        with self._lock:
            for fault in self._given:
                fault.release()

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)


# ---------------------------------------------------------------------------------------------------------------
# Internal plumbing
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    outcome: str = "ok"
    detail: str | None = None


@dataclass
class _Token:
    scopes: frozenset[str]
    expires_at: float
    expired: bool = False


@dataclass
class _IdempotencyEntry:
    fingerprint: str
    done: threading.Event
    response: _Response | None = None
    error: _HTTPError | None = None


class _HTTPError(Exception):
    def __init__(self, status: int, detail: str, outcome: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.outcome = outcome
        self.headers = headers or {}


_OUTCOMES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    422: "unprocessable",
    500: "server_error",
}


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: str
    scopes: tuple[tuple[str, ...], ...] | None  # alternatives; None = no token needed
    idempotent: bool = False


def _route(method: str, template: str, handler: str, scopes: Iterable[Iterable[str]] | None, idempotent: bool = False):
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
    return _Route(
        method, re.compile(regex), handler, None if scopes is None else tuple(tuple(s) for s in scopes), idempotent
    )


_ROUTES = [
    _route("GET", "/auth/verify_keys", "_get_jwks", None),
    _route("GET", "/users", "_list_users", [["users:read"], ["users:admin"]]),
    _route("POST", "/users", "_create_user", [["users:admin"]], idempotent=True),
    _route("GET", "/users/{user_id}", "_retrieve_user", [["users:read"], ["users:admin"]]),
    _route("DELETE", "/users/{user_id}", "_offboard_user", [["users:admin"]]),
    _route("GET", "/orders", "_list_orders", [["orders:read"], ["orders:admin"]]),
    _route("POST", "/orders", "_place_order", [["orders:admin"]], idempotent=True),
    _route("GET", "/orders/{order_id}", "_retrieve_order", [["orders:read"], ["orders:admin"]]),
    _route("DELETE", "/orders/{order_id}", "_cancel_order", [["orders:admin"]]),
    _route("GET", "/webhooks", "_list_webhooks", [["webhooks:read"], ["webhooks:admin"]]),
    _route("POST", "/webhooks", "_create_webhook", [["webhooks:admin"]]),
    _route("GET", "/webhooks/{webhook_id}", "_retrieve_webhook", [["webhooks:read"], ["webhooks:admin"]]),
]

_FIRST_NAMES = ["Jane", "John", "Erika", "Max", "Lena", "Paul", "Mia", "Jonas", "Sofia", "Felix"]
_LAST_NAMES = ["Doe", "Mustermann", "Schmidt", "Meyer", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Koch"]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    fake: FakeUpvest


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the default stderr log
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.fake._handle(self)

    do_POST = do_DELETE = do_PATCH = do_PUT = do_HEAD = do_OPTIONS = do_GET

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, response: _Response, request_id: str) -> None:
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("content-type", response.content_type)
            self.send_header("content-length", str(len(response.body)))
            self.send_header("upvest-request-id", request_id)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. it timed out during a delay fault)
            self.close_connection = True

    def reset(self, graceful: bool) -> None:
        self.close_connection = True
        try:
            if not graceful:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------------------------
# The fake
# ---------------------------------------------------------------------------------------------------------------


class FakeUpvest:
    """Fake Upvest API server; use as a context manager (``with FakeUpvest() as server``) or start()/stop().

    ``public_keys``: keyid -> public key (EC P-256/P-384/P-521 or Ed25519) that may sign requests. When omitted,
    a P-521 tenant key is generated: ``client_key_id``, ``client_private_key`` (object) and
    ``client_private_key_pem`` (PKCS#8 PEM bytes). ``strict_signature_components=True`` additionally requires what
    Upvest's profile lists: ``@query`` when there is a query, ``idempotency-key`` and ``accept`` when present,
    ``content-type`` and ``content-length`` with a body.
    """

    def __init__(
        self,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        public_keys: Mapping[str, Any] | None = None,
        token_ttl: float = 1800,
        require_signature_version: str | None = "15",
        strict_signature_components: bool = False,
        max_signature_age: int = 300,
        require_nonce: bool = False,
        reject_nonce_reuse: bool = False,
        users: int = 3,
        unknown_fields: bool = False,
        unknown_enum_values: bool = False,
        webhook_keys: int = 1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.client_key_id: str | None = None
        self.client_private_key: ec.EllipticCurvePrivateKey | None = None
        self.client_private_key_pem: bytes | None = None
        if public_keys is None:
            self.client_key_id = str(uuid.uuid4())
            self.client_private_key = ec.generate_private_key(ec.SECP521R1())
            self.client_private_key_pem = self.client_private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            public_keys = {self.client_key_id: self.client_private_key.public_key()}
        self.public_keys: dict[str, Any] = dict(public_keys)
        self.token_ttl = token_ttl
        self.require_signature_version = require_signature_version
        self.strict_signature_components = strict_signature_components
        self.max_signature_age = max_signature_age
        self.require_nonce = require_nonce
        self.reject_nonce_reuse = reject_nonce_reuse
        self.unknown_fields = unknown_fields
        self.unknown_enum_values = unknown_enum_values
        self.clock = clock

        self.faults = FaultPlan()
        self.requests: list[RecordedRequest] = []
        self.token_requests: list[tuple[str, float]] = []
        self.errors: list[str] = []  # tracebacks of unexpected exceptions inside the fake
        self.created_users = 0
        self.placed_orders = 0
        self.users: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}  # webhook subscriptions (POST /webhooks)
        self.tokens: dict[str, _Token] = {}

        self.webhook_private_keys: dict[str, ec.EllipticCurvePrivateKey] = {}
        for _ in range(webhook_keys):
            self.webhook_private_keys[str(uuid.uuid4())] = ec.generate_private_key(ec.SECP521R1())

        self._lock = threading.RLock()
        self._idempotency: dict[str, _IdempotencyEntry] = {}
        self._nonces: set[tuple[str, str]] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._seq = 0
        self._port: int | None = None
        self.seed_users(users)

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def start(self) -> FakeUpvest:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.release()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeUpvest:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeUpvest is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self) -> str:
        return self.base_url + "/auth/token"

    # -- test helpers ------------------------------------------------------------------------------------------

    @property
    def webhook_key_id(self) -> str:
        """Key id of the first webhook signing key."""
        return next(iter(self.webhook_private_keys))

    @property
    def webhook_public_keys(self) -> dict[str, Any]:
        return {kid: key.public_key() for kid, key in self.webhook_private_keys.items()}

    def jwks(self) -> dict[str, Any]:
        """The body GET /auth/verify_keys answers: the webhook public keys as EC P-521 JWKs."""
        return {"keys": [jwk_from_public_key(key, kid) for kid, key in self.webhook_public_keys.items()]}

    def sign_webhook(
        self,
        body: bytes,
        *,
        method: str = "POST",
        url: str = "https://tenant.example/webhooks/upvest",
        key_id: str | None = None,
        created: int | None = None,
        expires_in: int = 60,
        content_type: str = "application/json",
    ) -> dict[str, str]:
        """Headers of a webhook delivery of ``body`` to ``url``, signed with the webhook key (P-521, DER, SHA-512).

        Covers @method, @path, content-digest, content-type, content-length. Returns content-type,
        content-length, content-digest, signature-input and signature (lowercase names). Uses the TEST-ONLY signer.
        """
        kid = key_id or self.webhook_key_id
        headers = {"content-type": content_type, "content-length": str(len(body))}
        return sign_request(
            method,
            url,
            headers,
            body,
            private_key=self.webhook_private_keys[kid],
            keyid=kid,
            components=["@method", "@path", "content-digest", "content-type", "content-length"],
            created=int(self.clock()) if created is None else created,
            expires_in=expires_in,
        )

    def issue_token(self, scopes: Iterable[str], ttl: float | None = None) -> str:
        """Mint a token directly (no HTTP, not recorded in token_requests)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[token] = _Token(frozenset(scopes), self.clock() + (self.token_ttl if ttl is None else ttl))
        return token

    def expire_tokens(self) -> None:
        """Expire every token issued so far."""
        with self._lock:
            for token in self.tokens.values():
                token.expired = True

    def api_requests(self, method: str | None = None, path_prefix: str = "/") -> list[RecordedRequest]:
        """Recorded requests other than token requests, optionally filtered by method and path prefix."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path != "/auth/token" and r.path.startswith(path_prefix) and (method is None or r.method == method)
            ]

    def seed_users(self, count: int) -> list[dict[str, Any]]:
        return [self.add_user() for _ in range(count)]

    def add_user(self, **fields: Any) -> dict[str, Any]:
        """Add a BYOL user directly (not counted in created_users); fields override the generated ones."""
        with self._lock:
            index = len(self.users)
            user = self._new_user(
                {
                    "first_name": _FIRST_NAMES[index % len(_FIRST_NAMES)],
                    "last_name": _LAST_NAMES[index % len(_LAST_NAMES)],
                    "salutation": "",
                    "birth_date": f"19{70 + index % 30:02d}-0{1 + index % 9}-1{index % 10}",
                    "birth_country": "DE",
                    "nationalities": ["DE"],
                    "address": {
                        "address_line1": f"Torstrasse {index + 1}",
                        "postcode": "10119",
                        "city": "Berlin",
                        "country": "DE",
                    },
                    "postal_address": None,
                }
            )
            user.update(fields)
            self.users[user["id"]] = user
            return user

    def add_order(self, **fields: Any) -> dict[str, Any]:
        """Add an order directly (not counted in placed_orders); fields override the generated ones."""
        base = {
            "user_id": next(iter(self.users), str(uuid.uuid4())),
            "account_id": str(uuid.uuid4()),
            "cash_amount": "100.00",
            "currency": "EUR",
            "side": "BUY",
            "instrument_id": "US0378331005",
            "instrument_id_type": "ISIN",
            "order_type": "MARKET",
        }
        base.update(fields)
        with self._lock:
            order = self._new_order(base)
            self.orders[order["id"]] = order
            return order

    # -- request handling --------------------------------------------------------------------------------------

    def _next_moment(self) -> str:
        with self._lock:
            self._seq += 1
            return _iso(_dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(minutes=self._seq))

    def _handle(self, handler: _Handler) -> None:
        request_id = str(uuid.uuid4())
        method = handler.command.upper()
        target = handler.path
        split = urlsplit(target)
        path, query = split.path, split.query
        try:
            body = handler.read_body()
        except (OSError, ValueError):
            handler.close_connection = True
            return
        headers: dict[str, str] = {}
        for name, value in handler.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        record = RecordedRequest(method, path, query, headers, body, self.clock(), request_id=request_id)
        with self._lock:
            self.requests.append(record)

        fault = self.faults.take(method, path)
        before = bool(fault and fault.kw.get("apply_before_fault"))
        if fault is not None:
            record.fault = fault.kind
            if not before:
                if fault.kind == "reset":
                    record.outcome = "fault_reset"
                    handler.reset(bool(fault.kw.get("graceful")))
                    return
                if fault.kind == "status":
                    response = self._fault_response(fault, path, request_id)
                    record.outcome, record.status = "fault_status", response.status
                    fault.pause(float(fault.kw.get("after", 0)))
                    handler.send(response, request_id)
                    return
                if fault.kind == "body":
                    status = int(fault.kw.get("status", 200))
                    content_type = str(fault.kw.get("content_type", "application/json"))
                    response = _Response(status, bytes(fault.kw["content"]), content_type, outcome="fault_body")
                    record.outcome, record.status = "fault_body", status
                    handler.send(response, request_id)
                    return
                if fault.kind == "delay":
                    fault.pause(float(fault.kw["seconds"]))

        try:
            response = self._dispatch(
                record,
                handler,
                method,
                target,
                path,
                query,
                body,
                expire_token=bool(fault and fault.kind == "expire_token"),
            )
        except _HTTPError as exc:
            response = self._problem(exc.status, exc.detail, path, request_id, exc.headers)
            response.outcome = exc.outcome or _OUTCOMES.get(exc.status, "bad_request")
        except Exception:  # noqa: BLE001 - a bug in the fake: answer 500 and keep the traceback
            trace = traceback.format_exc()
            with self._lock:
                self.errors.append(trace)
            response = self._problem(500, "fake server error: " + trace.strip().splitlines()[-1], path, request_id)
            response.outcome = "server_error"

        record.outcome, record.status = response.outcome, response.status
        record.detail = response.detail
        if fault is not None and before:
            if fault.kind == "reset":
                record.outcome, record.status = "fault_reset_after_apply", None
                handler.reset(bool(fault.kw.get("graceful")))
                return
            if fault.kind == "status":
                response = self._fault_response(fault, path, request_id)
                record.outcome, record.status = "fault_status_after_apply", response.status
            elif fault.kind == "delay":
                fault.pause(float(fault.kw["seconds"]))
        handler.send(response, request_id)

    def _fault_response(self, fault: Fault, path: str, request_id: str) -> _Response:
        status = int(fault.kw["status"])
        headers = dict(fault.kw.get("headers") or {})
        if fault.kw.get("retry_after") is not None:
            headers["retry-after"] = str(fault.kw["retry_after"])
        detail = fault.kw.get("detail") or f"injected fault: {status}"
        return self._problem(status, detail, path, request_id, headers)

    def _problem(
        self, status: int, detail: str, path: str, request_id: str, headers: dict[str, str] | None = None
    ) -> _Response:
        body = {
            "type": ERROR_TYPE_BASE + _TYPES.get(status, "error"),
            "status": status,
            "title": _TITLES.get(status, "Error"),
            "detail": detail,
            "instance": path,
            "request_id": request_id,
        }
        return _Response(
            status,
            json.dumps(body).encode(),
            "application/problem+json",
            dict(headers or {}),
            outcome=_OUTCOMES.get(status, "error"),
            detail=detail,
        )

    def _dispatch(
        self,
        record: RecordedRequest,
        handler: _Handler,
        method: str,
        target: str,
        path: str,
        query: str,
        body: bytes,
        *,
        expire_token: bool,
    ) -> _Response:
        headers = record.headers
        if self.require_signature_version is not None:
            version = headers.get("upvest-signature-version")
            if version != self.require_signature_version:
                raise _HTTPError(
                    400, f"upvest-signature-version must be {self.require_signature_version!r}, " f"got {version!r}"
                )
        if "upvest-api-version" in headers and headers["upvest-api-version"] != "1":
            raise _HTTPError(400, "upvest-api-version must be '1'")
        accept = headers.get("accept")
        if accept is not None and not _acceptable(accept):
            raise _HTTPError(406, f"cannot answer with any of accept: {accept}")
        client_id = headers.get("upvest-client-id")
        if client_id is None:
            raise _HTTPError(401, "missing upvest-client-id header")
        if client_id != self.client_id:
            raise _HTTPError(401, "unknown upvest-client-id")

        if path == "/auth/token" and "authorization" in headers:
            raise _HTTPError(400, "the token request must not carry an authorization header")

        # -- signature
        host = headers.get("host") or f"127.0.0.1:{self._port}"
        url = f"http://{host}{target}"
        required = ["@method", "@path", "upvest-client-id"]
        if body:
            required.append("content-digest")
        if "authorization" in headers:
            required.append("authorization")
        if self.strict_signature_components:
            if query:
                required.append("@query")
            for name in ("idempotency-key", "accept"):
                if name in headers:
                    required.append(name)
            if body:
                required += ["content-type", "content-length"]
        try:
            verified = verify_request(
                method,
                url,
                handler.headers,
                body,
                self.public_keys,
                now=int(self.clock()),
                required_components=required,
                max_age=self.max_signature_age,
            )
        except SignatureError as exc:
            raise _HTTPError(401, f"invalid signature: {exc.reason}", "signature_error") from None
        record.signature = verified
        if self.require_nonce and not verified.nonce:
            raise _HTTPError(401, "invalid signature: no nonce", "signature_error")
        if self.reject_nonce_reuse and verified.nonce:
            with self._lock:
                key = (verified.keyid, verified.nonce)
                if key in self._nonces:
                    raise _HTTPError(401, "invalid signature: nonce already used", "signature_error")
                self._nonces.add(key)

        if path == "/auth/token":
            if method != "POST":
                raise _HTTPError(405, f"{method} is not allowed on /auth/token", headers={"allow": "POST"})
            return self._issue_token(headers, body)

        # -- routing
        route, params = None, {}
        allowed = []
        for candidate in _ROUTES:
            match = candidate.pattern.match(path)
            if match:
                allowed.append(candidate.method)
                if candidate.method == method:
                    route, params = candidate, {k: unquote(v) for k, v in match.groupdict().items()}
        if route is None:
            if allowed:
                raise _HTTPError(405, f"{method} is not allowed on {path}", headers={"allow": ", ".join(allowed)})
            raise _HTTPError(404, f"no route {path}")

        # -- token and scopes
        if route.scopes is not None:
            scopes = self._authorize(headers, expire_token)
            record.token_scopes = scopes
            if not any(set(alternative) <= scopes for alternative in route.scopes):
                wanted = " or ".join(" ".join(a) for a in route.scopes)
                raise _HTTPError(403, f"token scopes {' '.join(sorted(scopes))!r} do not include {wanted}")

        query_params = _parse_query(query)
        run = lambda: getattr(self, route.handler)(params, query_params, headers, body)  # noqa: E731
        if not route.idempotent:
            return run()
        key = headers.get("idempotency-key")
        if not key:
            raise _HTTPError(400, "missing idempotency-key header")
        if not _UUID.match(key):
            raise _HTTPError(400, "idempotency-key must be a UUID")
        return self._idempotent(key, f"{method} {path} {hashlib.sha256(body).hexdigest()}", run)

    def _authorize(self, headers: Mapping[str, str], expire_token: bool) -> frozenset[str]:
        authorization = headers.get("authorization")
        if not authorization:
            raise _HTTPError(401, "missing authorization header")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _HTTPError(401, "authorization must be 'Bearer <token>'")
        with self._lock:
            entry = self.tokens.get(token.strip())
            if entry is None:
                raise _HTTPError(401, "unknown access token")
            if expire_token:
                entry.expired = True
            if entry.expired or self.clock() >= entry.expires_at:
                entry.expired = True
                raise _HTTPError(401, "access token expired", "token_expired")
            return entry.scopes

    def _idempotent(self, key: str, fingerprint: str, run: Callable[[], _Response]) -> _Response:
        with self._lock:
            entry = self._idempotency.get(key)
            owner = entry is None
            if owner:
                entry = _IdempotencyEntry(fingerprint, threading.Event())
                self._idempotency[key] = entry
        assert entry is not None
        if not owner:
            if entry.fingerprint != fingerprint:
                raise _HTTPError(422, "idempotency-key was already used for a different request")
            if not entry.done.wait(timeout=30):
                raise _HTTPError(409, "a request with this idempotency-key is still in progress")
            if entry.error is not None:
                raise _HTTPError(entry.error.status, entry.error.detail, "replayed", entry.error.headers)
            if entry.response is None:
                raise _HTTPError(409, "the first request with this idempotency-key failed; retry it")
            first = entry.response
            return _Response(
                first.status,
                first.body,
                first.content_type,
                {**first.headers, "idempotent-replayed": "true"},
                outcome="replayed",
                detail=first.detail,
            )
        try:
            response = run()
        except _HTTPError as exc:
            entry.error = exc  # replays answer the same problem (with a fresh request id)
            entry.done.set()
            raise
        except BaseException:
            with self._lock:
                self._idempotency.pop(key, None)
            entry.done.set()
            raise
        entry.response = response
        entry.done.set()
        return response

    # -- token endpoint ----------------------------------------------------------------------------------------

    def _issue_token(self, headers: Mapping[str, str], body: bytes) -> _Response:
        if "authorization" in headers:
            raise _HTTPError(400, "the token request must not carry an authorization header")
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise _HTTPError(400, f"token request body must be application/x-www-form-urlencoded, got {content_type!r}")
        try:
            pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            raise _HTTPError(400, "malformed form body") from None
        form: dict[str, str] = {}
        for name, value in pairs:
            if name in form:
                raise _HTTPError(400, f"form field {name!r} repeated")
            form[name] = value
        unknown = set(form) - {"client_id", "client_secret", "grant_type", "scope"}
        if unknown:
            raise _HTTPError(400, f"unknown form fields {sorted(unknown)}")
        for name in ("client_id", "client_secret", "grant_type", "scope"):
            if name not in form:
                raise _HTTPError(400, f"missing form field {name!r}")
        if form["grant_type"] != "client_credentials":
            raise _HTTPError(400, "grant_type must be client_credentials")
        if form["client_id"] != self.client_id or form["client_secret"] != self.client_secret:
            raise _HTTPError(401, "invalid client credentials")
        if form["client_id"] != headers.get("upvest-client-id"):
            raise _HTTPError(401, "client_id differs from the upvest-client-id header")
        scopes = form["scope"].split()
        if not scopes:
            raise _HTTPError(400, "scope must name at least one scope")
        unknown_scopes = [s for s in scopes if s not in SCOPES]
        if unknown_scopes:
            raise _HTTPError(400, f"unknown scopes {unknown_scopes}")
        token = self.issue_token(scopes)
        with self._lock:
            self.token_requests.append((" ".join(scopes), self.clock()))
        ttl = self.token_ttl
        body_out = {
            "access_token": token,
            "expires_in": math.ceil(ttl),  # an integer, as the spec says; the real expiry is exact
            "token_type": "bearer",
            "scope": " ".join(scopes),
        }
        return _json(200, body_out)

    # -- routes ------------------------------------------------------------------------------------------------

    def _get_jwks(
        self, params: dict[str, str], query: dict[str, str], headers: Mapping[str, str], body: bytes
    ) -> _Response:
        return _json(200, self.jwks())

    def _list_users(self, params, query, headers, body) -> _Response:
        with self._lock:
            users = [self._present_user(u) for u in self.users.values()]
        return _json(200, self._paginate(users, query, ("created_at",), {"sort", "order", "offset", "limit"}))

    def _retrieve_user(self, params, query, headers, body) -> _Response:
        with self._lock:
            user = self.users.get(params["user_id"])
            if user is None:
                raise _HTTPError(404, f"user {params['user_id']} not found")
            return _json(200, self._present_user(user))

    def _create_user(self, params, query, headers, body) -> _Response:
        data = _json_body(headers, body)
        _validate_user(data)
        with self._lock:
            user = self._new_user(data)
            self.users[user["id"]] = user
            self.created_users += 1
            return _json(200, self._present_user(user))

    def _offboard_user(self, params, query, headers, body) -> _Response:
        with self._lock:
            user = self.users.get(params["user_id"])
            if user is None:
                raise _HTTPError(404, f"user {params['user_id']} not found")
            if user["status"] not in ("OFFBOARDING", "OFFBOARDED"):
                user["status"] = "OFFBOARDING"
                user["updated_at"] = self._next_moment()
        return _Response(202)

    def _list_webhooks(self, params, query, headers, body) -> _Response:
        with self._lock:
            webhooks = list(self.webhooks.values())
        return _json(200, self._paginate(webhooks, query, ("created_at",), {"sort", "order", "offset", "limit"}))

    def _create_webhook(self, params, query, headers, body) -> _Response:
        data = _json_body(headers, body)
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("title", "url")):
            raise _HTTPError(400, "a webhook needs a title and a url")
        with self._lock:
            moment = self._next_moment()
            webhook = {
                "id": str(uuid.uuid4()),
                "created_at": moment,
                "updated_at": moment,
                "title": data["title"],
                "url": data["url"],
                "enabled": True,
                "type": data.get("type", ["ALL"]),
                "config": data.get("config", {"delay": "5s", "max_package_size": 10240}),
            }
            self.webhooks[webhook["id"]] = webhook
        return _json(201, webhook)

    def _retrieve_webhook(self, params, query, headers, body) -> _Response:
        with self._lock:
            webhook = self.webhooks.get(params["webhook_id"])
        if webhook is None:
            raise _HTTPError(404, f"webhook {params['webhook_id']} not found")
        return _json(200, webhook)

    def _list_orders(self, params, query, headers, body) -> _Response:
        for name in ("user_id", "account_id"):
            if name in query and not _UUID.match(query[name]):
                raise _HTTPError(400, f"{name} must be a UUID")
        if "status" in query and query["status"] not in ("NEW", "PROCESSING", "FILLED", "CANCELLED"):
            raise _HTTPError(400, "status must be one of NEW, PROCESSING, FILLED, CANCELLED")
        with self._lock:
            orders = [
                o
                for o in self.orders.values()
                if all(o.get(name) == query[name] for name in ("user_id", "account_id", "status") if name in query)
            ]
            orders = [self._present_order(o) for o in orders]
        known = {"sort", "order", "offset", "limit", "user_id", "account_id", "status"}
        return _json(200, self._paginate(orders, query, ("created_at", "updated_at"), known))

    def _retrieve_order(self, params, query, headers, body) -> _Response:
        with self._lock:
            order = self.orders.get(params["order_id"])
            if order is None:
                raise _HTTPError(404, f"order {params['order_id']} not found")
            return _json(200, self._present_order(order))

    def _place_order(self, params, query, headers, body) -> _Response:
        data = _json_body(headers, body)
        _validate_order(data)
        with self._lock:
            order = self._new_order(data)
            self.orders[order["id"]] = order
            self.placed_orders += 1
            return _json(202, self._present_order(order))

    def _cancel_order(self, params, query, headers, body) -> _Response:
        with self._lock:
            order = self.orders.get(params["order_id"])
            if order is None:
                raise _HTTPError(404, f"order {params['order_id']} not found")
            if order["status"] == "FILLED":
                raise _HTTPError(422, "a filled order cannot be cancelled")
            status_then = order["status"]
            if status_then != "CANCELLED":
                order["status"] = "CANCELLED"
                order["cancellation_reason"] = "CANCELLED_BY_CLIENT"
                order["updated_at"] = self._next_moment()
            out = {"id": order["id"], "status": status_then}
            if self.unknown_fields:
                out["x_added_later"] = "unknown field"
        return _json(202, out)

    # -- resources ---------------------------------------------------------------------------------------------

    def _new_user(self, data: Mapping[str, Any]) -> dict[str, Any]:
        moment = self._next_moment()
        user = {"id": str(uuid.uuid4()), "created_at": moment, "updated_at": moment}
        user.update(json.loads(json.dumps(data)))
        user.setdefault("salutation", "")
        user.setdefault("postal_address", None)
        user["status"] = "ACTIVE"
        return user

    def _new_order(self, data: Mapping[str, Any]) -> dict[str, Any]:
        moment = self._next_moment()
        order = {"id": str(uuid.uuid4()), "created_at": moment, "updated_at": moment}
        order.update(json.loads(json.dumps(data)))
        order.pop("user_instrument_fit_acknowledgement", None)
        order.setdefault("currency", "EUR")
        order.setdefault("instrument_id_type", "ISIN")
        order["status"] = "NEW"
        order["executions"] = []
        return order

    def _present_user(self, user: Mapping[str, Any]) -> dict[str, Any]:
        out = json.loads(json.dumps(user))
        if self.unknown_fields:
            out["x_added_later"] = "unknown field"
            out["address"]["x_added_later"] = "unknown field"
        if self.unknown_enum_values and out["status"] == "ACTIVE":
            out["status"] = "DORMANT"
        return out

    def _present_order(self, order: Mapping[str, Any]) -> dict[str, Any]:
        out = json.loads(json.dumps(order))
        if self.unknown_fields:
            out["x_added_later"] = "unknown field"
        if self.unknown_enum_values and out["status"] == "NEW":
            out["status"] = "PENDING_APPROVAL"
        return out

    def _paginate(
        self, items: list[dict[str, Any]], query: Mapping[str, str], sorts: tuple[str, ...], known: set[str]
    ) -> dict[str, Any]:
        del known  # unknown query parameters are ignored, as real APIs do
        offset = _int_param(query, "offset", 0, minimum=0)
        limit = _int_param(query, "limit", 100, minimum=1, maximum=1000)
        sort = query.get("sort", sorts[0])
        if sort not in sorts:
            raise _HTTPError(400, f"sort must be one of {', '.join(sorts)}")
        order = query.get("order", "ASC")
        if order not in ("ASC", "DESC"):
            raise _HTTPError(400, "order must be ASC or DESC")
        ordered = sorted(items, key=lambda item: (item[sort], item["id"]), reverse=order == "DESC")
        page = ordered[offset : offset + limit]
        meta: dict[str, Any] = {
            "offset": offset,
            "limit": limit,
            "count": len(page),
            "total_count": len(items),
            "sort": sort,
            "order": order,
        }
        if self.unknown_fields:
            meta["x_added_later"] = "unknown field"
        return {"meta": meta, "data": page}


# ---------------------------------------------------------------------------------------------------------------
# Helpers: responses, parameters, validation
# ---------------------------------------------------------------------------------------------------------------


def _json(status: int, body: Any) -> _Response:
    return _Response(status, json.dumps(body).encode(), "application/json")


def _acceptable(accept: str) -> bool:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in ("*/*", "application/*", "application/json", "application/problem+json", ""):
            return True
    return False


def _parse_query(query: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in result:
            raise _HTTPError(400, f"query parameter {name!r} repeated")
        result[name] = value
    return result


def _int_param(query: Mapping[str, str], name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    if name not in query:
        return default
    text = query[name]
    if not re.fullmatch(r"-?[0-9]+", text):
        raise _HTTPError(400, f"{name} must be an integer, got {text!r}")
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise _HTTPError(400, f"{name} must be {bound}, got {value}")
    return value


def _json_body(headers: Mapping[str, str], body: bytes) -> Any:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise _HTTPError(400, f"body must be application/json, got {content_type!r}")
    try:
        data = json.loads(body)
    except ValueError:
        raise _HTTPError(400, "body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _HTTPError(400, "body must be a JSON object")
    return data


def _check(condition: bool, detail: str, status: int = 400) -> None:
    if not condition:
        raise _HTTPError(status, detail)


def _check_fields(data: Mapping[str, Any], allowed: set[str], required: Iterable[str], where: str) -> None:
    unknown = set(data) - allowed
    _check(not unknown, f"{where}: unknown fields {sorted(unknown)}")
    missing = [name for name in required if name not in data]
    _check(not missing, f"{where}: missing required fields {missing}")


def _string(
    data: Mapping[str, Any],
    name: str,
    *,
    pattern: re.Pattern[str] | None = None,
    min_len: int = 0,
    max_len: int | None = None,
    enum: Iterable[str] | None = None,
    where: str = "body",
) -> None:
    if name not in data:
        return
    value = data[name]
    _check(isinstance(value, str), f"{where}.{name} must be a string, got {type(value).__name__}")
    _check(len(value) >= min_len and (max_len is None or len(value) <= max_len), f"{where}.{name} has a bad length")
    if pattern is not None:
        _check(bool(pattern.match(value)), f"{where}.{name} {value!r} does not match {pattern.pattern}")
    if enum is not None:
        _check(value in enum, f"{where}.{name} {value!r} is not one of {sorted(enum)}")


_ADDRESS_FIELDS = {"address_line1", "address_line2", "postcode", "city", "state", "country"}
_SALUTATIONS = ("", "SALUTATION_MALE", "SALUTATION_FEMALE", "SALUTATION_FEMALE_MARRIED", "SALUTATION_DIVERSE")
_USER_BYOL = {
    "first_name",
    "last_name",
    "salutation",
    "birth_date",
    "birth_country",
    "nationalities",
    "address",
    "postal_address",
}
_USER_TOL = _USER_BYOL | {"email", "phone_number", "fatca", "terms_and_conditions"}


def _validate_address(value: Any, where: str) -> None:
    _check(isinstance(value, dict), f"{where} must be an object")
    _check_fields(value, _ADDRESS_FIELDS, ("address_line1", "postcode", "city", "country"), where)
    for name in ("address_line1", "address_line2", "city", "state"):
        _string(value, name, max_len=100, where=where)
    _string(value, "postcode", pattern=_POSTCODE, where=where)
    _string(value, "country", pattern=_COUNTRY, where=where)


def _validate_user(data: Mapping[str, Any]) -> None:
    tol = any(name in data for name in ("email", "phone_number", "fatca", "terms_and_conditions"))
    required = ["first_name", "last_name", "birth_date", "nationalities", "address"]
    if tol:
        required += ["email", "fatca", "terms_and_conditions"]
    _check_fields(data, _USER_TOL if tol else _USER_BYOL, required, "user")
    _string(data, "first_name", min_len=2, max_len=100, where="user")
    _string(data, "last_name", min_len=2, max_len=100, where="user")
    _string(data, "salutation", enum=_SALUTATIONS, where="user")
    _string(data, "birth_date", pattern=_DATE, where="user")
    _string(data, "birth_country", pattern=_COUNTRY, where="user")
    nationalities = data["nationalities"]
    _check(isinstance(nationalities, list) and len(nationalities) >= 1, "user.nationalities must be a non-empty list")
    _check(all(isinstance(n, str) and _COUNTRY.match(n) for n in nationalities), "user.nationalities: bad country")
    _validate_address(data["address"], "user.address")
    if data.get("postal_address") is not None:
        _validate_address(data["postal_address"], "user.postal_address")
    if tol:
        _string(data, "email", max_len=100, where="user")
        _check("@" in data["email"], "user.email is not an e-mail address")
        _string(data, "phone_number", pattern=_PHONE, where="user")
        fatca = data["fatca"]
        _check(isinstance(fatca, dict), "user.fatca must be an object")
        _check_fields(fatca, {"status", "confirmed_at"}, ("status", "confirmed_at"), "user.fatca")
        _check(isinstance(fatca["status"], bool), "user.fatca.status must be a boolean")
        terms = data["terms_and_conditions"]
        _check(isinstance(terms, dict), "user.terms_and_conditions must be an object")
        _check_fields(
            terms,
            {"consent_document_id", "confirmed_at"},
            ("consent_document_id", "confirmed_at"),
            "user.terms_and_conditions",
        )


_ORDER_FIELDS = {
    "user_id",
    "account_id",
    "cash_amount",
    "quantity",
    "currency",
    "side",
    "instrument_id",
    "instrument_id_type",
    "order_type",
    "limit_price",
    "expiry_date",
    "user_instrument_fit_acknowledgement",
    "client_reference",
}


def _validate_order(data: Mapping[str, Any]) -> None:
    _check_fields(
        data,
        _ORDER_FIELDS,
        ("user_id", "account_id", "side", "instrument_id", "instrument_id_type", "order_type"),
        "order",
    )
    _string(data, "user_id", pattern=_UUID, where="order")
    _string(data, "account_id", pattern=_UUID, where="order")
    for name in ("cash_amount", "quantity", "limit_price"):
        _string(data, name, pattern=_DECIMAL, where="order")
    _string(data, "currency", enum=("EUR",), where="order")
    _string(data, "side", enum=("BUY", "SELL"), where="order")
    _string(data, "instrument_id", pattern=_ISIN, where="order")
    _string(data, "instrument_id_type", enum=("ISIN",), where="order")
    _string(data, "order_type", enum=("MARKET", "LIMIT"), where="order")
    _string(data, "expiry_date", pattern=_DATE, where="order")
    _string(data, "client_reference", max_len=100, where="order")
    if "user_instrument_fit_acknowledgement" in data:
        _check(
            isinstance(data["user_instrument_fit_acknowledgement"], bool),
            "order.user_instrument_fit_acknowledgement must be a boolean",
        )
    _check(("cash_amount" in data) != ("quantity" in data), "give exactly one of cash_amount and quantity", 422)
    if data["order_type"] == "LIMIT":
        _check("limit_price" in data, "a LIMIT order needs limit_price", 422)
