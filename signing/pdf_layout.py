"""A certificate version laid out for people to read and print: blocks A–M as on the paper form.

Rendered with reportlab and the Vera fonts it ships, which hold å, ä, ö and the dashes, so Swedish
text comes out right whatever fonts the reader has. The PDF is made deterministic (`invariant`),
so the same version always renders to the same bytes before it is sealed.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from datetime import UTC
from io import BytesIO
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

import reportlab
from marshmallow import Schema, fields
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from schemas import mask_personnummer, schema_for
from schemas.base import PeriodSchema
from schemas.fields import Choice
from signing import labels
from signing.document import CertificateDocument, content_document, document_digest

ATTACHMENT_NAME: Final = "arbetsgivarintyg.xml"
_FONTS: Final = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf"}
_WIDTH: Final = A4[0] - 40 * mm
_GRID: Final = colors.HexColor("#b0b7bf")
_SHADE: Final = colors.HexColor("#eef1f4")


def _style(name: str, size: float, *, font: str = "Vera", space: float = 2) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, spaceAfter=space)


_TITLE: Final = _style("title", 18, font="Vera-Bold", space=4)
# A heading never ends a page alone.
_HEADING: Final = ParagraphStyle(
    "heading", _style("", 11.5, font="Vera-Bold", space=3), keepWithNext=1
)
_BODY: Final = _style("body", 9)
_LABEL: Final = _style("label", 9, font="Vera-Bold")
_NOTE: Final = _style("note", 8, font="Vera-Italic")
_NUMBER: Final = ParagraphStyle("number", _BODY, alignment=2)


def render_certificate(doc: CertificateDocument) -> bytes:
    """The unsealed PDF of `doc`: header, blocks A–M, the signatures, and how to check them."""
    _register_fonts()
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Arbetsgivarintyg {doc.certificate_id}, version {doc.version}",
        author="Intyga",
        invariant=True,
    )
    story: list[Flowable] = [*_header(doc)]
    schema = schema_for(doc.variant)
    for letter, key, heading in labels.BLOCKS:
        if key in doc.content:
            story.append(Paragraph(_text(f"{letter}. {heading}"), _HEADING))
            story.extend(_block(key, doc.content[key], schema.fields[key]))
            story.append(Spacer(1, 3 * mm))
    story.extend(_signatures(doc))

    def footer(canvas: Canvas, _: Any) -> None:
        canvas.setFont("Vera", 7.5)
        canvas.drawString(
            20 * mm,
            10 * mm,
            f"Arbetsgivarintyg {doc.certificate_id} – version {doc.version} – "
            f"sida {canvas.getPageNumber()}",
        )

    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _register_fonts() -> None:
    directory = Path(reportlab.__file__).parent / "fonts"
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in _FONTS.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(directory / file)))


def _text(value: str) -> str:
    """Plain text for a Paragraph, whose input is reportlab's own markup."""
    return escape(value).replace("\n", "<br/>")


def _header(doc: CertificateDocument) -> list[Flowable]:
    rows = [
        ("Intygs-id", doc.certificate_id),
        ("Version", str(doc.version)),
        ("Variant", labels.VARIANTS[doc.variant]),
        ("Utfärdat", doc.issued_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Utfärdat av",
            f"{doc.employer_name}, {labels.organisation_number(doc.organisation_number)}",
        ),
    ]
    return [Paragraph("Arbetsgivarintyg", _TITLE), _pairs(rows), Spacer(1, 4 * mm)]


def _block(key: str, value: Any, declared: fields.Field[Any]) -> list[Flowable]:
    if not isinstance(value, Mapping) or not isinstance(declared, fields.Nested):
        return [Paragraph(_text(_format(value, declared)), _BODY)]
    schema = declared.schema
    pairs: list[tuple[str, str]] = []
    tables: list[Flowable] = []
    for name, field in schema.fields.items():
        if name not in value:
            continue
        path = f"{key}.{name}"
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            tables += [Spacer(1, 2 * mm), Paragraph(_text(labels.field(path)), _LABEL)]
            tables.append(_rows(path, value[name], field.inner.schema))
        else:
            pairs.append((labels.field(path), _format(value[name], field)))
    return [_pairs(pairs), *tables] if pairs else tables


