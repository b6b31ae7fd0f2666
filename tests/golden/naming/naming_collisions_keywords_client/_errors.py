# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Errors raised by the client: one class per HTTP status, all under `APIError`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    # only annotates: the pydantic model is imported where an error response is parsed
    from ._types import Problem

__all__ = [
    "Error",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "AuthenticationError",
    "SignatureError",
    "PaginationError",
    "RedirectError",
    "BadRequestError",
    "UnauthorizedError",
    "ForbiddenError",
    "NotFoundError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "RequestTimeoutError",
    "ConflictError",
    "GoneError",
    "PreconditionFailedError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "NotImplementedError_",
    "BadGatewayError",
    "ServiceUnavailableError",
    "GatewayTimeoutError",
]


class Error(Exception):
    """Base class of every error this client raises."""


class APIConnectionError(Error):
    """The API could not be reached, or the connection broke before a response arrived."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class AuthenticationError(Error):
    """The token endpoint answered without a usable access token (a refusal raises its status's error, such as
    `UnauthorizedError`)."""


class SignatureError(Error):
    """A signature could not be made or did not verify (so `except Error` catches it too)."""


class PaginationError(Error):
    """Walking pages went wrong: the API answered the same next page twice (a cursor or offset that does not
    advance), or a next page was asked of the last one, or its URL points away from the client's API.
    """


class APIResponseValidationError(Error):
    """A successful response whose body does not match what the API description promises."""

    def __init__(self, message: str, *, response: httpx.Response, request_id: str | None) -> None:
        super().__init__(f"{message} (request id: {request_id})" if request_id else message)
        self.response = response
        self.request_id = request_id


class APIError(Error):
    """The API answered with an error status. Quote `request_id` when you contact support."""

    status_code: int

    def __init__(
        self, response: httpx.Response, *, problem: Problem | None, request_id: str | None
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.problem = problem
        self.request_id = request_id
        #: the body: the model the API description gives this status (other than a problem document), when
        #: the body matches it; else the text
        self.body: Any = response.text
        super().__init__(self._message())

    def _message(self) -> str:
        message = f"{self.status_code} {self.response.reason_phrase}".strip()
        if self.problem is not None:
            details = [text for text in (self.problem.title, self.problem.detail) if text]
            if details:
                message += ": " + ": ".join(details)
        if self.request_id:
            message += f" (request id: {self.request_id})"
        return message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, request_id={self.request_id!r})"
        )


class RedirectError(APIError):
    """The API answered a redirect (3xx) the operation does not declare. The client never follows redirects: the
    next request would carry its token, signature or client secret to wherever `location` points."""

    def __init__(
        self, response: httpx.Response, *, problem: Problem | None, request_id: str | None
    ) -> None:
        #: where the API pointed (the `Location` header), not visited
        self.location = response.headers.get("location")
        super().__init__(response, problem=problem, request_id=request_id)

    def _message(self) -> str:
        request = self.response.request
        where = f"{request.method} {request.url.path}"
        message = f"{self.status_code} {self.response.reason_phrase}".strip()
        message += f": the API redirected {where} to {self.location or 'no location'}, and the client does not"
        message += " follow redirects (they would carry its credentials there)"
        if self.request_id:
            message += f" (request id: {self.request_id})"
        return message


class BadRequestError(APIError):
    """HTTP 400."""


class UnauthorizedError(APIError):
    """HTTP 401."""


class ForbiddenError(APIError):
    """HTTP 403."""


class NotFoundError(APIError):
    """HTTP 404."""


class MethodNotAllowedError(APIError):
    """HTTP 405."""


class NotAcceptableError(APIError):
    """HTTP 406."""


class RequestTimeoutError(APIError):
    """HTTP 408."""


class ConflictError(APIError):
    """HTTP 409."""


class GoneError(APIError):
    """HTTP 410."""


class PreconditionFailedError(APIError):
    """HTTP 412."""


class PayloadTooLargeError(APIError):
    """HTTP 413."""


class UnsupportedMediaTypeError(APIError):
    """HTTP 415."""


class UnprocessableEntityError(APIError):
    """HTTP 422."""


class RateLimitError(APIError):
    """HTTP 429."""


class InternalServerError(APIError):
    """HTTP 500."""


class NotImplementedError_(APIError):
    """HTTP 501."""


class BadGatewayError(APIError):
    """HTTP 502."""


class ServiceUnavailableError(APIError):
    """HTTP 503."""


class GatewayTimeoutError(APIError):
    """HTTP 504."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    406: NotAcceptableError,
    408: RequestTimeoutError,
    409: ConflictError,
    410: GoneError,
    412: PreconditionFailedError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    501: NotImplementedError_,
    502: BadGatewayError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
}


def error_class(status_code: int) -> type[APIError]:
    """The exception class raised for a status code."""
    if 300 <= status_code < 400:
        return RedirectError
    return _BY_STATUS.get(status_code, APIError)
