"""PAXml `header` and `personal/person` records as certificate content.

Mapping (payroll-formats.md §2, certificate.md A–E and K):

- employee: `fornamn`, `efternamn`, `persnr` (exactly 12 digits in PAXml; attribute or element),
  `epostarb` else `eposthem`, `mobiltelefon`;
- employer: header `foretagnamn` and `foretagorgnr`;
- employment: `anstdatum`–`avgdatum` (a date-time keeps its date); still employed unless
  `avgdatum` is given; `befattning`; `sysgrad` as the employment rate (the latest by `@datum`);
- form of employment from the free text `anstform`, see `employment_form`;
- working time: hourly employment is varying working time; otherwise a rate of 100 is full time
  and a lower rate part time at that percentage;
- salary: `lonform` MÅN with `manlon` is a monthly salary, TIM with `timlon` an hourly one (the
  latest by `@datum`; its year is the salary's year).
"""

import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from payroll_adapters.model import Problem
from payroll_adapters.paxml_transactions import identity
from payroll_adapters.validation import Location, Path
from payroll_adapters.values import date_part, to_decimal
from payroll_adapters.xmlstream import Node, child_path, elements, line_of, local, text
from schemas import validate_organisationsnummer

_FORMS = (
    ("Behovsanstalld", ("tim", "behov", "intermittent")),
    ("Provanstallning", ("prov",)),
    ("Tillsvidare", ("fast", "tillsvidare", "tills vidare", "stadigvarande")),
    (
        "Tidsbegransad",
        (
            "visstid", "vikariat", "vikarie", "projekt", "praktik", "ferie", "sasong",
            "tidsbegransad", "allman visstid", "sarskild visstid", "objektsanstallning",
        ),
    ),
)  # fmt: skip
_FOLD = str.maketrans("åäöé", "aaoe")

Put = Callable[[Path, str | None, Location], None]


def employment_form(free_text: str) -> str | None:
    """The official code for PAXml's free-text `anstform`, or None when not recognised.

    Suggested codes (FAST, PROV, VISSTID, VIKARIAT, PROJEKT, PRAKTIK, FERIE, SÄSONG) and words
    such as "Tillsvidareanställning", "Visstidsanställning" or "Timanställd" are matched by their
    beginning, case and Swedish letters folded; vikariat, säsong, projekt and the like are all
    fixed-term (`Tidsbegransad`), hourly work is `Behovsanstalld`.
    """
    folded = free_text.strip().casefold().translate(_FOLD)
    for code, stems in _FORMS:
        if folded.startswith(stems):
            return code
    return None


@dataclass(frozen=True)
class Header:
    """The company a PAXml file is about."""

    employer: dict[str, str] = field(default_factory=dict)
    origins: dict[Path, Location] = field(default_factory=dict)
    company_id: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def employer_id(self) -> str | None:
        """The organisation number in its normal form (so "556016-0680" and "5560160680" key
        alike), else the file's company id."""
        number = self.employer.get("organisation_number")
        if number is None:
            return self.company_id
        try:
            return validate_organisationsnummer(number)
        except ValueError:
            return number


def is_paxml_persnr(value: str) -> bool:
    """PAXml writes a personnummer as exactly 12 digits."""
    return re.fullmatch(r"\d{12}", value) is not None


def read_header(node: Node) -> Header:
    """The header's company. An organisation number that is not one is the file's problem,
    reported once with the header; the people are read without the file's employer, so each
    becomes a draft of the company importing it, as the other drafts are."""
    employer: dict[str, str] = {}
    origins: dict[Path, Location] = {}
    for name, target in (("foretagnamn", "name"), ("foretagorgnr", "organisation_number")):
        found = _first(node, name)
        if found is not None:
            employer[target] = found[0]
            origins[("employer", target)] = found[1]
    company = _first(node, "foretagid")
    problems = []
    number = employer.get("organisation_number")
    if number is not None and _invalid_orgnr(number):
        where = origins[("employer", "organisation_number")]
        problems.append(
            Problem(
                "invalid_orgnr",
                where.pointer,
                line=where.line,
                field="employer.organisation_number",
            )
        )
        employer, origins = {}, {}
    return Header(employer, origins, company[0] if company else None, problems)


def _invalid_orgnr(number: str) -> bool:
    try:
        validate_organisationsnummer(number)
    except ValueError:
        return True
    return False


@dataclass
class Person:
    """What one `person` record says, ready to be joined with its transactions."""

    anstid: str | None
    persnr: str | None
    location: Location
    content: dict[str, Any]
    origins: dict[Path, Location]
    rate: decimal.Decimal
    start: str | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    deleted: bool = False


def _first(node: Node, name: str) -> tuple[str, Location] | None:
    for element in elements(node.element):
        value = text(element) if local(element) == name else None
        if value is not None:
            where = child_path(node.path, node.element, element)
            return value, Location(where, line_of(element))
    return None


