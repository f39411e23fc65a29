"""docs/rules.md lists every rule of `schemas.rules` with its source, and nothing else."""

import re
from pathlib import Path

from schemas.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_every_rule_is_documented_with_its_severity_and_source() -> None:
    rows = {
        match.group(1): match.group(0)
        for match in re.finditer(r"^\| `(\w+)` \|.*$", DOC.read_text(encoding="utf-8"), re.M)
    }
    assert set(rows) == set(RULES)
    for code, rule in RULES.items():
        assert f"| {rule.severity} |" in rows[code]
        assert rule.source in rows[code]
