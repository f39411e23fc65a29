"""The certificate as a PDF people keep: the presentation every page uses, laid out on paper.

An HTML template rendered by WeasyPrint as PDF/A-3a: tagged (headings, tables with their
headers, the language), fonts embedded, an sRGB output intent, XMP metadata, and the sealed XML
attached as the document's source (/AF, /AFRelationship /Source). `signing.pdf.sealed_pdf`
calls `render_pdf` and seals the result; see docs/pdf.md for why WeasyPrint.
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from io import BytesIO
from typing import Any, Final

import jinja2
import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer, unannotated
from markupsafe import Markup
from weasyprint import HTML, Attachment, URLFetcher  # type: ignore[import-untyped]
from weasyprint.css import ColorProfile  # type: ignore[import-untyped]

from schemas import formats, presentation
from signing import labels
from signing.document import CertificateDocument, content_document, document_digest
from signing.pdf import ATTACHMENT_NAME

PDF_VARIANT: Final = "pdf/a-3a"
# The output intent: the sRGB profile WeasyPrint ships, read here once (WeasyPrint's own
# "srgb" intent opens the file on every render and leaves it open).
_SRGB: Final = "srgb-iec61966-2-1"
_SRGB_PROFILE: Final = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
_TEMPLATES: Final = jinja2.Environment(
    loader=jinja2.PackageLoader("app.certificates", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_pdf(doc: CertificateDocument, sealed_xml: bytes) -> bytes:
    """The archival PDF of `doc`, carrying `sealed_xml` (the version's sealed XML). The same
    arguments always give the same bytes: dates come from the version, never the clock."""
    html = _TEMPLATES.get_template("certificates/document.html").render(
        title=f"Arbetsgivarintyg {doc.certificate_id}, version {doc.version}",
        created=doc.issued_at.isoformat(),
        footer=_css_string(f"Arbetsgivarintyg {doc.certificate_id} – version {doc.version}"),
        employer=doc.employer_name,
        organisation_number=formats.organisation_number(doc.organisation_number),
        facts=[
            ("Intygs-id", doc.certificate_id),
            ("Version", str(doc.version)),
            ("Variant", labels.VARIANTS[doc.variant]),
            ("Utfärdat", _local_time(doc.issued_at)),
        ],
        blocks=presentation.blocks(doc.content, "sv", variant=doc.variant),
        signatures=[
            (
                labels.ROLES[evidence.role],
                evidence.name,
                formats.masked_personnummer(evidence.personal_number),
                _local_time(evidence.signed_at),
                "Skrev under med BankID"
                if evidence.akassa is None
                else f"Godkände med BankID, till {evidence.akassa.name}",
            )
            for evidence in doc.evidence
        ],
        digest=document_digest(content_document(doc)),
        attachment=ATTACHMENT_NAME,
    )
    source = Attachment(
        string=sealed_xml,
        name=ATTACHMENT_NAME,
        description="Intyget med underskrifter och Intygas stämpel (XAdES)",
        created=doc.issued_at,
        modified=doc.issued_at,
        relationship="Source",
    )
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=[source],
        finisher=_tidy,
        output_intent=_SRGB,
        color_profiles={
            _SRGB: ColorProfile(
                BytesIO(_SRGB_PROFILE),
                "sRGB2014.icc",
                "relative-colorimetric",
                (["r"], ["g"], ["b"]),
            )
        },
    )
    return pdf


def _local_time(moment: datetime) -> str:
    """Swedish time with its zone (2025-07-01 10:30 CEST): the reader may be elsewhere, and the
    file outlives the season it was made in."""
    return formats.datetime(moment, "sv", zone=True)


def _css_string(text: str) -> Markup:
    """Text as a quoted CSS string inside the template's <style>, where HTML escaping does not
    apply: quotes, backslashes and angle brackets become CSS escapes, line breaks spaces."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>' else c for c in " ".join(text.split()))
    return Markup(f'"{escaped}"')  # noqa: S704 - escaped above for CSS, where HTML's rules do not apply


def _tidy(_document: Any, pdf: pydyf.PDF) -> None:
    """What WeasyPrint leaves that archival checkers question: the attachment listed twice in
    the catalog's /AF, and empty pattern and shading resources. The producer is left to the
    seal: pyHanko names itself in both the XMP and the document information, which must agree,
    and would otherwise append itself to WeasyPrint's name in one of them only."""
    pdf.info.pop("Producer", None)
    catalog = pdf.catalog
    if "AF" in catalog:
        catalog["AF"] = pydyf.Array(dict.fromkeys(catalog["AF"]))
    for item in pdf.objects:
        if isinstance(item, dict) and "Font" in item:
            for kind in ("Pattern", "Shading", "XObject"):
                if kind in item and not item[kind]:
                    del item[kind]
