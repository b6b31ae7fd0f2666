# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""The results of responses without a JSON body: `NoContent` and `BinaryContent`.

Plain classes, kept apart from the pydantic models in `_types`: making a client, and reading a response
without a JSON body, never import pydantic.
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["BinaryContent", "NoContent"]


class NoContent:
    """The result of a response without a body (202 Accepted, 204 No Content)."""

    __slots__ = ("status_code", "request_id", "headers")

    def __init__(
        self, status_code: int, request_id: str | None, headers: Mapping[str, str]
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        self.headers = headers

    def __repr__(self) -> str:
        return f"NoContent(status_code={self.status_code}, request_id={self.request_id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoContent) and other.status_code == self.status_code

    __hash__ = None  # type: ignore[assignment]


class BinaryContent(bytes):
    """The body of a binary response (a PDF, an image): bytes that also know their type and request id."""

    content_type: str
    request_id: str | None

    def __new__(
        cls, data: bytes, *, content_type: str = "", request_id: str | None = None
    ) -> BinaryContent:
        instance = super().__new__(cls, data)
        instance.content_type = content_type
        instance.request_id = request_id
        return instance

    def __repr__(self) -> str:
        return f"BinaryContent({len(self)} bytes, content_type={self.content_type!r}, request_id={self.request_id!r})"
