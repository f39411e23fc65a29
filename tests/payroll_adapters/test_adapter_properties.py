"""Properties: valid certificates survive every round trip; damaged input never crashes a reader."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll_adapters import (
    Draft,
    IncomeRecord,
    Problem,
    SoapHeader,
    SoftwareInfo,
    Summary,
    content_to_xml,
    dump_json,
    to_csv,
)
from tests.payroll_adapters.strategies import SETTINGS, certificates, damaged, income_tables
from tests.payroll_adapters.support import drafts, envelope, fixture, read, sample

Certificate = tuple[str, dict[str, Any]]


@SETTINGS
@given(certificates(), income_tables())
def test_json_round_trip(certificate: Certificate, income: list[dict[str, Any]]) -> None:
    variant, content = certificate
    data = dump_json([{"variant": variant, **content, "income": income}])
    (draft,) = drafts(read("json", data))
    assert (draft.variant, draft.content, list(draft.income)) == (variant, content, income)
    assert draft.complete


@SETTINGS
@given(st.lists(certificates(), min_size=1, max_size=3), st.sampled_from([None, "urn:x"]))
def test_soap_round_trip(batch: list[Certificate], namespace: str | None) -> None:
    elements = [content_to_xml(content, variant, namespace=namespace) for variant, content in batch]
    made = drafts(read("soap", envelope(elements)))
    assert [(draft.variant, draft.content) for draft in made] == batch
    assert all(draft.complete for draft in made)


@SETTINGS
@given(
    st.lists(st.tuples(certificates(), income_tables()), min_size=1, max_size=3),
    st.sampled_from([";", ",", "\t"]),
)
def test_csv_round_trip(
    batch: list[tuple[Certificate, list[dict[str, Any]]]], delimiter: str
) -> None:
    text = to_csv(
        [(variant, content, income) for (variant, content), income in batch], delimiter=delimiter
    )
    made = drafts(read("csv", text.encode("utf-8")))
    assert [(draft.variant, draft.content, list(draft.income)) for draft in made] == [
        (variant, content, income) for (variant, content), income in batch
    ]


ALLOWED = (Draft, IncomeRecord, Problem, SoapHeader, SoftwareInfo)
# Damaged documents are cheap to read, so more of them are tried.
FUZZ = settings(SETTINGS, max_examples=200)


def _survives(format_name: str, data: bytes) -> None:
    items = read(format_name, data, max_bytes=len(data) + 1)
    assert all(isinstance(item, ALLOWED) for item in items[:-1])
    assert isinstance(items[-1], Summary)
    for problem in items:
        if isinstance(problem, Problem):
            assert problem.message("sv")
            assert problem.message("en")


@FUZZ
@given(st.data())
def test_damaged_paxml_gives_problems_not_exceptions(data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(["fixture", "official", "vendor"]))
    source = {
        "fixture": lambda: fixture("paxml_lonut_latin1.pax"),
        "official": lambda: sample("PAXml_2.0_official_example.pax"),
        "vendor": lambda: sample("blinfo_DEMO_2022-10.xml"),
    }[document]()
    _survives("paxml", data.draw(damaged(source)))


@FUZZ
@given(damaged(fixture("agi_2025.xml")))
def test_damaged_agi_gives_problems_not_exceptions(document: bytes) -> None:
    _survives("agi", document)


@FUZZ
@given(damaged(fixture("soap_request.xml")))
def test_damaged_soap_gives_problems_not_exceptions(document: bytes) -> None:
    _survives("soap", document)


@FUZZ
@given(damaged(fixture("certificates.json")))
def test_damaged_json_gives_problems_not_exceptions(document: bytes) -> None:
    _survives("json", document)


@FUZZ
@given(damaged(fixture("certificates_cp1252.csv")))
def test_damaged_csv_gives_problems_not_exceptions(document: bytes) -> None:
    _survives("csv", document)
