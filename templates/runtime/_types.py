# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Base classes of the generated models, and the problem document of error responses.

It imports pydantic, so the rest of the runtime imports it only where a model is needed (a body to
validate or parse), never with the package.
"""

from __future__ import annotations

import enum
from typing import Any, Callable, Mapping

import pydantic

__all__ = ["BaseModel", "OpenEnum", "OpenIntEnum", "Problem", "UnknownVariant", "discriminate"]

#: the tag of the variant that holds a value whose discriminator the client does not know
UNKNOWN_TAG = "unknown"


class BaseModel(pydantic.BaseModel):
    """A model of the API: keeps fields it does not know (the API adds fields between versions)."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
    )

    _request_id: str | None = pydantic.PrivateAttr(default=None)

    @property
    def request_id(self) -> str | None:
        """The request id of the response this model was read from (quote it to support)."""
        return self._request_id


class UnknownVariant(BaseModel):
    """A variant of a union the API added after this client was generated: its data, as the API sent it
    (`model_extra`, or `model_dump()`), instead of an error for the whole response."""


def discriminate(
    field: str, attribute: str, tags: Mapping[str, str]
) -> Callable[[Any], str | None]:
    """The tag of the union variant a value is: by its discriminator property (`field` in JSON, `attribute` on a
    model), looked up in `tags`; a value the client does not know is an `UnknownVariant`."""

    def tag(value: Any) -> str | None:
        if isinstance(value, Mapping):
            found = value.get(field)
        elif isinstance(value, pydantic.BaseModel):
            found = getattr(value, attribute, None)
            if found is None:  # each variant may call the property by a name of its own
                names = (
                    n for n, info in type(value).model_fields.items() if (info.alias or n) == field
                )
                found = next((getattr(value, n) for n in names), None)
            if found is None and value.model_extra:
                found = value.model_extra.get(field)
        else:
            return None  # not an object: no variant fits, and pydantic says so
        return tags.get(found, UNKNOWN_TAG) if isinstance(found, str) else UNKNOWN_TAG

    return tag


class OpenEnum(str, enum.Enum):
    """A string enum that also accepts values it does not list: the API adds values between versions."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(int, enum.Enum):
    """An integer enum that also accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"VALUE_{value}"
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)


class Problem(pydantic.BaseModel):
    """An RFC 9457 problem document (`application/problem+json`), as error responses carry it."""

    model_config = pydantic.ConfigDict(extra="allow")

    type: str | None = None
    status: int | None = None
    title: str | None = None
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
