"""Found by fuzzing: two errors where one's field holds the other's (a period and its end) made
the error tree fail as a 500; the object's own errors go under `_schema`, as marshmallow's."""

from __future__ import annotations

import pytest

from schemas.rules.engine import Finding, error_tree


@pytest.mark.parametrize("order", ["object first", "field first"])
def test_an_error_on_an_object_and_one_inside_it_both_survive(order: str) -> None:
    outer = Finding("end_before_start", ("employment", "period"))
    inner = Finding("end_before_start", ("employment", "period", "end"))
    findings = [outer, inner] if order == "object first" else [inner, outer]
    assert error_tree(findings) == {
        "employment": {"period": {"_schema": ["end_before_start"], "end": ["end_before_start"]}}
    }
