"""Statements laid out the way black lays them out, so that black finds little to do.

Black still formats every generated file (generator.format); this only saves it work, which is most of a run's
time. The rules are black's for the statements clientgen writes:

- a statement that fits on its line stays on one line;
- otherwise a call or a parameter list keeps its head and closing bracket on lines of their own and its arguments
  on one line between them, when that line fits;
- otherwise (and always, for a literal list, dict or tuple) one item per line, with a trailing comma, each item
  laid out the same way one level deeper.

Anything this gets wrong black corrects, at the cost of its slower path, never of the result.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Union

from generator.format import LINE_LENGTH


@dataclass(frozen=True)
class Group:
    """`head` OPEN item, item, ... CLOSE `tail`: a call or parameter list, or a literal (`literal=True`)."""

    head: str
    items: tuple[Node, ...]
    tail: str = ""
    brackets: str = "()"
    literal: bool = False

    def flat(self) -> str:
        return self._flat

    def inner(self) -> str:
        return self._inner

    # worked out once: `lay` asks a group for them at every level of the layout around it
    @functools.cached_property
    def _flat(self) -> str:
        return f"{self.head}{self.brackets[0]}{self._inner}{self.brackets[1]}{self.tail}"

    @functools.cached_property
    def _inner(self) -> str:
        text = ", ".join(flat(item) for item in self.items)
        return text + "," if self.literal and self.brackets == "()" and len(self.items) == 1 else text

    def renamed(self, head: str) -> Group:
        return Group(head, self.items, self.tail, self.brackets, self.literal)


@dataclass(frozen=True)
class Annotated:
    """`name: A | B = default`: a parameter or a class attribute whose annotation is a union. Too long for its
    line, black puts the annotation between parentheses of its own, on one line between them when it fits
    there, else one alternative per line (`| B`). With `head` "name: typing.TypeAlias =" and no default: a type
    alias, whose value black parenthesizes the same way."""

    head: str
    annotation: str
    default: str = ""
    #: a statement of its own (a class attribute), not a parameter: black splits its default first, when it can
    statement: bool = False

    def flat(self) -> str:
        return f"{self.head} {self.annotation}" + (f" = {self.default}" if self.default else "")

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Split only when the node does not fit its line."""
        return alternatives(self.annotation)


Node = Union[str, Group, Annotated]


def flat(node: Node) -> str:
    return node if isinstance(node, str) else node.flat()


def annotated(name: str, annotation: str, default: str = "", *, statement: bool = False) -> Node:
    """`name: annotation = default` (no default when empty), laid out as black lays out a long union; a parameter,
    or with `statement` a class attribute."""
    return Annotated(f"{name}:", annotation, default, statement)


def alias(name: str, value: str) -> Node:
    """`name: typing.TypeAlias = value`, laid out as black lays out a long union."""
    return Annotated(f"{name}: typing.TypeAlias =", value)


def alternatives(annotation: str) -> tuple[str, ...]:
    """The alternatives of a union annotation (`A | B[C | D]` has two), outside brackets and string literals."""
    if " | " not in annotation:
        return (annotation,)
    known = _ALTERNATIVES.get(annotation)
    if known is None:
        plain = not any(char in annotation for char in "([{'\"")
        known = _ALTERNATIVES[annotation] = tuple(annotation.split(" | ")) if plain else _split_union(annotation)
    return known


#: annotations split before (a spec's methods repeat the same few: `str | NotGiven`)
_ALTERNATIVES: dict[str, tuple[str, ...]] = {}