def _format(value: Any, declared: fields.Field[Any]) -> str:
    """One value as the form writes it: Ja/Nej, codes in words, decimal commas, periods."""
    if isinstance(declared, fields.Nested) and isinstance(value, Mapping):
        if isinstance(declared.schema, PeriodSchema):
            return f"{value.get('start', '')} – {value.get('end', '')}".rstrip(" –")
        return ", ".join(
            _format(value[name], field)
            for name, field in declared.schema.fields.items()
            if name in value
        )
    if isinstance(value, bool):
        return labels.yes_no(value)
    if isinstance(declared, Choice):
        return labels.code(str(value))
    if isinstance(declared, fields.Decimal):
        return _decimal(str(value))
    return str(value)


def _decimal(value: str) -> str:
    """34500.00 as 34 500,00; anything that is not a number is shown as it is."""
    try:
        number = decimal.Decimal(value)
    except decimal.InvalidOperation:
        return value
    return f"{number:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _pairs(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(
        [
            [Paragraph(_text(label), _LABEL), Paragraph(_text(value), _BODY)]
            for label, value in rows
        ],
        colWidths=[0.38 * _WIDTH, 0.62 * _WIDTH],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, _GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _rows(path: str, rows: Sequence[Mapping[str, Any]], schema: Schema) -> Table:
    """A list block as a table; a year and month become one "Månad" column (juli 2024)."""
    by_month = "year" in schema.fields and "month" in schema.fields
    names = [
        name
        for name in schema.fields
        if any(name in row for row in rows) and not (by_month and name in ("year", "month"))
    ]
    header = (["Månad"] if by_month else []) + [labels.field(f"{path}.{n}") for n in names]
    body = []
    for row in rows:
        cells = [f"{labels.MONTHS[row['month'] - 1]} {row['year']}"] if by_month else []
        for name in names:
            cells.append(_format(row[name], schema.fields[name]) if name in row else "")
        body.append(cells)
    offset = 1 if by_month else 0
    numeric = {
        index + offset
        for index, name in enumerate(names)
        if isinstance(schema.fields[name], fields.Decimal | fields.Integer)
    }
    return _grid(header, body, numeric)


def _grid(
    header: list[str],
    body: list[list[str]],
    numeric: set[int] | None = None,
    widths: Sequence[float] | None = None,
) -> Table:
    """A table with a shaded header row, repeated on every page; `numeric` columns align right,
    `widths` are shares of the page width (equal by default)."""
    data = [[Paragraph(_text(cell), _LABEL) for cell in header]]
    data += [
        [
            Paragraph(_text(cell), _NUMBER if index in (numeric or set()) else _BODY)
            for index, cell in enumerate(cells)
        ]
        for cells in body
    ]
    shares = widths or [1 / len(header)] * len(header)
    table = Table(data, repeatRows=1, colWidths=[share * _WIDTH for share in shares])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, _GRID),
                ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _signatures(doc: CertificateDocument) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Underskrifter", _HEADING)]
    header = ["Roll", "Namn", "Personnummer", "Tidpunkt", "Anmärkning"]
    rows = [
        [
            labels.ROLES[evidence.role],
            evidence.name,
            mask_personnummer(evidence.personal_number),
            evidence.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "Skrev under med BankID"
            if evidence.akassa is None
            else f"Godkände med BankID, till {evidence.akassa.name}",
        ]
        for evidence in doc.evidence
    ]
    if rows:
        story.append(_grid(header, rows, widths=(0.15, 0.21, 0.18, 0.18, 0.28)))
    else:
        story.append(Paragraph("Ingen har skrivit under den här versionen.", _BODY))
    digest = document_digest(content_document(doc))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(_text(f"Kontrollsumma för intygets innehåll (SHA-256): {digest}"), _NOTE),
        Paragraph(
            _text(
                "PDF-filen är elektroniskt stämplad av Intyga (PAdES). Den bifogade filen "
                f"{ATTACHMENT_NAME} innehåller intyget, underskrifterna med BankID och Intygas "
                "stämpel (XAdES), så att den här versionen kan kontrolleras fristående."
            ),
            _NOTE,
        ),
    ]
    return story
