"""The frame around every adapter's output: fatal errors as problems, and a closing Summary."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from payroll_adapters.model import Draft, IncomeRecord, Item, Problem, Summary
from payroll_adapters.streams import StreamError


@dataclass(frozen=True)
class Skipped:
    """Something the format holds that certificates do not use; counted, not yielded."""

    kind: str


def summarised(format_name: str, items: Iterator[Item | Skipped]) -> Iterator[Item]:
    """Pass `items` on, turn a StreamError into its fatal problem, and end with a Summary."""
    counts: Counter[type] = Counter()
    skipped: Counter[str] = Counter()
    completed = True
    try:
        for item in items:
            if isinstance(item, Skipped):
                skipped[item.kind] += 1
                continue
            counts[type(item)] += 1
            completed = completed and not (isinstance(item, Problem) and item.fatal)
            yield item
    except StreamError as error:
        counts[Problem] += 1
        completed = False
        yield error.problem
    yield Summary(
        format=format_name,
        drafts=counts[Draft],
        income_records=counts[IncomeRecord],
        problems=counts[Problem],
        skipped=dict(skipped),
        completed=completed,
    )
