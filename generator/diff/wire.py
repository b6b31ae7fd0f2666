"""The wire view of a change: what oasdiff checks, read from the two documents themselves.

The model keeps what code generation needs and drops the rest (bounds, lengths, patterns, defaults, response
headers, sunset dates), so this view compares the specs as written: operation by operation, parameter by
parameter, and every schema keyword a caller's request or a reader's expectations depend on. Each change
carries oasdiff's check id (`request-parameter-max-length-decreased`), found by its place (`site`: request
parameter, request body, request property, response body, response property, response header) and what changed
(`suffix`: `max-length-decreased`), and oasdiff's level for it, read from the catalog beside this module
(oasdiff-checks.tsv); `JUDGED` lists where the generated client makes us judge otherwise, and why.

Direction decides: a tighter request constraint refuses calls that passed before, a looser response constraint
lets through values readers did not expect. Changes inside a component schema are reported once, at the model
generated for it (`schema Order`), whichever operations use it; the rest at their operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Final, Literal

from generator.diff.change import Bump, Change, Severity
from generator.load import Document, Location, escape_pointer_token
from generator.model import Api, Operation

STABILITY = ("draft", "alpha", "beta", "stable")
_DEPTH = 64  # compositions nested deeper than this are compared as written
_COMPONENT = re.compile(r"^/components/schemas/([^/]+)$")
_PATH_PARAMETER = re.compile(r"\{[^{}]*\}")

#: Checks whose severity for a generated client differs from oasdiff's level: id -> (severity, why).
JUDGED: dict[str, tuple[Severity, str]] = {
    "response-property-enum-value-added": (
        "compatible",
        "generated enums are open: a client built before parses the new value",
    ),
    "response-optional-property-removed": (
        "breaking",
        "the generated model loses the attribute: code that reads it raises AttributeError",
    ),
    "optional-response-header-removed": ("compatible", "an optional header: readers already handle its absence"),
    "response-required-property-became-not-write-only": (
        "compatible",
        "responses now carry a property the generated model already declares",
    ),
}
#: oasdiff's lifecycle policy checks: an announcement that breaks no generated code (severity compatible, bump
#: patch), reported with oasdiff's id so that a team enforcing the policy sees it.
POLICY = (
    "deprecated-sunset-missing",
    "deprecated-sunset-parse",
    "sunset-date-too-small",
    "sunset-deleted",
    "sunset-date-changed-too-small",
    "stability-decreased",
    "invalid-stability-level",
    "deprecated-sunset-invalid",
)


@cache
def catalog() -> dict[str, str]:
    """oasdiff's checks: id -> level (ERR, WARN or INFO), from the catalog shipped beside this module."""
    text = resources.files("generator.diff").joinpath("oasdiff-checks.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines()[1:] if line.strip())
    return {row[0]: row[1] for row in rows}


@dataclass(frozen=True)
class Policy:
    """oasdiff's deprecation policy: the least days between deprecating an operation, parameter or property and
    its sunset date, by stability level (0: a deprecation needs no sunset date); `today` for tests."""

    deprecation_days_beta: int = 0
    deprecation_days_stable: int = 0
    today: date | None = None

    def days(self, stability: str) -> int:
        return self.deprecation_days_beta if stability == "beta" else self.deprecation_days_stable

    def now(self) -> date:
        return self.today or date.today()


class Side:
    """One document of the pair, with the names the model gave its component schemas."""

    def __init__(self, document: Document, api: Api) -> None:
        self.document = document
        self.main = document.main
        self.names = {s.pointer: s.name for s in api.schemas if s.pointer}
        self._refs: dict[Location, frozenset[Location]] = {}

    def follow(self, node: Any, location: Location) -> tuple[Any, Location]:
        return self.document.follow(node, location)

    def locate(self, operation: Operation) -> Location:
        """Where `operation` of the model is in this document (its own file when its path item is elsewhere)."""
        return self.document.locate(operation.method, operation.pointer, operation.path)

    def at(self, location: Location) -> Any:
        """The node at `location`, None where there is none."""
        try:
            return self.document.node(location)
        except Exception:  # a location the model or a path item gave always exists; a broken one is nothing
            return None

    def node(self, pointer: str) -> Any:
        return self.at(Location(self.main, pointer))

    def model_name(self, location: Location) -> str:
        match = _COMPONENT.match(location.pointer)
        if location.file == self.main and location.pointer in self.names:
            return self.names[location.pointer]
        return match.group(1).replace("~1", "/").replace("~0", "~") if match else location.pointer

    def references(self, location: Location, node: Any) -> frozenset[Location]:
        """Where the `$ref`s under `node` lead, directly (remembered per location)."""
        known = self._refs.get(location)
        if known is None:
            found: set[Location] = set()
            pending = [node]
            while pending:
                item = pending.pop()
                if isinstance(item, dict):
                    ref = item.get("$ref")
                    if isinstance(ref, str):
                        try:
                            found.add(self.document.resolve(ref, location.file)[0])
                        except Exception:
                            pass
                    pending.extend(item.values())
                elif isinstance(item, list):
                    pending.extend(item)
            known = self._refs[location] = frozenset(found)
        return known


class _Unchanged:
    """Whether a node and everything its `$ref`s reach is the same on both sides (same places, same content)."""

    def __init__(self, old: Side, new: Side) -> None:
        self.old, self.new = old, new
        self._known: dict[tuple[str, str], bool] = {}
        self._pending: dict[tuple[str, str], int] = {}  # components being compared -> their depth
        self._assumed: list[int] = []  # the least depth of the pending components each level relied on
        old_root, new_root = old.document.root, new.document.root
        #: one file each, the same everything but `paths`, and no reference into `paths`: a node equal on both
        #: sides whose references lead outside `paths` is unchanged without following them (a spec revised in its
        #: operations only, the usual case)
        self._same_outside_paths = (
            len(old.document.files) <= 1
            and len(new.document.files) <= 1
            and isinstance(old_root, dict)
            and isinstance(new_root, dict)
            and {k: v for k, v in old_root.items() if k != "paths"}
            == {k: v for k, v in new_root.items() if k != "paths"}
            and not any(
                location.pointer.startswith("/paths/")
                for side in (old, new)
                for location in side.document.resolved_locations()
            )
        )

    def __call__(self, old: Location, new: Location, old_node: Any, new_node: Any) -> bool:
        if old_node != new_node or old.pointer != new.pointer:
            return False
        if self._same_outside_paths and not any(
            r.pointer.startswith("/paths/") for r in self.old.references(old, old_node)
        ):
            return True
        return self._same_refs(old, new, old_node)

    def _same_refs(self, old: Location, new: Location, node: Any) -> bool:
        old_refs = sorted((r.pointer, r.file) for r in self.old.references(old, node))
        new_refs = sorted((r.pointer, r.file) for r in self.new.references(new, node))
        if [p for p, _ in old_refs] != [p for p, _ in new_refs]:
            return False
        for (pointer, old_file), (_, new_file) in zip(old_refs, new_refs):
            if not self._component(Location(old_file, pointer), Location(new_file, pointer)):
                return False
        return True

    def _component(self, old: Location, new: Location) -> bool:
        """Whether a referenced node is unchanged. In a cycle, a node being compared is assumed unchanged (its
        other parts decide); an answer that relied on such an assumption is kept only once the node assumed
        is decided, so that a later change in the cycle cannot hide behind it."""
        key = (old.pointer, old.file + "\0" + new.file)
        known = self._known.get(key)
        if known is not None:
            return known
        depth = self._pending.get(key)
        if depth is not None:
            if self._assumed:
                self._assumed[-1] = min(self._assumed[-1], depth)
            return True
        level = len(self._pending)
        self._pending[key] = level
        self._assumed.append(level + 1)
        try:
            old_node, new_node = self._node(self.old, old), self._node(self.new, new)
            same = old_node == new_node and self._same_refs(old, new, old_node)
        finally:
            del self._pending[key]
            relied = self._assumed.pop()
        if not same or relied >= level:  # decided: on its own, or on nothing still pending above it
            self._known[key] = same
        if self._assumed:
            self._assumed[-1] = min(self._assumed[-1], relied)
        return same

    @staticmethod
    def _node(side: Side, location: Location) -> Any:
        return side.at(location)


@dataclass
class _Schema:
    """A schema as compared: `null` branches and `type: [..., "null"]` folded into `nullable`, a single `oneOf`
    or `anyOf` branch folded into its parent, `allOf` (and a 3.1 `$ref`'s siblings) merged into one schema
    (its branches kept under `allOf` for the branch checks); `raw` is the node as written at `location`,
    `component` where a plain reference led, `properties` where each property is written."""

    node: dict[str, Any]
    location: Location
    nullable: bool
    component: Location | None = None
    raw: Any = None
    properties: dict[str, Location] = field(default_factory=dict)
    false: bool = False  # the schema `false`: no value is valid
    #: the `allOf` of one branch this schema was folded from (the branch checks compare it)
    folded: list[Any] | None = None

    def types(self) -> frozenset[str]:
        kind = self.node.get("type")
        if isinstance(kind, str):
            return frozenset({kind}) - {"null"}
        if isinstance(kind, list):
            return frozenset(t for t in kind if isinstance(t, str)) - {"null"}
        return frozenset()


#: which values a schema change refuses that passed before: in the requests sent (a tighter constraint), in the
#: responses read (a looser one: values their readers did not expect), or both (a value replaced by another)
Breaks = Literal["requests", "responses", "both"]
REQUESTS: Final = "requests"
RESPONSES: Final = "responses"
BOTH: Final = "both"
#: directions whose changes are news, never breaking, and the note that says why
_ERROR_HEADER = "a header of an error response: the generated client reads none but the request id"
_NEWS = {
    "error": " (in an error response: the generated error keeps the body as parsed)",
    "unsent": " (readOnly: requests do not send it)",
    "unread": " (writeOnly: responses do not carry it)",
}
#: keywords whose presence constrains (JSON Schema 2020-12), and their names in check ids
_APPLICATORS = (
    ("contains", "contains"),
    ("if", "if"),
    ("then", "then"),
    ("else", "else"),
    ("propertyNames", "property-names"),
    ("unevaluatedItems", "unevaluated-items"),
    ("unevaluatedProperties", "unevaluated-properties"),
    ("contentSchema", "content-schema"),
)
#: formats whose values are a subset of another's (int32 of int64): (narrower, wider)
_WIDER_FORMATS = frozenset({("int32", "int64"), ("float", "double")})
#: formats the generated code types otherwise than `str` (a response value set to one changes the annotation)
_TYPED_FORMATS = frozenset({"uuid", "date", "date-time", "decimal", "byte", "binary"})
_ANNOTATIONS = frozenset({"default", "readOnly", "writeOnly", "deprecated", "const"})
_DOCUMENTATION = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "nullable", "deprecated", "$comment", "xml"}
)


