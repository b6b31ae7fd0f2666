# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""The transport shared by every operation: building requests, authenticating (and, where the API asks for it,
signing) them, sending them with retries, and reading responses.

Generated resource methods only describe an operation (an `Endpoint`) and pass their arguments here. The logic
of one call lives in one generator (`_call`), driven by a synchronous or an asynchronous loop. What differs per
API (its kind of authentication, signing, headers, defaults) is data in the generated `_config.py`.
"""

from __future__ import annotations

import contextvars
import copy
import datetime
import decimal
import importlib
import enum
import json
import logging
import os
import re
import sys
import threading
import time
import uuid
import warnings
import functools
from functools import lru_cache
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    Generator,
    Generic,
    Mapping,
    Protocol,
    Sequence,
    TypedDict,
    TypeVar,
    Union,
)
from urllib.parse import quote, urlencode

import httpx

from ._auth import ApiKey, BasicAuth, Credentials, TokenCache, choose_scopes, scope_key
from ._config import (
    API_KEYS,
    API_KEY_HEADER,
    API_KEY_QUERY,
    BASIC_AUTH,
    CLIENT_HEADERS,
    CLIENT_ID_HEADER,
    CONNECT_TIMEOUT,
    ENV_PREFIX,
    REQUEST_ID_HEADER,
    SIGNATURE_VERSION,
    SIGNATURE_VERSION_HEADER,
    SIGNED_COMPONENTS,
    TIMEOUT,
    TOKEN_PATH,
)
from ._content import BinaryContent, NoContent
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    error_class,
)
from ._files import Upload, is_file
from ._not_given import NOT_GIVEN, NotGiven
from ._response import Streamed, capture, take_stream_request
from ._streaming import AsyncStream, ServerSentEvent, Stream
from ._retry import DEFAULT_RETRY, RETRY_STATUSES, RetryPolicy
from ._version import __version__

# pydantic, asyncio and any signing code (cryptography) are imported where first used, not here: importing
# the package and making a client stay fast, and a program pays for each only when it needs it.
if TYPE_CHECKING:
    import pydantic

    from ._types import Problem

T = TypeVar("T")
_ClientT = TypeVar("_ClientT", bound="BaseClient")

DEFAULT_TIMEOUT = httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT)
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")
_PATH_SAFE = "-._~!$&'()*+,;=:@"

logger = logging.getLogger(__package__)


class _Signs(Protocol):
    """What signs a request (`_signing.Signer`)."""

    def sign(self, request: httpx.Request) -> None: ...


class RequestOptions(TypedDict, total=False):
    """Per-call settings, passed as `options=` to any method."""

    timeout: float | httpx.Timeout | None
    headers: Mapping[str, str]
    query: Mapping[str, Any]
    idempotency_key: str
    max_retries: int
    #: The most seconds this call may take, retries and waits included; None for no limit.
    deadline: float | None
    #: Fields added to an object body (JSON, form or multipart), over the arguments': for fields the spec does
    #: not declare.
    extra_body: Mapping[str, Any]


class Endpoint(Generic[T]):
    """What one operation sends and what it may receive; made once per operation, at import."""

    __slots__ = (
        "method",
        "path",
        "responses",
        "body",
        "body_type",
        "media_type",
        "idempotency_header",
        "scopes",
        "authenticated",
        "csv_query",
        "page",
        "parts",
        "nullable",
        "errors",
        "stream",
        "default_accept",
    )

    def __init__(
        self,
        method: str,
        path: str,
        *,
        responses: Mapping[str, Mapping[str, Any]],
        body: str | None = None,
        body_type: Any = None,
        media_type: str | None = None,
        idempotency_header: str | None = None,
        scopes: tuple[tuple[str, ...], ...] = (),
        authenticated: bool = True,
        csv_query: tuple[str, ...] = (),
        page: Mapping[str, Any] | None = None,
        parts: Mapping[str, tuple[str | None, bool]] | None = None,
        nullable: tuple[str, ...] = (),
        errors: Mapping[str, Mapping[str, Any]] | None = None,
        stream: str | None = None,
        accept: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.responses = responses
        self.body = body
        self.body_type = body_type
        self.media_type = media_type
        self.idempotency_header = idempotency_header
        self.scopes = scopes
        self.authenticated = authenticated
        self.csv_query = csv_query
        #: how the operation pages (`_pagination`): style, items, param, size, next, total, has_more,
        #: item_cursor
        self.page = page
        #: multipart properties the spec's encoding describes: (content type, one part per item)
        self.parts = parts or {}
        #: the query, header and body-field arguments that may be None (the others refuse it)
        self.nullable = frozenset(nullable)
        #: the error statuses whose body the spec describes (not as a problem document): media type -> type
        self.errors = errors or {}
        #: how a success response is read as it arrives: "events" (server-sent events), "lines" (JSON lines)
        self.stream = stream
        #: the accept header when the call does not choose (an `accept` argument with typed overloads)
        self.default_accept = accept

    def accept(self) -> str:
        """The media types the operation declares, for the `accept` header: `*/*` when it declares only
        that (a server may refuse `application/json` with 406), JSON when it declares none."""
        if self.default_accept:
            return self.default_accept
        declared = [m for content in self.responses.values() for m in content]
        media_types = dict.fromkeys(m for m in declared if m != "*/*")
        if media_types:
            return ", ".join(media_types)
        return "*/*" if declared else "application/json"


@lru_cache(maxsize=None)
def _adapter(type_: Any) -> pydantic.TypeAdapter[Any]:
    import pydantic

    return pydantic.TypeAdapter(type_)


def _is_model(value: Any) -> bool:
    # no value is a pydantic model before pydantic is imported: looking in sys.modules spares importing it
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def encode(type_: Any, value: Any) -> Any:
    """Validate a request value against its type and turn it into JSON-ready data (wire names, decimals as text)."""
    if type_ is None:
        return to_jsonable(value)
    adapter = _adapter(type_)
    validated = adapter.validate_python(value)
    return to_jsonable(
        adapter.dump_python(validated, mode="python", by_alias=True, exclude_unset=True)
    )


def deprecated(message: str) -> None:
    """Warn that a deprecated operation or argument was used, at the line that called the method."""
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def options(
    options: RequestOptions | None,
    extra_headers: Mapping[str, str] | None = None,
    extra_query: Mapping[str, object] | None = None,
    extra_body: Mapping[str, object] | None = None,
    timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
) -> RequestOptions:
    """A call's options: `options=` with the method's own per-call arguments over it (positional: generated
    methods pass them in this order, on one line)."""
    merged = RequestOptions(**(options or {}))
    if extra_headers:
        merged["headers"] = {**merged.get("headers", {}), **extra_headers}
    if extra_query:
        merged["query"] = {**merged.get("query", {}), **extra_query}
    if extra_body is not None:
        merged["extra_body"] = {**merged.get("extra_body", {}), **extra_body}
    if not isinstance(timeout, NotGiven):
        merged["timeout"] = timeout
    return merged


class _Fields(Dict[str, Any]):
    """A body made of a call's arguments (`fields`): `None` in it is checked against the spec."""


def fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The body fields a call was given: those left `NOT_GIVEN` are left out; `None` is sent as `null`."""
    return _Fields((name, value) for name, value in values.items() if value is not NOT_GIVEN)


def _given(
    endpoint: Endpoint[Any], where: str, values: Mapping[str, Any] | None, null: bool = False
) -> dict[str, Any]:
    """The arguments a call was given, `NOT_GIVEN` ones left out. `None` is refused for an argument the spec
    does not let be null, else kept (`null`: sent as null) or left out (a query or header has no null).
    """
    given: dict[str, Any] = {}
    for name, value in (values or {}).items():
        if value is NOT_GIVEN:
            continue
        if value is None:
            if name not in endpoint.nullable:
                raise TypeError(
                    f"{endpoint.method} {endpoint.path}: {where} '{name}' cannot be None (the API does not"
                    " accept null for it); leave the argument out to send nothing"
                )
            if not null:
                continue
        given[name] = value
    return given


def _encoded(endpoint: Endpoint[Any], body: Any, extra: Mapping[str, Any] | None) -> Any:
    """The body as JSON-ready data, with the caller's `extra_body` fields added over its own (not validated:
    they are the fields the spec does not declare, or a way round a declaration that is wrong)."""
    encoded = encode(endpoint.body_type, body) if body is not None else {}
    if extra is None:
        return encoded
    if not isinstance(encoded, Mapping):
        raise ValueError(
            f"{endpoint.method} {endpoint.path}: extra_body needs an object body, not {type(encoded).__name__}"
        )
    return {**encoded, **to_jsonable(extra)}


def to_jsonable(value: Any) -> Any:
    if _is_model(value):
        return to_jsonable(value.model_dump(mode="python", by_alias=True, exclude_unset=True))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(
            value, "f"
        )  # never scientific notation: APIs match decimals with digit patterns
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def _text(value: Any) -> str:
    value = to_jsonable(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


QueryItems = list[tuple[str, Union[str, int, float, bool, None]]]


def _stand_in(value: Any) -> Any:
    """What a multipart field is validated as: a file as empty bytes (its model type), a list of files so."""
    if is_file(value):
        return b""
    if isinstance(value, (list, tuple)) and value and all(is_file(v) for v in value):
        return [b""] * len(value)
    return value


def _multipart(
    encoded: Mapping[str, Any], raw: Mapping[str, Any], parts: Mapping[str, tuple[str | None, bool]]
) -> list[tuple[str, Any]]:
    """The parts of a multipart/form-data body, in the order of its properties: files (`FileTypes`) as file
    parts, objects and arrays as JSON (`application/json`), other values as text; an array the spec's encoding
    explodes as one part per item; a content type the encoding names on its part. Always multipart, even
    without a file.
    """
    found: list[tuple[str, Any]] = []
    for name, value in encoded.items():
        content_type, repeated = parts.get(name, (None, False))
        original = raw.get(name)
        uploads = [original] if is_file(original) else original
        if isinstance(uploads, (list, tuple)) and uploads and all(is_file(f) for f in uploads):
            found.extend(
                (name, Upload(f, content_type)) for f in uploads
            )  # one part per file of a list
        elif value is None:
            continue
        elif isinstance(value, list) and repeated:
            found.extend((name, (None, _part_text(item), content_type)) for item in value)
        elif isinstance(value, (Mapping, list)):
            found.append((name, (None, _part_text(value), content_type or "application/json")))
        else:
            found.append((name, (None, _text(value), content_type)))
    return found


def _part_text(value: Any) -> str:
    if isinstance(value, (Mapping, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return _text(value)


def _query_items(query: Mapping[str, Any], csv: tuple[str, ...]) -> QueryItems:
    items: QueryItems = []
    for name, value in query.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = [
                v for v in value if v is not None
            ]  # a query string has no null: left out, never "None"
            if name in csv:
                items.append((name, ",".join(_text(v) for v in value)))
            else:
                items.extend((name, _text(v)) for v in value)
        elif isinstance(value, Mapping) or _is_model(value):
            for key, item in to_jsonable(value).items():
                if item is not None:
                    items.append((f"{name}[{key}]", _text(item)))
        else:
            items.append((name, _text(value)))
    return items


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _contents_for(endpoint: Endpoint[Any], status: int) -> Mapping[str, Any]:
    """The media types (and their types) the description promises for a success status."""
    for key in (str(status), f"{status // 100}XX"):
        if key in endpoint.responses:
            return endpoint.responses[key]
    for key, contents in endpoint.responses.items():
        if key.startswith("2"):
            return contents
    return endpoint.responses.get("default", {})


def _declares(endpoint: Endpoint[Any], status: int) -> bool:
    """Whether the description lists this status (or its class, `3XX`) among the operation's responses."""
    return str(status) in endpoint.responses or f"{status // 100}XX" in endpoint.responses


