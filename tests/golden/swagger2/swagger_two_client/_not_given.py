# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""`NOT_GIVEN`: the default of every optional argument, so that leaving an argument out and passing `None`
are two different requests (a PATCH that clears a field sends `null`; one that leaves it alone sends nothing).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven:
    """The type of `NOT_GIVEN`, the one value meaning "this argument was not given": it is left out of the
    request. It is false, like `None`, so `if value:` still reads naturally."""

    __slots__ = ()
    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: Any) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
