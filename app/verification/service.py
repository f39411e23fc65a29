"""What this installation trusts when it checks a file: its own seal and BankID's roots."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.verification.explain import evidence, explain
from signing.sealed import DEFAULT_MAX_BYTES, SealedReport, verify_file

# A stored sealed document never changes, so its report only can when what is trusted changes
# (part of the key) or time passes a certificate's validity: kept this long, then checked again.
CACHE_SECONDS = 600.0
CACHE_ENTRIES = 512

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


class ReportCache:
    """Reports of stored sealed documents, by the SHA-256 of the bytes checked and of every
    certificate trusted: a tampered row has other bytes, a rotated seal another key, so neither
    is ever answered from here. Bounded (least recently used first out) and per process."""

    def __init__(
        self,
        *,
        seconds: float = CACHE_SECONDS,
        entries: int = CACHE_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seconds, self._entries, self._clock = seconds, entries, clock
        self._kept: OrderedDict[bytes, tuple[float, SealedReport]] = OrderedDict()
        self._lock = threading.Lock()
        self.checks = 0  # how many times a document was really verified

    def verify(
        self,
        data: bytes,
        *,
        seals: Sequence[x509.Certificate],
        bankid_roots: Sequence[x509.Certificate],
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> SealedReport:
        key = _key(data, seals, bankid_roots)
        now = self._clock()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] > now:
                self._kept.move_to_end(key)
                return kept[1]
        report = verify(data, seals=seals, bankid_roots=bankid_roots, max_bytes=max_bytes)
        with self._lock:
            self.checks += 1
            self._kept[key] = (now + self._seconds, report)
            self._kept.move_to_end(key)
            while len(self._kept) > self._entries:
                self._kept.popitem(last=False)
        return report

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _key(
    data: bytes, seals: Sequence[x509.Certificate], roots: Sequence[x509.Certificate]
) -> bytes:
    digest = hashlib.sha256(data)
    for group in (seals, roots):
        digest.update(b"|")
        for certificate in group:
            digest.update(certificate.fingerprint(hashes.SHA256()))
    return digest.digest()


stored_reports = ReportCache()


def verify_stored(
    data: bytes,
    *,
    seals: Sequence[x509.Certificate],
    bankid_roots: Sequence[x509.Certificate],
) -> SealedReport:
    """A sealed document this service stored (never an upload: those are checked afresh)."""
    return stored_reports.verify(data, seals=seals, bankid_roots=bankid_roots)


def describe(report: SealedReport, locale: str = "sv") -> list[str]:
    """The report as lines of text: the verdict, in plain words why it fails, who signed what
    and when, every check."""
    lines = [f"{'VALID' if report.ok else 'INVALID'} ({report.kind.upper()})"]
    why = explain(report, locale)
    if why is not None:
        lines += [why.headline, why.advice]
    proof = evidence(report, locale)
    if proof is not None:
        lines.append(f"{proof.level} ({proof.name}): {proof.proves}")
        if proof.timestamp:
            lines.append(proof.timestamp)
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
