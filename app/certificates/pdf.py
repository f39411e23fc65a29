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
from weasyprint import CSS, HTML, Attachment, URLFetcher  # type: ignore[import-untyped]
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
_STYLE: Final = (files("app.certificates") / "pdf.css").read_text(encoding="utf-8")
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
        certificate_id=doc.certificate_id,
        version=doc.version,
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
        stylesheets=[CSS(string=_STYLE)],
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


def _tidy(_document: Any, pdf: pydyf.PDF) -> None:
    """What WeasyPrint leaves that archival checkers question: the attachment listed twice in
    the catalog's /AF, empty pattern and shading resources, and footers tagged as content
    outside the structure tree. The producer and the modification date are left to the seal,
    since the document information must agree with the XMP: pyHanko names itself in both and
    would otherwise append itself to WeasyPrint's name in one of them only, and it reads the
    clock once for each, so the two dates could differ by a second. Without a /ModDate in the
    document information, it stamps the XMP's alone."""
    pdf.info.pop("Producer", None)
    pdf.info.pop("ModDate", None)
    _running_footer_as_artifact(pdf)
    catalog = pdf.catalog
    if "AF" in catalog:
        catalog["AF"] = pydyf.Array(dict.fromkeys(catalog["AF"]))
    for item in pdf.objects:
        if isinstance(item, dict) and "Font" in item:
            for kind in ("Pattern", "Shading", "XObject"):
                if kind in item and not item[kind]:
                    del item[kind]


def _running_footer_as_artifact(pdf: pydyf.PDF) -> None:
    """Mark the page footers as artifacts (page furniture a screen reader skips). WeasyPrint
    marks them as content but leaves their structure elements out of the tree, which makes
    them content that belongs nowhere: not allowed in a tagged PDF."""
    root = pdf.catalog["StructTreeRoot"]
    reachable = set()
    pending = [_number(root)]
    while pending:
        element = pdf.objects[pending.pop()]
        kids = element.get("K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if _is_reference(kid) and _number(kid) not in reachable:
                reachable.add(_number(kid))
                pending.append(_number(kid))
    parent_tree = pdf.objects[_number(pdf.objects[_number(root)]["ParentTree"])]["Nums"]
    pages = pdf.page_references
    for index, elements in _pairs(parent_tree):
        if not isinstance(elements, list):
            continue  # an annotation's entry, after the pages'
        stream = pdf.objects[_number(pdf.objects[_number(pages[index])]["Contents"])]
        orphans = {
            mcid for mcid, element in enumerate(elements) if _number(element) not in reachable
        }
        operations: list[Any] = []
        for item in stream.stream:
            # A marked-content start is three items: the tag, its properties, BDC.
            last = operations[-1] if operations else None
            mcid = last.get("MCID") if isinstance(last, dict) else None
            if item == b"BDC" and mcid in orphans:
                operations[-2:] = ["/Artifact", b"BMC"]
                elements[mcid] = "null"
            else:
                operations.append(item)
        stream.stream = operations


def _pairs(nums: list[Any]) -> list[tuple[Any, Any]]:
    return list(zip(nums[::2], nums[1::2], strict=True))


def _is_reference(value: Any) -> bool:
    text = value.decode() if isinstance(value, bytes) else value
    return isinstance(text, str) and text.endswith(" R")


def _number(value: Any) -> int:
    reference = value.reference if hasattr(value, "reference") else value
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])
