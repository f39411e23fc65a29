"""One version of a certificate as one XML document in Intyga's namespace, and its eID evidence.

`content_document` is what the employer and the employee sign: its SHA-256 goes into BankID's
userNonVisibleData, so it must come out byte for byte the same every time (exclusive C14N, never
pretty-printed). `evidence_document` adds the signatures and is what the service seals.
`read_document` turns either back into a `CertificateDocument`, refusing anything that does not
serialise back to the very same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal

from lxml import etree
from marshmallow import Schema, fields

from schemas import VARIANTS, XmlName, mask_personnummer, schema_for, xml_names
from signing import labels

NAMESPACE: Final = "urn:intyga:arbetsgivarintyg:1"
ROOT: Final = f"{{{NAMESPACE}}}Arbetsgivarintyg"
SIGNATURES: Final = f"{{{NAMESPACE}}}Underskrifter"

Role = Literal["employer", "employee"]
_ROLES: Final = ("employer", "employee")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_WHOLE = re.compile(r"-?[0-9]+")
# BankID refuses userVisibleData over 40,000 characters of base64.
_BANKID_VISIBLE_LIMIT: Final = 40_000
_MARKDOWN_SPECIAL = re.compile(r"([\\*])")


class DocumentError(ValueError):
    """The XML is not a certificate document in Intyga's shape."""


@dataclass(frozen=True)
class Akassa:
    """The unemployment fund the employee sends the certificate to."""

    name: str
    code: str


@dataclass(frozen=True)
class EidEvidence:
    """One BankID signature of the content document, with what is needed to check it offline.

    `visible_data` is the base64 text exactly as sent to BankID; `signature` and `ocsp_response`
    are base64 as in completionData; `document_digest` is the hex SHA-256 of the content document.
    """

    role: Role
    personal_number: str
    name: str
    signed_at: datetime
    order_ref: str
    visible_data: str
    document_digest: str
    signature: str
    ocsp_response: str
    akassa: Akassa | None = None

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise ValueError(f"role must be one of {_ROLES}")
        if (self.akassa is not None) != (self.role == "employee"):
            raise ValueError("the a-kassa belongs to the employee's approval, and only there")
        if not _HEX_DIGEST.fullmatch(self.document_digest):
            raise ValueError("document_digest must be 64 lower-case hex digits")
        _require_aware(self.signed_at, "signed_at")

    @property
    def visible_text(self) -> str:
        """The text the signer saw. Raises ValueError if `visible_data` is not base64 UTF-8."""
        try:
            return base64.b64decode(self.visible_data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ValueError("visible_data is not base64 UTF-8") from exc


@dataclass(frozen=True)
class CertificateDocument:
    """A certificate version as the parties sign it; `content` as `schemas.load_content` gives."""

    certificate_id: str
    version: int
    variant: str
    issued_at: datetime
    employer_name: str
    organisation_number: str
    employer_id: str
    content: Mapping[str, Any]
    evidence: Sequence[EidEvidence] = field(default=())

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}; expected one of {VARIANTS}")
        _require_aware(self.issued_at, "issued_at")
        object.__setattr__(self, "evidence", tuple(self.evidence))


def content_document(doc: CertificateDocument) -> bytes:
    """The document both parties sign: everything but the evidence, in canonical bytes."""
    return _canonical(_content_root(doc))


def document_digest(content_doc: bytes) -> str:
    """Hex SHA-256 of a content document: what goes into BankID's userNonVisibleData."""
    return hashlib.sha256(content_doc).hexdigest()


def evidence_document(doc: CertificateDocument) -> bytes:
    """The content plus one `Underskrift` per signature, in canonical bytes, ready for sealing."""
    root = _content_root(doc)
    signatures = _sub(root, "Underskrifter")
    for evidence in doc.evidence:
        _evidence_element(signatures, evidence)
    return _canonical(root)