@dataclass(frozen=True)
class _Context:
    """Where a comparison is: the report location, the site of its ids, what its messages name, and which way its
    values travel ("error": in an error response, reported but never breaking)."""

    where: str
    site: str  # request-parameter | request-body | request-property | response-body | response-property | ...
    root: str  # "query parameter 'q'", "request body", "response 200", "schema"
    direction: str  # request | response | error
    path: str = ""  # below the root: "items/side"

    @property
    def subject(self) -> str:
        if not self.path:
            return "the schema" if self.root == "schema" else self.root
        return f"property {self.path!r}" if self.root == "schema" else f"{self.root}, {self.path}"

    def at(self, step: str, site: str | None = None) -> _Context:
        return replace(self, path=f"{self.path}/{step}" if self.path else step, site=site or self.site)


@dataclass
class WireDiff:
    """The wire changes of a pair of documents; `operation` and `security` are called by `diff` for the operations
    it paired (by method and path, renames included)."""

    old: Side
    new: Side
    policy: Policy = field(default_factory=Policy)
    changes: list[Change] = field(default_factory=list)
    #: tests set this: a judgement (`breaking`) that oasdiff's level for the same check contradicts, with no reason
    #: given (`JUDGED`, `POLICY`, `reason`), raises instead of being overridden by the level unseen
    checking_judgements: ClassVar[bool] = False

    def __post_init__(self) -> None:
        self._unchanged = _Unchanged(self.old, self.new)
        self._compared: set[tuple[Location, Location, str, str]] = set()
        self._active: set[tuple[Location, Location, str, str]] = set()
        self._seen: set[tuple[str, str, bool]] = set()

    # -- reporting ------------------------------------------------------------------------------------------

    def emit(
        self,
        check: str | tuple[str, ...],
        where: str,
        message: str,
        *,
        breaking: bool,
        bump: Bump | None = None,
        reason: str = "",
    ) -> None:
        """Report `check` at `where`: its severity is oasdiff's level for it, unless the generated client makes us
        judge otherwise (`JUDGED`, `POLICY`, or this occurrence's `reason`, judged by `breaking`); a check oasdiff
        does not have is ours (`clientgen-`), judged by `breaking`."""
        levels = catalog()
        check = check if isinstance(check, str) else _known(*check)
        if check not in levels and not check.startswith("clientgen-"):
            check = "clientgen-" + check
        if reason:
            severity: Severity = "breaking" if breaking else "compatible"
        elif check in JUDGED:
            severity, reason = JUDGED[check]
        elif any(check.endswith(p) for p in POLICY):
            severity, reason = "compatible", "a deprecation policy finding: no generated code changes"
            if self.checking_judgements and breaking:
                raise AssertionError(f"{check}: judged breaking, a deprecation policy finding")
        elif check in levels:
            severity = "breaking" if levels[check] in ("ERR", "WARN") else "compatible"
            if self.checking_judgements and breaking != (severity == "breaking"):
                raise AssertionError(
                    f"{check}: judged {'breaking' if breaking else 'compatible'}, oasdiff's level is {levels[check]}"
                )
        else:
            severity = "breaking" if breaking else "compatible"
        if reason and not message.endswith(reason) and severity != _level_severity(levels.get(check)):
            message += f" ({reason})"
        if severity == "breaking":
            bump = "major"
        elif bump is None or bump == "major":
            bump = "patch" if any(check.endswith(p) for p in POLICY) else "minor"
        change = Change(_category(check), severity, where, message, bump, check)
        # one change seen from two places (a component that is a request body and a property of another): once
        seen = (where, message, "request" in check)
        if seen not in self._seen:
            self._seen.add(seen)
            self.changes.append(change)

    # -- operations -------------------------------------------------------------------------------------------

    def operation(self, old: Operation, new: Operation, where: str, managed: frozenset[str] = frozenset()) -> None:
        """Compare one operation paired by `diff`: lifecycle, parameters, body, responses. Header parameters in
        `managed` (lower case) are the client's own (auth, signatures, client settings): not compared."""
        old_location, new_location = self.old.locate(old), self.new.locate(new)
        old_node, new_node = self.old.at(old_location), self.new.at(new_location)
        if not isinstance(old_node, dict) or not isinstance(new_node, dict):
            return
        old_items, new_items = _parent(old_location), _parent(new_location)
        old_shared = _dict(self.old.at(old_items)).get("parameters")
        new_shared = _dict(self.new.at(new_items)).get("parameters")
        if old_shared == new_shared and self._unchanged(old_location, new_location, old_node, new_node):
            if old_shared is None or self._unchanged(
                _child(old_items, "parameters"), _child(new_items, "parameters"), old_shared, new_shared
            ):
                return
        self._lifecycle(old_node, new_node, where, "api", "operation", "endpoint")
        self._parameters(old_location, old_node, old.path, new_location, new_node, new.path, where, managed)
        self._request_body(old_node.get("requestBody"), old_location, new_node.get("requestBody"), new_location, where)
        self._responses(old_node.get("responses"), old_location, new_node.get("responses"), new_location, where)

    def removal(self, operation: Operation, where: str, path_removed: bool, method: str) -> None:
        """An operation of OLD that NEW no longer has, judged by its deprecation and sunset date (oasdiff's policy:
        removed after a sunset date that has passed is expected; before it, or without deprecation, breaks)."""
        node = self.old.at(self.old.locate(operation))
        node = node if isinstance(node, dict) else {}
        stability = node.get("x-stability-level", "stable")
        prefix = "api-path" if path_removed else "api"
        if stability in ("draft", "alpha"):
            message = f"{stability} operation removed: {method} no longer exists"
            self.changes.append(
                Change("operation removed", "compatible", where, message, "minor", "clientgen-removed-unstable")
            )
            return
        if node.get("deprecated") is not True:
            self.emit(
                f"{prefix}-removed-without-deprecation",
                where,
                f"operation removed without deprecation: {method} no longer exists",
                breaking=True,
            )
            return
        sunset = node.get("x-sunset")
        if sunset is None:
            self.emit(
                f"{prefix}-removed-with-deprecation",
                where,
                f"deprecated operation removed: {method} no longer exists",
                breaking=False,
            )
            return
        day = _date(sunset)
        if day is None:
            self.emit(
                "api-path-sunset-parse",
                where,
                f"operation removed; its sunset date {sunset!r} cannot be read",
                breaking=True,
            )
        elif self.policy.now() < day:
            self.emit(
                f"{prefix}-removed-before-sunset",
                where,
                f"operation removed before its sunset date {day}: {method} no longer exists",
                breaking=True,
            )
        else:
            message = f"operation removed after its sunset date {day}: {method} no longer exists, as announced"
            self.changes.append(
                Change("operation removed", "compatible", where, message, "minor", f"{prefix}-removed-with-deprecation")
            )

    def _lifecycle(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        where: str,
        prefix: str,
        subject: str,
        info: str = "",
    ) -> None:
        """Deprecation, sunset date and stability level of an operation (`api-`, its news `endpoint-`), a parameter
        (`request-parameter-`) or a property (`request-property-`, `response-property-`)."""
        info = info or prefix
        old_stability, new_stability = old.get("x-stability-level"), new.get("x-stability-level")
        if new_stability is not None and new_stability not in STABILITY:
            self.emit(
                f"{prefix}-invalid-stability-level",
                where,
                f"{subject}: stability level {new_stability!r} is not one of {', '.join(STABILITY)}",
                breaking=False,
            )
            return
        if (
            old_stability in STABILITY
            and new_stability in STABILITY
            and STABILITY.index(new_stability) < STABILITY.index(old_stability)
        ):
            self.emit(
                f"{prefix}-stability-decreased",
                where,
                f"{subject}: stability level {old_stability} -> {new_stability}",
                breaking=False,
            )
        elif (
            old_stability in STABILITY
            and new_stability in STABILITY
            and STABILITY.index(new_stability) > STABILITY.index(old_stability)
        ):
            message = f"{subject}: stability level {old_stability} -> {new_stability}"
            self.emit(f"{prefix}-stability-increased", where, message, breaking=False, bump="patch")
        was, now = old.get("deprecated") is True, new.get("deprecated") is True
        if was and not now:
            self.emit(f"{info}-reactivated", where, f"{subject} no longer deprecated", breaking=False, bump="patch")
            return
        sunset, old_sunset = new.get("x-sunset"), old.get("x-sunset")
        stability = new_stability or "stable"
        if now and not was:
            if stability in ("draft", "alpha"):
                self.emit(f"{info}-deprecated", where, f"{subject} deprecated", breaking=False, bump="patch")
                return
            days = self.policy.days(stability)
            if sunset is None:
                if days > 0:
                    self.emit(
                        f"{prefix}-deprecated-sunset-missing",
                        where,
                        f"{subject} deprecated without a sunset date (the policy asks for {days} days)",
                        breaking=False,
                    )
                else:
                    self.emit(f"{info}-deprecated", where, f"{subject} deprecated", breaking=False, bump="patch")
                return
            day = _date(sunset)
            if day is None:
                self.emit(
                    (f"{prefix}-deprecated-sunset-parse", f"{prefix}-deprecated-sunset-invalid"),
                    where,
                    f"{subject} deprecated with a sunset date that cannot be read: {sunset!r}",
                    breaking=False,
                )
            elif (day - self.policy.now()).days < days:
                self.emit(
                    f"{prefix}-sunset-date-too-small",
                    where,
                    f"{subject} deprecated with sunset date {day}, sooner than the policy's {days} days",
                    breaking=False,
                )
            else:
                self.emit(
                    f"{info}-deprecated-with-sunset",
                    where,
                    f"{subject} deprecated, sunset date {day}",
                    breaking=False,
                    bump="patch",
                )
            return
        if now and was and old_sunset is not None and old_sunset != sunset:
            if sunset is None:
                self.emit(
                    "sunset-deleted" if prefix == "api" else f"{prefix}-sunset-deleted",
                    where,
                    f"{subject}: sunset date {old_sunset} removed",
                    breaking=False,
                )
                return
            before, after = _date(old_sunset), _date(sunset)
            if before is not None and after is not None and after < before:
                days = self.policy.days(stability)
                if (after - self.policy.now()).days < days:
                    self.emit(
                        f"{prefix}-sunset-date-changed-too-small",
                        where,
                        f"{subject}: sunset date {before} -> {after}, sooner than the policy's {days} days",
                        breaking=False,
                    )

    # -- parameters -------------------------------------------------------------------------------------------

    def _parameter_map(
        self, side: Side, at: Location, node: dict[str, Any]
    ) -> dict[tuple[str, str], tuple[dict[str, Any], Location, bool]]:
        """The parameters of an operation with those of its path item (the operation's win), by location and name
        (header names in lower case); `True` for those declared on the path item."""
        found: dict[tuple[str, str], tuple[dict[str, Any], Location, bool]] = {}
        item = _parent(at)
        for base, parameters, shared in (
            (item, _dict(side.at(item)).get("parameters"), True),
            (at, node.get("parameters"), False),
        ):
            if not isinstance(parameters, list):
                continue
            for index, parameter in enumerate(parameters):
                resolved, location = side.follow(parameter, _child(base, f"parameters/{index}"))
                if not isinstance(resolved, dict) or not isinstance(resolved.get("name"), str):
                    continue
                where = str(resolved.get("in", ""))
                name = resolved["name"].lower() if where == "header" else resolved["name"]
                found[(where, name)] = (resolved, location, shared)
        return found

    def _parameters(
        self,
        old_at: Location,
        old: dict[str, Any],
        old_template: str,
        new_at: Location,
        new: dict[str, Any],
        new_template: str,
        where: str,
        managed: frozenset[str],
    ) -> None:
        before = self._parameter_map(self.old, old_at, old)
        after = self._parameter_map(self.new, new_at, new)
        for key in [k for k in (*before, *after) if k[0] == "header" and k[1] in managed]:
            before.pop(key, None)
            after.pop(key, None)
        old_path = [n[1:-1] for n in _PATH_PARAMETER.findall(old_template)]
        new_path = [n[1:-1] for n in _PATH_PARAMETER.findall(new_template)]
        for old_name, new_name in zip(old_path, new_path):  # renamed path parameters: paired by place
            if ("path", new_name) not in before and ("path", old_name) in before:
                before[("path", new_name)] = before.pop(("path", old_name))
        for key, (parameter, location, shared) in after.items():
            subject = f"{key[0]} parameter {parameter['name']!r}"
            if key not in before:
                if key[0] == "path":
                    self.emit(
                        "new-request-path-parameter", where, f"new {subject}: calls must now pass it", breaking=True
                    )
                elif parameter.get("required") is True:
                    schema = self._schema(self.new, parameter.get("schema"), location)
                    if _single_value(schema):
                        reason = "it takes one value, which the generated method sends itself"
                        message = f"new required {subject}"
                        self.emit("new-required-request-parameter", where, message, breaking=False, reason=reason)
                    elif shared:
                        self.emit(
                            "new-required-request-default-parameter-to-existing-path",
                            where,
                            f"new required {subject} on the path item: calls must now pass it",
                            breaking=True,
                        )
                    else:
                        self.emit(
                            "new-required-request-parameter",
                            where,
                            f"new required {subject}: calls must now pass it",
                            breaking=True,
                        )
                else:
                    self.emit("new-optional-request-parameter", where, f"new optional {subject}", breaking=False)
                continue
            previous, previous_location, _ = before[key]
            self._parameter(previous, previous_location, parameter, location, subject, where)
        for key, (parameter, location, _) in before.items():
            if key not in after:
                self._parameter_removed(parameter, f"{key[0]} parameter {parameter['name']!r}", where)

    def _parameter_removed(self, parameter: dict[str, Any], subject: str, where: str) -> None:
        if parameter.get("deprecated") is True and parameter.get("x-sunset") is not None:
            day = _date(parameter["x-sunset"])
            if day is not None and self.policy.now() < day:
                self.emit(
                    "request-parameter-removed-before-sunset",
                    where,
                    f"{subject} removed before its sunset date {day}",
                    breaking=True,
                )
                return
            if day is None:
                message = f"{subject} removed; its sunset date {parameter['x-sunset']!r} cannot be read"
                self.emit("request-parameter-sunset-parse", where, message, breaking=True)
                return
            self.emit(
                "request-parameter-removed", where, f"{subject} removed after its sunset date {day}", breaking=True
            )
            return
        self.emit("request-parameter-removed", where, f"{subject} removed", breaking=True)

    def _parameter(
        self,
        old: dict[str, Any],
        old_location: Location,
        new: dict[str, Any],
        new_location: Location,
        subject: str,
        where: str,
    ) -> None:
        if new.get("required") is True and old.get("required") is not True:
            self.emit("request-parameter-became-required", where, f"{subject} became required", breaking=True)
        elif old.get("required") is True and new.get("required") is not True:
            self.emit("request-parameter-became-optional", where, f"{subject} became optional", breaking=False)
        self._lifecycle(old, new, where, "request-parameter", subject)
        for keyword, default in (("style", _default_style(old.get("in"))), ("explode", None), ("allowReserved", False)):
            before, after = old.get(keyword, default), new.get(keyword, default)
            if keyword == "explode":
                before = old.get("explode", old.get("style", _default_style(old.get("in"))) == "form")
                after = new.get("explode", new.get("style", _default_style(new.get("in"))) == "form")
            if before != after:
                message = f"{subject}: {keyword} {before!r} -> {after!r}; clients built before send it the old way"
                self.emit(f"clientgen-request-parameter-{keyword.lower()}-changed", where, message, breaking=True)
        old_schema, new_schema = _parameter_schema(old), _parameter_schema(new)
        context = _Context(where, "request-parameter", subject, "request")
        self._compare(
            old_schema,
            Location(old_location.file, old_location.pointer + "/schema"),
            new_schema,
            Location(new_location.file, new_location.pointer + "/schema"),
            context,
        )

    # -- request bodies ---------------------------------------------------------------------------------------

    def _request_body(self, old: Any, old_at: Location, new: Any, new_at: Location, where: str) -> None:
        old_body, old_location = (
            self.old.follow(old, Location(old_at.file, old_at.pointer + "/requestBody"))
            if old is not None
            else (None, old_at)
        )
        new_body, new_location = (
            self.new.follow(new, Location(new_at.file, new_at.pointer + "/requestBody"))
            if new is not None
            else (None, new_at)
        )
        old_body = old_body if isinstance(old_body, dict) else None
        new_body = new_body if isinstance(new_body, dict) else None
        if old_body is None and new_body is None:
            return
        if new_body is None:
            self.emit("request-body-removed", where, "request body removed", breaking=True)
            return
        if old_body is None:
            if new_body.get("required") is True:
                self.emit("request-body-added-required", where, "new required request body", breaking=True)
            else:
                self.emit("request-body-added-optional", where, "new optional request body", breaking=False)
            return
        if new_body.get("required") is True and old_body.get("required") is not True:
            self.emit("request-body-became-required", where, "request body became required", breaking=True)
        elif old_body.get("required") is True and new_body.get("required") is not True:
            self.emit("request-body-became-optional", where, "request body became optional", breaking=False)
        old_content = _dict(old_body.get("content"))
        new_content = _dict(new_body.get("content"))
        for media_type in old_content:
            if media_type not in new_content:
                self.emit(
                    "request-body-media-type-removed", where, f"request media type {media_type} removed", breaking=True
                )
        for media_type in new_content:
            if media_type not in old_content:
                self.emit(
                    "request-body-media-type-added", where, f"request media type {media_type} added", breaking=False
                )
        for media_type, media in new_content.items():
            previous = old_content.get(media_type)
            if not isinstance(previous, dict) or not isinstance(media, dict):
                continue
            token = escape_pointer_token(media_type)
            old_schema_at = Location(old_location.file, f"{old_location.pointer}/content/{token}/schema")
            new_schema_at = Location(new_location.file, f"{new_location.pointer}/content/{token}/schema")
            if "itemSchema" in media and "itemSchema" not in previous:
                message = f"request body ({media_type}): itemSchema added"
                self.emit("request-body-media-type-item-schema-added", where, message, breaking=True)
            elif "itemSchema" in previous and "itemSchema" not in media:
                message = f"request body ({media_type}): itemSchema removed"
                self.emit("request-body-media-type-item-schema-removed", where, message, breaking=False)
            if "schema" in media and "schema" not in previous:
                self.emit(
                    "request-body-media-type-schema-added",
                    where,
                    f"request body ({media_type}): schema added",
                    breaking=True,
                )
                continue
            if "schema" in previous and "schema" not in media:
                self.emit(
                    "request-body-media-type-schema-removed",
                    where,
                    f"request body ({media_type}): schema removed",
                    breaking=False,
                )
                continue
            context = _Context(
                where,
                "request-body",
                f"request body ({media_type})" if len(new_content) > 1 else "request body",
                "request",
            )
            self._compare(previous.get("schema"), old_schema_at, media.get("schema"), new_schema_at, context)

    # -- responses --------------------------------------------------------------------------------------------

    def _responses(self, old: Any, old_at: Location, new: Any, new_at: Location, where: str) -> None:
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        for status, response in new.items():
            if status not in old or str(status).startswith("x-"):
                continue
            token = escape_pointer_token(str(status))
            old_response, old_location = self.old.follow(
                old[status], Location(old_at.file, f"{old_at.pointer}/responses/{token}")
            )
            new_response, new_location = self.new.follow(
                response, Location(new_at.file, f"{new_at.pointer}/responses/{token}")
            )
            if not isinstance(old_response, dict) or not isinstance(new_response, dict):
                continue
            success = str(status).startswith("2")
            self._response_headers(old_response, old_location, new_response, new_location, str(status), where, success)
            old_content = _dict(old_response.get("content"))
            new_content = _dict(new_response.get("content"))
            for media_type, media in new_content.items():
                previous = old_content.get(media_type)
                if not isinstance(previous, dict) or not isinstance(media, dict):
                    continue
                if "itemSchema" in previous and "itemSchema" not in media:
                    untyped = "schema" not in media
                    check = "response-body-media-type-item-schema-removed" + ("-untyped" if untyped else "")
                    message = f"response {status} ({media_type}): itemSchema removed"
                    self.emit(check, where, message + (", no schema left" if untyped else ""), breaking=success)
                elif "itemSchema" in media and "itemSchema" not in previous:
                    message = f"response {status} ({media_type}): itemSchema added"
                    self.emit("response-body-media-type-item-schema-added", where, message, breaking=False)
                if "schema" in previous and "schema" not in media:
                    self.emit(
                        "response-body-media-type-schema-removed",
                        where,
                        f"response {status} ({media_type}): schema removed",
                        breaking=success,
                    )
                    continue
                if "schema" in media and "schema" not in previous:
                    self.emit(
                        "response-body-media-type-schema-added",
                        where,
                        f"response {status} ({media_type}): schema added",
                        breaking=False,
                    )
                    continue
                media_token = escape_pointer_token(media_type)
                context = _Context(
                    where,
                    "response-body",
                    f"response {status}" + (f" ({media_type})" if len(new_content) > 1 else ""),
                    "response",
                )
                if (
                    not success
                ):  # the generated client parses error bodies into its errors: a change is reported, never breaking
                    context = replace(context, direction="error")
                self._compare(
                    previous.get("schema"),
                    Location(old_location.file, f"{old_location.pointer}/content/{media_token}/schema"),
                    media.get("schema"),
                    Location(new_location.file, f"{new_location.pointer}/content/{media_token}/schema"),
                    context,
                )

    def _response_headers(
        self,
        old: dict[str, Any],
        old_at: Location,
        new: dict[str, Any],
        new_at: Location,
        status: str,
        where: str,
        success: bool,
    ) -> None:
        """Headers of a response both specs have, by name (any case); those of an error response are news: the
        generated client reads no header of an error but the request id."""
        old_headers = _dict(old.get("headers"))
        new_headers = _dict(new.get("headers"))
        old_by_name = {str(k).lower(): (k, v) for k, v in old_headers.items()}
        new_by_name = {str(k).lower(): (k, v) for k, v in new_headers.items()}
        for key, (name, header) in old_by_name.items():
            old_header, old_location = self.old.follow(
                header, Location(old_at.file, f"{old_at.pointer}/headers/{escape_pointer_token(str(name))}")
            )
            if key not in new_by_name:
                required = isinstance(old_header, dict) and old_header.get("required") is True
                check = "required-response-header-removed" if required else "optional-response-header-removed"
                message = f"response {status}: {'required ' if required else ''}header {name!r} removed"
                if success:
                    self.emit(check, where, message, breaking=required)
                else:
                    self.emit(check, where, message, breaking=False, bump="patch", reason=_ERROR_HEADER)
                continue
            new_name, header_after = new_by_name[key]
            new_header, new_location = self.new.follow(
                header_after, Location(new_at.file, f"{new_at.pointer}/headers/{escape_pointer_token(str(new_name))}")
            )
            if not isinstance(old_header, dict) or not isinstance(new_header, dict):
                continue
            subject = f"response {status} header {new_name!r}"
            if old_header.get("required") is True and new_header.get("required") is not True:
                message = f"{subject} became optional"
                if success:
                    self.emit("response-header-became-optional", where, message, breaking=True)
                else:
                    self.emit("response-header-became-optional", where, message, breaking=False, reason=_ERROR_HEADER)
            elif new_header.get("required") is True and old_header.get("required") is not True:
                self.emit("response-header-became-required", where, f"{subject} became required", breaking=False)
            context = _Context(where, "response-header", subject, "response" if success else "error")
            old_content, new_content = "content" in old_header, "content" in new_header
            self._compare(
                _parameter_schema(old_header),
                (
                    _child(old_location, f"content/{escape_pointer_token(next(iter(old_header['content'])))}/schema")
                    if old_content and _dict(old_header.get("content"))
                    else _child(old_location, "schema")
                ),
                _parameter_schema(new_header),
                (
                    _child(new_location, f"content/{escape_pointer_token(next(iter(new_header['content'])))}/schema")
                    if new_content and _dict(new_header.get("content"))
                    else _child(new_location, "schema")
                ),
                context,
            )
        for key, (name, header) in new_by_name.items():
            if key not in old_by_name:
                resolved, _ = self.new.follow(header, new_at)
                required = isinstance(resolved, dict) and resolved.get("required") is True
                self.emit(
                    "response-header-added" if not required else "response-required-header-added",
                    where,
                    f"response {status}: new {'required ' if required else ''}header {name!r}",
                    breaking=False,
                )

    # -- security ---------------------------------------------------------------------------------------------

    def security(self, old_operation: Operation | None, new_operation: Operation | None, where: str) -> None:
        """The security requirements an operation declares (None: the spec's own, `security` at its root)."""
        if old_operation is None or new_operation is None:
            old, new = self.old.node("/security"), self.new.node("/security")
        else:
            old = _dict(self.old.at(self.old.locate(old_operation))).get("security")
            new = _dict(self.new.at(self.new.locate(new_operation))).get("security")
            if old is None and new is None:
                return
            if (old is None) != (new is None):  # one side inherits the spec's
                old = old if old is not None else self.old.node("/security")
                new = new if new is not None else self.new.node("/security")
        prefix = "api-global-security" if old_operation is None else "api-security"
        old_requirements, new_requirements = _requirements(old), _requirements(new)
        if sorted(map(_canonical, old_requirements)) == sorted(map(_canonical, new_requirements)):
            return
        pairs, removed, added = _paired_requirements(old_requirements, new_requirements)
        open_now = not new_requirements or {} in new_requirements
        for requirement in removed:
            message = f"security requirement {_describe_requirement(requirement)} removed"
            if open_now:
                reason = "the operation no longer asks for authentication: no caller is refused"
                self.emit(f"{prefix}-removed", where, message, breaking=False, reason=reason)
            else:
                self.emit(
                    f"{prefix}-removed", where, message + ": callers authenticating with it are refused", breaking=True
                )
        open_before = not old_requirements or {} in old_requirements
        for requirement in added:
            message = f"security requirement {_describe_requirement(requirement)} added"
            if open_before and not open_now:
                reason = "the operation asked for no authentication before: callers without credentials are refused"
                self.emit(f"{prefix}-added", where, message, breaking=True, reason=reason)
            else:
                self.emit(f"{prefix}-added", where, message, breaking=False)
        for before, after in pairs:
            for scheme, names in after.items():
                for scope in sorted(names - before.get(scheme, frozenset())):
                    message = f"security scheme {scheme!r}: scope {scope!r} now required; credentials granted the old scopes may no longer be enough"
                    self.emit(f"{prefix}-scope-added", where, message, breaking=True)
                for scope in sorted(before.get(scheme, frozenset()) - names):
                    message = f"security scheme {scheme!r}: scope {scope!r} no longer required"
                    self.emit(f"{prefix}-scope-removed", where, message, breaking=False)

    # -- schemas ----------------------------------------------------------------------------------------------

    def _schema(self, side: Side, node: Any, at: Location, depth: int = 0) -> _Schema:
        """A schema normalized for comparison (see `_Schema`)."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and set(node) - _DOCUMENTATION - {"$ref"}:
            # a 3.1 reference with constraints beside it: the target and the siblings both apply
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**siblings, "allOf": [{"$ref": node["$ref"]}, *_list(siblings.get("allOf"))]}
            raw, location = node, at
        else:
            raw, location = side.follow(node, at) if node is not None else ({}, at)
        component = location if _COMPONENT.match(location.pointer) else None
        if raw is False:
            return _Schema({"not": {}}, location, False, component, raw, false=True)
        if not isinstance(raw, dict):
            return _Schema({}, location, False, component, raw)
        node = raw
        nullable = node.get("nullable") is True or (isinstance(node.get("type"), list) and "null" in node["type"])
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            nullable = True
            node = {**node, "enum": [v for v in node["enum"] if v is not None]}
        for key in ("oneOf", "anyOf", "allOf"):
            branches = node.get(key)
            if not isinstance(branches, list):
                continue
            kept = [(i, b) for i, b in enumerate(branches) if not (key != "allOf" and _is_null(side, b, location))]
            if len(kept) < len(branches):
                nullable = True
                node = {**node, key: [b for _, b in kept]}
            others = set(node) - _DOCUMENTATION - {key}
            if len(kept) == 1 and not others and depth < _DEPTH:
                index, branch = kept[0]
                inner = self._schema(side, branch, _child(location, f"{key}/{index}"), depth + 1)
                inner.nullable = inner.nullable or nullable
                if key == "allOf":
                    inner.folded = branches
                return inner
        properties = {
            str(name): _child(location, f"properties/{escape_pointer_token(str(name))}")
            for name in _dict(node.get("properties"))
        }
        if isinstance(node.get("allOf"), list) and depth < _DEPTH:
            node, properties = self._merged(side, node, location, properties, depth)
        return _Schema(node, location, nullable, component, raw, properties)

    def _merged(
        self, side: Side, node: dict[str, Any], location: Location, properties: dict[str, Location], depth: int
    ) -> tuple[dict[str, Any], dict[str, Location]]:
        """An `allOf` merged into its parent: properties and `required` joined, the first value of other keywords
        kept; the branches stay under `allOf` (the merged schema is what a value must satisfy)."""
        merged = dict(node)
        merged_properties = dict(_dict(node.get("properties")))
        required = list(_list(node.get("required")))
        for index, branch in enumerate(node["allOf"]):
            part = self._schema(side, branch, _child(location, f"allOf/{index}"), depth + 1)
            for name, schema in _dict(part.node.get("properties")).items():
                if name not in merged_properties:
                    merged_properties[name] = schema
                    properties[str(name)] = part.properties.get(str(name), part.location)
            required += [name for name in _list(part.node.get("required")) if name not in required]
            for key, value in part.node.items():
                if key not in ("properties", "required", "allOf") and key not in _DOCUMENTATION:
                    merged.setdefault(key, value)
        if merged_properties:
            merged["properties"] = merged_properties
        if required:
            merged["required"] = required
        return merged, properties

    def _compare(self, old: Any, old_at: Location, new: Any, new_at: Location, context: _Context) -> None:
        if old is None and new is None:
            return
        a = self._schema(self.old, old, old_at)
        b = self._schema(self.new, new, new_at)
        if a.nullable != b.nullable:
            if b.nullable:
                self._emit(context, "became-nullable", f"{context.subject} became nullable", breaks=RESPONSES)
            else:
                self._emit(context, "became-not-nullable", f"{context.subject} is no longer nullable", breaks=REQUESTS)
        if a.false != b.false:
            message = f"{context.subject} {'now takes no value (false)' if b.false else 'takes values again'}"
            self._emit(
                context,
                "became-false" if b.false else "became-true",
                message,
                breaks=REQUESTS if b.false else RESPONSES,
            )
            return
        key = (a.location, b.location, context.site, context.direction)
        if key in self._active:  # a schema that contains itself: compared once, where it starts
            return
        if a.component is not None and b.component is not None:
            if key in self._compared:
                return
            self._compared.add(key)
            if self._unchanged(a.location, b.location, a.raw, b.raw):
                return
            context = _Context(f"schema {self.new.model_name(b.location)}", context.site, "schema", context.direction)
        elif self._unchanged(a.location, b.location, a.raw, b.raw):
            return
        self._active.add(key)
        try:
            self._keywords(a, b, context)
        finally:
            self._active.discard(key)

    def _emit(self, context: _Context, suffix: str | tuple[str, ...], message: str, *, breaks: Breaks) -> None:
        """A change of the schema at `context`, breaking where `breaks` says (a direction its values travel in is
        news, never breaking). Of several suffixes, the first whose check oasdiff has at this site names it."""
        suffixes = (suffix,) if isinstance(suffix, str) else suffix
        check = _known(*(f"{context.site}-{s}" for s in suffixes))
        note = _NEWS.get(context.direction)
        if note is not None:
            self.emit(check, context.where, message + note, breaking=False, bump="patch", reason=note)
            return
        breaking = breaks == BOTH or breaks == (REQUESTS if context.direction == "request" else RESPONSES)
        self.emit(check, context.where, message, breaking=breaking)

    def _annotation(self, context: _Context, suffix: str, message: str) -> None:
        """A change of what a value means rather than which values pass (a default, a discriminator): no request
        is refused and no response is unexpected for it (oasdiff's INFO; the generated unions are open to tags they
        do not know)."""
        check = _known(f"{context.site}-{suffix}")
        note = _NEWS.get(context.direction, "")
        self.emit(check, context.where, message + note, breaking=False, bump="patch" if note else None, reason=note)

    def _keywords(self, a: _Schema, b: _Schema, context: _Context) -> None:
        old, new = a.node, b.node
        subject = context.subject
        branches = new.get("oneOf")
        if isinstance(branches, list) and branches and not any(k in old for k in ("oneOf", "anyOf", "allOf")):
            # wrapped in a oneOf: the old schema is one of the branches now, compared with the likeliest one
            message = f"{subject} is now one of {len(branches)} schemas"
            self._emit(context, "wrapped-in-one-of", message, breaks=BOTH)
            index = _likeliest(self.new, a, branches, b.location)
            branch_at = Location(b.location.file, f"{b.location.pointer}/oneOf/{index}")
            self._compare(old, a.location, branches[index], branch_at, context)
            return
        old_types, new_types = a.types(), b.types()
        composed = any(k in node for node in (old, new) for k in ("oneOf", "anyOf", "allOf", "$ref"))
        if old_types and new_types and old_types != new_types:
            self._type_change(old_types, new_types, old.get("format"), new.get("format"), context)
        elif old_types != new_types and not composed:  # a type given where any value went, or taken away
            message = f"{subject}: type {_types(old_types, None) or 'any'} -> {_types(new_types, None) or 'any'}"
            if new_types:
                self._emit(context, ("type-specialized", "type-changed"), message, breaks=REQUESTS)
            else:
                self._emit(context, "type-generalized", message, breaks=RESPONSES)
        elif old.get("format") != new.get("format") and (old.get("format") or new.get("format")):
            self._format_change(old.get("format"), new.get("format"), context)
        self._bounds(old, new, context)
        self._values(old, new, context)
        self._composition(a, b, context)
        self._properties(a, b, context)
        self._applicators(a, b, context)
        old_items, new_items = old.get("items"), new.get("items")
        if isinstance(old_items, (dict, bool)) and isinstance(new_items, (dict, bool)):
            items = context.at("items")
            self._compare(
                old_items,
                Location(a.location.file, a.location.pointer + "/items"),
                new_items,
                Location(b.location.file, b.location.pointer + "/items"),
                items,
            )
        old_prefix, new_prefix = old.get("prefixItems"), new.get("prefixItems")
        if isinstance(old_prefix, list) or isinstance(new_prefix, list):
            old_prefix = old_prefix if isinstance(old_prefix, list) else []
            new_prefix = new_prefix if isinstance(new_prefix, list) else []
            if len(old_prefix) != len(new_prefix):
                message = f"{subject}: {len(old_prefix)} -> {len(new_prefix)} positional items (prefixItems)"
                if len(new_prefix) < len(old_prefix):
                    self._emit(context, "prefix-items-removed", message, breaks=REQUESTS)
                else:
                    self._emit(context, "prefix-items-added", message, breaks=RESPONSES)
            for index, (x, y) in enumerate(zip(old_prefix, new_prefix)):
                item = context.at(f"prefixItems/{index}")
                self._compare(
                    x,
                    Location(a.location.file, f"{a.location.pointer}/prefixItems/{index}"),
                    y,
                    Location(b.location.file, f"{b.location.pointer}/prefixItems/{index}"),
                    item,
                )
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            values = context.at("additionalProperties")
            self._compare(
                old_extra,
                Location(a.location.file, a.location.pointer + "/additionalProperties"),
                new_extra,
                Location(b.location.file, b.location.pointer + "/additionalProperties"),
                values,
            )
        elif old_extra is not False and new_extra is False and (old_types | new_types) <= {"object"}:
            self._emit(
                context,
                "additional-properties-removed",
                f"{subject}: no longer takes properties it does not name (additionalProperties: false)",
                breaks=REQUESTS,
            )
        elif old_extra is False and new_extra not in (None, False) or (old_extra is False and new_extra is None):
            self._emit(
                context,
                "additional-properties-allowed",
                f"{subject}: may now carry properties it does not name",
                breaks=RESPONSES,
            )

    def _access(
        self, old: dict[str, Any], new: dict[str, Any], required: bool, context: _Context, subject: str
    ) -> None:
        """A property that became (or stopped being) readOnly or writeOnly: it leaves (or joins) the requests or
        the responses. News: oasdiff's level for each of these is INFO, but for one, which `JUDGED` explains."""
        for keyword, name in (("readOnly", "read-only"), ("writeOnly", "write-only")):
            was, now = old.get(keyword) is True, new.get(keyword) is True
            if was == now:
                continue
            direction = "request" if context.direction == "request" else "response"
            check = (
                f"{direction}-{'required' if required else 'optional'}-property-became-{'' if now else 'not-'}{name}"
            )
            message = f"{subject} {'is now' if now else 'is no longer'} {keyword}"
            self.emit(check, context.where, message, breaking=False)

    def _applicators(self, a: _Schema, b: _Schema, context: _Context) -> None:
        """JSON Schema 2020-12's other keywords (OpenAPI 3.1): a keyword added constrains requests, one removed
        loosens responses; the schemas of those kept are compared."""
        old, new = a.node, b.node
        subject = context.subject
        for keyword, name in _APPLICATORS:
            if keyword not in old and keyword not in new:
                continue
            if keyword not in old:
                self._emit(context, f"{name}-added", f"{subject}: {keyword} added", breaks=REQUESTS)
            elif keyword not in new:
                self._emit(context, f"{name}-removed", f"{subject}: {keyword} removed", breaks=RESPONSES)
            elif isinstance(old[keyword], (dict, bool)) and isinstance(new[keyword], (dict, bool)):
                self._compare(
                    old[keyword],
                    Location(a.location.file, f"{a.location.pointer}/{keyword}"),
                    new[keyword],
                    Location(b.location.file, f"{b.location.pointer}/{keyword}"),
                    context.at(keyword),
                )
        for keyword, name in (("minContains", "min-contains"), ("maxContains", "max-contains")):
            self._bound(
                old.get(keyword), new.get(keyword), keyword, name, upper=keyword == "maxContains", context=context
            )
        for keyword, name in (("contentEncoding", "content-encoding"), ("contentMediaType", "content-media-type")):
            if old.get(keyword) != new.get(keyword):
                message = f"{subject}: {keyword} {old.get(keyword)!r} -> {new.get(keyword)!r}"
                self._emit(context, f"{name}-changed", message, breaks=BOTH)
        for keyword, name in (("patternProperties", "pattern-property"), ("dependentSchemas", "dependent-schema")):
            before, after = _dict(old.get(keyword)), _dict(new.get(keyword))
            for key in after.keys() - before.keys():
                self._emit(context, f"{name}-added", f"{subject}: {keyword} {key!r} added", breaks=REQUESTS)
            for key in before.keys() - after.keys():
                self._emit(context, f"{name}-removed", f"{subject}: {keyword} {key!r} removed", breaks=RESPONSES)
            for key in sorted(before.keys() & after.keys()):
                token = escape_pointer_token(str(key))
                self._compare(
                    before[key],
                    Location(a.location.file, f"{a.location.pointer}/{keyword}/{token}"),
                    after[key],
                    Location(b.location.file, f"{b.location.pointer}/{keyword}/{token}"),
                    context.at(f"{keyword}/{key}"),
                )
        before, after = _dict(old.get("dependentRequired")), _dict(new.get("dependentRequired"))
        for key in sorted(after.keys() - before.keys()):
            message = f"{subject}: with {key!r}, {_values(_list(after[key]))} now required (dependentRequired)"
            self._emit(context, "dependent-required-added", message, breaks=REQUESTS)
        for key in sorted(before.keys() - after.keys()):
            message = f"{subject}: dependentRequired of {key!r} removed"
            self._emit(context, "dependent-required-removed", message, breaks=RESPONSES)
        for key in sorted(before.keys() & after.keys()):
            if set(_list(before[key])) != set(_list(after[key])):
                message = f"{subject}: dependentRequired of {key!r}: {_values(_list(before[key]))} -> {_values(_list(after[key]))}"
                self._emit(context, "dependent-required-changed", message, breaks=BOTH)

    def _format_change(self, before: Any, after: Any, context: _Context) -> None:
        """A `format` set, removed or replaced: a request value that had to be any string must now be, say, a UUID
        (the server refuses the rest); a response value is one of fewer (specialized) or more (generalized)."""
        message = f"{context.subject}: format {before!r} -> {after!r}"
        widened = after is None or (before, after) in _WIDER_FORMATS
        narrowed = before is None or (after, before) in _WIDER_FORMATS
        if widened and context.direction == "request" and before in _TYPED_FORMATS:
            reason = (
                f"the generated argument takes str instead of a {before} value: code passing one no longer type-checks"
            )
            check = _known(f"{context.site}-type-generalized", f"{context.site}-type-changed")
            self.emit(check, context.where, message, breaking=True, reason=reason)
        elif widened:
            self._emit(context, ("type-generalized", "type-changed"), message, breaks=RESPONSES)
        elif narrowed and context.direction == "response" and after in _TYPED_FORMATS:
            reason = f"the generated attribute is typed for {after} instead of str: code using it as a string breaks"
            check = _known(f"{context.site}-type-specialized", f"{context.site}-type-changed")
            self.emit(check, context.where, message, breaking=True, reason=reason)
        elif narrowed:
            self._emit(context, ("type-specialized", "type-changed"), message, breaks=REQUESTS)
        else:
            self._emit(context, "type-changed", message, breaks=BOTH)

    def _type_change(
        self, old: frozenset[str], new: frozenset[str], old_format: Any, new_format: Any, context: _Context
    ) -> None:
        message = f"{context.subject}: type {_types(old, old_format)} -> {_types(new, new_format)}"
        if len(old) > 1 or len(new) > 1:
            if new < old:
                self._emit(context, "list-of-types-narrowed", message, breaks=REQUESTS)
            elif old < new:
                self._emit(context, "list-of-types-widened", message, breaks=RESPONSES)
            else:
                self._emit(context, "type-changed", message, breaks=BOTH)
            return
        widened = old == {"integer"} and new == {"number"}
        narrowed = old == {"number"} and new == {"integer"}
        if widened:
            self._emit(context, "type-generalized", message, breaks=RESPONSES)
        elif narrowed:
            self._emit(context, ("type-specialized", "type-changed"), message, breaks=REQUESTS)
        else:
            self._emit(context, "type-changed", message, breaks=BOTH)

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], context: _Context) -> None:
        """Numeric bounds, lengths, counts, `multipleOf` and `uniqueItems`."""
        for upper in (True, False):
            self._numeric_bound(_numeric_bound(old, upper), _numeric_bound(new, upper), upper, context)
        for keyword, name in (
            ("maxLength", "max-length"),
            ("maxItems", "max-items"),
            ("maxProperties", "max-properties"),
        ):
            self._bound(
                old.get(keyword),
                new.get(keyword),
                keyword,
                name,
                upper=True,
                context=context,
            )
        for keyword, name in (
            ("minLength", "min-length"),
            ("minItems", "min-items"),
            ("minProperties", "min-properties"),
        ):
            self._bound(
                old.get(keyword),
                new.get(keyword),
                keyword,
                name,
                upper=False,
                context=context,
            )
        before, after = _number(old.get("multipleOf")), _number(new.get("multipleOf"))
        if before != after:
            if before is None:
                self._emit(context, "multiple-of-set", f"{context.subject}: multipleOf {after} set", breaks=REQUESTS)
            elif after is None:
                self._emit(
                    context, "multiple-of-unset", f"{context.subject}: multipleOf {before} removed", breaks=RESPONSES
                )
            else:
                tighter = after % before == 0 if before else True
                looser = before % after == 0 if after else True
                message = f"{context.subject}: multipleOf {before} -> {after}"
                if tighter:
                    self._emit(context, ("multiple-of-specialized", "multiple-of-changed"), message, breaks=REQUESTS)
                elif looser:
                    self._emit(context, ("multiple-of-generalized", "multiple-of-changed"), message, breaks=RESPONSES)
                else:
                    self._emit(context, "multiple-of-changed", message, breaks=BOTH)
        if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
            if new.get("uniqueItems"):
                self._emit(context, "unique-items-set", f"{context.subject}: items must now be unique", breaks=REQUESTS)
            else:
                self._emit(context, "unique-items-unset", f"{context.subject}: items may now repeat", breaks=RESPONSES)

    def _numeric_bound(
        self, before: tuple[float, bool] | None, after: tuple[float, bool] | None, upper: bool, context: _Context
    ) -> None:
        """A maximum (`upper`) or minimum, inclusive or exclusive, whichever way the spec writes it (3.0's boolean
        `exclusiveMaximum` beside `maximum`, or 3.1's number): tighter or looser, and how."""
        if before == after:
            return
        kind, word = ("max", "maximum") if upper else ("min", "minimum")

        def text(bound: tuple[float, bool] | None) -> str:
            return "none" if bound is None else f"{word} {bound[0]:g}{' (exclusive)' if bound[1] else ''}"

        message = f"{context.subject}: {text(before)} -> {text(after)}"
        if before is None or after is None:
            exclusive = (after or before or (0, False))[1]
            suffix = f"{'exclusive-' if exclusive else ''}{kind}-{'set' if before is None else 'unset'}"
            self._emit(context, suffix, message, breaks=REQUESTS if before is None else RESPONSES)
            return
        (old_value, old_exclusive), (new_value, new_exclusive) = before, after
        tighter = (new_value < old_value if upper else new_value > old_value) or (
            new_value == old_value and new_exclusive and not old_exclusive
        )
        if old_exclusive == new_exclusive:
            moved = "decreased" if new_value < old_value else "increased"
            self._emit(
                context,
                f"{'exclusive-' if new_exclusive else ''}{kind}-{moved}",
                message,
                breaks=REQUESTS if tighter else RESPONSES,
            )
        elif tighter:
            self._emit(context, f"exclusive-{kind}-set" if new_exclusive else f"{kind}-set", message, breaks=REQUESTS)
        else:
            self._emit(
                context, f"{kind}-unset" if new_exclusive else f"exclusive-{kind}-unset", message, breaks=RESPONSES
            )

    def _bound(self, before: Any, after: Any, keyword: str, name: str, *, upper: bool, context: _Context) -> None:
        before, after = _number(before), _number(after)
        if before == after:
            return
        subject = context.subject
        if before is None:
            self._emit(context, f"{name}-set", f"{subject}: {keyword} {after} set", breaks=REQUESTS)
        elif after is None:
            self._emit(context, f"{name}-unset", f"{subject}: {keyword} {before} removed", breaks=RESPONSES)
        elif (after < before) == upper:
            self._emit(
                context,
                f"{name}-{'decreased' if upper else 'increased'}",
                f"{subject}: {keyword} {before} -> {after}",
                breaks=REQUESTS,
            )
        else:
            self._emit(
                context,
                f"{name}-{'increased' if upper else 'decreased'}",
                f"{subject}: {keyword} {before} -> {after}",
                breaks=RESPONSES,
            )

    def _values(self, old: dict[str, Any], new: dict[str, Any], context: _Context) -> None:
        """`enum`, `x-extensible-enum`, `const`, `pattern`, `default`, `readOnly`, `writeOnly`, `discriminator`."""
        subject = context.subject
        old_enum, new_enum = old.get("enum"), new.get("enum")
        if isinstance(new_enum, list) and not isinstance(old_enum, list):
            self._emit(context, "became-enum", f"{subject} is now restricted to {_values(new_enum)}", breaks=REQUESTS)
        elif isinstance(old_enum, list) and not isinstance(new_enum, list):
            self._emit(
                context, "became-not-enum", f"{subject} is no longer restricted to listed values", breaks=RESPONSES
            )
        elif isinstance(old_enum, list) and isinstance(new_enum, list):
            for value in old_enum:
                if value is not None and value not in new_enum:
                    self._emit(context, "enum-value-removed", f"{subject}: value {value!r} removed", breaks=REQUESTS)
            for value in new_enum:
                if value is not None and value not in old_enum:
                    self._emit(context, "enum-value-added", f"{subject}: value {value!r} added", breaks=RESPONSES)
        old_open, new_open = old.get("x-extensible-enum"), new.get("x-extensible-enum")
        if isinstance(old_open, list) and isinstance(new_open, list):
            for value in old_open:
                if value not in new_open:
                    self._emit(
                        context,
                        "x-extensible-enum-value-removed",
                        f"{subject}: value {value!r} removed from x-extensible-enum",
                        breaks=REQUESTS,
                    )
        if "const" in old or "const" in new:
            if "const" not in old:
                self._emit(context, "const-added", f"{subject}: const {new['const']!r} set", breaks=REQUESTS)
            elif "const" not in new:
                self._emit(context, "const-removed", f"{subject}: const {old['const']!r} removed", breaks=RESPONSES)
            elif old["const"] != new["const"]:
                self._emit(
                    context,
                    "const-changed",
                    f"{subject}: const {old['const']!r} -> {new['const']!r}",
                    breaks=BOTH,
                )
        before, after = old.get("pattern"), new.get("pattern")
        if before != after:
            if before is None:
                self._emit(context, "pattern-added", f"{subject}: pattern {after!r} set", breaks=REQUESTS)
            elif after is None:
                self._emit(context, "pattern-removed", f"{subject}: pattern {before!r} removed", breaks=RESPONSES)
            else:
                message = f"{subject}: pattern {before!r} -> {after!r}"
                self._emit(context, "pattern-changed", message, breaks=BOTH)
        if "default" in old or "default" in new:
            if old.get("default", ...) != new.get("default", ...):
                before_text = repr(old["default"]) if "default" in old else "none"
                after_text = repr(new["default"]) if "default" in new else "none"
                suffix = (
                    "default-value-changed"
                    if "default" in old and "default" in new
                    else ("default-value-added" if "default" in new else "default-value-removed")
                )
                message = f"{subject}: default {before_text} -> {after_text}; calls that leave it out get another value"
                self._annotation(context, suffix, message)
        old_tag, new_tag = old.get("discriminator"), new.get("discriminator")
        if isinstance(old_tag, dict) or isinstance(new_tag, dict):
            old_tag = old_tag if isinstance(old_tag, dict) else {}
            new_tag = new_tag if isinstance(new_tag, dict) else {}
            if not old_tag:
                self._annotation(
                    context,
                    "discriminator-added",
                    f"{subject}: discriminator {new_tag.get('propertyName')!r} added",
                )
            elif not new_tag:
                self._annotation(
                    context,
                    "discriminator-removed",
                    f"{subject}: discriminator {old_tag.get('propertyName')!r} removed",
                )
            elif old_tag.get("propertyName") != new_tag.get("propertyName"):
                self._annotation(
                    context,
                    "discriminator-property-name-changed",
                    f"{subject}: discriminator {old_tag.get('propertyName')!r} -> {new_tag.get('propertyName')!r}",
                )
            else:
                old_map = _dict(old_tag.get("mapping"))
                new_map = _dict(new_tag.get("mapping"))
                for value in old_map:
                    if value not in new_map:
                        self._annotation(
                            context,
                            "discriminator-mapping-deleted",
                            f"{subject}: discriminator value {value!r} removed",
                        )
                for value in new_map:
                    if value not in old_map:
                        self._annotation(
                            context,
                            "discriminator-mapping-added",
                            f"{subject}: discriminator value {value!r} added",
                        )
                    elif old_map[value] != new_map[value]:
                        self._annotation(
                            context,
                            "discriminator-mapping-changed",
                            f"{subject}: discriminator value {value!r} maps to {new_map[value]!r}",
                        )

    def _composition(self, a: _Schema, b: _Schema, context: _Context) -> None:
        """`oneOf`, `anyOf`, `allOf`: branches matched by the component they name, else by content, else by place."""
        for key, name in (("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of")):
            old_branches, new_branches = a.node.get(key), b.node.get(key)
            if key == "allOf":  # as written: a single branch is folded into the normalized schema
                old_branches = old_branches if old_branches is not None else a.folded
                new_branches = new_branches if new_branches is not None else b.folded
            if not isinstance(old_branches, list) and not isinstance(new_branches, list):
                continue
            old_list = old_branches if isinstance(old_branches, list) else []
            new_list = new_branches if isinstance(new_branches, list) else []
            if key == "allOf" and _without(a.node, "allOf") == _without(b.node, "allOf"):
                continue  # the same schema, its parts arranged otherwise (the merged schemas are compared)
            pairs, removed, added = _branch_pairs(old_list, new_list)
            if key == "allOf":
                pairs = []  # their properties and keywords are the merged schema's, compared on it
            widen = key != "allOf"
            for index in removed:
                label = _branch_label(old_list[index], index)
                self._emit(
                    context,
                    f"{name}-removed",
                    f"{context.subject}: {key} branch {label} removed",
                    breaks=REQUESTS if widen else RESPONSES,
                )
            for index in added:
                label = _branch_label(new_list[index], index)
                self._emit(
                    context,
                    f"{name}-added",
                    f"{context.subject}: {key} branch {label} added",
                    breaks=RESPONSES if widen else REQUESTS,
                )
            for i, j in pairs:
                branch = context.at(f"{key}[{_branch_label(new_list[j], j)}]")
                self._compare(
                    old_list[i],
                    Location(a.location.file, f"{a.location.pointer}/{key}/{i}"),
                    new_list[j],
                    Location(b.location.file, f"{b.location.pointer}/{key}/{j}"),
                    branch,
                )

    def _properties(self, a: _Schema, b: _Schema, context: _Context) -> None:
        old_properties = _dict(a.node.get("properties"))
        new_properties = _dict(b.node.get("properties"))
        old_required = set(a.node["required"]) if isinstance(a.node.get("required"), list) else set()
        new_required = set(b.node["required"]) if isinstance(b.node.get("required"), list) else set()
        if not old_properties and not new_properties:
            return
        request = context.direction == "request"
        if context.site.startswith("request-parameter") and context.root.startswith("header parameter"):
            site = "request-header-property"
        elif context.site.startswith("request-parameter"):
            site = "request-parameter-property"
        elif context.site.startswith("response-header"):
            site = "response-header-property"
        else:
            site = "request-property" if request else "response-property"
        for name, schema in new_properties.items():
            inner = context.at(str(name), site)
            subject = inner.subject
            new_at = b.properties.get(str(name), _child(b.location, f"properties/{escape_pointer_token(str(name))}"))
            old_at = a.properties.get(str(name), _child(a.location, f"properties/{escape_pointer_token(str(name))}"))
            resolved, _ = self.new.follow(schema, new_at)
            resolved = resolved if isinstance(resolved, dict) else {}
            hidden = resolved.get("readOnly" if request else "writeOnly") is True
            required, was_required = name in new_required, name in old_required
            if name not in old_properties:
                if context.direction == "request":
                    if required and not hidden:
                        check = "new-required-request-property" + ("-with-default" if "default" in resolved else "")
                        if site == "request-header-property":
                            check = "new-required-request-header-property"
                        self.emit(
                            check, context.where, f"new required {subject}: requests must now send it", breaking=True
                        )
                    else:
                        self.emit(
                            "new-optional-request-property", context.where, f"new optional {subject}", breaking=False
                        )
                elif context.direction == "response" and not hidden:
                    check = f"response-{'required' if required else 'optional'}-property-added"
                    self.emit(
                        check, context.where, f"new {'required' if required else 'optional'} {subject}", breaking=False
                    )
                elif context.direction not in ("request", "response"):
                    self._emit(inner, "added", f"new {subject}", breaks=RESPONSES)
                continue
            if required and not was_required and not hidden:
                if request:
                    check = "request-property-became-required" + ("-with-default" if "default" in resolved else "")
                    if site == "request-header-property":
                        check = "request-header-property-became-required"
                    self.emit(
                        check, context.where, f"{subject} became required: requests must now send it", breaking=True
                    )
                elif context.direction == "response":
                    self.emit(
                        "response-property-became-required", context.where, f"{subject} became required", breaking=False
                    )
            elif was_required and not required and not hidden:
                if request:
                    self.emit(
                        "request-property-became-optional", context.where, f"{subject} became optional", breaking=False
                    )
                elif context.direction == "response":
                    self.emit(
                        "response-property-became-optional",
                        context.where,
                        f"{subject} became optional: responses may omit it",
                        breaking=True,
                    )
            old_resolved, _ = self.old.follow(old_properties[name], old_at)
            old_resolved = old_resolved if isinstance(old_resolved, dict) else {}
            if context.direction in ("request", "response"):
                self._lifecycle(old_resolved, resolved, context.where, site, subject)
                self._access(old_resolved, resolved, required, context, subject)
            if hidden and old_resolved.get("readOnly" if request else "writeOnly") is True:
                # not sent in requests (readOnly) or not read from responses (writeOnly): news, never a break
                inner = replace(
                    inner,
                    site="request-read-only-property" if request else "response-write-only-property",
                    direction="unsent" if request else "unread",
                )
            self._compare(old_properties[name], old_at, schema, new_at, inner)
        for name, schema in old_properties.items():
            if name in new_properties:
                continue
            subject = context.at(str(name), site).subject
            old_at = a.properties.get(str(name), _child(a.location, f"properties/{escape_pointer_token(str(name))}"))
            resolved, _ = self.old.follow(schema, old_at)
            resolved = resolved if isinstance(resolved, dict) else {}
            if context.direction == "request":
                if resolved.get("readOnly") is not True:
                    self.emit("request-property-removed", context.where, f"{subject} removed", breaking=True)
            elif context.direction == "response":
                if resolved.get("writeOnly") is not True:
                    required = name in old_required
                    check = f"response-{'required' if required else 'optional'}-property-removed"
                    self.emit(
                        check, context.where, f"{'required ' if required else ''}{subject} removed", breaking=True
                    )
            else:
                self._emit(context.at(str(name), site), "removed", f"{subject} removed", breaks=RESPONSES)