def _error_type(endpoint: Endpoint[Any], status: int, media: str) -> Any:
    """The type the spec gives the body of an error status (exact, `4XX`, then `default`), if any."""
    for key in (str(status), f"{status // 100}XX", "default"):
        contents = endpoint.errors.get(key)
        if contents:
            json_types = [t for m, t in contents.items() if _is_json(m) or m == "*/*"]
            return contents.get(media) or (json_types[0] if json_types else None)
    return None


def resolve_base_url(
    base_url: str | None, environment: str | None, environments: Mapping[str, str]
) -> str:
    """The base URL from the arguments, then the environment variables, then the first environment."""
    if base_url:
        return base_url
    if environment is None and os.environ.get(f"{ENV_PREFIX}_BASE_URL"):
        return os.environ[f"{ENV_PREFIX}_BASE_URL"]
    environment = environment or os.environ.get(f"{ENV_PREFIX}_ENVIRONMENT")
    if environment:
        if environment not in environments:
            known = ", ".join(environments) or "none"
            raise ValueError(f"unknown environment {environment!r}; known environments: {known}")
        return environments[environment]
    if not environments:
        raise ValueError(
            f"pass base_url= or set {ENV_PREFIX}_BASE_URL: the API description names no server"
        )
    return next(iter(environments.values()))


def _capped(timeout: Any, seconds: float) -> httpx.Timeout:
    """A timeout no phase of which lasts longer than `seconds` (what is left of a call's deadline)."""
    limits = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)

    def cap(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cap(limits.connect),
        read=cap(limits.read),
        write=cap(limits.write),
        pool=cap(limits.pool),
    )


def _env(name: str, value: Any) -> Any:
    return value if value is not None else os.environ.get(f"{ENV_PREFIX}_{name}")


def _credential(value: Any, argument: str, variable: str, *, ends: bool = True) -> Any:
    """A credential as given, refused when it holds a line break or another control character, or (`ends`) space
    at either end: read from a file with its line end, it would fail every call, retries and all, and end up in
    tracebacks and logs. The message never shows the value."""
    if (
        isinstance(value, str)
        and value
        and (not value.isprintable() or (ends and value != value.strip()))
    ):
        where = (
            "a line break or control character" if not value.isprintable() else "space at an end"
        )
        raise ValueError(
            f"{argument}= (or {variable}) has {where} (read from a file with its line end?): strip it"
        )
    return value


# -- the steps of a call: what the driving loop must do for the call generator --------------------------


class _Send:
    __slots__ = ("request", "stream", "until")

    def __init__(
        self, request: httpx.Request, stream: bool = False, until: float | None = None
    ) -> None:
        self.request = request
        #: leave the body unread: the caller reads it as it arrives
        self.stream = stream
        #: when the call's deadline passes (time.monotonic), if it has one: the send, however slowly the
        #: server answers (a byte at a time keeps every read under the read timeout), ends by then
        self.until = until


class _Read:
    """Read the body of a response sent with `stream`: one that is not handed to the caller unread."""

    __slots__ = ("response", "until")

    def __init__(self, response: httpx.Response, until: float | None = None) -> None:
        self.response = response
        self.until = until


class _Sleep:
    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class _Token:
    """Get a token for a scope set: a fetch, if one is needed, spends the call's budget (what is left of its
    deadline, its retries), not one of its own."""

    __slots__ = ("key", "options")

    def __init__(self, key: str, options: RequestOptions) -> None:
        self.key = key
        self.options = options


class _DeadlinePassed(Exception):
    """A send or read still going when its call's deadline passed (`_Send.until`)."""


def _within(until: float | None, work: Callable[[], T]) -> T:
    """`work()` (a blocking send or read), given up when `until` (time.monotonic) passes: a socket read cannot be
    interrupted, and a server that answers a few bytes at a time keeps each read under its timeout, so with a
    deadline the work runs in a helper thread that the caller stops waiting for (`_DeadlinePassed`). What the
    abandoned work still returns is closed, and its connection goes back to the pool or away as it ends.
    """
    if until is None:
        return work()
    outcome: list[tuple[Any, bool]] = []
    lock = threading.Lock()
    finished = threading.Event()
    abandoned: list[bool] = []

    def run() -> None:
        try:
            result: Any = work()
            failed = False
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            result, failed = exc, True
        with lock:
            if abandoned:
                if not failed and isinstance(result, httpx.Response):
                    result.close()
                return
            outcome.append((result, failed))
            finished.set()

    context = (
        contextvars.copy_context()
    )  # the caller's context (tracing, logging) goes with the work
    threading.Thread(target=context.run, args=(run,), daemon=True, name="api-call").start()
    finished.wait(max(0.0, until - time.monotonic()))
    with lock:
        if not outcome:
            abandoned.append(True)
            raise _DeadlinePassed()
    result, failed = outcome[0]
    if failed:
        raise result
    return result  # type: ignore[no-any-return]


def _bound_by_deadlines(http: httpx.Client) -> bool:
    """Whether calls through `http` are bounded by their deadlines in this thread (`_deadline`); httpcore is
    imported here, by the first call, as httpx itself does."""
    from ._deadline import bound_by_deadlines

    return bound_by_deadlines(http)


def _send_within(bounded: bool, until: float | None, work: Callable[[], T]) -> T:
    """`work()` ended by `until`: in this thread when the client's connections are bounded by deadlines,
    else in a helper thread (`_within`)."""
    if until is None or not bounded:
        return _within(until, work)
    from ._deadline import UNTIL

    token = UNTIL.set(until)
    try:
        return work()
    except httpx.TimeoutException:
        if time.monotonic() >= until:
            raise _DeadlinePassed() from None
        raise
    finally:
        UNTIL.reset(token)


async def _awithin(until: float | None, work: Awaitable[T]) -> T:
    """`await work`, cancelled when `until` (time.monotonic) passes (`_DeadlinePassed`)."""
    if until is None:
        return await work
    import asyncio

    try:
        return await asyncio.wait_for(work, max(0.0, until - time.monotonic()))
    except asyncio.TimeoutError:
        if (
            time.monotonic() < until
        ):  # one the send raised itself (asyncio's is the builtin's since 3.11)
            raise
        raise _DeadlinePassed() from None


