"""Hypothesis breaks exactly one rule of `schemas.rules` and the loader names exactly that one,
at the field it concerns; the untouched examples break none."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll_adapters.validation import error_leaves
from schemas import ContentInvalid, content_findings, content_warnings, load_content
from schemas.rules import RULES
from tests.rule_cases import BREAKERS, Breaker, broken, example

Case = tuple[Breaker, str, dict[str, Any], str]


def _errors(content: dict[str, Any], variant: str, *, partial: bool) -> set[tuple[str, str]]:
    try:
        load_content(content, variant, partial=partial)
    except ContentInvalid as invalid:
        return {
            (key.split(":")[0], ".".join(map(str, path)))
            for path, key in error_leaves(invalid.errors)
        }
    return set()


def test_every_rule_has_a_case_that_breaks_it() -> None:
    assert {breaker.code for breaker in BREAKERS} == set(RULES)


@pytest.mark.parametrize("variant", ["full", "income_2025"])
def test_the_examples_break_no_rule(variant: str) -> None:
    assert content_findings(example(variant), variant, complete=True) == []


@settings(max_examples=150, deadline=None)
@given(broken([b for b in BREAKERS if b.severity == "error"]))
def test_one_broken_rule_gives_its_one_error(case: Case) -> None:
    breaker, variant, content, field = case
    assert _errors(content, variant, partial=False) == {(breaker.code, field)}
    in_draft = _errors(content, variant, partial=True)
    assert in_draft == ({(breaker.code, field)} if breaker.in_drafts else set())


@settings(max_examples=100, deadline=None)
@given(broken([b for b in BREAKERS if b.severity == "warning"]))
def test_one_broken_warning_gives_its_one_warning(case: Case) -> None:
    breaker, variant, content, field = case
    loaded = load_content(content, variant)
    assert [key.split(":")[0] for key in content_warnings(loaded, variant)] == [breaker.code]
    (finding,) = content_findings(loaded, variant, complete=True)
    assert finding.field == field
    assert finding.pointer == "/" + field.replace(".", "/")


@given(st.sampled_from(sorted(RULES)))
def test_every_rule_names_its_source(code: str) -> None:
    assert RULES[code].source.strip()
