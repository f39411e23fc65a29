"""docs/security.md names the tests that prove each claim: every one of them must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(
    r"`((?:app|tests|signing|schemas|payroll_adapters)/[\w/.-]+\.py)(?:::(\w+))?`|`::(\w+)"
)


def test_every_test_the_security_document_names_exists() -> None:
    missing = []
    path: Path | None = None
    for match in REFERENCE.finditer((ROOT / "docs" / "security.md").read_text()):
        if match.group(1):
            path, name = ROOT / match.group(1), match.group(2)
            if not path.exists():
                missing.append(match.group(1))
                continue
        else:
            name = match.group(3)
        if name is None or path is None or path.relative_to(ROOT).parts[0] != "tests":
            continue
        if not re.search(rf"def {name}\b", path.read_text()):
            missing.append(f"{path.relative_to(ROOT)}::{name}")
    assert missing == []
