"""Verify a sealed certificate file, XML or PDF, offline: who signed what and when, or why not.

Anyone holding the seal certificate and BankID's root can run this; it needs no database. Every
check is reported; `SealedReport.ok` holds only when every one ran and passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from cryptography import x509

from signing.bankid.verify import (
    Check,
    Outcome,
    VerificationResult,
    stated_time_check,
    verify_signature,
)
from signing.document import (
    Akassa,
    CertificateDocument,
    DocumentError,
    EidEvidence,
    Role,
    content_document,
    document_digest,
    read_document,
)
from signing.longterm import Level
from signing.seal import verify_seal_xml

DEFAULT_MAX_BYTES: Final = 20_000_000
_EXPECTED_ROLES: Final = (["employer"], ["employer", "employee"])


@dataclass(frozen=True)
class Signer:
    """One signature as the file states it; `verified` when every check of it passed."""

    role: Role
    name: str
    personal_number: str
    signed_at: datetime
    akassa: Akassa | None
    verified: bool


@dataclass(frozen=True)
class _Trust:
    """What the caller trusts, and when to judge it."""

    seals: list[x509.Certificate]
    bankid_roots: list[x509.Certificate]
    at: datetime | None


@dataclass(frozen=True)
class SealedReport:
    """Every check in the order made, the signers as the file states them, and the document
    once its seal held; with it, the seal's evidence level (ETSI baseline B-B, B-T, B-LT or
    B-LTA) and the signature timestamp's time and authority (from B-T on)."""

    kind: Literal["xml", "pdf", "unknown"]
    checks: tuple[Check, ...]
    signers: tuple[Signer, ...] = ()
    document: CertificateDocument | None = None
    level: Level | None = None
    timestamp_time: datetime | None = None
    timestamp_authority: str | None = None

    @property
    def ok(self) -> bool:
        """Every check ran and passed: the seal, the document and every BankID signature."""
        return bool(self.checks) and all(c.outcome is Outcome.OK for c in self.checks)

    @property
    def failure(self) -> Check | None:
        return next((c for c in self.checks if c.outcome is Outcome.FAILED), None)


