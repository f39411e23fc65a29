"""The frame: which months count, and which skippable months are left out because it helps.

Walking back from the month before unemployment, each month either counts or, when it carries a
skip reason, is left out, and the frame reaches one month further back instead; the frame ends
once `frame_months` months count, and at most `max_skipped_months` are left out. A month the
table does not hold counts with no income.

Which skippable months to leave out is a search over subsets, so it is done exactly by dynamic
programming over the walk. The state of a partial choice is what the outcome depends on besides
its total: months counted, qualifying months (capped at the most any period asks for) and the
current run of qualifying months (absorbing once the alternative rule's run is reached).
Skipped months so far are the months walked minus those counted, so every state at one step has
skipped as many. The outcome never falls as the total rises with the state fixed, so keeping the
highest total per state is enough. Among the finished frames the best is the one with the
longest period, then the highest (capped) income basis, then the fewest months left out: a month
is skipped only when that strictly helps. Skipped months are transparent to "in a row".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.assessment.income import IncomeMonth, YearMonth
from app.assessment.parameters import RuleParameters

_State = tuple[int, int, int]


@dataclass(frozen=True)
class FrameChoice:
    """The chosen frame: its first month (the last is the month before unemployment), the
    months left out, and the figures of the months that count."""

    first: YearMonth
    skipped: frozenset[YearMonth]
    total: Decimal
    qualifying: int
    longest_run: int


@dataclass(frozen=True)
class _Partial:
    total: Decimal
    qualifying: int
    run: int
    longest_run: int
    skipped: tuple[YearMonth, ...]


def choose_frame(
    months: Mapping[YearMonth, IncomeMonth], last: YearMonth, rules: RuleParameters
) -> FrameChoice:
    """The frame ending with `last` that gives the person the best outcome."""
    threshold = rules.monthly_income_threshold
    most_qualifying = max(period.min_qualifying_months for period in rules.periods)
    run_needed = rules.alternative.consecutive_months
    states: dict[_State, _Partial] = {
        (0, 0, 0): _Partial(Decimal(0), 0, 0, 0, ()),
    }
    best: tuple[tuple[int, Decimal, int], FrameChoice] | None = None
    for back in range(rules.frame_months + rules.max_skipped_months):
        when = last.shifted(-back)
        row = months.get(when)
        income = row.amount if row is not None else Decimal(0)
        skippable = row is not None and row.skip_reason is not None
        qualifies = income >= threshold
        following: dict[_State, _Partial] = {}
        for (counted, _, _), partial in states.items():
            run = partial.run + 1 if qualifies else 0
            kept = _Partial(
                partial.total + income,
                partial.qualifying + qualifies,
                run,
                max(partial.longest_run, run),
                partial.skipped,
            )
            _offer(following, _key(counted + 1, kept, most_qualifying, run_needed), kept)
            if skippable:
                left_out = _Partial(
                    partial.total,
                    partial.qualifying,
                    partial.run,
                    partial.longest_run,
                    (*partial.skipped, when),
                )
                _offer(following, _key(counted, left_out, most_qualifying, run_needed), left_out)
        states = {}
        for key, partial in following.items():
            if key[0] < rules.frame_months:
                states[key] = partial
                continue
            choice = FrameChoice(
                when,
                frozenset(partial.skipped),
                partial.total,
                partial.qualifying,
                partial.longest_run,
            )
            rank = _rank(choice, rules)
            if best is None or rank > best[0]:
                best = (rank, choice)
        if not states:
            break
    if best is None:
        raise AssertionError("counting every month always fills the frame")
    return best[1]


def _key(counted: int, partial: _Partial, most_qualifying: int, run_needed: int) -> _State:
    run = run_needed + 1 if partial.longest_run >= run_needed else min(partial.run, run_needed)
    return counted, min(partial.qualifying, most_qualifying), run


def _offer(states: dict[_State, _Partial], key: _State, partial: _Partial) -> None:
    """Keep the highest total per state; on a tie the first offered stays, so the choice does
    not depend on anything but the table."""
    held = states.get(key)
    if held is None or partial.total > held.total:
        states[key] = partial


def _rank(choice: FrameChoice, rules: RuleParameters) -> tuple[int, Decimal, int]:
    days, _ = rules.period_days(choice.total, choice.qualifying, choice.longest_run)
    basis = min(choice.total / rules.frame_months, rules.income_ceiling) if days else Decimal(0)
    return days, basis, -len(choice.skipped)
