"""An `Assessment` made ready for a page: the employee's own and the a-kassa's show the same
partial (`assessment_blocks.html`), so both read the figures the same way.

Labels live in the template (translated there); this module only formats numbers for the
reader's language and gathers what the partial needs. Knows nothing of Flask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal

from app.assessment.engine import Assessment
from app.assessment.parameters import RuleParameters, default_rules
from schemas import formats


def language(locale: str) -> str:
    return "en" if locale.startswith("en") else "sv"


def money(amount: Decimal | int, locale: str) -> str:
    """Kronor with the reader's digit grouping; öre only when there are any."""
    return formats.kronor(amount, locale)


def percent(value: Decimal | int, locale: str) -> str:
    """80 %, the sign never alone at the start of a line."""
    return f"{format_decimal(value, format='#,##0.##', locale=language(locale))}\xa0%"


@dataclass(frozen=True)
class AssessmentView:
    """What the partial shows: the outcome (None when it could not be made), its preliminary
    label, notes on the income table, and every row of the rule table by date of effect."""

    assessment: Assessment | None
    locale: str
    notes: Sequence[str] = ()
    problem: str | None = None
    rules: tuple[RuleParameters, ...] = field(default_factory=lambda: default_rules().rows)

    @property
    def notice(self) -> str | None:
        """The preliminary label in the reader's language, with the rules' date of effect."""
        return self.assessment.notice(language(self.locale)) if self.assessment else None

    def money(self, amount: Decimal | int) -> str:
        return money(amount, self.locale)

    def percent(self, value: Decimal | int) -> str:
        return percent(value, self.locale)

    def levels(self, rules: RuleParameters) -> list[tuple[int, list[tuple[int, int, Decimal]]]]:
        """Each level row as (membership months from, [(first day, last day, per cent)])."""
        firsts = [1, *(last + 1 for last in rules.level_bands[:-1])]
        return [
            (
                level.min_membership_months,
                list(zip(firsts, rules.level_bands, level.percent, strict=True)),
            )
            for level in rules.levels
        ]
