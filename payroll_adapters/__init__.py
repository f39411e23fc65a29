"""Payroll formats (our JSON, SOAP, PAXml, AGI XML, CSV) turned into certificate drafts.

Pure: bytes in, drafts and problems out; no Flask, no database (see payroll-formats.md).
Every reader streams its input and yields, one at a time, Drafts (certificate content valid as
a draft) or IncomeRecords (AGI), Problems in plain Swedish or English with a pointer to the
input, and finally a Summary; the caller stores records as they come, upserting by
`record_key` so that importing the same file twice creates nothing new.
"""

from collections.abc import Iterator
from typing import BinaryIO, Protocol

from payroll_adapters.agi_format import income_by_month, latest_income, read_agi
from payroll_adapters.agi_generate import generate_agi
from payroll_adapters.csv_format import csv_template, read_csv, to_csv
from payroll_adapters.json_format import dump_json, read_json
from payroll_adapters.model import (
    Draft,
    IncomeRecord,
    Item,
    Problem,
    SoapHeader,
    SoftwareInfo,
    Summary,
)
from payroll_adapters.paxml_format import read_paxml
from payroll_adapters.soap_content import content_from_xml, content_to_xml
from payroll_adapters.soap_format import read_soap
from payroll_adapters.validation import identified


class Reader(Protocol):
    def __call__(self, stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]: ...


READERS: dict[str, Reader] = {
    "json": read_json,
    "soap": read_soap,
    "paxml": read_paxml,
    "agi": read_agi,
    "csv": read_csv,
}
FORMATS = tuple(READERS)


def parse(format: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:  # noqa: A002 - the public name of the argument
    """Read `stream` in `format` ("json", "soap", "paxml", "agi" or "csv").

    Stops with a fatal Problem once more than `max_bytes` have been read. Raises ValueError for
    an unknown format; every problem with the input itself is yielded, never raised.
    """
    try:
        reader = READERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; expected one of {FORMATS}") from None
    return reader(stream, max_bytes=max_bytes)


__all__ = [
    "FORMATS",
    "Draft",
    "IncomeRecord",
    "Item",
    "Problem",
    "SoapHeader",
    "SoftwareInfo",
    "Summary",
    "content_from_xml",
    "content_to_xml",
    "csv_template",
    "dump_json",
    "generate_agi",
    "identified",
    "income_by_month",
    "latest_income",
    "parse",
    "read_agi",
    "read_csv",
    "read_json",
    "read_paxml",
    "read_soap",
    "to_csv",
]
