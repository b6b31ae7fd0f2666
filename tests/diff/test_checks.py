"""oasdiff's checks, one fixture pair each (checks.yaml): `clientgen diff` reports the check's id, with oasdiff's
severity or the one the fixture documents; and every id our diff emits is oasdiff's or ours (`clientgen-`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff.wire import JUDGED, catalog

from checks import level_severity, load_checks

CHECKS = load_checks()
RUN = [check for check in CHECKS if not check.skip]


def test_every_fixture_names_a_check_oasdiff_has_once() -> None:
    ids = [check.id for check in CHECKS]
    assert sorted(set(ids)) == sorted(ids)
    assert [i for i in ids if i not in catalog()] == []


def test_a_severity_other_than_oasdiffs_says_why() -> None:
    unexplained = [c.id for c in CHECKS if not c.skip and c.expect != level_severity(c.id) and not c.why]
    assert unexplained == []
    needless = [c.id for c in CHECKS if c.why and c.expect == level_severity(c.id)]
    assert needless == []


@pytest.mark.parametrize("check", RUN, ids=[c.id for c in RUN])
def test_the_check_is_reported_with_its_severity(check, tmp_path: Path) -> None:
    report = check.report(tmp_path)
    found = [(c.id, c.severity) for c in report.changes]
    assert (check.id, check.expect) in found, found
    ids = [c.id for c in report.changes]
    assert [i for i in ids if i not in catalog() and not i.startswith("clientgen-")] == []


#: words of a check id and their opposites: the change undone is reported as the other
_OPPOSITES = (
    ("-increased", "-decreased"),
    ("-unset", "-set"),
    ("-removed", "-added"),
    ("became-optional", "became-required"),
    ("became-not-nullable", "became-nullable"),
    ("became-not-enum", "became-enum"),
    ("became-not-read-only", "became-read-only"),
    ("became-not-write-only", "became-write-only"),
    ("list-of-types-widened", "list-of-types-narrowed"),
    ("type-generalized", "type-specialized"),
    ("stability-increased", "stability-decreased"),
)
#: opposites the words above do not give, and checks undone by nothing reported (None)
_IRREGULAR: dict[str, str | None] = {
    "request-parameter-removed": "new-optional-request-parameter",
    "request-body-removed": "request-body-added-optional",
    "request-property-removed": "new-optional-request-property",
    "request-property-became-required-with-default": "request-property-became-optional",
    # oasdiff has no header-property id for it: the request property's
    "request-header-property-became-required": "request-property-became-optional",
    "required-response-header-removed": "response-required-header-added",
    "optional-response-header-removed": "response-header-added",
    # a value added to an open enum is no finding (oasdiff has none)
    "request-parameter-x-extensible-enum-value-removed": None,
    "request-property-x-extensible-enum-value-removed": None,
}


def opposite(check: str) -> str | None:
    """The check that reports `check`'s change undone, None when there is none."""
    if check in _IRREGULAR:
        return _IRREGULAR[check]
    for one, other in _OPPOSITES:
        for word, replacement in ((one, other), (other, one)):
            if word.startswith("-") and check.endswith(word):
                return check[: -len(word)] + replacement
            if not word.startswith("-") and word in check:
                return check.replace(word, replacement)
    return None


@pytest.mark.parametrize("check", RUN, ids=[c.id for c in RUN])
def test_the_pair_in_reverse_is_the_opposite_change(check, tmp_path: Path) -> None:
    """NEW to OLD undoes the change: a check of one direction (decreased, set, added, became required) does not
    fire backwards, its opposite does (increased, unset, removed, became optional), with oasdiff's severity; a
    value replaced by another (`-changed`) is replaced back, the same check again, except a multipleOf that goes
    back to a divisor, which oasdiff calls generalized (requests) or specialized (responses)."""
    report = check.report(tmp_path, reverse=True)
    found = [(c.id, c.severity) for c in report.changes]
    ids = [i for i, _ in found]
    if check.id.endswith("-multiple-of-changed"):  # back to a divisor: oasdiff names the looser way apart
        looser = "generalized" if check.id.startswith("request-") else "specialized"
        assert (check.id.replace("-changed", f"-{looser}"), "compatible") in found, found
        assert check.id not in ids, found
        return
    if check.id.endswith("-changed"):
        assert (check.id, check.expect) in found, found
        return
    assert check.id not in ids, found
    undone = opposite(check.id)
    if undone is None:
        return
    if undone in catalog():
        severity = JUDGED[undone][0] if undone in JUDGED else level_severity(undone)
        assert (undone, severity) in found, found
    else:  # ours: a change that breaks one way is compatible undone
        assert (f"clientgen-{undone}", "compatible") in found, found
