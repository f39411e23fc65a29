"""The machinery of the rules: what a rule is, what it finds, and how findings are reported."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from schemas.messages import CATALOG

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Rule:
    """One rule: its stable code, how bad breaking it is, whether drafts are held to it, and
    where it comes from (law, the IAF form and its guidance, or the calendar)."""

    code: str
    severity: Severity
    source: str
    in_drafts: bool = True


@dataclass(frozen=True)
class Finding:
    """A rule broken at one field; `params` fill the message's placeholders."""

    code: str
    path: Path
    params: tuple[str, ...] = ()

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def key(self) -> str:
        """The message key, as field errors carry them (``"code:param"``)."""
        return ":".join([self.code, *self.params])

    @property
    def field(self) -> str:
        """The dotted path of the form field, as the web form names its errors."""
        return ".".join(str(part) for part in self.path)

    @property
    def pointer(self) -> str:
        """RFC 6901 JSON pointer into the content, as the API reports it."""
        return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in self.path)


SWEDEN = ZoneInfo("Europe/Stockholm")


def swedish_today() -> dt.date:
    """Today in Sweden, where "in the past" is judged."""
    return dt.datetime.now(SWEDEN).date()


RULES: dict[str, Rule] = {}
Check = Callable[["Facts"], Iterable[Finding]]
_CHECKS: list[Check] = []


def rule(code: str, severity: Severity, source: str, *, in_drafts: bool = True) -> Rule:
    """Register a rule; its code must have a message in the catalog."""
    if code not in CATALOG:
        raise KeyError(f"rule {code!r} has no message in the catalog")
    if code in RULES:
        raise ValueError(f"rule {code!r} is registered twice")
    RULES[code] = Rule(code, severity, source, in_drafts)
    return RULES[code]


def check(function: Check) -> Check:
    """Register a function that looks at the facts and yields what is broken."""
    _CHECKS.append(function)
    return function


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _at(tree: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(tree, list | tuple) or part >= len(tree):
                return None
            tree = tree[part]
        elif isinstance(tree, Mapping):
            tree = tree.get(part)
        else:
            return None
    return tree


@dataclass(frozen=True)
class Facts:
    """Loaded content with the raw input it came from, for rules to read.

    `complete` says the content is being signed or loaded in full: rules that demand a missing
    value only apply then. `raw` lets such rules see a value that was given but invalid (it has
    its own error; a "required" on top would only confuse).
    """

    data: Mapping[str, Any]
    variant: str
    complete: bool
    today: dt.date
    raw: Any = None
    _rows: dict[Path, list[tuple[int, Any]]] = field(default_factory=dict, compare=False)

    def get(self, *path: str | int) -> Any:
        return _at(self.data, path)

    def given(self, *path: str | int) -> bool:
        """Whether the user supplied a value at `path`, valid or not."""
        if self.get(*path) is not None:
            return True
        return self.raw is not None and not _blank(_at(self.raw, path))

    def rows(self, *path: str) -> list[tuple[int, Any]]:
        """Rows of a list with their input index. A list with a broken row (dropped from the
        loaded data, shifting every index after it) already has an error: its rows wait."""
        if path not in self._rows:
            loaded = self.get(*path) or []
            raw = _at(self.raw, path) if self.raw is not None else loaded
            aligned = isinstance(raw, list | tuple) and len(raw) == len(loaded)
            self._rows[path] = list(enumerate(loaded)) if aligned else []
        return self._rows[path]

    def finding(self, code: str, *path: str | int, params: Iterable[object] = ()) -> Finding:
        return Finding(code, path, tuple(str(param) for param in params))


def evaluate(
    data: Mapping[str, Any],
    variant: str,
    *,
    complete: bool,
    today: dt.date | None = None,
    raw: Any = None,
) -> list[Finding]:
    """Every finding of every rule for loaded content, errors and warnings alike, in rule
    order. Drafts (`complete=False`) skip the rules that demand what may come later."""
    facts = Facts(data, variant, complete, today or swedish_today(), raw)
    found: list[Finding] = []
    for function in _CHECKS:
        found.extend(item for item in function(facts) if complete or RULES[item.code].in_drafts)
    return list(dict.fromkeys(found))


def error_tree(findings: Iterable[Finding]) -> dict[str | int, Any]:
    """The errors among `findings` as message keys in marshmallow's nested error shape."""
    tree: dict[str | int, Any] = {}
    for item in findings:
        if item.severity != ERROR:
            continue
        node = tree
        for part in item.path[:-1]:
            child = node.setdefault(part, {})
            if isinstance(child, list):  # errors on the object itself, as marshmallow keeps them
                child = node[part] = {"_schema": child}
            node = child
        leaf = node.setdefault(item.path[-1], [])
        (leaf.setdefault("_schema", []) if isinstance(leaf, dict) else leaf).append(item.key)
    return tree


def merge(into: dict[Any, Any], extra: Mapping[Any, Any]) -> dict[Any, Any]:
    """Join two error trees: lists at the same place are concatenated without repeats."""
    for name, value in extra.items():
        here = into.get(name)
        if isinstance(value, Mapping) and isinstance(here, dict):
            merge(here, value)
        elif isinstance(value, list) and isinstance(here, list):
            here.extend(item for item in value if item not in here)
        elif here is None:
            into[name] = dict(value) if isinstance(value, Mapping) else list(value)
    return into


def periods(facts: Facts) -> Iterator[Path]:
    """Where the content holds a period (start and end), for the rules every period shares."""
    yield ("employment", "period")
    for index, _row in facts.rows("employment", "leaves"):
        yield ("employment", "leaves", index, "period")
    yield ("worked_time", "period")
    yield ("continued_work_offer", "period")
    yield ("teacher_salary", "holiday_period")
