"""oasdiff's checks, one fixture pair each (checks.yaml): `clientgen diff` reports the check's id, with oasdiff's
severity or the one the fixture documents; and every id our diff emits is oasdiff's or ours (`clientgen-`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff.wire import catalog

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


@pytest.mark.parametrize("check", RUN, ids=[c.id for c in RUN])
def test_the_pair_in_reverse_is_the_opposite_change(check, tmp_path: Path) -> None:
    """NEW to OLD undoes the change: a check of one direction (decreased, set, added, became required) does not
    fire backwards; a value replaced by another (`-changed`) is replaced back, the same check again."""
    report = check.report(tmp_path, reverse=True)
    found = [(c.id, c.severity) for c in report.changes]
    if check.id.endswith("-changed"):
        assert (check.id, check.expect) in found, found
    else:
        assert check.id not in [i for i, _ in found], found
