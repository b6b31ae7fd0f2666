"""Turning spec names into safe, unique Python identifiers.

Every identifier that reaches generated code is made here, from ASCII letters, digits and underscores only,
so templates can print identifiers without escaping.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import unicodedata

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")

#: Names a generated field, parameter or method must not take: keywords, the builtins used in
#: annotations, and the names generated method bodies use.
RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | {
        "self",
        "cls",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "object",
        "options",
        "print",
    }
)
#: The per-call keyword arguments every generated method takes after the operation's own.
CALL_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "options"})
#: Attribute names pydantic's BaseModel already uses.
MODEL_RESERVED = frozenset(
    name
    for name in (
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "construct",
        "validate",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "fields",
        "request_id",
    )
)
BUILTIN_NAMES = frozenset(dir(builtins))


_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
    }
)


def words(name: str) -> list[str]:
    """Split any spec name (camelCase, kebab-case, 'Title Case', unicode) into lowercase ASCII words."""
    return list(_words(name))


@functools.lru_cache(maxsize=65536)  # the same names come back again and again (GitHub's spec: 48,000 calls)
def _words(name: str) -> tuple[str, ...]:
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode("ascii")
    ascii_name = _WORD_BOUNDARY.sub("_", ascii_name)
    return tuple(w.lower() for w in _NON_WORD.split(ascii_name) if w)


#: Longest identifier we make: module and package names become file names, which file systems limit.
MAX_LENGTH = 64


def _shorten(identifier: str) -> str:
    """Cut a too-long identifier, keeping it unique with a short hash of the whole."""
    if len(identifier) <= MAX_LENGTH:
        return identifier
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]
    return f"{identifier[: MAX_LENGTH - 9].rstrip('_')}_{digest}"


@functools.lru_cache(maxsize=65536)
def snake(name: str, *, fallback: str = "value") -> str:
    parts = words(name) or [fallback]
    result = _shorten("_".join(parts))
    if result[0].isdigit():
        result = f"n{result}"
    return result


@functools.lru_cache(maxsize=65536)
def pascal(name: str, *, fallback: str = "Model") -> str:
    parts = words(name) or words(fallback)
    result = _shorten("".join(p[:1].upper() + p[1:] for p in parts))
    if result[0].isdigit():
        result = f"N{result}"
    return safe(result)  # None, True, False


def constant(name: str) -> str:
    parts = words(name)
    if not parts:
        return "EMPTY"
    result = "_".join(parts).upper()
    if result[0].isdigit():
        result = f"VALUE_{result}"
    return result


def safe(identifier: str, reserved: frozenset[str] = RESERVED) -> str:
    """Append underscores until the identifier is not reserved."""
    while identifier in reserved or keyword.iskeyword(identifier):
        identifier += "_"
    return identifier


class Namespace:
    """Hands out unique identifiers in one scope, deterministically in the order asked."""

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken: set[str] = set(taken)

    def claim(self, identifier: str, separator: str = "_") -> str:
        candidate = identifier
        counter = 2
        while candidate in self._taken:
            candidate = f"{identifier}{separator}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._taken


def singular(word: str) -> str:
    """An English plural word in the singular, by its ending (`instances` -> `instance`, `entries` -> `entry`);
    `status` stays."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word