def verify_file(
    data: bytes,
    *,
    trusted_seals: list[x509.Certificate],
    bankid_roots: list[x509.Certificate],
    verification_time: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SealedReport:
    """Verify a sealed XML document or a sealed PDF. Never raises on bad input."""
    try:
        return _verify(data, _Trust(trusted_seals, bankid_roots, verification_time), max_bytes)
    except Exception as exc:  # noqa: BLE001 - a safety net: bad input must fail, never raise
        detail = f"verification stopped on an unexpected {type(exc).__name__}"
        return SealedReport("unknown", (Check("unexpected", Outcome.FAILED, detail),))


def _verify(data: bytes, trust: _Trust, max_bytes: int) -> SealedReport:
    if len(data) > max_bytes:
        detail = f"larger than the limit of {max_bytes} bytes"
        return SealedReport("unknown", (Check("input", Outcome.FAILED, detail),))
    if not trust.seals:
        detail = "no trusted seal certificate given"
        return SealedReport("unknown", (Check("seal", Outcome.NOT_CONFIGURED, detail),))
    if data.startswith(b"%PDF-"):
        # pyHanko loads for the first PDF checked, not in every process that checks XML.
        from signing.pdf import verify_pdf_seal  # noqa: PLC0415

        checks = [Check("input", Outcome.OK, f"PDF, {len(data)} bytes")]
        pdf = verify_pdf_seal(
            data, trusted=trust.seals, verification_time=trust.at, max_bytes=max_bytes
        )
        checks.append(Check("pdf_seal", Outcome.OK if pdf.ok else Outcome.FAILED, pdf.detail))
        if pdf.attachment is None or pdf.evidence is None:
            return SealedReport("pdf", tuple(checks))
        # The report names what the PDF itself proves (PAdES); the XML inside keeps its own.
        evidence = pdf.evidence
        return replace(
            _verify_xml("pdf", pdf.attachment, checks, trust),
            level=evidence.level,
            timestamp_time=evidence.timestamped_at,
            timestamp_authority=evidence.authority,
        )
    if data.startswith(b"<"):
        checks = [Check("input", Outcome.OK, f"XML, {len(data)} bytes")]
        return _verify_xml("xml", data, checks, trust)
    detail = "neither a sealed XML document nor a PDF"
    return SealedReport("unknown", (Check("input", Outcome.FAILED, detail),))


def _verify_xml(
    kind: Literal["xml", "pdf"], data: bytes, checks: list[Check], trust: _Trust
) -> SealedReport:
    seal = verify_seal_xml(
        data, trusted=trust.seals, verification_time=trust.at, max_bytes=len(data)
    )
    checks.append(Check("seal", Outcome.OK if seal.ok else Outcome.FAILED, seal.detail))
    if seal.root is None or seal.evidence is None:
        return SealedReport(kind, tuple(checks))
    stamp = seal.evidence.timestamp
    base = SealedReport(
        kind,
        (),
        level=seal.evidence.level,
        timestamp_time=stamp.time if stamp else None,
        timestamp_authority=stamp.authority if stamp else None,
    )
    try:
        doc = read_document(seal.root)
    except DocumentError as exc:
        checks.append(Check("document", Outcome.FAILED, str(exc)))
        return replace(base, checks=tuple(checks))
    digest = document_digest(content_document(doc))
    checks.append(
        Check(
            "document",
            Outcome.OK,
            f"certificate {doc.certificate_id} version {doc.version} ({doc.variant}), "
            f"content SHA-256 {digest}",
        )
    )
    checks.append(_roles_check(doc.evidence))
    signers = []
    for evidence in doc.evidence:
        own = _evidence_checks(evidence, doc, digest, trust)
        checks.extend(own)
        signers.append(
            Signer(
                role=evidence.role,
                name=evidence.name,
                personal_number=evidence.personal_number,
                signed_at=evidence.signed_at,
                akassa=evidence.akassa,
                verified=all(c.outcome is Outcome.OK for c in own),
            )
        )
    return replace(base, checks=tuple(checks), signers=tuple(signers), document=doc)


def _roles_check(evidence: Sequence[EidEvidence]) -> Check:
    roles = [e.role for e in evidence]
    if roles in _EXPECTED_ROLES:
        return Check("signers", Outcome.OK, " then ".join(roles))
    found = ", ".join(roles) or "none"
    detail = f"expected the employer's signature, then at most the employee's; found {found}"
    return Check("signers", Outcome.FAILED, detail)


def _evidence_checks(
    evidence: EidEvidence, doc: CertificateDocument, digest: str, trust: _Trust
) -> list[Check]:
    """The signature covers this very content, BankID vouches for it, and names the stated
    person (for the employee: the certificate's own employee)."""
    role = evidence.role
    checks = [
        _equal(
            f"{role}.digest",
            evidence.document_digest,
            digest,
            "the signed digest is the sealed content's",
            "signed another document: its digest is not the sealed content's",
        )
    ]
    try:
        visible = evidence.visible_text
    except ValueError as exc:
        return [*checks, Check(f"{role}.bankid", Outcome.FAILED, str(exc))]
    result = verify_signature(
        evidence.signature,
        visible_data=visible,
        non_visible_data=digest.encode("ascii"),
        func_id="Signing",
        ocsp_response=evidence.ocsp_response,
        trusted_roots=trust.bankid_roots,
        verification_time=trust.at,
    )
    checks.append(_bankid_check(role, result))
    checks.append(stated_time_check(evidence.signed_at, result, f"{role}.signing_time"))
    checks.append(
        _equal(
            f"{role}.personal_number",
            result.personal_number,
            evidence.personal_number,
            "the BankID certificate is the stated person's",
            "the BankID certificate belongs to someone else than the stated signer",
        )
    )
    if role == "employee":
        employee = doc.content.get("employee", {}).get("personnummer")
        checks.append(
            _equal(
                "employee.is_the_employee",
                evidence.personal_number,
                employee,
                "approved by the employee the certificate is about",
                "approved by someone else than the employee the certificate is about",
            )
        )
    return checks


def _bankid_check(role: str, result: VerificationResult) -> Check:
    name = f"{role}.bankid"
    if result.failure is not None:
        return Check(name, Outcome.FAILED, f"{result.failure.name}: {result.failure.detail}")
    # Our relying-party name is not compared: the seal already says which service collected it.
    unchecked = [
        f"{c.name} ({c.detail})"
        for c in result.checks
        if c.outcome is not Outcome.OK and c.name != "service_name"
    ]
    if unchecked:
        return Check(name, Outcome.NOT_CONFIGURED, "not fully checked: " + "; ".join(unchecked))
    when = result.signing_time.isoformat() if result.signing_time else "an unknown time"
    return Check(name, Outcome.OK, f"signed with BankID by {result.name}, OCSP good at {when}")


def _equal(name: str, actual: str | None, expected: str | None, good: str, bad: str) -> Check:
    if actual is not None and actual == expected:
        return Check(name, Outcome.OK, good)
    return Check(name, Outcome.FAILED, bad)
