"""Every field and every code has a label in Swedish and English."""

from __future__ import annotations

from schemas import codes, schema_for, xml_names
from schemas.labels import CODE_LABELS, FIELD_LABELS, code_label, field_label
from schemas.xml import XmlName


def _paths(names: dict[str, XmlName], prefix: str = "") -> set[str]:
    found = set()
    for key, name in names.items():
        found.add(prefix + key)
        found |= _paths(dict(name.children), f"{prefix}{key}.")
    return found


def test_every_field_has_a_label() -> None:
    paths = _paths(xml_names(schema_for("full"))) | _paths(xml_names(schema_for("income_2025")))
    assert paths == set(FIELD_LABELS)
    assert all(sv and en for sv, en in FIELD_LABELS.values())


def test_every_code_has_a_label() -> None:
    every = {
        *codes.EMPLOYMENT_TYPES,
        *codes.WORKING_TIME_TYPES,
        *codes.TERMINATION_REASONS,
        *codes.SALARY_TYPES,
        *codes.SUPPLEMENT_TYPES,
    }
    assert every == set(CODE_LABELS)


def test_labels_in_both_languages() -> None:
    assert field_label("worked_time.months.3.hours_worked") == "Arbetade timmar"
    assert field_label("worked_time.months.3.hours_worked", "en") == "Hours worked"
    assert code_label("Provanstallning") == "Provanställning"
    assert code_label("Provanstallning", "en-GB") == "Probationary employment"
    assert code_label("unknown") == "unknown"