# -- values -----------------------------------------------------------------------------------------------------


def _date(value: Any) -> date | None:
    """A sunset date: an ISO date, or an RFC 3339 timestamp whose date counts (the loader keeps YAML's timestamps
    as the strings written)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else None
    except ValueError:
        return None


def _parameter_schema(parameter: dict[str, Any]) -> Any:
    """A parameter's schema, or that of its one media type (`content`)."""
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        return _dict(next(iter(content.values()))).get("schema")
    return parameter.get("schema")


def _likeliest(side: Side, old: _Schema, branches: list[Any], at: Location) -> int:
    """The branch most like `old`: of its type, then sharing the most property names."""

    def score(index: int) -> tuple[bool, int]:
        node, _ = side.follow(branches[index], Location(at.file, f"{at.pointer}/oneOf/{index}"))
        node = _dict(node)
        kind = node.get("type")
        same_type = {kind} == set(old.types()) if isinstance(kind, str) else False
        shared = len(_dict(node.get("properties")).keys() & _dict(old.node.get("properties")).keys())
        return same_type, shared

    return max(range(len(branches)), key=score)


def _level_severity(level: str | None) -> Severity:
    return "breaking" if level in ("ERR", "WARN") else "compatible"


def _known(*checks: str) -> str:
    """The first of these check ids oasdiff has, else the first."""
    levels = catalog()
    return next((check for check in checks if check in levels), checks[0])


