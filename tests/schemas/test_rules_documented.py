"""docs/rules.md lists every rule of `schemas.rules` with its source, and nothing else."""

import re
from pathlib import Path

from schemas.messages import CATALOG
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


SV_DO = re.compile(r"\b(Ange|Ändra|Ta bort|Välj|Kontrollera|Rätta|Beskriv|Fyll)\b")
EN_DO = re.compile(r"\b(Enter|Give|Change|Remove|Choose|Check|Correct|Describe|Fill|give)\b")


def test_every_rule_says_what_to_change() -> None:
    for code in RULES:
        assert SV_DO.search(CATALOG[code]["sv"]), code
        assert EN_DO.search(CATALOG[code]["en"]), code
