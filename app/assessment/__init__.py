"""The preliminary assessment under the income-based rules from 2025-10-01 (rules-2025.md).

A pure engine and its data, for the employee's and the a-kassa's pages: `assess` turns income
per month into an `Assessment`; `income_months` reads an income table, `employer_income` builds
one from a certificate and AGI statements; the figures come from `data/rules.json`, one row per
date of effect.
"""

from app.assessment.engine import (
    Assessment,
    FrameMonth,
    Rule,
    Step,
    assess,
    membership_months,
)
from app.assessment.income import IncomeMonth, YearMonth, income_months
from app.assessment.parameters import (
    RuleParameters,
    RulesNotInForce,
    RuleTable,
    default_rules,
    load_rules,
)
from app.assessment.sources import (
    DerivedIncome,
    employer_income,
    income_from_agi,
    income_from_content,
)

__all__ = [
    "Assessment",
    "DerivedIncome",
    "FrameMonth",
    "IncomeMonth",
    "Rule",
    "RuleParameters",
    "RuleTable",
    "RulesNotInForce",
    "Step",
    "YearMonth",
    "assess",
    "default_rules",
    "employer_income",
    "income_from_agi",
    "income_from_content",
    "income_months",
    "load_rules",
    "membership_months",
]