def _without(node: dict[str, Any], key: str) -> dict[str, Any]:
    """`node` without `key`, its documentation and the annotations other checks report (defaults, readOnly...)."""
    return {
        k: v
        for k, v in node.items()
        if k != key and k not in _DOCUMENTATION and k not in _ANNOTATIONS and not k.startswith("x-")
    }


def _branch_pairs(old: list[Any], new: list[Any]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Composition branches of both sides paired: by the component they name, else by content, else by place;
    the old ones left unpaired (removed), and the new ones (added)."""

    def ref(branch: Any) -> str | None:
        target = branch.get("$ref") if isinstance(branch, dict) else None
        return target.rsplit("/", 1)[-1] if isinstance(target, str) else None

    pairs: list[tuple[int, int]] = []
    free_new = list(range(len(new)))
    removed: list[int] = []
    for i, branch in enumerate(old):
        match = next(
            (
                j
                for j in free_new
                if (ref(branch) is not None and ref(branch) == ref(new[j]))
                or (ref(branch) is None and branch == new[j])
            ),
            None,
        )
        if match is None and ref(branch) is None:
            match = next((j for j in free_new if ref(new[j]) is None and j == i), None)
        if match is None:
            removed.append(i)
        else:
            free_new.remove(match)
            pairs.append((i, match))
    return pairs, removed, free_new


def _parent(location: Location) -> Location:
    return Location(location.file, location.pointer.rsplit("/", 1)[0])


def _child(location: Location, steps: str) -> Location:
    return Location(location.file, f"{location.pointer}/{steps}")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _numeric_bound(node: dict[str, Any], upper: bool) -> tuple[float, bool] | None:
    """A schema's maximum (`upper`) or minimum as (value, exclusive): 3.0's `maximum: 5, exclusiveMaximum: true`
    and 3.1's `exclusiveMaximum: 5` are both (5, True); of two bounds given, the tighter."""
    bound, exclusive = ("maximum", "exclusiveMaximum") if upper else ("minimum", "exclusiveMinimum")
    inclusive_value = _number(node.get(bound))
    flag = node.get(exclusive)
    if flag is True:
        return None if inclusive_value is None else (inclusive_value, True)
    exclusive_value = _number(flag)
    if exclusive_value is None:
        return None if inclusive_value is None else (inclusive_value, False)
    if inclusive_value is None:
        return (exclusive_value, True)
    tighter_exclusive = exclusive_value <= inclusive_value if upper else exclusive_value >= inclusive_value
    return (exclusive_value, True) if tighter_exclusive else (inclusive_value, False)


def _is_null(side: Side, branch: Any, at: Location) -> bool:
    node, _ = side.follow(branch, at)
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("enum") == [None])


