"""A record is loaded once when it is complete: the draft holds what a draft load gives, and
`complete` says what a full load of it would, complete or not."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from payroll_adapters import Draft
from payroll_adapters.validation import Location, Origins, draft_or_problems
from schemas import ContentInvalid, load_content
from tests.payroll_adapters.strategies import SETTINGS, certificates

Certificate = tuple[str, dict[str, Any]]


def _fully_valid(content: dict[str, Any], variant: str) -> bool:
    try:
        load_content(content, variant)
    except ContentInvalid:
        return False
    return True


@SETTINGS
@given(certificates(), st.data())
def test_draft_is_what_a_draft_load_gives_complete_or_not(
    certificate: Certificate, data: st.DataObject
) -> None:
    variant, content = certificate
    raw = dict(content)
    # The employee stays: without it a record is a problem, never a draft.
    droppable = sorted(set(content) - {"employee"})
    for key in data.draw(st.lists(st.sampled_from(droppable), unique=True, max_size=3)):
        del raw[key]
    draft = draft_or_problems(
        format_name="json", variant=variant, raw=raw, origins=Origins(Location(""))
    )
    assert isinstance(draft, Draft)
    expected = load_content(raw, variant, partial=True)
    assert draft.content == expected
    assert draft.complete == _fully_valid(expected, variant)


def test_invalid_content_gives_the_draft_load_problems_only() -> None:
    raw = {"employee": {"personnummer": "12345"}}
    problems = draft_or_problems(
        format_name="json", variant="full", raw=raw, origins=Origins(Location("/0"))
    )
    assert isinstance(problems, list)
    assert [problem.field for problem in problems] == ["employee.personnummer"]
