"""The AGI reader's shortcuts give exactly what the general code gives, and stay streaming."""

import io

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from payroll_adapters import generate_agi, parse
from payroll_adapters.agi_format import (
    _careful_statement,
    _key,
    _plain_statement,
    _valid_personnummer,
)
from payroll_adapters.model import record_key
from payroll_adapters.streams import CHUNK_SIZE, StreamError
from payroll_adapters.xmlstream import Node, TopLevelStream
from schemas import validate_personnummer
from tests.payroll_adapters.strategies import SETTINGS
from tests.payroll_adapters.support import fixture, incomes, problems, read, trickle

_DIGITS = st.text("0123456789", min_size=12, max_size=12)
# Near misses too: a valid number with one digit changed, hyphens, ten digits, other scripts.
_CANDIDATES = st.one_of(
    _DIGITS,
    st.from_regex(
        r"(19|20)[0-9]{2}(0[1-9]|1[0-2])([0-2][0-9]|3[01]|[6-8][0-9]|9[01])[0-9]{4}", fullmatch=True
    ),
    st.text("0123456789-+ ٠١٢", min_size=10, max_size=13),
)


def _outcome(check: object, value: str) -> str | None:
    try:
        return check(value)  # type: ignore[operator,no-any-return]
    except ValueError:
        return None


@SETTINGS
@given(_CANDIDATES)
def test_the_personnummer_shortcut_agrees_with_the_general_validation(value: str) -> None:
    assert _outcome(_valid_personnummer, value) == _outcome(validate_personnummer, value)


@pytest.mark.parametrize(
    "value",
    [
        "198112189876",  # valid
        "198112189877",  # wrong check digit
        "198112899876",  # samordningsnummer (day + 60) with a wrong check digit
        "199002301234",  # 30 February
        "198112180009",  # serial 000
        "201502297513",  # 29 February of a common year
    ],
)
def test_the_personnummer_shortcut_on_known_cases(value: str) -> None:
    assert _outcome(_valid_personnummer, value) == _outcome(validate_personnummer, value)


@given(
    st.text(min_size=1, max_size=14),
    st.text("0123456789", min_size=12, max_size=12),
    st.text(min_size=1, max_size=8),
    st.integers(1, 10**12),
)
def test_the_record_key_shortcut_is_the_same_key(
    employer: str, personnummer: str, period: str, number: int
) -> None:
    assert _key(employer, personnummer, period, number) == record_key(
        "agi", employer, personnummer, period, number
    )


def _top_level(data: bytes) -> list[tuple[str, str]]:
    stream = TopLevelStream(
        io.BytesIO(data), max_bytes=len(data) + 1, records={"a"}, repeated={"a"}, root="r"
    )
    return [(node.path, str(node.element.text)) for node in stream]


def test_only_the_roots_children_are_records() -> None:
    data = b"<r><a>1</a><x><a>nested</a></x><a><a>inner</a>2</a><a>3</a></r>"
    assert _top_level(data) == [("/r/a[1]", "1"), ("/r/a[2]", "None"), ("/r/a[3]", "3")]


def test_a_wrong_root_is_refused_even_without_records() -> None:
    with pytest.raises(StreamError) as refused:
        _top_level(b"<other><b/></other>")
    assert refused.value.problem.code == "wrong_root"


def test_what_lies_outside_records_is_freed_as_it_comes() -> None:
    """A big element that is no record, and the records after it, are not kept: the tree
    holds at most what one chunk of input brought, not the 200,000 fillers or 50,000 records."""
    filler = b"<x>" + b"<y>filler</y>" * 200_000 + b"</x>"
    data = b"<r>" + filler + b"<a>1</a>" * 50_000 + b"</r>"
    parsed: list[int] = []
    stream = TopLevelStream(io.BytesIO(data), max_bytes=len(data), records={"a"}, root="r")
    for node in stream:
        root = node.element.getparent()
        assert root is not None
        # The record, the one released before it and nothing else stays in the tree.
        parsed.append(sum(1 for _ in root.iter()))
    assert len(parsed) == 50_000
    assert max(parsed) < CHUNK_SIZE // 4