def _single_value(schema: _Schema) -> bool:
    enum = schema.node.get("enum")
    return "const" in schema.node or (isinstance(enum, list) and len(enum) == 1)


def _default_style(location: Any) -> str:
    return "simple" if location in ("path", "header") else "form"


Requirement = dict[str, frozenset[str]]


def _requirements(node: Any) -> list[Requirement]:
    """Security requirements, the alternatives of a `security` list: scheme -> scopes."""
    return [
        {str(k): frozenset(v) if isinstance(v, list) else frozenset() for k, v in requirement.items()}
        for requirement in _list(node)
        if isinstance(requirement, dict)
    ]


def _canonical(requirement: Requirement) -> list[tuple[str, list[str]]]:
    return sorted((scheme, sorted(scopes)) for scheme, scopes in requirement.items())


def _paired_requirements(
    old: list[Requirement], new: list[Requirement]
) -> tuple[list[tuple[Requirement, Requirement]], list[Requirement], list[Requirement]]:
    """Alternatives of both sides paired: equal ones, then those naming the same schemes (their scopes changed);
    the rest of OLD was removed, the rest of NEW added."""
    left, right = list(old), list(new)
    for requirement in old:
        if requirement in right:
            left.remove(requirement)
            right.remove(requirement)
    pairs: list[tuple[Requirement, Requirement]] = []
    for requirement in list(left):
        match = next((r for r in right if r.keys() == requirement.keys()), None)
        if match is not None:
            pairs.append((requirement, match))
            left.remove(requirement)
            right.remove(match)
    return pairs, left, right


