"""What this installation trusts when it checks a file: its own seal and BankID's roots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from cryptography import x509

from app.verification.explain import explain
from signing.sealed import SealedReport, verify_file

__all__ = ["SealedReport", "describe", "verify"]


def verify(
    data: bytes,
    *,
    seals: Sequence[x509.Certificate],
    bankid_roots: Sequence[x509.Certificate],
    max_bytes: int,
) -> SealedReport:
    return verify_file(
        data, trusted_seals=list(seals), bankid_roots=list(bankid_roots), max_bytes=max_bytes
    )


def describe(report: SealedReport, locale: str = "sv") -> list[str]:
    """The report as lines of text: the verdict, in plain words why it fails, who signed what
    and when, every check."""
    lines = [f"{'VALID' if report.ok else 'INVALID'} ({report.kind.upper()})"]
    why = explain(report, locale)
    if why is not None:
        lines += [why.headline, why.advice]
    if report.document is not None:
        doc = report.document
        lines.append(
            f"certificate {doc.certificate_id}, version {doc.version}, {doc.variant}, "
            f"employer {doc.employer_name} ({doc.employer_id})"
        )
    for signer in report.signers:
        when = signer.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        fund = f", to {signer.akassa.name}" if signer.akassa else ""
        mark = "verified" if signer.verified else "NOT verified"
        lines.append(
            f"signed by {signer.role}: {signer.name} ({signer.personal_number}) at {when}"
            f"{fund} - {mark}"
        )
    lines.extend(f"  [{c.outcome.value}] {c.name}: {c.detail}" for c in report.checks)
    if not report.ok and report.failure is not None:
        lines.append(f"first failure: {report.failure.name}: {report.failure.detail}")
    return lines
