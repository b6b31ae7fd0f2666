"""How many of oasdiff's ERR-level (and WARN-level) checks `clientgen diff` covers: a check is covered when its
fixture pair in tests/diff/checks.yaml reports its id with the expected severity.

    python tests/diff_coverage.py [--list]

`--list` also names the checks without a passing fixture. Exit 1 when a fixture fails.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "diff"))

from generator.diff.wire import catalog  # noqa: E402

from checks import load_checks  # noqa: E402


def main() -> int:
    checks = {check.id: check for check in load_checks()}
    levels = catalog()
    passed: set[str] = set()
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for number, check in enumerate(checks.values()):
            if check.skip:
                continue
            place = Path(folder) / str(number)
            place.mkdir()
            report = check.report(place)
            if (check.id, check.expect) in [(c.id, c.severity) for c in report.changes]:
                passed.add(check.id)
            else:
                failed.append(check.id)
    for level in ("ERR", "WARN"):
        ids = sorted(i for i, found in levels.items() if found == level)
        covered = [i for i in ids if i in passed]
        skipped = [i for i in ids if i in checks and checks[i].skip]
        judged = Counter(checks[i].expect for i in covered if checks[i].why)
        line = f"{len(covered)} of {len(ids)} {level}-level checks"
        if skipped:
            line += f"; {len(skipped)} more cannot happen to a spec clientgen accepts (documented in checks.yaml)"
        if judged:
            line += f"; {sum(judged.values())} judged otherwise for the generated client ({dict(judged)})"
        print(line)
        if "--list" in sys.argv:
            for check in ids:
                if check not in passed and check not in skipped:
                    print(f"  not covered: {check}")
    if failed:
        print("failing fixtures: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