def _split_union(annotation: str) -> tuple[str, ...]:
    parts: list[str] = []
    depth, start, index, quote = 0, 0, 0, ""
    while index < len(annotation):
        char = annotation[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and annotation.startswith(" | ", index):
            parts.append(annotation[start:index])
            index += 3
            start = index
            continue
        index += 1
    parts.append(annotation[start:])
    return tuple(parts)


def fits(text: str, indent: int) -> bool:
    return indent + _width(text) <= LINE_LENGTH


def _width(text: str) -> int:
    """Columns, as black counts them (wide characters take two)."""
    if text.isascii():
        return len(text)
    from black.strings import str_width  # black is imported only where a run needs it

    return int(str_width(text))


def lay(node: Node, indent: int = 0, suffix: str = "") -> str:
    """The node's text starting at column `indent` (the first line without its indentation), then `suffix`."""
    text = flat(node) + suffix
    if isinstance(node, Annotated):
        return _lay_annotated(node, indent, suffix) if not fits(text, indent) else text
    if isinstance(node, str) or not node.items or fits(text, indent):
        return text
    inner = " " * (indent + 4)
    opening = node.head + node.brackets[0]
    closing = " " * indent + node.brackets[1] + node.tail + suffix
    if not node.literal and fits(node.inner(), indent + 4):
        return f"{opening}\n{inner}{node.inner()}\n{closing}"
    if not node.literal and len(node.items) == 1 and not fits(flat(node.items[0]), indent + 4):
        # a lone argument that does not fit either: it explodes inside, between the call's own brackets
        return f"{opening}\n{inner}{lay(node.items[0], indent + 4)}\n{closing}"
    lines = [opening, *(inner + lay(item, indent + 4, ",") for item in node.items), closing]
    return "\n".join(lines)


def reheaded(laid: str, head: str, new_head: str, indent: int) -> str | None:
    """What `lay` gives for a group laid out as `laid` (at `indent`) when its head `head` is `new_head`, no shorter,
    without laying it out again: below a group's first line, its layout does not depend on the head. None when
    it has to be laid out again: a group on one line that no longer fits, or a shorter head."""
    if not laid.startswith(head) or _width(new_head) < _width(head):
        return None
    first, newline, rest = laid.partition("\n")
    first = new_head + first[len(head) :]
    if not newline and not fits(first, indent):
        return None
    return first + newline + rest


def _lay_annotated(node: Annotated, indent: int, suffix: str) -> str:
    """A union that does not fit: in parentheses (black keeps them around two or more alternatives), one line
    or one alternative per line. One alternative, a default with brackets (black splits those instead) or an
    alternative too long for its own line: left to black."""
    text = node.flat() + suffix
    if len(node.alternatives) < 2 or any(bracket in node.default for bracket in "([{"):
        return text
    inner = " " * (indent + 4)
    joined = node.annotation  # the alternatives joined
    if node.statement and node.default and fits(f"{node.head} {joined} = (", indent):
        # an attribute's default in parentheses of its own, when the annotation fits before them
        return f"{node.head} {joined} = (\n{inner}{node.default}\n{' ' * indent}){suffix}"
    closing = " " * indent + ")" + (f" = {node.default}" if node.default else "") + suffix
    if fits(joined, indent + 4):
        return f"{node.head} (\n{inner}{joined}\n{closing}"
    lines = [node.alternatives[0], *(f"| {alternative}" for alternative in node.alternatives[1:])]
    if not all(fits(line, indent + 4) for line in lines):
        return text
    return "\n".join([f"{node.head} (", *(inner + line for line in lines), closing])


def call(function: str, *arguments: Node, tail: str = "") -> Group:
    return Group(function, tuple(arguments), tail)


def keyword(name: str, value: str | Group) -> Node:
    """`name=value`, where the value may be a group that explodes."""
    return f"{name}={value}" if isinstance(value, str) else value.renamed(f"{name}={value.head}")


def mapping(pairs: list[tuple[str, str | Group]]) -> Group:
    """A dict literal of already-written keys and values."""
    items = tuple(
        f"{key}: {value}" if isinstance(value, str) else value.renamed(f"{key}: {value.head}") for key, value in pairs
    )
    return Group("", items, brackets="{}", literal=True)


def tuple_of(items: list[Node]) -> Group:
    return Group("", tuple(items), literal=True)