def _latest(node: Node, name: str) -> tuple[str, str | None, Location] | None:
    """(value, year of @datum, location) of the latest-dated element called `name`."""
    found = []
    for element in elements(node.element):
        value = text(element) if local(element) == name else None
        if value is not None:
            since = date_part(element.get("datum") or "")
            where = Location(child_path(node.path, node.element, element), line_of(element))
            found.append((since or "", value, where))
    if not found:
        return None
    since, value, where = max(found, key=lambda item: item[0])
    return value, since[:4] or None, where


def read_person(node: Node) -> Person:
    anstid, persnr = identity(node.element)
    content: dict[str, Any] = {}
    origins: dict[Path, Location] = {}
    problems: list[Problem] = []

    def put(path: Path, value: str | None, where: Location) -> None:
        if value is None:
            return
        block = content
        for part in path[:-1]:
            block = block.setdefault(str(part), {})
        block[str(path[-1])] = value
        origins[path] = where

    def take(name: str, path: Path, *, as_date: bool = False) -> str | None:
        found = _first(node, name)
        if found is None:
            return None
        # A malformed date is passed on as written, for the schema to name the error.
        value = (date_part(found[0]) or found[0]) if as_date else found[0]
        put(path, value, found[1])
        return value

    if persnr is not None:
        where = _persnr_location(node)
        if is_paxml_persnr(persnr):
            put(("employee", "personnummer"), persnr, where)
        else:
            problems.append(
                Problem(
                    "persnr_not_12_digits",
                    where.pointer,
                    line=where.line,
                    field="employee.personnummer",
                )
            )
    take("fornamn", ("employee", "first_name"))
    take("efternamn", ("employee", "last_name"))
    if take("epostarb", ("employee", "email")) is None:
        take("eposthem", ("employee", "email"))
    take("mobiltelefon", ("employee", "phone"))
    take("befattning", ("employment", "position"))
    start = take("anstdatum", ("employment", "period", "start"), as_date=True)
    end = take("avgdatum", ("employment", "period", "end"), as_date=True)
    content.setdefault("employment", {})["still_employed"] = end is None
    warnings: list[str] = []
    form = _first(node, "anstform")
    if form is not None:
        code = employment_form(form[0])
        put(("employment_form", "type"), code, form[1])
        if code is None:
            warnings.append(f"unknown_employment_form:{form[0]}")
    rate = _rate(node, put, warnings)
    _working_time(content, rate)
    _salary(node, put)
    return Person(
        anstid=anstid,
        persnr=persnr,
        location=Location(node.path, node.line),
        content=content,
        origins=origins,
        rate=rate or decimal.Decimal(100),
        start=start,
        problems=problems,
        warnings=warnings,
        deleted=(node.element.get("delete") or "").strip().lower() in ("true", "1"),
    )


def _persnr_location(node: Node) -> Location:
    if node.element.get("persnr") is not None:
        return Location(f"{node.path}/@persnr", node.line)
    found = _first(node, "persnr")
    return found[1] if found else Location(node.path, node.line)


def _rate(node: Node, put: Put, warnings: list[str]) -> decimal.Decimal | None:
    """The employment rate. PAXml types it xs:decimal, any precision; the certificate holds
    hundredths, so a finer rate is rounded half up, and the rounding is stated as a warning."""
    found = _latest(node, "sysgrad")
    if found is None:
        return None
    value, _, where = found
    rate = to_decimal(value)
    if rate is not None:
        rounded = rate.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
        if rounded != rate:
            warnings.append(f"rate_rounded:{value.strip()}:{rounded}")
        rate = rounded
    put(("employment", "employment_rate"), str(rate) if rate is not None else value, where)
    return rate if rate is not None and 0 < rate <= 100 else None


def _working_time(content: dict[str, Any], rate: decimal.Decimal | None) -> None:
    if content.get("employment_form", {}).get("type") == "Behovsanstalld":
        content["working_time"] = {"type": "VarierandeArbetstid"}
    elif rate == 100:
        content["working_time"] = {"type": "Heltid"}
    elif rate is not None:
        content["working_time"] = {"type": "Deltid", "percent_of_full_time": str(rate)}


def _salary(node: Node, put: Put) -> None:
    kind = (_first(node, "lonform") or ("", None))[0].strip().upper()
    monthly, hourly = _latest(node, "manlon"), _latest(node, "timlon")
    if kind == "MÅN" or (not kind and monthly):
        chosen, salary_type = monthly, "Manadslon"
    elif kind == "TIM" or (not kind and hourly):
        chosen, salary_type = hourly, "Timlon"
    else:
        return
    if chosen is None:
        return
    value, year, where = chosen
    put(("salary", "salary_type"), salary_type, where)
    put(("salary", "amount"), value, where)
    put(("salary", "year"), year, where)
