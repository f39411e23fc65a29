"""Signing a version with eID and sealing it: the bridge between the life cycle and `signing/`.

The employer signs the SHA-256 of the version's content document; when BankID answers, the
version is signed, sealed (XML and PDF with the service's seal) and delivered in one transaction.
If the draft changed while BankID was open, nothing is signed: the digest would not match.
The employee approves by signing the same digest, of the document exactly as the employer's seal
holds it; the version is then sealed again carrying both signatures.
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer

from app.akassa import service as akassa_service
from app.akassa.models import Akassa
from app.certificates import service as certificates
from app.certificates.models import Certificate, CertificateVersion, SealedDocument
from app.database import utcnow
from app.eid import service as eid
from app.eid.models import EidOrder
from app.errors import Conflict, NotFound
from app.people.models import Person
from signing.document import Akassa as SignedAkassa
from signing.document import (
    CertificateDocument,
    EidEvidence,
    Role,
    content_document,
    document_digest,
    evidence_document,
    read_document,
    visible_summary,
)
from signing.seal import ServiceSeal, parse_xml, seal_xml

_XMLDSIG = "{http://www.w3.org/2000/09/xmldsig#}Signature"


@dataclass(frozen=True)
class SigningRequest:
    """What to ask BankID to sign, and what the finished order must still match."""

    visible_text: str
    digest: str
    subject: dict[str, Any]


def document(
    certificate: Certificate, version: CertificateVersion, evidence: tuple[EidEvidence, ...] = ()
) -> CertificateDocument:
    company = certificate.company
    return CertificateDocument(
        certificate_id=str(certificate.id),
        version=version.number,
        variant=certificate.variant,
        issued_at=version.created_at,
        employer_name=company.name,
        organisation_number=company.organisationsnummer,
        employer_id=company.employer_id,
        content=version.content,
        evidence=evidence,
    )


def employer_request(
    session: Session,
    certificate: Certificate,
    signer: Person,
    *,
    confirmed_warnings: Collection[str] = (),
    locale: str = "sv",
    expected_lock_version: int | None = None,
) -> SigningRequest:
    """Check that the draft can be signed by `signer` now, with the warnings they confirmed
    (and is the version the page showed, when it says which), and what they will sign."""
    version = certificates.ready_to_sign(
        session,
        certificate,
        signer,
        confirmed_warnings=confirmed_warnings,
        expected_lock_version=expected_lock_version,
    )
    doc = document(certificate, version)
    return SigningRequest(
        visible_text=visible_summary(doc, locale=locale, purpose="employer"),
        digest=document_digest(content_document(doc)),
        subject={
            "flow": "employer_sign",
            "certificate_id": str(certificate.id),
            "version": version.number,
            "lock_version": certificate.lock_version,
            "confirmed_warnings": sorted(confirmed_warnings),
        },
    )


def finish_employer(
    session: Session,
    certificate: Certificate,
    order: EidOrder,
    seal: ServiceSeal,
    *,
    now: datetime | None = None,
    deliver: bool = True,
) -> SealedDocument:
    """Sign, seal and deliver the version the employer's completed order covers. The web app
    passes through "signed" within one transaction; `deliver=False` stops there (demo data
    keeps a certificate in that state)."""
    now = now or utcnow()
    version = certificates.current_version(session, certificate)
    doc = document(certificate, version)
    if version.number != order.subject.get("version") or order.document_digest != document_digest(
        content_document(doc)
    ):
        raise Conflict("changed_while_signing")
    signer = session.get(Person, order.person_id)
    if signer is None:
        raise NotFound("person_not_found")
    certificates.sign(
        session,
        certificate,
        signer=signer,
        evidence=eid.evidence(order),
        document_hash=order.document_digest,
        confirmed_warnings=order.subject.get("confirmed_warnings", ()),
        expected_lock_version=order.subject.get("lock_version"),
        signed_at=eid.signing_time(order),
        now=now,
    )
    evidence = (_evidence(order, "employer"),)
    sealed = _seal(session, version, document(certificate, version, evidence), "signed", seal)
    if deliver:
        certificates.deliver(session, certificate, now=now)
    return sealed


def employee_request(
    session: Session,
    certificate: Certificate,
    employee: Person,
    akassa: Akassa,
    *,
    version_number: int,
    lock_version: int,
    locale: str = "sv",
    now: datetime | None = None,
) -> SigningRequest:
    """Check that `employee` may approve the version they were shown to `akassa` now, and what
    they will sign: the very content document the employer signed."""
    if lock_version != certificate.lock_version:
        raise Conflict("changed_by_someone_else")
    version = certificates.ready_to_approve(
        session,
        certificate,
        employee=employee,
        akassa=akassa,
        version_number=version_number,
        now=now,
    )
    doc, _employer = _as_signed(session, certificate, version)
    return SigningRequest(
        visible_text=visible_summary(
            doc, locale=locale, purpose="employee", akassa_name=akassa.name
        ),
        digest=document_digest(content_document(doc)),
        subject={
            "flow": "employee_approve",
            "certificate_id": str(certificate.id),
            "version": version.number,
            "lock_version": certificate.lock_version,
            "akassa": akassa.code,
        },
    )


def finish_employee(
    session: Session,
    certificate: Certificate,
    order: EidOrder,
    seal: ServiceSeal,
    *,
    employee: Person,
    now: datetime | None = None,
) -> SealedDocument | None:
    """Approve the version the employee's completed order covers, and seal it with both
    signatures. Versions signed without eID (demo data) have no employer evidence to carry:
    they are approved but not sealed again (None)."""
    now = now or utcnow()
    if order.person_id != employee.id:
        raise NotFound("certificate_not_found")
    if certificate.lock_version != order.subject.get("lock_version"):
        raise Conflict("changed_while_signing")
    version = certificates.current_version(session, certificate)
    doc, employer = _as_signed(session, certificate, version)
    if version.number != order.subject.get("version") or order.document_digest != document_digest(
        content_document(doc)
    ):
        raise Conflict("changed_while_signing")
    akassa = akassa_service.get_by_code(session, order.subject["akassa"])
    certificates.approve(
        session,
        certificate,
        employee=employee,
        akassa=akassa,
        version_number=version.number,
        evidence=eid.evidence(order),
        document_hash=order.document_digest,
        signed_at=eid.signing_time(order),
        now=now,
    )
    if not employer:
        return None
    approval = _evidence(order, "employee", SignedAkassa(akassa.name, akassa.code))
    return _seal(session, version, replace(doc, evidence=(*employer, approval)), "approved", seal)


def sealed_documents(session: Session, certificate: Certificate) -> list[SealedDocument]:
    """The newest sealed document of each signed version, oldest version first. The files
    themselves (large, decrypted on load) are read only when someone asks for them."""
    rows = session.scalars(
        _of(certificate)
        .options(defer(SealedDocument.xml), defer(SealedDocument.pdf))
        .order_by(SealedDocument.version_number, SealedDocument.created_at)
    )
    return list({row.version_number: row for row in rows}.values())


def sealed_document(session: Session, certificate: Certificate, number: int) -> SealedDocument:
    found = session.scalars(
        _of(certificate)
        .where(SealedDocument.version_number == number)
        .order_by(SealedDocument.created_at.desc())
        .limit(1)
    ).first()
    if found is None:
        raise NotFound("version_not_found")
    return found


def _of(certificate: Certificate) -> Select[SealedDocument]:
    return (
        select(SealedDocument)
        .join(CertificateVersion)
        .where(CertificateVersion.certificate_id == certificate.id)
    )


def _as_signed(
    session: Session, certificate: Certificate, version: CertificateVersion
) -> tuple[CertificateDocument, tuple[EidEvidence, ...]]:
    """The version's content document as the employer signed it, and the employer's evidence,
    read back from the signed-stage seal: the company may have changed its name since, and the
    employee must sign the very bytes the employer did. Without a seal (demo data signed
    without eID) the document is built from the version and there is no evidence."""
    sealed = session.scalars(
        select(SealedDocument)
        .where(SealedDocument.version_id == version.id, SealedDocument.stage == "signed")
        .limit(1)
    ).first()
    if sealed is None:
        return document(certificate, version), ()
    root = parse_xml(sealed.xml)
    for enveloped in root.findall(_XMLDSIG):
        root.remove(enveloped)
    signed = read_document(root)
    return replace(signed, evidence=()), tuple(signed.evidence)


def _seal(
    session: Session,
    version: CertificateVersion,
    doc: CertificateDocument,
    stage: str,
    seal: ServiceSeal,
) -> SealedDocument:
    # The PDF machinery (WeasyPrint, pyHanko) loads when a first document is sealed, not in
    # every process and `flask` command that imports this module.
    from app.certificates.pdf import render_pdf  # noqa: PLC0415
    from signing.pades import archive_expiry  # noqa: PLC0415
    from signing.pdf import sealed_pdf  # noqa: PLC0415

    xml = seal_xml(evidence_document(doc), seal)
    pdf = sealed_pdf(xml, seal, render_pdf)
    sealed = SealedDocument(
        version_id=version.id,
        version_number=version.number,
        stage=stage,
        xml=xml,
        pdf=pdf,
        archive_expires_at=archive_expiry(pdf),
    )
    session.add(sealed)
    session.flush()
    return sealed


def _evidence(order: EidOrder, role: Role, akassa: SignedAkassa | None = None) -> EidEvidence:
    completion = (order.completion or {})["completionData"]
    user = completion["user"]
    return EidEvidence(
        role=role,
        personal_number=user["personalNumber"],
        name=user["name"],
        signed_at=eid.signing_time(order),
        order_ref=order.order_ref,
        visible_data=base64.b64encode((order.visible_data or "").encode()).decode("ascii"),
        document_digest=order.document_digest or "",
        signature=completion["signature"],
        ocsp_response=completion["ocspResponse"],
        akassa=akassa,
    )
