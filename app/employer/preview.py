"""What the employer sees of a version before signing: the content block by block, warnings,
whether it is complete, the text BankID will show, and what changed since the last signed version.
Knows nothing of Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.certificates import diff, presentation, sealing
from app.certificates import service as certificates
from app.certificates.models import Certificate, CertificateVersion, State
from app.certificates.presentation import label
from app.employer import certificate_form
from app.errors import InvalidContent
from app.intake.messages import localize
from schemas import ContentInvalid, content_findings, load_content, rules
from schemas.messages import describe
from signing.document import visible_summary


@dataclass(frozen=True)
class Missing:
    """Something that stops signing: the content path, its label and what is wrong."""

    path: str
    label: str
    message: str


@dataclass(frozen=True)
class Preview:
    blocks: list[presentation.Block]
    warnings: list[str]  # each "field: what to check", to confirm before signing
    warning_keys: list[str]  # the same warnings as message keys, which the signer confirms
    missing: list[Missing]
    summary: str | None  # the text shown in BankID, once the draft is complete
    changes: list[diff.Change] | None  # against the previous signed version, for revisions


def build(
    session: Session, certificate: Certificate, version: CertificateVersion, locale: str
) -> Preview:
    lang = "en" if locale.startswith("en") else "sv"
    content = version.content
    found = [
        finding
        for finding in content_findings(content, certificate.variant)
        if finding.severity == rules.WARNING
    ]
    warnings = [f"{label(item.field, lang)}: {describe(item.key, lang)}" for item in found]
    missing: list[Missing] = []
    summary = None
    changes = None
    if certificate.state == State.DRAFT:
        try:
            load_content(content, certificate.variant)
            certificates.require_own_employer(certificate.company, content)
        except (ContentInvalid, InvalidContent) as error:
            flat = certificate_form.flat_errors(localize(error.errors, lang))
            missing = [
                Missing(path, label(path, lang), message)
                for path, messages in flat.items()
                for message in messages
            ]
        else:
            doc = sealing.document(certificate, version)
            summary = visible_summary(doc, locale=lang, purpose="employer")
        if version.number > 1:
            previous = certificates.version(session, certificate, version.number - 1)
            changes = diff.changes(previous.content, content, lang)
    return Preview(
        blocks=presentation.blocks(content, lang, variant=certificate.variant),
        warnings=warnings,
        warning_keys=[item.key for item in found],
        missing=missing,
        summary=summary,
        changes=changes,
    )
