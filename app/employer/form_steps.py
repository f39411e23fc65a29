"""The certificate form as guided steps, one per part of the paper form ("Steg 2 av 6"), as the
real service asks it.

Which section of `form_spec` is asked in which step is said once, here. A section this table
does not name is asked with the section before it, so a new part of the form slots in where it
stands in the paper form's order. The first step asks the answers that decide which parts apply;
those fields are taken out of their sections. Knows nothing of Flask; titles are (sv, en).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.employer import form_spec as spec


@dataclass(frozen=True)
class Step:
    key: str  # in the URL: ?steg=<key>
    title: tuple[str, str]
    sections: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()  # single fields asked here, wherever their section is

    def title_in(self, locale: str) -> str:
        return self.title[1] if locale.startswith("en") else self.title[0]


FIRST = Step(
    "om-intyget",
    ("Om intyget", "About the certificate"),
    fields=("employment_form.type", "employment.still_employed"),
)
_CONTENT_STEPS = (
    ("personer", ("Arbetstagare och arbetsgivare", "Employee and employer"), ("employee",)),
    ("anstallning", ("Anställningen", "The employment"), ("employment",)),
    ("avslut", ("Avslut och erbjudande om fortsatt arbete", "End and offers"), ("termination",)),
    ("tid-och-lon", ("Arbetad tid och lön", "Worked time and pay"), ("worked_time",)),
    ("ovrigt", ("Övriga upplysningar", "Other information"), ("other_information",)),
)
_TAKEN = frozenset(FIRST.fields)


def _content_steps() -> tuple[Step, ...]:
    """Each content step with every section from its first one up to the next step's first."""
    starts = {first[0]: (key, title) for key, title, first in _CONTENT_STEPS}
    grouped: dict[str, list[str]] = {key: [] for key, _title, _first in _CONTENT_STEPS}
    current = _CONTENT_STEPS[0][0]
    for section in spec.SECTIONS:
        if section.key in starts:
            current = starts[section.key][0]
        grouped[current].append(section.key)
    return tuple(Step(key, title, tuple(grouped[key])) for key, title, _first in _CONTENT_STEPS)


CONTENT_STEPS = _content_steps()
ALL = (FIRST, *CONTENT_STEPS)
BY_KEY = {step.key: step for step in ALL}


def steps(situation: spec.Situation) -> list[Step]:
    """The steps that have something to ask in this situation, in order."""
    return [step for step in ALL if sections(step, situation)]


def find(key: str, situation: spec.Situation, default: Step) -> Step:
    """The step named `key` if it asks something in this situation, else `default`."""
    return next((step for step in steps(situation) if step.key == key), default)


def sections(step: Step, situation: spec.Situation) -> list[spec.Section]:
    """What the step asks: its sections (less the first step's fields), or the first step's
    fields inside their sections."""
    asked = []
    for section in spec.layout(situation):
        items: tuple[spec.Field | spec.Table, ...]
        if step is FIRST:
            items = tuple(
                item
                for item in section.items
                if isinstance(item, spec.Field) and item.path in FIRST.fields
            )
        elif section.key in step.sections:
            items = tuple(item for item in section.items if item.path not in _TAKEN)
        else:
            continue
        if items:
            asked.append(spec.Section(section.key, items, section.applies))
    return asked


def step_of_section(section_key: str) -> Step:
    return next((s for s in CONTENT_STEPS if section_key in s.sections), CONTENT_STEPS[-1])


def step_of_path(path: str) -> Step:
    """The step that asks about `path` (a field, a table row's field, or a block's own error)."""
    if path in _TAKEN:
        return FIRST
    return step_of_section(path.split(".", 1)[0])


def owns(step: Step, path: str) -> bool:
    return step_of_path(path) is step


def value_keys(step: Step, situation: spec.Situation, counts: Mapping[str, int]) -> set[str]:
    """The form values the step's page posts: its fields and its tables' cells."""
    keys = set()
    for section in sections(step, situation):
        for item in section.items:
            if isinstance(item, spec.Field):
                keys.add(item.path)
            else:
                for index in range(counts.get(item.path, 0)):
                    keys.update(item.cell(index, column).path for column in item.columns)
    return keys


def tables(step: Step, situation: spec.Situation) -> list[str]:
    return [
        item.path
        for section in sections(step, situation)
        for item in section.items
        if isinstance(item, spec.Table)
    ]


def errors_of(step: Step, errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The errors the step's page answers for."""
    return {path: found for path, found in errors.items() if path and owns(step, path)}


def after(step: Step, situation: spec.Situation) -> Step | None:
    shown = steps(situation)
    index = next((i for i, s in enumerate(shown) if s.key == step.key), -1)
    return shown[index + 1] if 0 <= index < len(shown) - 1 else None


def before(step: Step, situation: spec.Situation) -> Step | None:
    shown = steps(situation)
    index = next((i for i, s in enumerate(shown) if s.key == step.key), 0)
    return shown[index - 1] if index > 0 else None


def number(step: Step, situation: spec.Situation) -> tuple[int, int]:
    """(n, of): "Steg n av of"."""
    shown = steps(situation)
    keys = [s.key for s in shown]
    return (keys.index(step.key) + 1 if step.key in keys else 1), len(shown)


def months_before(end: str, count: int = 12) -> list[tuple[int, int]]:
    """The `count` calendar months up to and including the month of `end` (an ISO date), oldest
    first: the month table starts with them (the certificate covers the last 12 months worked)."""
    year, month = int(end[:4]), int(end[5:7])
    found = []
    for _ in range(count):
        found.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def prefill_months(
    values: dict[str, str], counts: dict[str, int], situation: spec.Situation
) -> bool:
    """Start an empty month table with the months before the employment ended (or, while it
    goes on, before the period's end); nothing when the end is unknown or rows exist."""
    table = "worked_time.months"
    if situation.variant != "full" or counts.get(table, 0):
        return False
    end = values.get("employment.period.end", "")
    if len(end) < 7 or not (end[:4].isdigit() and end[5:7].isdigit()):
        return False
    if not 1 <= int(end[5:7]) <= 12:
        return False
    start = values.get("employment.period.start", "")
    months = months_before(end)
    if len(start) >= 7 and start[:4].isdigit() and start[5:7].isdigit():
        months = [(y, m) for y, m in months if (y, m) >= (int(start[:4]), int(start[5:7]))]
    for index, (year, month) in enumerate(months):
        values[f"{table}.{index}.year"] = str(year)
        values[f"{table}.{index}.month"] = str(month)
    counts[table] = len(months)
    if months and not values.get("worked_time.period.start"):
        # The period the table reports: from its first month (or the employment's first day,
        # when that is later) to the end.
        first = f"{months[0][0]:04d}-{months[0][1]:02d}-01"
        values["worked_time.period.start"] = max(first, start) if len(start) == 10 else first
        values.setdefault("worked_time.period.end", end)
    return bool(months)