def _describe_requirement(requirement: Requirement) -> str:
    if not requirement:
        return "{} (no authentication)"
    return " + ".join(
        name + (f" [{' '.join(sorted(requirement[name]))}]" if requirement[name] else "")
        for name in sorted(requirement)
    )


def _types(types: frozenset[str], format: Any) -> str:
    text = "|".join(sorted(types))
    return f"{text} ({format})" if isinstance(format, str) else text


def _values(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values[:8]) + (", ..." if len(values) > 8 else "")


def _branch_label(branch: Any, index: int) -> str:
    """A branch of a composition by the component it names, else by its place."""
    target = branch.get("$ref") if isinstance(branch, dict) else None
    return target.rsplit("/", 1)[-1] if isinstance(target, str) else str(index)


_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("sunset", "deprecation policy"),
    ("stability", "deprecation policy"),
    ("deprecated", "deprecated"),
    ("reactivated", "deprecation removed"),
    ("removed-without-deprecation", "operation removed"),
    ("removed-before-sunset", "operation removed"),
    ("removed-with-deprecation", "operation removed"),
    ("security", "security changed"),
    ("header", "response header changed"),
    ("media-type", "media type changed"),
    ("enum", "enum changed"),
    ("nullable", "type changed"),
    ("type", "type changed"),
    ("one-of", "type changed"),
    ("any-of", "type changed"),
    ("all-of", "type changed"),
    ("discriminator", "type changed"),
    ("required", "required changed"),
    ("optional", "required changed"),
    ("property", "property changed"),
    ("parameter", "parameter changed"),
    ("request-body", "request body changed"),
)


def _category(check: str) -> str:
    """A short human name for the kind of check, for the text report's second column."""
    if any(word in check for word in ("-max", "-min", "multiple-of", "unique-items", "pattern", "const", "default")):
        return "constraint changed"
    return next((category for word, category in _CATEGORIES if word in check), "changed")
