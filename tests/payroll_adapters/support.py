"""Helpers shared by the adapter tests: fixture paths, reading, envelopes and slow streams."""

import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

import pytest
from lxml import etree

from payroll_adapters import Draft, IncomeRecord, Item, Problem, Summary, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(
    os.environ.get("INTYGA_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
)
PAXML_SAMPLES = SHARED / "samples" / "paxml"
MAX = 10_000_000
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "http://tempuri.org/"

T = TypeVar("T")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sample(name: str) -> bytes:
    """A real PAXml file from the shared samples; skips the test when they are not there."""
    path = PAXML_SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared PAXml samples not found at {PAXML_SAMPLES} (see SOURCES.txt)")
    return path.read_bytes()


def read(format_name: str, data: bytes, *, max_bytes: int = MAX) -> list[Item]:
    """Everything a reader yields for `data`, checking that it ends with exactly one Summary."""
    items = list(parse(format_name, io.BytesIO(data), max_bytes=max_bytes))
    assert isinstance(items[-1], Summary)
    assert not any(isinstance(item, Summary) for item in items[:-1])
    return items


def only(items: Iterable[object], kind: type[T]) -> list[T]:
    return [item for item in items if isinstance(item, kind)]


def drafts(items: Iterable[object]) -> list[Draft]:
    return only(items, Draft)


def problems(items: Iterable[object]) -> list[Problem]:
    return only(items, Problem)


def incomes(items: Iterable[object]) -> list[IncomeRecord]:
    return only(items, IncomeRecord)


def summary(items: Sequence[object]) -> Summary:
    last = items[-1]
    assert isinstance(last, Summary)
    return last


def envelope(certificates: Sequence[etree._Element], *, authentication_first: bool = True) -> bytes:
    """A SaveArbetsgivarintygService request around certificate elements."""
    root = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS})
    body = etree.SubElement(root, f"{{{SOAP_NS}}}Body")
    service = etree.SubElement(body, f"{{{SERVICE_NS}}}SaveArbetsgivarintygService")
    request = etree.SubElement(
        etree.SubElement(service, f"{{{SERVICE_NS}}}request"), f"{{{SERVICE_NS}}}ImportRequest"
    )
    etree.SubElement(etree.SubElement(request, "AGPVersion"), "Version").text = "1"
    authentication = etree.Element("Autentisering")
    for name, value in (
        ("ApiNyckel", "key-123"),
        ("ArbetsgivareId", "ftg4431"),
        ("SkickatTidpunkt", "2025-07-01T09:30:00"),
    ):
        etree.SubElement(authentication, name).text = value
    if authentication_first:
        request.append(authentication)
    container = etree.SubElement(request, "Arbetsgivarintyg")
    container.extend(certificates)
    if not authentication_first:
        request.append(authentication)
    etree.SubElement(etree.SubElement(request, "SoftwareInfo"), "Supplier").text = "Test"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def trickle(data: bytes, size: int) -> BinaryIO:
    """`data` as a stream that hands out at most `size` bytes per read."""
    return cast(BinaryIO, _Trickle(data, size))


class _Trickle(io.RawIOBase):
    """A stream that hands out at most `size` bytes per read, as a slow network would."""

    def __init__(self, data: bytes, size: int) -> None:
        self._data = memoryview(data)
        self._size = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        count = min(self._size, len(buffer), len(self._data))
        buffer[:count] = self._data[:count]
        self._data = self._data[count:]
        return count
