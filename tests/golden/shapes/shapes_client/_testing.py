"""The test kit's machinery: a fake of the API behind `httpx.MockTransport`, for `testing.MockAPI`.

Every request the client sends reaches `FakeAPI.handle` instead of the network. It finds the operation by method
and path, checks the request against what the method is annotated with (path and query parameters, and the body
against its model): a value of the wrong type or a missing required field fails the test there, naming the
operation. It records the call with its arguments parsed, then answers with what the test stubbed
(`returns`, `raises`), else the spec's example of the success response, else fails naming the operation.
Nothing here is imported by the package itself: only `testing` imports it.
"""

from __future__ import annotations

import json
import re
import sys
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Mapping, TypeVar

import httpx
import pydantic

from ._base_client import Endpoint
from ._errors import APIError, error_class
from ._not_given import NotGiven

T = TypeVar("T")
#: no example in the spec
MISSING: Any = object()
_PARAMETER = re.compile(r"\{([^{}]+)\}")


class MockAPIError(AssertionError):
    """A request the fake API cannot answer: it breaks the spec, or no stub or example answers it."""


@dataclass(frozen=True)
class Call:
    """One request the fake API received, its arguments parsed: `path` and `query` by argument name, `body` as
    the method's body model (or what the body is), `request` as sent."""

    operation: str
    path: dict[str, Any]
    query: dict[str, Any]
    headers: httpx.Headers
    body: Any
    request: httpx.Request


@dataclass(frozen=True)
class Argument:
    """A parameter of an operation: its wire name, where it goes, the method's argument and whether required."""

    name: str
    location: str
    python_name: str
    required: bool


