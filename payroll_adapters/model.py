"""What adapters yield: drafts, income records, problems, and what surrounds them.

Every record carries a `record_key`: the same record read twice (from the same file or a corrected
one) has the same key, so the app upserts by key and an import is idempotent.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from payroll_adapters.messages import describe


@dataclass(frozen=True)
class Problem:
    """Something in the input that could not be used, and where it is.

    `pointer` is an element path for XML ("/paxml/personal/person[3]/persnr"), a JSON pointer
    (RFC 6901) for JSON and a cell reference (RFC 7111, "#cell=5,3") for CSV; `line` is the XML
    or CSV line; `field` the content path ("employee.personnummer") when a field is at fault.
    `fatal` problems end the reading of the file; any other concerns one record.
    """

    code: str
    pointer: str
    line: int | None = None
    params: tuple[str, ...] = ()
    field: str | None = None
    fatal: bool = False

    @property
    def key(self) -> str:
        """The code with its parameters, as the schemas write message keys ("too_long:20")."""
        return ":".join((self.code, *self.params))

    def message(self, locale: str = "sv") -> str:
        """Plain-language text in "sv" or "en"."""
        return describe(self.code, self.params, locale)

    def describe(self, locale: str = "sv") -> str:
        """The text with its location, for logs and import reports:
        "Rad 42, /paxml/personal/person[3]/persnr (employee.personnummer): …"."""
        where = [describe("at_line", (str(self.line),), locale)] if self.line is not None else []
        where += [self.pointer] if self.pointer else []
        place = ", ".join(where) + (f" ({self.field})" if self.field else "")
        return f"{place.strip()}: {self.message(locale)}" if place.strip() else self.message(locale)


@dataclass(frozen=True)
class Draft:
    """One certificate draft: content valid under `load_content(partial=True)`.

    `complete` says whether it also passes the full rules, so the app can tell a draft ready to
    sign from one needing more data. `income` holds rows valid under `load_income_table`;
    `warnings` message keys of what looks wrong but may be true.
    """

    variant: str
    content: dict[str, Any]
    complete: bool
    record_key: str
    pointer: str
    line: int | None = None
    employer_hint: str | None = None
    income: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
    # The payroll system's employment id (PAXml `anstid`) when the file gives one: beside a
    # personnummer the importer learns it; alone, the importer matches it to a person.
    employment_id: str | None = None
    # (format, employer, start) of `person_record_key`: how the record is keyed once its
    # person is known, so a file naming the person later finds the same draft.
    person_key: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class IncomeRecord:
    """One AGI individual statement (IU): a person's pay from one employer in one month.

    `employer` is the AgRegistreradId ("16" + organisationsnummer, or a sole trader's
    personnummer); `income` is what the a-kassa counts, cash pay plus taxable benefits.
    `removed` marks a `Borttag`, which withdraws an earlier statement with the same key.
    """

    personnummer: str
    year: int
    month: int
    cash_pay: int
    benefits: int
    employer: str
    specification_number: int
    source_pointer: str
    record_key: str
    line: int | None = None
    removed: bool = False

    @property
    def employer_orgnr(self) -> str:
        """The employer in the 10-digit form the certificate's employer block stores."""
        return self.employer[2:] if len(self.employer) == 12 else self.employer

    @property
    def income(self) -> int:
        return self.cash_pay + self.benefits


@dataclass(frozen=True)
class SoftwareInfo:
    """The payroll software that sent a SOAP request."""

    supplier: str | None
    version: str | None
    build: str | None


@dataclass(frozen=True)
class SoapHeader:
    """Who sent a SOAP request; yielded before any certificate so the caller can authenticate."""

    employer_id: str
    api_key: str = field(repr=False)
    sent_at: dt.datetime | None
    version: str | None
    pointer: str
    line: int | None = None


@dataclass(frozen=True)
class Summary:
    """The last item of every read: counts for the import report.

    `skipped` counts what the format holds but certificates do not use (AGI main statements,
    PAXml persons marked deleted); `completed` is False when a fatal problem stopped the read.
    """

    format: str
    drafts: int
    income_records: int
    problems: int
    skipped: Mapping[str, int]
    completed: bool


Item = Draft | IncomeRecord | Problem | SoapHeader | SoftwareInfo | Summary


def record_key(*parts: object) -> str:
    """SHA-256 of parts in a canonical JSON form (sorted keys, no spaces)."""
    canonical = json.dumps(
        parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def person_record_key(scope: tuple[str, str, str], persnr: str) -> str:
    """The key of a record of `scope` (format, employer, start) about the person `persnr`."""
    format_name, employer, start = scope
    return record_key(format_name, employer, f"persnr:{persnr}", start)


def natural_key(content: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(organisationsnummer, personnummer, employment start) of loaded content, if all known."""
    parts = (
        content.get("employer", {}).get("organisation_number"),
        content.get("employee", {}).get("personnummer"),
        content.get("employment", {}).get("period", {}).get("start"),
    )
    if all(isinstance(part, str) for part in parts):
        return (str(parts[0]), str(parts[1]), str(parts[2]))
    return None


def draft_key(
    format_name: str,
    variant: str,
    content: Mapping[str, Any],
    income: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The record key of a draft: its employment when known, else its whole content.

    Keyed by employment, a corrected export updates the draft it made before; content that
    does not name an employment can only be recognised by being the same again.
    """
    employment = natural_key(content)
    if employment is not None:
        return record_key(format_name, variant, "employment", *employment)
    return record_key(format_name, variant, "content", dict(content), list(income))
