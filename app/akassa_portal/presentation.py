"""A verification report as the officer reads it: one line per signature, and why it fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.verification.explain import explain
from signing.bankid.verify import Outcome
from signing.sealed import SealedReport


@dataclass(frozen=True)
class SignerResult:
    role: str
    name: str
    personal_number: str
    signed_at: datetime
    akassa_name: str | None
    verified: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class VerificationView:
    """The verdict on the whole file, each signer's, and the failed checks of the file itself
    (seal, document, signers) that belong to no one signer."""

    ok: bool
    signers: tuple[SignerResult, ...]
    problems: tuple[str, ...]
    explanation: str | None = None  # why it fails, in plain words


def verification_view(report: SealedReport, locale: str = "sv") -> VerificationView:
    def failed(prefix: str | None) -> tuple[str, ...]:
        return tuple(
            f"{check.name}: {check.detail}"
            for check in report.checks
            if check.outcome is not Outcome.OK
            and (check.name.split(".")[0] == prefix if prefix else "." not in check.name)
        )

    signers = tuple(
        SignerResult(
            role=signer.role,
            name=signer.name,
            personal_number=signer.personal_number,
            signed_at=signer.signed_at,
            akassa_name=signer.akassa.name if signer.akassa else None,
            verified=signer.verified,
            problems=failed(signer.role),
        )
        for signer in report.signers
    )
    why = explain(report, locale)
    return VerificationView(report.ok, signers, failed(None), why.headline if why else None)
