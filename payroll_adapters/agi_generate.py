"""Realistic AGI files of any size, streamed in chunks: benchmark and test input.

Deterministic for a seed: the same call always gives the same bytes.
"""

import datetime as dt
import random
from collections.abc import Iterator

from stdnum import luhn

from payroll_adapters.agi_format import COMPONENT_NAMESPACE, INSTANCE_NAMESPACE

DEMO_ORGANISATIONSNUMMER = "5560160680"
_BATCH = 200


def _personnummer(rng: random.Random, taken: set[str]) -> str:
    while True:
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16000))
        body = f"{born:%y%m%d}{rng.randrange(1, 1000):03d}"
        number = f"{born:%Y}"[:2] + body + luhn.calc_check_digit(body)
        if number not in taken:
            taken.add(number)
            return number


def _form(employer: str, period: str, content: str) -> str:
    return (
        "<agd:Blankett><agd:Arendeinformation>"
        f"<agd:Arendeagare>{employer}</agd:Arendeagare><agd:Period>{period}</agd:Period>"
        f"</agd:Arendeinformation><agd:Blankettinnehall>{content}</agd:Blankettinnehall>"
        "</agd:Blankett>\n"
    )


def _statement(employer: str, period: str, person: str, number: int, pay: tuple[int, int]) -> str:
    cash, car = pay
    benefit = (
        f'<agd:SkatteplBilformanUlagAG faltkod="013">{car}</agd:SkatteplBilformanUlagAG>'
        if car
        else ""
    )
    return (
        "<agd:IU><agd:ArbetsgivareIUGROUP>"
        f'<agd:AgRegistreradId faltkod="201">{employer}</agd:AgRegistreradId>'
        "</agd:ArbetsgivareIUGROUP><agd:BetalningsmottagareIUGROUP>"
        "<agd:BetalningsmottagareIDChoice>"
        f'<agd:BetalningsmottagarId faltkod="215">{person}</agd:BetalningsmottagarId>'
        "</agd:BetalningsmottagareIDChoice></agd:BetalningsmottagareIUGROUP>"
        f'<agd:RedovisningsPeriod faltkod="006">{period}</agd:RedovisningsPeriod>'
        f'<agd:Specifikationsnummer faltkod="570">{number}</agd:Specifikationsnummer>'
        f'<agd:KontantErsattningUlagAG faltkod="011">{cash}</agd:KontantErsattningUlagAG>'
        f"{benefit}"
        f'<agd:AvdrPrelSkatt faltkod="001">{_tax(pay)}</agd:AvdrPrelSkatt>'
        "</agd:IU>"
    )


def _car_benefit(rng: random.Random) -> int:
    return rng.randrange(2_000, 6_000) if rng.random() < 0.1 else 0


def _tax(pay: tuple[int, int]) -> int:
    return sum(pay) * 3 // 10


def _main_statement(employer: str, period: str, contributions: int, tax: int) -> str:
    return (
        "<agd:HU><agd:ArbetsgivareHUGROUP>"
        f'<agd:AgRegistreradId faltkod="201">{employer}</agd:AgRegistreradId>'
        "</agd:ArbetsgivareHUGROUP>"
        f'<agd:RedovisningsPeriod faltkod="006">{period}</agd:RedovisningsPeriod>'
        f'<agd:SummaArbAvgSlf faltkod="487">{contributions}</agd:SummaArbAvgSlf>'
        f'<agd:SummaSkatteavdr faltkod="497">{tax}</agd:SummaSkatteavdr>'
        "</agd:HU>"
    )


def generate_agi(
    employees: int,
    months: int,
    *,
    seed: int,
    first_period: tuple[int, int] = (2024, 1),
    organisationsnummer: str = DEMO_ORGANISATIONSNUMMER,
) -> Iterator[bytes]:
    """An AGI file for `employees` people over `months` consecutive months, in chunks.

    Each month has the employer's main statement (HU, with contributions at 31.42 %) and one
    individual statement (IU) per person: cash pay, a car benefit for about one in ten, and
    preliminary tax.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    employer = "16" + organisationsnummer
    taken: set[str] = set()
    people = [_personnummer(rng, taken) for _ in range(employees)]
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<Skatteverket omrade="Arbetsgivardeklaration" xmlns="{INSTANCE_NAMESPACE}" '
        f'xmlns:agd="{COMPONENT_NAMESPACE}">\n'
        "<agd:Avsandare><agd:Programnamn>Intyga testdata</agd:Programnamn>"
        f"<agd:Organisationsnummer>{employer}</agd:Organisationsnummer>"
        "<agd:TekniskKontaktperson><agd:Namn>Test Testsson</agd:Namn>"
        "<agd:Telefon>08-1234567</agd:Telefon>"
        "<agd:Epostadress>lon@example.com</agd:Epostadress>"
        "</agd:TekniskKontaktperson><agd:Skapad>2025-01-12T09:00:00</agd:Skapad></agd:Avsandare>\n"
        "<agd:Blankettgemensamt><agd:Arbetsgivare>"
        f"<agd:AgRegistreradId>{employer}</agd:AgRegistreradId>"
        "<agd:Kontaktperson><agd:Namn>Test Testsson</agd:Namn>"
        "<agd:Telefon>08-1234567</agd:Telefon>"
        "<agd:Epostadress>lon@example.com</agd:Epostadress></agd:Kontaktperson>"
        "</agd:Arbetsgivare></agd:Blankettgemensamt>\n"
    ).encode()
    year, month = first_period
    for _ in range(months):
        period = f"{year}{month:02d}"
        pays = [
            (
                rng.randrange(18_000, 65_000),
                rng.randrange(2_000, 6_000) if rng.random() < 0.1 else 0,
            )
            for _ in people
        ]
        contributions = sum(sum(pay) for pay in pays) * 3142 // 10_000
        tax = sum(_tax(pay) for pay in pays)
        batch = [_form(employer, period, _main_statement(employer, period, contributions, tax))]
        for number, (person, pay) in enumerate(zip(people, pays, strict=True), start=1):
            batch.append(_form(employer, period, _statement(employer, period, person, number, pay)))
            if len(batch) >= _BATCH:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    yield b"</Skatteverket>\n"
