"""One certificate as its employee reads it: the content block by block, what changed since the
previous version, and whether the employer's signature holds up. Knows nothing of Flask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy.orm import Session

from app.certificates import diff, presentation, sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate, CertificateVersion, SealedDocument
from app.verification.service import verify_stored
from signing.sealed import SealedReport, Signer


@dataclass(frozen=True)
class Seal:
    """The check of the current version's sealed document."""

    ok: bool
    signers: tuple[Signer, ...]
    failure: str | None

    @classmethod
    def of(cls, report: SealedReport) -> Seal:
        failure = report.failure
        return cls(report.ok, report.signers, failure.detail if failure else None)


@dataclass(frozen=True)
class Reading:
    version: CertificateVersion
    blocks: list[presentation.Block]
    changes: list[diff.Change] | None  # against the previous version, when there is one
    seal: Seal | None  # None: nothing sealed (versions signed without eID, as in the demo)
    documents: list[SealedDocument]


def read(
    session: Session,
    certificate: Certificate,
    locale: str,
    *,
    seals: Sequence[x509.Certificate],
    bankid_roots: Sequence[x509.Certificate],
) -> Reading:
    """`certificate` must already be the employee's own (`certificates.get_for_employee`)."""
    lang = "en" if locale.startswith("en") else "sv"
    version = certificates.current_version(session, certificate)
    changes = None
    if version.number > 1:
        previous = certificates.version(session, certificate, version.number - 1)
        changes = diff.changes(previous.content, version.content, lang)
    documents = sealing.sealed_documents(session, certificate)
    current = next((d for d in documents if d.version_number == version.number), None)
    seal = None
    if current is not None:
        seal = Seal.of(verify_stored(current.xml, seals=seals, bankid_roots=bankid_roots))
    return Reading(
        version=version,
        blocks=presentation.blocks(version.content, lang, variant=certificate.variant),
        changes=changes,
        seal=seal,
        documents=documents,
    )