def visible_summary(
    doc: CertificateDocument,
    *,
    locale: str = "sv",
    purpose: Role = "employer",
    akassa_name: str | None = None,
) -> str:
    """What the signer reads in the BankID app, in simpleMarkdownV1 ("#" headings, "+" lists,
    "*" for bold): who, which employment, why it ended, which version, and the document's digest.

    The employee's approval names the a-kassa (`akassa_name` is required then). Raises ValueError
    for an unknown locale or purpose, or an employee's approval without an a-kassa.
    """
    words = labels.SUMMARY.get(re.split(r"[_-]", locale, maxsplit=1)[0])
    if words is None:
        raise ValueError(f"unsupported locale {locale!r}")
    if purpose not in _ROLES:
        raise ValueError(f"purpose must be one of {_ROLES}")
    if purpose == "employee" and not akassa_name:
        raise ValueError("the employee's approval names the a-kassa")
    content = doc.content
    employee = content.get("employee", {})
    employment = content.get("employment", {})
    period = employment.get("period", {})
    reason = content.get("termination", {}).get("reason")
    intro = (
        words["employer_intro"]
        if purpose == "employer"
        else words["employee_intro"].format(_md(akassa_name or ""))
    )
    lines = [
        f"# {words['title']}",
        intro,
        "",
        f"## {words['employee']}",
        f"+ {_md(employee.get('first_name', ''))} {_md(employee.get('last_name', ''))}, "
        + _masked(employee.get("personnummer", "")),
        "",
        f"## {words['employer']}",
        f"+ {_md(doc.employer_name)}, {labels.organisation_number(doc.organisation_number)}",
        "",
        f"## {words['employment']}",
        f"+ *{words['period']}:* {period.get('start', '')} – "
        + (words["ongoing"] if employment.get("still_employed") else period.get("end", "")),
        f"+ *{words['position']}:* {_md(employment.get('position', ''))}",
    ]
    if reason:
        lines.append(f"+ *{words['reason']}:* {_md(words['reasons'].get(reason, reason))}")
    lines += [
        "",
        f"## {words['certificate']}",
        f"+ *{words['variant']}:* {words['variants'][doc.variant]}",
        f"+ *{words['version']}:* {doc.version}",
        f"+ *{words['id']}:* {_md(doc.certificate_id)}",
        f"+ *{words['digest']}:* {document_digest(content_document(doc))}",
    ]
    text = "\n".join(lines)
    if len(base64.b64encode(text.encode())) > _BANKID_VISIBLE_LIMIT:
        raise ValueError("the summary is longer than BankID accepts")
    return text


def read_document(root: etree._Element) -> CertificateDocument:
    """The document an `Arbetsgivarintyg` element holds (with or without `Underskrifter`).

    Raises DocumentError unless writing the result back gives exactly the same canonical bytes,
    so nothing in the XML can go unread.
    """
    try:
        doc = _read(root)
        with_signatures = root.find(SIGNATURES) is not None
        expected = evidence_document(doc) if with_signatures else content_document(doc)
    except (ValueError, TypeError, KeyError) as exc:
        raise DocumentError(f"not a certificate document: {exc!s}") from exc
    if _canonical(root) != expected:
        raise DocumentError("the document holds something outside Intyga's shape")
    return doc