def test_a_file_that_ends_inside_a_record_yields_the_records_before_it() -> None:
    data = b"".join(generate_agi(3, 1, seed=1))
    cut = data[: data.rindex(b"<agd:Blankett>") + 30]
    items = read("agi", cut)
    assert len(incomes(items)) == 2
    assert problems(items)[-1].code == "xml_malformed"


def test_the_fixture_reads_the_same_through_a_trickle() -> None:
    data = fixture("agi_2025.xml")
    whole = [repr(item) for item in read("agi", data)]
    trickled = [repr(item) for item in parse("agi", trickle(data, 7), max_bytes=len(data))]
    assert trickled == whole


def test_a_comment_inside_a_statement_changes_nothing() -> None:
    data = fixture("agi_2025.xml").replace(
        b"<agd:Specifikationsnummer", b"<!-- note --><agd:Specifikationsnummer", 1
    )
    assert [r.record_key for r in incomes(read("agi", data))] == [
        r.record_key for r in incomes(read("agi", fixture("agi_2025.xml")))
    ]


_PLAIN_FORM = (
    '<a:Blankett xmlns:a="urn:agd"><a:Arendeinformation><a:Arendeagare>{owner}</a:Arendeagare>'
    "<a:Period>{form_period}</a:Period></a:Arendeinformation><a:Blankettinnehall><a:IU>"
    '<a:AgRegistreradId faltkod="201"{attr}>{employer}</a:AgRegistreradId>'
    '<a:BetalningsmottagarId faltkod="215">{person}</a:BetalningsmottagarId>'
    '<a:RedovisningsPeriod faltkod="006">{period}</a:RedovisningsPeriod>'
    '<a:Specifikationsnummer faltkod="570">{number}</a:Specifikationsnummer>'
    '<a:KontantErsattningUlagAG faltkod="011">{cash}</a:KontantErsattningUlagAG>'
    '<a:Other faltkod="{code}">{benefit}</a:Other>{removed}'
    "</a:IU></a:Blankettinnehall></a:Blankett>"
)
_VALUES = ["", " ", "1", "007", "-5", "+5", "٣", "1 000", "\xa012", "x", "0", "1234567890123"]
# A plain statement, then what each field may be instead.
_GOOD = {
    "owner": "165560160680",
    "form_period": "202401",
    "attr": "",
    "employer": "165560160680",
    "person": "198112189876",
    "period": "202401",
    "number": "1",
    "cash": "30000",
    "code": "013",
    "benefit": "2000",
    "removed": "",
}
_INSTEAD = {
    "owner": ["", "5560160680", "16556016068X"],
    "form_period": ["", " 202401\n", "202402", "2024-01", "٢٠٢٤٠١"],
    "attr": [' xsi:nil="true" xmlns:xsi="urn:xsi"', ' nil="1"', ' x="1"'],
    "employer": ["", " 165560160680 ", "1655601606", "\xa0"],
    "person": [" 198112189876\t", "8112189876", "198112189877", "19811218-9876"],
    "period": ["", "202413", " 202401 ", "٢٠٢٤٠١"],
    "number": _VALUES,
    "cash": _VALUES,
    "code": ["012", "018", "001", " 012"],
    "benefit": _VALUES,
    "removed": ["<a:Borttag>1</a:Borttag>", "<a:Borttag> TRUE </a:Borttag>", "<a:Borttag/>"],
}


@SETTINGS
@given(st.data())
def test_the_plain_reading_gives_the_careful_one_or_leaves_it_to_it(data: st.DataObject) -> None:
    values = dict(_GOOD)
    for name in data.draw(st.sets(st.sampled_from(sorted(_INSTEAD)), max_size=3)):
        values[name] = data.draw(st.sampled_from(_INSTEAD[name]), label=name)
    form = etree.fromstring(_PLAIN_FORM.format(**values))
    node = Node(form, "Blankett", "/Skatteverket/Blankett[2]", 1)
    statement = form[1][0]
    plain = _plain_statement(node, statement, None)
    event("read plainly" if plain is not None else "left to the careful reading")
    if plain is not None:
        assert (plain,) == _careful_statement(node, statement, None)