_Step = Union[_Send, _Sleep, _Token, _Read]


class _Prepared:
    """A call's request without the parts added per attempt (token, signature)."""

    __slots__ = (
        "method",
        "url",
        "params",
        "headers",
        "content",
        "files",
        "timeout",
        "idempotent",
        "replayable",
    )

    def __init__(
        self,
        method: str,
        url: str,
        params: QueryItems,
        headers: dict[str, str],
        content: bytes | Upload | None,
        files: list[tuple[str, Any]] | None,
        timeout: Any,
        idempotent: bool,
    ) -> None:
        self.method = method
        self.url = url
        self.params = params
        self.headers = headers
        self.content = content
        self.files = files
        self.timeout = timeout
        self.idempotent = idempotent
        #: whether the body can be sent again (a stream that cannot seek back cannot)
        self.replayable = True


class BaseClient:
    """Configuration, and the logic of a call that does not depend on sync or async I/O."""

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        scopes: Sequence[str] | None = None,
        token_refresh_skew: float = 60.0,
        key_id: str | None = None,
        private_key: Any = None,
        private_key_password: str | bytes | None = None,
        signature_expires_in: int = 30,
        api_key: str | None = None,
        api_keys: Mapping[str, str | None] | None = None,
        username: str | None = None,
        password: str | None = None,
        client_headers: Mapping[str, Any] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = (retry or DEFAULT_RETRY).with_overrides(max_retries, None)
        self._access_token = _credential(
            _env("ACCESS_TOKEN", access_token), "access_token", f"{ENV_PREFIX}_ACCESS_TOKEN"
        )
        #: what authenticated requests carry besides a bearer token, from the API's security schemes
        self._credentials: list[Credentials] = []
        api_key = _env("API_KEY", api_key) if API_KEY_HEADER or API_KEY_QUERY else None
        _credential(api_key, "api_key", f"{ENV_PREFIX}_API_KEY")
        if api_key:
            self._credentials.append(
                ApiKey(str(api_key), header=API_KEY_HEADER, query=API_KEY_QUERY)
            )
        for argument, variable, header, query in API_KEYS:  # keys the API needs together
            value = (api_keys or {}).get(argument) or os.environ.get(variable)
            _credential(value, f"api_keys[{argument!r}]", variable)
            if value:
                self._credentials.append(ApiKey(str(value), header=header, query=query))
        if BASIC_AUTH:
            username, password = _env("USERNAME", username), _env("PASSWORD", password)
            if username is not None and password is not None:
                _credential(username, "username", f"{ENV_PREFIX}_USERNAME")
                _credential(password, "password", f"{ENV_PREFIX}_PASSWORD", ends=False)
                self._credentials.append(BasicAuth(str(username), str(password)))
        self._headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.client_id = (
            _credential(_env("CLIENT_ID", client_id), "client_id", f"{ENV_PREFIX}_CLIENT_ID")
            if TOKEN_PATH or CLIENT_ID_HEADER
            else None
        )
        if CLIENT_ID_HEADER and self.client_id:
            self._headers.setdefault(CLIENT_ID_HEADER, str(self.client_id))
        #: required client settings not given: (header, how to give it); a call without the header (which
        #: `options={"headers": ...}` may give) is refused before it is sent
        self._missing_settings: list[tuple[str, str]] = []
        for header, argument, variable, required, default in CLIENT_HEADERS:
            value = (client_headers or {}).get(argument)
            if value is None:
                value = os.environ.get(variable, default)
            if value is not None:
                self._headers.setdefault(header, _text(value))
            elif required and header not in self._headers:
                self._missing_settings.append((header, f"{argument}= (or {variable})"))
        self._client_secret = (
            _credential(
                _env("CLIENT_SECRET", client_secret), "client_secret", f"{ENV_PREFIX}_CLIENT_SECRET"
            )
            if TOKEN_PATH
            else None
        )
        self._fixed_scopes = tuple(scopes) if scopes is not None else None
        self._tokens = TokenCache(token_refresh_skew)
        key_id = _credential(_env("KEY_ID", key_id), "key_id", f"{ENV_PREFIX}_KEY_ID")
        private_key = _env("PRIVATE_KEY", private_key)
        private_key_password = _env("PRIVATE_KEY_PASSWORD", private_key_password)
        self._signer: _Signs | None = None
        if SIGNED_COMPONENTS is not None and private_key is not None:
            if not key_id:
                raise ValueError(
                    f"pass key_id= (or set {ENV_PREFIX}_KEY_ID) to sign requests with private_key"
                )
            # by name: only the packages of APIs that sign requests ship _signing (and need cryptography)
            signing = importlib.import_module(f"{__package__}._signing")
            self._signer = signing.Signer(
                key_id=str(key_id),
                private_key=signing.load_private_key(private_key, private_key_password),
                components=SIGNED_COMPONENTS,
                version_header=SIGNATURE_VERSION_HEADER,
                version=SIGNATURE_VERSION,
                expires_in=signature_expires_in,
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    #: the HTTP client the calls go through (the subclasses make it on first use)
    _http: Any
    _given_http: Any

    def copy(
        self: _ClientT,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _ClientT:
        """This client configured differently: the copy shares its connections, credentials, signing key and
        token cache (not with another `base_url`: tokens stay with their server), so making one per call site
        is cheap. `default_headers` are added to the client's.
        Closing the copy leaves the connections open: close the client that made them."""
        http = self._http  # made now if no call made it yet, so that both use the same pool
        new = copy.copy(self)
        for owner in type(new).__mro__:  # resources made for this client would call through it
            for name, member in vars(owner).items():
                if isinstance(member, functools.cached_property) and name != "_http":
                    new.__dict__.pop(name, None)
        new._given_http = http
        if base_url is not None and base_url.rstrip("/") != self.base_url:
            new.base_url = base_url.rstrip("/")
            # a token of one server (one environment) must never be sent to another
            new._tokens = TokenCache(self._tokens.refresh_skew)
        if not isinstance(timeout, NotGiven):
            new.timeout = timeout
        if retry is not None or max_retries is not None:
            new.retry = (retry or self.retry).with_overrides(max_retries, None)
        if default_headers:
            new._headers = {**self._headers, **{k.lower(): v for k, v in default_headers.items()}}
            new._missing_settings = [m for m in self._missing_settings if m[0] not in new._headers]
        return new

    with_options = copy

    # -- building the request -------------------------------------------------------------------------

    def _prepare(
        self,
        endpoint: Endpoint[Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        options: RequestOptions,
        base_url: str | None = None,
        *,
        url: str | None = None,
    ) -> _Prepared:
        """The request of a call, but for what each attempt adds. `url`: a next page's URL as the API gave it
        (relative to the base URL, or absolute on its origin), instead of the endpoint's path and `query`.
        """
        values = path or {}

        def substitute(match: re.Match[str]) -> str:
            raw = values[match.group(1)]
            if raw is None or raw is NOT_GIVEN or raw == "":
                # `DELETE /users/` instead of `DELETE /users/{id}` would act on another resource
                raise ValueError(
                    f"{endpoint.method} {endpoint.path}: path parameter '{match.group(1)}' must not be"
                    f" empty, got {raw!r}"
                )
            value = quote(_text(raw), safe=_PATH_SAFE)
            # "." and ".." would be removed as dot segments, moving the request to another path
            return value.replace(".", "%2E") if value in (".", "..") else value

        # a path key may carry a fixed query string (`/search?type=link`): sent as written, before the
        # call's parameters (`_build` puts it back, as httpx's params replace a URL's query)
        template, mark, fixed_query = endpoint.path.partition("?")
        next_page = url is not None
        if url is not None:
            url = self._same_origin(endpoint, url)
        else:
            url = (self.base_url if base_url is None else base_url) + _PATH_PARAMETER.sub(
                substitute, template
            )
            url += mark + fixed_query
        request_headers: dict[str, str] = {
            "accept": endpoint.accept(),
            "user-agent": f"{__package__}/{__version__} httpx/{httpx.__version__}",
        }
        request_headers.update(self._headers)
        if endpoint.idempotency_header:
            # one key per call, reused by every retry: the server applies the call once
            request_headers[endpoint.idempotency_header] = options.get("idempotency_key") or str(
                uuid.uuid4()
            )
        elif options.get("idempotency_key"):
            # a key the server would never see: saying so beats a call the caller thinks is safe to repeat
            raise ValueError(
                f"{endpoint.method} {endpoint.path} takes no idempotency key: the API does not declare one"
            )
        for name, value in _given(endpoint, "header", headers).items():
            request_headers[name.lower()] = _text(value)
        request_headers.update({k.lower(): v for k, v in options.get("headers", {}).items()})
        missing = [
            hint for header, hint in self._missing_settings if header.lower() not in request_headers
        ]
        if missing:
            raise ValueError(
                f"{endpoint.method} {endpoint.path}: the API requires a header the client was not given:"
                f" pass {' and '.join(missing)} to the client"
            )
        # a next page's URL carries the query it needs
        extra_query: Mapping[str, Any] = {} if next_page else options.get("query", {})
        params = _query_items(
            {**_given(endpoint, "query parameter", query), **extra_query}, endpoint.csv_query
        )
        content: bytes | Upload | None = None
        files: list[tuple[str, Any]] | None = None
        if body is NOT_GIVEN:
            body = None
        elif isinstance(body, _Fields):
            body = _given(endpoint, "body field", body, null=True)
        extra_body = options.get("extra_body")
        if extra_body is not None and endpoint.body not in ("json", "form", "multipart"):
            raise ValueError(
                f"{endpoint.method} {endpoint.path} sends no object body: extra_body cannot be added to it"
            )
        if (body is not None or extra_body is not None) and endpoint.body is not None:
            if endpoint.body == "json":
                encoded = _encoded(endpoint, body, extra_body)
                content = json.dumps(encoded, separators=(",", ":"), ensure_ascii=False).encode(
                    "utf-8"
                )
                request_headers["content-type"] = endpoint.media_type or "application/json"
            elif endpoint.body == "form":
                encoded = _encoded(endpoint, body, extra_body)
                content = urlencode(
                    _query_items(encoded if isinstance(encoded, Mapping) else {}, ())
                ).encode("ascii")
                request_headers["content-type"] = (
                    endpoint.media_type or "application/x-www-form-urlencoded"
                )
            elif endpoint.body == "multipart":
                raw = {**(body if isinstance(body, Mapping) else {}), **(extra_body or {})}
                # files are validated as empty bytes (the model's type); their parts read the files given
                stand_in = (
                    {k: _stand_in(v) for k, v in body.items()}
                    if isinstance(body, Mapping)
                    else body
                )
                encoded = _encoded(endpoint, stand_in, extra_body)
                files = _multipart(
                    encoded if isinstance(encoded, Mapping) else {}, raw, endpoint.parts
                )
            elif endpoint.body == "text":
                content = str(body).encode("utf-8")
                request_headers["content-type"] = endpoint.media_type or "text/plain; charset=utf-8"
            elif isinstance(body, (bytes, bytearray, memoryview)):
                content = bytes(body)
                request_headers["content-type"] = endpoint.media_type or "application/octet-stream"
            elif not is_file(body):
                raise TypeError(
                    f"{endpoint.method} {endpoint.path}: the body is a file: bytes, a binary file object, a"
                    f" path (pathlib.Path) or (filename, content), not {type(body).__name__}"
                )
            else:  # a file object, a path, or (filename, content[, content type]): streamed
                content = Upload(body, endpoint.media_type)
                request_headers["content-type"] = content.content_type
                if content.length is not None:
                    request_headers["content-length"] = str(content.length)
        timeout = options["timeout"] if "timeout" in options else self.timeout
        idempotent = RetryPolicy.safe_to_repeat(
            endpoint.method, endpoint.idempotency_header is not None
        )
        prepared = _Prepared(
            endpoint.method, url, params, request_headers, content, files, timeout, idempotent
        )
        uploads = [content] if isinstance(content, Upload) else []
        uploads += [part for _, part in files or () if isinstance(part, Upload)]
        if not all(upload.rewindable for upload in uploads):
            prepared.idempotent = prepared.replayable = (
                False  # a retry would send what is left of it
            )
        return prepared

    def _same_origin(self, endpoint: Endpoint[Any], url: str) -> str:
        """A URL the API gave (a next page's), resolved against the base URL; refused on another origin, where
        the client's credentials must not go."""
        from ._errors import PaginationError

        base = httpx.URL(self.base_url + "/")
        resolved = base.join(url)
        if (resolved.scheme, resolved.host, resolved.port) != (base.scheme, base.host, base.port):
            raise PaginationError(
                f"{endpoint.method} {endpoint.path}: the next page's URL {url!r} is not on the API's origin"
                f" ({base.scheme}://{base.host}); not followed"
            )
        return str(resolved)

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        prepared: _Prepared,
        token: str | None,
        timeout: Any,
        authenticated: bool,
    ) -> httpx.Request:
        headers = dict(prepared.headers)
        params = prepared.params
        if token:
            headers["authorization"] = f"Bearer {token}"
        if authenticated:
            for credentials in self._credentials:
                if not (token and credentials.authorization):
                    params = credentials.apply(headers, params)
        content: Any = prepared.content
        if isinstance(content, Upload):  # read again from its start for each attempt
            if self._signer is not None:
                content = content.read()  # the signature covers the digest of the whole body
            elif isinstance(http, httpx.AsyncClient):
                content = content.achunks()
            else:
                content = content.chunks()
        files = [
            (name, part.part() if isinstance(part, Upload) else part)
            for name, part in prepared.files or ()
        ]
        request = http.build_request(
            prepared.method,
            prepared.url,
            params=params,
            headers=headers,
            content=content,
            files=files or None,
            timeout=timeout,
        )
        fixed_query = prepared.url.partition("?")[2]
        if fixed_query:
            query = request.url.query
            request.url = request.url.copy_with(
                query=fixed_query.encode("ascii") + (b"&" + query if query else b"")
            )
        if self._signer is not None:
            if prepared.files:
                request.read()  # multipart bodies are streamed: sign the bytes that will be sent
            self._signer.sign(request)
        return request

    # -- one call, from arguments to result -------------------------------------------------------------

    def _token_key(self, endpoint: Endpoint[Any]) -> str | None:
        """The token a call needs: None for a static token or none at all, else its scope set."""
        if not endpoint.authenticated or self._access_token:
            return None
        if TOKEN_PATH and self.client_id and self._client_secret:
            scopes = (
                self._fixed_scopes
                if self._fixed_scopes is not None
                else choose_scopes(endpoint.scopes)
            )
            return scope_key(scopes)
        return None

    def _call(
        self,
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[T],
        prepared: _Prepared,
        options: RequestOptions,
        raw: bool = False,
    ) -> Generator[_Step, Any, T]:
        """Send, retry and parse one call; yields the steps that need I/O to the driving loop. `raw`: a success
        response is handed over unread, raising `Streamed` (`with_streaming_response`)."""
        policy = self.retry.for_call(options)
        streaming = endpoint.stream is not None or raw
        started = time.monotonic()
        key = self._token_key(endpoint)
        refreshed = False
        attempt = 0
        until = started + policy.deadline if policy.deadline is not None else None
        late = f"{endpoint.method} {endpoint.path} did not finish within its deadline of {policy.deadline}s"
        while True:
            attempt += 1
            token = self._access_token if endpoint.authenticated else None
            if key is not None:
                budget: RequestOptions = {"max_retries": max(0, policy.max_retries - attempt + 1)}
                budget["deadline"] = until - time.monotonic() if until is not None else None
                token = yield _Token(key, budget)
            timeout = prepared.timeout
            if until is not None:
                left = until - time.monotonic()
                if left <= 0:
                    raise APITimeoutError(late)
                timeout = _capped(timeout, left)
            request = self._build(http, prepared, token, timeout, endpoint.authenticated)
            sent = time.monotonic()
            try:
                response: httpx.Response = yield _Send(request, streaming, until)
                if streaming and not 200 <= response.status_code < 300:
                    yield _Read(response, until)  # errors and retries read the body whole
            except _DeadlinePassed:
                raise APITimeoutError(late, request=request) from None
            except httpx.TransportError as exc:
                error = self._transport_error(request, exc)
                wait = policy.delay(attempt)
                if prepared.idempotent and policy.allows(attempt, started, wait):
                    logger.info(
                        "retrying %s %s in %.2fs after %s (attempt %d)",
                        request.method,
                        request.url.path,
                        wait,
                        type(exc).__name__,
                        attempt,
                    )
                    yield _Sleep(wait)
                    continue
                raise error from exc
            # a body that cannot be decoded (a broken gzip stream), and the like: no retry helps
            except httpx.HTTPError as exc:
                raise APIConnectionError(
                    f"{request.method} {request.url.path}: the response could not be read"
                    f" ({type(exc).__name__}: {exc})",
                    request=request,
                ) from None
            status = response.status_code
            logger.debug(
                "%s %s -> %d (attempt %d, %.0f ms, request id %s)",
                request.method,
                request.url.path,
                status,
                attempt,
                (time.monotonic() - sent) * 1000,
                response.headers.get(REQUEST_ID_HEADER),
            )
            if (
                status == 401
                and key is not None
                and token is not None
                and not refreshed
                and prepared.replayable
            ):
                # an expired or revoked token: fetch a new one and try once more
                refreshed = True
                self._tokens.invalidate(key, token)
                logger.info(
                    "token refused for %s %s; fetching a new one", request.method, request.url.path
                )
                continue
            if status in RETRY_STATUSES and prepared.idempotent:
                wait = policy.delay(attempt, response.headers.get("retry-after"))
                if policy.allows(attempt, started, wait):
                    logger.info(
                        "retrying %s %s in %.2fs after status %d (attempt %d, request id %s)",
                        request.method,
                        request.url.path,
                        wait,
                        status,
                        attempt,
                        response.headers.get(REQUEST_ID_HEADER),
                    )
                    yield _Sleep(wait)
                    continue
            if streaming and 200 <= status < 300:
                capture(response)
                if raw:
                    raise Streamed(response, functools.partial(self._parse_streamed, endpoint))
                return self._open_stream(endpoint, response)  # type: ignore[no-any-return]
            return self._parse(endpoint, response)

    def _open_stream(self, endpoint: Endpoint[Any], response: httpx.Response) -> Any:
        """A streamed success response handed to the caller unread (`Stream`, `AsyncStream`)."""
        raise NotImplementedError

    def _parse_streamed(self, endpoint: Endpoint[Any], response: httpx.Response) -> Any:
        """What the plain method returns, from a response `with_streaming_response` read."""
        return (
            self._open_stream(endpoint, response)
            if endpoint.stream
            else self._parse(endpoint, response)
        )

    def _stream_parts(
        self, endpoint: Endpoint[Any], response: httpx.Response
    ) -> tuple[str, Callable[[Any], Any] | None, str | None]:
        """How a stream's items are made: its kind, the parser of one item (None: kept as they come), and the
        response's request id."""
        contents = _contents_for(endpoint, response.status_code)
        type_ = contents.get(_media(response.headers.get("content-type", "")))
        if type_ is None and contents:
            type_ = next(iter(contents.values()))
        parse = (
            None
            if type_ is None or type_ is Any or type_ is ServerSentEvent
            else _adapter(type_).validate_python
        )
        return endpoint.stream or "events", parse, response.headers.get(REQUEST_ID_HEADER)

    @staticmethod
    def _transport_error(request: httpx.Request, exc: Exception) -> APIConnectionError:
        where = f"{request.method} {request.url.path}"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"{where} timed out", request=request)
        return APIConnectionError(f"{where} failed: {type(exc).__name__}", request=request)

    # -- reading the response ---------------------------------------------------------------------------

    def _parse(self, endpoint: Endpoint[T], response: httpx.Response) -> T:
        capture(response)
        request_id = response.headers.get(REQUEST_ID_HEADER)
        status = response.status_code
        if status >= 400 or (300 <= status < 400 and not _declares(endpoint, status)):
            raise self._error(response, request_id, endpoint)
        contents = _contents_for(endpoint, status)
        media = _media(response.headers.get("content-type", ""))
        if not contents:
            return NoContent(status, request_id, response.headers)  # type: ignore[return-value]
        if not response.content:
            raise APIResponseValidationError(
                f"{endpoint.method} {endpoint.path} answered {status} without the body it should have",
                response=response,
                request_id=request_id,
            )
        type_ = contents.get(media)
        if type_ is None:
            json_types = [t for m, t in contents.items() if _is_json(m) or m == "*/*"]
            type_ = (
                json_types[0]
                if json_types and (_is_json(media) or not media)
                else next(iter(contents.values()))
            )
        if type_ is BinaryContent:
            return BinaryContent(response.content, content_type=media, request_id=request_id)  # type: ignore[return-value]
        if type_ is str:
            return response.text  # type: ignore[return-value]
        try:
            data = response.json()
        except ValueError:
            raise APIResponseValidationError(
                f"{endpoint.method} {endpoint.path} answered {status} with a body that is not JSON ({media or 'no content type'})",
                response=response,
                request_id=request_id,
            ) from None
        except RecursionError:
            raise APIResponseValidationError(
                f"{endpoint.method} {endpoint.path} answered {status} with a JSON body nested too deeply to read",
                response=response,
                request_id=request_id,
            ) from None
        # pydantic is imported by the first body to validate, not with the package
        import pydantic

        from ._types import BaseModel

        try:
            result = _adapter(type_).validate_python(data)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            raise APIResponseValidationError(
                f"{endpoint.method} {endpoint.path} answered {status} with a body that does not match the API description: "
                f"{exc.error_count()} problem(s), first: {first['msg']} at {'.'.join(str(p) for p in first['loc'])}",
                response=response,
                request_id=request_id,
            ) from None
        if isinstance(result, BaseModel):
            result._request_id = request_id
        return result  # type: ignore[no-any-return]

    @staticmethod
    def _error(
        response: httpx.Response, request_id: str | None, endpoint: Endpoint[Any] | None = None
    ) -> Exception:
        """The error for a response with an error status: its problem document read as `Problem`, and its
        body as the model the spec describes for that status (`.body`; the text when it describes none or the
        body does not match)."""
        problem: Problem | None = None
        body: Any = None
        media = _media(response.headers.get("content-type", ""))
        if _is_json(media) and response.content:
            import pydantic

            from ._types import BaseModel, Problem

            try:
                data = response.json()
            except (ValueError, RecursionError):  # the error keeps its text (`body`)
                data = None
            try:
                problem = Problem.model_validate(data)
            except pydantic.ValidationError:
                problem = None
            type_ = _error_type(endpoint, response.status_code, media) if endpoint else None
            if type_ is not None:
                try:
                    body = _adapter(type_).validate_python(data)
                except pydantic.ValidationError:
                    body = None
                if isinstance(body, BaseModel):
                    body._request_id = request_id
        if request_id is None and problem is not None:
            request_id = problem.request_id
        error = error_class(response.status_code)(response, problem=problem, request_id=request_id)
        if body is not None:
            error.body = body
        return error

    # -- tokens -------------------------------------------------------------------------------------------

    _TOKEN_ENDPOINT: Endpoint[Dict[str, Any]] = Endpoint(
        "POST",
        TOKEN_PATH or "",
        responses={"200": {"application/json": Dict[str, Any]}},
        body="form",
        authenticated=False,
    )

    def _token_call(
        self, http: httpx.Client | httpx.AsyncClient, key: str, options: RequestOptions
    ) -> Generator[_Step, Any, tuple[str, float]]:
        """Fetch a token for a scope set: a signed form request, retried like any call, within the budget of
        the call that needs it (`options`: its retries and what is left of its deadline)."""
        body = {
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "grant_type": "client_credentials",
            "scope": key,
        }
        base = "" if (TOKEN_PATH or "").startswith(("https://", "http://")) else None
        prepared = self._prepare(self._TOKEN_ENDPOINT, None, None, None, body, {}, base)
        prepared.idempotent = True  # asking for a token twice is harmless
        try:
            data = yield from self._call(http, self._TOKEN_ENDPOINT, prepared, options)
        except APIResponseValidationError as exc:
            raise AuthenticationError(
                f"the token endpoint answered without a token: {exc}"
            ) from None
        except APITimeoutError as exc:
            if options.get("deadline") is None:
                raise
            raise APITimeoutError(
                "fetching a token did not finish within the deadline of the call that needed it",
                request=exc.request,
            ) from None
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise AuthenticationError("the token endpoint answered without an access_token")
        lifetime = data.get("expires_in")
        lifetime = float(lifetime) if isinstance(lifetime, (int, float)) and lifetime > 0 else 300.0
        logger.debug("fetched a token for scopes %r, valid for %.0fs", key, lifetime)
        return token, lifetime


class SyncAPIClient(BaseClient):
    """Drives calls with blocking I/O."""

    def __init__(self, *, http_client: httpx.Client | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._given_http = http_client

    @functools.cached_property
    def _http(self) -> httpx.Client:
        # made by the first call: making one (TLS context, connection pool) costs as much as importing httpx
        return self._given_http or httpx.Client(timeout=self.timeout)

    @functools.cached_property
    def _bounded(self) -> bool:
        return _bound_by_deadlines(self._http)

    def request(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
        url: str | None = None,
    ) -> T:
        options = options or {}
        prepared = self._prepare(endpoint, path, query, headers, body, options, url=url)
        raw = take_stream_request()
        return self._drive(self._call(self._http, endpoint, prepared, options, raw))

    def _drive(self, flow: Generator[_Step, Any, T]) -> T:
        step = next(flow)
        while True:
            try:
                if isinstance(step, _Send):
                    try:
                        # never redirected, whatever client the caller passed in: the next request
                        # would carry the credentials to wherever the API points (RedirectError)
                        outcome: Any = _send_within(
                            self._bounded,
                            step.until,
                            functools.partial(
                                self._http.send,
                                step.request,
                                stream=step.stream,
                                follow_redirects=False,
                            ),
                        )
                    except (httpx.HTTPError, _DeadlinePassed) as exc:
                        step = flow.throw(exc)
                        continue
                elif isinstance(step, _Read):
                    unread = step.response
                    try:
                        _send_within(self._bounded, step.until, unread.read)
                    except (
                        httpx.HTTPError,
                        _DeadlinePassed,
                    ) as exc:  # retried as a failed send is
                        step = flow.throw(exc)
                        continue
                    finally:
                        unread.close()
                    outcome = None
                elif isinstance(step, _Sleep):
                    time.sleep(step.seconds)
                    outcome = None
                else:
                    options = step.options
                    try:
                        outcome = self._tokens.get(
                            step.key,
                            lambda key: self._drive(self._token_call(self._http, key, options)),
                            options.get("deadline"),
                        )
                    except TimeoutError as exc:  # waiting for another call's fetch
                        raise APITimeoutError(str(exc)) from None
                step = flow.send(outcome)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]

    def _open_stream(self, endpoint: Endpoint[Any], response: httpx.Response) -> Any:
        return Stream(response, *self._stream_parts(endpoint, response))

    def close(self) -> None:
        """Release the connections (only of an HTTP client this client made itself)."""
        if (
            self._given_http is None
        ):  # made now if no call made it: a closed client refuses calls, as httpx's does
            self._http.close()


class AsyncAPIClient(BaseClient):
    """Drives calls with asyncio."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._given_http = http_client

    @functools.cached_property
    def _http(self) -> httpx.AsyncClient:
        # made by the first call, as the sync client's
        return self._given_http or httpx.AsyncClient(timeout=self.timeout)

    async def request(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
        url: str | None = None,
    ) -> T:
        options = options or {}
        prepared = self._prepare(endpoint, path, query, headers, body, options, url=url)
        raw = take_stream_request()
        return await self._drive(self._call(self._http, endpoint, prepared, options, raw))

    async def _drive(self, flow: Generator[_Step, Any, T]) -> T:
        step = next(flow)
        while True:
            try:
                if isinstance(step, _Send):
                    try:
                        outcome: Any = await _awithin(
                            step.until,
                            self._http.send(  # never redirected, as the sync client
                                step.request, stream=step.stream, follow_redirects=False
                            ),
                        )
                    except (httpx.HTTPError, _DeadlinePassed) as exc:
                        step = flow.throw(exc)
                        continue
                elif isinstance(step, _Read):
                    unread = step.response
                    try:
                        await _awithin(step.until, unread.aread())
                    except (
                        httpx.HTTPError,
                        _DeadlinePassed,
                    ) as exc:  # retried as a failed send is
                        step = flow.throw(exc)
                        continue
                    finally:
                        await unread.aclose()
                    outcome = None
                elif isinstance(step, _Sleep):
                    import asyncio

                    await asyncio.sleep(step.seconds)
                    outcome = None
                else:
                    options = step.options

                    async def fetch(key: str) -> tuple[str, float]:
                        return await self._drive(self._token_call(self._http, key, options))

                    try:
                        outcome = await self._tokens.aget(step.key, fetch, options.get("deadline"))
                    except TimeoutError as exc:  # waiting for another task's fetch
                        raise APITimeoutError(str(exc)) from None
                step = flow.send(outcome)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]

    def _open_stream(self, endpoint: Endpoint[Any], response: httpx.Response) -> Any:
        return AsyncStream(response, *self._stream_parts(endpoint, response))

    async def aclose(self) -> None:
        """Release the connections (only of an HTTP client this client made itself)."""
        if self._given_http is None:  # as the sync client's
            await self._http.aclose()