class FakeOperation(Generic[T]):
    """One operation of the fake API: what it answers (`returns`, `raises`) and the calls it received."""

    def __init__(
        self, name: str, endpoint: Endpoint[T], method: Any, arguments: tuple[Argument, ...]
    ) -> None:
        self.name = name
        self.endpoint = endpoint
        self.arguments = arguments
        self.calls: list[Call] = []
        self.example: Any = MISSING
        self._answer: Callable[[Call], httpx.Response] | None = None
        wired = [a.python_name for a in arguments if a.location in ("path", "query")]
        self._types = _argument_types(method, wired)
        parts = _PARAMETER.split(endpoint.path)
        pattern = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<p{i // 2}>[^/]+)" for i, p in enumerate(parts)
        )
        self._names = parts[1::2]
        self._pattern = re.compile(pattern + "$")

    @property
    def status(self) -> int:
        """The status of the operation's first success response."""
        return next(
            (int(s) for s in self.endpoint.responses if s.isdigit() and s.startswith("2")), 200
        )

    def returns(
        self,
        value: T | None = None,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer every call with `value` (a model of the operation's result type, or what it holds)."""
        payload = None if value is None else _dump(value)

        def answer(call: Call) -> httpx.Response:
            code = status or self.status
            if payload is None:
                return httpx.Response(code, headers=headers)
            return httpx.Response(code, json=payload, headers=headers)

        self._answer = answer

    def raises(
        self,
        error: type[APIError] | int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer every call with an error: an error class of the package (its status) or a status, and the
        body to send (a problem document, say)."""
        code = error if isinstance(error, int) else _status_of(error)
        content = (
            {"type": "about:blank", "title": f"{code} error", "status": code}
            if body is None
            else body
        )

        def answer(call: Call) -> httpx.Response:
            return httpx.Response(
                code,
                json=content,
                headers={"content-type": "application/problem+json", **(headers or {})},
            )

        self._answer = answer

    def responds(self, answer: Callable[[Call], httpx.Response]) -> None:
        """Answer each call with what `answer` makes of it (an `httpx.Response`)."""
        self._answer = answer

    def reset(self) -> None:
        self.calls.clear()
        self._answer = None

    @property
    def called(self) -> bool:
        return bool(self.calls)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.endpoint.method:
            return None
        found = self._pattern.match(path)
        if found is None:
            return None
        return {name: found.group(f"p{index}") for index, name in enumerate(self._names)}

    def receive(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        call = Call(
            self.name,
            self._parameters("path", path),
            self._parameters("query", request.url.params),
            request.headers,
            self._body(request),
            request,
        )
        self.calls.append(call)
        if self._answer is not None:
            return self._answer(call)
        if self.example is not MISSING:
            return httpx.Response(self.status, json=self.example)
        raise MockAPIError(
            f"{self.name} was called, but nothing answers it: the spec has no example of its response;"
            f" stub it with api.{self.name}.returns(...)"
        )

    def _parameters(self, location: str, values: Any) -> dict[str, Any]:
        parsed: dict[str, Any] = {}
        for argument in self.arguments:
            if argument.location != location:
                continue
            kind = self._types.get(argument.python_name, Any)
            if isinstance(values, httpx.QueryParams):
                given = values.get_list(argument.name)
                raw: Any = given if _is_list(kind) else (given[0] if given else None)
                present = bool(given)
            else:
                raw = values.get(argument.name)
                present = raw is not None
            if not present:
                if argument.required:
                    raise MockAPIError(
                        f"{self.name}: the {location} parameter {argument.name!r} is required"
                    )
                continue
            try:
                parsed[argument.python_name] = pydantic.TypeAdapter(kind).validate_python(raw)
            except pydantic.ValidationError as error:
                raise MockAPIError(
                    f"{self.name}: the {location} parameter {argument.name!r} = {raw!r} is not a valid"
                    f" {_name(kind)}: {error.errors()[0]['msg']}"
                ) from None
        return parsed

    def _body(self, request: httpx.Request) -> Any:
        content = request.read()
        if self.endpoint.body is None:
            return None
        if self.endpoint.body != "json":
            return content
        try:
            data = json.loads(content) if content else None
        except ValueError:
            raise MockAPIError(f"{self.name}: the request body is not JSON") from None
        if self.endpoint.body_type is None:
            return data
        try:
            return pydantic.TypeAdapter(self.endpoint.body_type).validate_python(data)
        except pydantic.ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in e['loc']) or 'body'}: {e['msg']}"
                for e in error.errors()
            )
            raise MockAPIError(
                f"{self.name}: the request body is not a valid {_name(self.endpoint.body_type)}: {problems}"
            ) from None


@dataclass
class FakeAPI:
    """The operations of a fake API, and the transport that sends requests to them. `table`: by operation, its
    path and query parameters (wire name, location, argument, required) and the spec's example of its
    response."""

    table: Mapping[str, Any]
    token_path: str | None = None
    #: whether each call must carry a token the fake issued, and a signature where the API signs requests
    auth: bool = False
    signs: bool = False
    operations: list[FakeOperation[Any]] = field(default_factory=list)
    #: every call received, in order
    calls: list[Call] = field(default_factory=list)
    tokens_issued: int = 0

    def operation(self, name: str, endpoint: Endpoint[T], method: Any) -> FakeOperation[T]:
        """The fake of one operation: `endpoint` is its constant in the resource module, `method` the sync
        method (whose annotations the parameters are checked against)."""
        entry = self.table.get(name, {})
        arguments = tuple(Argument(*item) for item in entry.get("arguments", ()))
        fake: FakeOperation[T] = FakeOperation(name, endpoint, method, arguments)
        fake.example = entry.get("example", MISSING)
        self.operations.append(fake)
        return fake

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.token_path is not None and request.method == "POST" and path == self.token_path:
            self.tokens_issued += 1
            return httpx.Response(
                200, json={"access_token": "mock-token", "token_type": "Bearer", "expires_in": 3600}
            )
        for fake in self.operations:
            parameters = fake.match(request.method, path)
            if parameters is not None:
                if self.auth:
                    self._check_auth(fake, request)
                try:
                    return fake.receive(request, parameters)
                finally:
                    if fake.calls and fake.calls[-1].request is request:
                        self.calls.append(fake.calls[-1])
        raise MockAPIError(f"no operation of the API is {request.method} {path}")

    def _check_auth(self, fake: FakeOperation[Any], request: httpx.Request) -> None:
        if not fake.endpoint.authenticated:
            return
        if self.token_path is not None:
            if request.headers.get("authorization") != "Bearer mock-token":
                raise MockAPIError(
                    f"{fake.name}: the request has no token the API issued (authorization header)"
                )
        if self.signs and not {"signature", "signature-input"} <= set(request.headers):
            raise MockAPIError(
                f"{fake.name}: the request is not signed (signature, signature-input headers)"
            )


def _argument_types(method: Any, names: list[str]) -> dict[str, Any]:
    """The annotations of a generated method's arguments, evaluated; one that names what only type checkers
    import (`os.PathLike` of a file argument) does not keep the others from being read."""
    try:
        hints = typing.get_type_hints(method)
    except Exception:
        hints = {}
        namespace = vars(sys.modules[method.__module__])
        for name in names:
            text = method.__annotations__.get(name)
            try:  # the generated method's own annotation, in its own module
                hints[name] = eval(text, namespace) if isinstance(text, str) else text  # noqa: S307
            except Exception:
                hints[name] = Any
    return {name: _without_not_given(hints.get(name, Any)) for name in names}


def _without_not_given(kind: Any) -> Any:
    """An argument's annotation without `NotGiven` (the marker of an argument left out)."""
    arguments = typing.get_args(kind)
    if arguments and any(a is NotGiven for a in arguments):
        kept = tuple(a for a in arguments if a is not NotGiven)
        return (
            kept[0] if len(kept) == 1 else typing.Union[kept]
        )  # noqa: UP007 - a Union of a tuple of types
    return kind


def _is_list(kind: Any) -> bool:
    options = typing.get_args(kind) if typing.get_origin(kind) is typing.Union else (kind,)
    return any(
        typing.get_origin(option) in (list, typing.List) for option in options
    )  # noqa: UP006


def _name(kind: Any) -> str:
    return getattr(kind, "__name__", None) or str(kind).replace("typing.", "")


def _dump(value: Any) -> Any:
    """A stubbed result as JSON: models by their wire names, as the API would send them."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _dump(item) for key, item in value.items()}
    return pydantic.TypeAdapter(Any).dump_python(value, mode="json")


def _status_of(error: type[APIError]) -> int:
    for code in range(300, 600):
        if error_class(code) is error:
            return code
    raise ValueError(f"{error.__name__} is not the error of one status: pass the status instead")
