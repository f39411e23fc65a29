"""Our JSON: certificates as the schemas define them, each with its `variant`.

Accepted shapes: one certificate object, a list of them, or ``{"certificates": [...]}``. Each
certificate may carry an `income` table (rows as `schemas.IncomeMonthSchema`). Problems point
into the document with JSON pointers (RFC 6901).

The body is read whole, within the size limit, and then parsed: no streaming JSON parser is
installed, and the limit keeps memory bounded. Certificates are still yielded one at a time.
"""

import decimal
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from payroll_adapters.model import Item, Problem
from payroll_adapters.streams import read_all
from payroll_adapters.summary import Skipped, summarised
from payroll_adapters.validation import Location, Origins, Path, draft_or_problems
from schemas import VARIANTS

_NOT_CONTENT = ("variant", "income")


def escape(segment: str | int) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return str(segment).replace("~", "~0").replace("/", "~1")


class _JsonOrigins(Origins):
    """In JSON every value is where its path says: the pointer is the path."""

    def of(self, path: Path) -> Location:
        return Location(self.record.pointer + "".join("/" + escape(part) for part in path))


def read_json(stream: BinaryIO, *, max_bytes: int) -> Iterator[Item]:
    """Drafts and problems from a JSON body of certificates, then a Summary."""
    return summarised("json", _read(stream, max_bytes))


def _read(stream: BinaryIO, max_bytes: int) -> Iterator[Item | Skipped]:
    data = read_all(stream, max_bytes)
    if not data.strip():
        yield Problem("empty_file", "", fatal=True)
        return
    try:
        document = json.loads(data, parse_float=decimal.Decimal)
    except RecursionError:
        yield Problem("json_too_deep", "", fatal=True)
        return
    except UnicodeDecodeError:
        yield Problem("not_utf8", "", params=("1",), fatal=True)
        return
    except ValueError as error:
        line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
        yield Problem("json_malformed", "", line=line, params=(str(line), str(column)), fatal=True)
        return
    yield from _certificates(document)


def _certificates(document: Any) -> Iterator[Item | Skipped]:
    if isinstance(document, list):
        items = [(f"/{index}", item) for index, item in enumerate(document)]
    elif isinstance(document, dict) and "certificates" in document:
        listed = document["certificates"]
        if not isinstance(listed, list):
            yield Problem("json_shape", "/certificates", fatal=True)
            return
        for extra in document.keys() - {"certificates"}:
            yield Problem("unknown_field", "/" + escape(extra))
        items = [(f"/certificates/{index}", item) for index, item in enumerate(listed)]
    elif isinstance(document, dict):
        items = [("", document)]
    else:
        yield Problem("json_shape", "", fatal=True)
        return
    for pointer, item in items:
        yield from _certificate(pointer, item)


def _certificate(pointer: str, item: Any) -> Iterator[Item]:
    if not isinstance(item, dict):
        yield Problem("not_object", pointer)
        return
    variant = item.get("variant")
    if variant is None:
        yield Problem("variant_missing", pointer + "/variant", field="variant")
        return
    if variant not in VARIANTS:
        yield Problem(
            "invalid_choice", pointer + "/variant", params=(", ".join(VARIANTS),), field="variant"
        )
        return
    raw = {key: value for key, value in item.items() if key not in _NOT_CONTENT}
    result = draft_or_problems(
        format_name="json",
        variant=variant,
        raw=raw,
        origins=_JsonOrigins(Location(pointer)),
        income=item.get("income"),
    )
    if isinstance(result, list):
        yield from result
    else:
        yield result


def dump_json(certificates: list[dict[str, Any]]) -> bytes:
    """Certificates (each with `variant` and content) as our JSON, for exports and round trips."""
    return json.dumps({"certificates": certificates}, ensure_ascii=False, indent=2).encode()