def _md(value: str) -> str:
    """A value as literal text: one line (so it cannot start a heading or a list item), with the
    emphasis marker and the escape character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _masked(personnummer: str) -> str:
    return mask_personnummer(personnummer) if personnummer else ""


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _canonical(root: etree._Element) -> bytes:
    return etree.tostring(root, method="c14n", exclusive=True, with_comments=False)


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    element.text = text
    return element


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _content_root(doc: CertificateDocument) -> etree._Element:
    # Parsed rather than built, so the namespace is the default one (lxml-stubs type nsmap without
    # the None prefix).
    root = etree.fromstring(f'<Arbetsgivarintyg xmlns="{NAMESPACE}"/>')
    root.set("id", doc.certificate_id)
    root.set("version", str(doc.version))
    root.set("variant", doc.variant)
    _sub(root, "Utfardat", _timestamp(doc.issued_at))
    issuer = _sub(root, "Utfardare")
    _sub(issuer, "Namn", doc.employer_name)
    _sub(issuer, "Organisationsnummer", doc.organisation_number)
    _sub(issuer, "ArbetsgivarId", doc.employer_id)
    _write_block(_sub(root, "Innehall"), doc.content, xml_names(schema_for(doc.variant)))
    return root


def _write_block(
    parent: etree._Element, data: Mapping[str, Any], names: dict[str, XmlName]
) -> None:
    unknown = set(data) - set(names)
    if unknown:
        raise ValueError(f"content has fields no schema names: {sorted(unknown)}")
    for key, name in names.items():
        if key in data:
            _write_value(parent, data[key], name)


def _write_value(parent: etree._Element, value: Any, name: XmlName) -> None:
    *wrappers, leaf = name.element.split("/")
    for wrapper in wrappers:
        parent = _sub(parent, wrapper)
    element = _sub(parent, leaf)
    if isinstance(value, Mapping):
        _write_block(element, value, dict(name.children))
    elif isinstance(value, list | tuple):
        if name.item is None:
            raise ValueError(f"{name.element} is not a list")
        for row in value:
            _write_block(_sub(element, name.item), row, dict(name.children))
    else:
        element.text = _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"content values are text, whole numbers or flags, not {type(value).__name__}")


def _evidence_element(parent: etree._Element, evidence: EidEvidence) -> None:
    element = _sub(parent, "Underskrift")
    _sub(element, "Roll", evidence.role)
    _sub(element, "Personnummer", evidence.personal_number)
    _sub(element, "Namn", evidence.name)
    _sub(element, "Undertecknat", _timestamp(evidence.signed_at))
    _sub(element, "OrderRef", evidence.order_ref)
    _sub(element, "SynligText", evidence.visible_data)
    _sub(element, "DokumentSammandrag", evidence.document_digest)
    _sub(element, "Signatur", evidence.signature)
    _sub(element, "OcspSvar", evidence.ocsp_response)
    if evidence.akassa is not None:
        akassa = _sub(element, "Akassa")
        _sub(akassa, "Namn", evidence.akassa.name)
        _sub(akassa, "Kod", evidence.akassa.code)


def _read(root: etree._Element) -> CertificateDocument:
    if root.tag != ROOT:
        raise ValueError(f"the root element is {root.tag!r}")
    variant = root.get("variant", "")
    version = root.get("version", "")
    if not _WHOLE.fullmatch(version):
        raise ValueError("version is not a whole number")
    issuer = _child(root, "Utfardare")
    signatures = root.find(SIGNATURES)
    return CertificateDocument(
        certificate_id=root.get("id", ""),
        version=int(version),
        variant=variant,
        issued_at=datetime.fromisoformat(_text(root, "Utfardat")),
        employer_name=_text(issuer, "Namn"),
        organisation_number=_text(issuer, "Organisationsnummer"),
        employer_id=_text(issuer, "ArbetsgivarId"),
        content=_read_block(_child(root, "Innehall"), schema_for(variant)),
        evidence=[] if signatures is None else [_read_evidence(e) for e in signatures],
    )


def _child(parent: etree._Element, name: str) -> etree._Element:
    found = parent.find(f"{{{NAMESPACE}}}{name}")
    if found is None:
        raise ValueError(f"{name} is missing")
    return found


def _text(parent: etree._Element, name: str) -> str:
    return _child(parent, name).text or ""


def _read_block(element: etree._Element, schema: Schema) -> dict[str, Any]:
    """Values of the fields present, typed as `schemas.load_content` returns them."""
    data: dict[str, Any] = {}
    for key, name in xml_names(schema).items():
        found = element.find("/".join(f"{{{NAMESPACE}}}{part}" for part in name.element.split("/")))
        if found is not None:
            data[key] = _read_value(found, schema.fields[key], name)
    return data


def _read_value(element: etree._Element, declared: fields.Field[Any], name: XmlName) -> Any:
    if isinstance(declared, fields.List) and isinstance(declared.inner, fields.Nested):
        row_schema = declared.inner.schema
        return [_read_block(row, row_schema) for row in element]
    if isinstance(declared, fields.Nested):
        return _read_block(element, declared.schema)
    text = element.text or ""
    if isinstance(declared, fields.Boolean):
        if text not in ("true", "false"):
            raise ValueError(f"{name.element} is not true or false")
        return text == "true"
    if isinstance(declared, fields.Integer):
        if not _WHOLE.fullmatch(text):
            raise ValueError(f"{name.element} is not a whole number")
        return int(text)
    return text


def _read_evidence(element: etree._Element) -> EidEvidence:
    akassa = element.find(f"{{{NAMESPACE}}}Akassa")
    role = _text(element, "Roll")
    if role not in _ROLES:
        raise ValueError(f"unknown role {role!r}")
    return EidEvidence(
        role="employer" if role == "employer" else "employee",
        personal_number=_text(element, "Personnummer"),
        name=_text(element, "Namn"),
        signed_at=datetime.fromisoformat(_text(element, "Undertecknat")),
        order_ref=_text(element, "OrderRef"),
        visible_data=_text(element, "SynligText"),
        document_digest=_text(element, "DokumentSammandrag"),
        signature=_text(element, "Signatur"),
        ocsp_response=_text(element, "OcspSvar"),
        akassa=None if akassa is None else Akassa(_text(akassa, "Namn"), _text(akassa, "Kod")),
    )
