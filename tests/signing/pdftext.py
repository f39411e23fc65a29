"""The text of a reportlab PDF, read back through each font's ToUnicode map, with pyHanko.

Embedded TrueType subsets number their glyphs in order of use, so the bytes in the content stream
mean nothing without the font's map: reading them this way proves what a PDF viewer would copy.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

_TEXT_OPERATIONS = re.compile(
    rb"/(?P<font>[\w.+-]+)\s+[\d.]+\s+Tf"
    rb"|(?P<string>\((?:\\.|[^\\)])*\))\s*Tj"
    rb"|\[(?P<array>(?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ",
    re.DOTALL,
)
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)
_BFCHAR_SECTION = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(data: bytes) -> str:
    """All text drawn on the pages, one line per text operation."""
    reader = PdfFileReader(BytesIO(data), strict=False)
    lines: list[str] = []
    for page in _pages(reader.root["/Pages"]):
        maps = {
            str(name).lstrip("/"): _to_unicode(font)
            for name, font in page["/Resources"]["/Font"].items()
        }
        contents = page["/Contents"]
        streams = contents if isinstance(contents, list) else [contents]
        stream = b"\n".join(part.get_object().data for part in streams)
        font: dict[int, str] = {}
        for match in _TEXT_OPERATIONS.finditer(stream):
            if match["font"]:
                font = maps[match["font"].decode()]
                continue
            strings = [match["string"]] if match["string"] else _STRING.findall(match["array"])
            lines.append("".join(font.get(b, chr(b)) for s in strings for b in _literal(s)))
    return "\n".join(lines)


def _pages(node: Any) -> list[Any]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if node["/Type"] == "/Page":
        return [node]
    return [page for kid in node["/Kids"] for page in _pages(kid)]


def _to_unicode(font: Any) -> dict[int, str]:
    font = font.get_object()
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().data
    return {
        int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for section in _BFCHAR_SECTION.findall(cmap)
        for code, text in _BFCHAR.findall(section)
    }


def _literal(token: bytes) -> bytes:
    """The bytes of a PDF literal string such as (ab\\)c\\101)."""
    body, out, index = token[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index : index + 1]
        if char != b"\\":
            out += char
            index += 1
            continue
        following = body[index + 1 : index + 2]
        octal = re.match(rb"[0-7]{1,3}", body[index + 1 : index + 4])
        if octal:
            out.append(int(octal.group(), 8))
            index += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(following, following)
            index += 2
    return bytes(out)
