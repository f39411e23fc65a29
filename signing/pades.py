"""Long-term evidence in the sealed PDF: PAdES B-T, B-LT and B-LTA, made, judged and renewed.

Sealing asks a time-stamping authority (RFC 3161 over HTTP) for the seal's signature timestamp
(B-T), writes the chains and OCSP responses of the seal and of the TSA into the document security
store, /DSS (B-LT), and ends with a document timestamp over all of it (B-LTA). The level is
judged with pyHanko's validator from what the file carries alone, against the roots the caller
trusts: the seal at its timestamp's time with the /DSS's revocation data required, every
document timestamp at the time of the next one. `renew` adds the next document timestamp (with
fresh revocation data for the last one) before the certificate the last one rests on expires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Final, cast

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]  # unannotated
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import pdf_signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from signing import definite
from signing.longterm import Level
from signing.seal import ServiceSeal

# Sealing and renewing dump pyHanko's CMS objects: see signing.definite for why this is needed.
definite.install()

_OUT_OF_TIME: Final = frozenset(
    {
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    }
)
LEVELS: Final = ("B-B", "B-T", "B-LT", "B-LTA")
CLOCK_SKEW: Final = timedelta(minutes=2)
TIMESTAMP_FIELD: Final = "IntygaArkivstampel"

# Signing waits this long for the TSA and each OCSP responder.
DEFAULT_TIMEOUT: Final = 10.0

# pyHanko's DSS written before the document timestamp, in its revision, without the deprecated
# VRI dictionary: then the timestamp covers the whole file and nothing follows it.
_DSS_BEFORE_TIMESTAMP: Final = pdf_signer.TimestampDSSContentSettings(
    include_vri=False, update_before_ts=True
)
SEAL_DSS: Final = pdf_signer.DSSContentSettings(
    include_vri=False, next_ts_settings=_DSS_BEFORE_TIMESTAMP
)


class EvidenceRefused(Exception):  # noqa: N818 - reads as what happened to the evidence
    """The file's timestamps or revocation data are wrong, not merely absent; the text says how."""


@dataclass(frozen=True)
class LongTerm:
    """What sealing at B-LTA needs besides the seal's key: the TSA's URL, the roots the seal and
    the TSA chain up to, and intermediate certificates; OCSP responses are fetched over HTTP
    from the responders the certificates name."""

    tsa_url: str
    trust_roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def of(cls, seal: ServiceSeal) -> LongTerm | None:
        """The seal's own TSA, chain and roots; None when it has no TSA or no root (B-B)."""
        if not seal.tsa_url or not seal.roots:
            return None
        return cls(seal.tsa_url, seal.roots, seal.chain, timeout=seal.tsa_timeout)

    def timestamper(self) -> TimeStamper:
        return HTTPTimeStamper(self.tsa_url, timeout=self.timeout)

    def context(self, moment: datetime | None = None) -> ValidationContext:
        """Validates what is signed now (or at `moment`) and gathers its revocation data,
        online. An answer is accepted though produced after the context's moment (fetching
        takes a while) or by a responder whose clock runs a little ahead."""
        return ValidationContext(
            trust_roots=asn1(self.trust_roots),
            other_certs=asn1(self.intermediates),
            allow_fetching=True,
            revocation_mode="hard-fail",
            moment=moment,
            retroactive_revinfo=True,
            time_tolerance=CLOCK_SKEW,
        )


@dataclass(frozen=True)
class Evidence:
    """What a sealed PDF proves: its level, when the TSA saw the seal and who the TSA is, and
    until when the last timestamp's certificate holds (`renew` is due before then)."""

    level: Level
    timestamped_at: datetime | None = None
    authority: str | None = None
    archive_timestamps: tuple[datetime, ...] = ()
    holds_until: datetime | None = None

    def describe(self) -> str:
        parts = [f"PAdES {self.level}"]
        if self.timestamped_at is not None:
            parts.append(f"timestamped {self.timestamped_at.astimezone(UTC).isoformat()}")
        if self.authority:
            parts.append(f"by {self.authority}")
        if self.archive_timestamps:
            parts.append(f"{len(self.archive_timestamps)} archive timestamp(s)")
        return ", ".join(parts)


@dataclass(frozen=True)
class Judged:
    """The evidence, and the certificates each unsigned part of the file's last signature may
    carry (those of the validation paths pyHanko built for it)."""

    evidence: Evidence
    last: EmbeddedPdfSignature
    last_paths: frozenset[bytes]


def asn1(certificates: Iterable[x509.Certificate]) -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certificates
    ]


def judge(
    reader: PdfFileReader, trusted: Sequence[x509.Certificate], at: datetime | None
) -> Judged:
    """The PAdES level of the seal, the PDF's first signature, with every later one a document
    timestamp. Raises EvidenceRefused if anything present fails: a seal or timestamp that does
    not match, is not trusted, or something added after the last timestamp."""
    signatures = reader.embedded_signatures
    if not signatures:
        raise EvidenceRefused("the PDF carries no seal")
    seal, *stamps = signatures
    if seal.sig_object_type != "/Sig" or any(s.sig_object_type != "/DocTimeStamp" for s in stamps):
        raise EvidenceRefused("expected the seal, then only document timestamps")
    now = at or datetime.now(UTC)
    store = _Store.read(reader)
    roots = asn1(trusted)
    claimed = _claimed_timestamp_time(seal)
    strict = None
    if claimed is not None and store.has_revocation_data:
        # Revocation data required, from the /DSS only: if that holds, the file is B-LT.
        strict = _validate_seal(seal, store.context(roots, at=claimed, moment=now))
    level: Level = "B-T"
    if strict is not None and strict.trusted and _timestamp_trusted(strict):
        status, level = strict, "B-LT"
    else:
        lenient = store.context(roots, at=claimed, moment=now, lenient=True)
        status = _validate_seal(seal, lenient)
    token = status.timestamp_validity
    if token is None:
        _check_seal_status(status, seal, stamps)
        return Judged(Evidence("B-B"), seal, _certificates_of(status))
    if not (token.intact and token.valid):
        raise EvidenceRefused("the seal's timestamp changed: it does not match the seal")
    _check_seal_status(status, seal, stamps)
    if not token.trusted:
        raise EvidenceRefused("the seal's timestamp authority is not trusted")
    subject = token.signing_cert.subject
    authority = cast(str, subject.native.get("common_name") or subject.human_friendly)
    times, holds_until, last_status = _check_stamps(stamps, store, roots, now)
    if level == "B-LT" and stamps:
        level = "B-LTA"
    paths = _certificates_of(status if last_status is None else last_status)
    if holds_until is None:
        holds_until = _earliest_expiry(status)
    evidence = Evidence(level, token.timestamp, authority, times, holds_until)
    return Judged(evidence, stamps[-1] if stamps else seal, paths)


def _claimed_timestamp_time(seal: EmbeddedPdfSignature) -> datetime | None:
    """The genTime the seal's signature timestamp states, before anything checks it: the time
    to judge the seal's certificates at (the same validation then checks the token)."""
    for token in extract_tst_data_iter(seal.signer_info, signed=False):
        info = token["encap_content_info"]["content"].parsed
        return cast(datetime, info["gen_time"].native)
    return None


def _timestamp_trusted(status: PdfSignatureStatus) -> bool:
    token = status.timestamp_validity
    return token is not None and token.intact and token.valid and token.trusted


def archive_expiry(data: bytes) -> datetime | None:
    """When the first certificate of the last document timestamp's chain expires (as the file
    carries the chain; nothing is validated here): the next archive timestamp is due before.
    None without a document timestamp."""
    reader = PdfFileReader(BytesIO(data), strict=True)
    signatures = reader.embedded_signatures
    if not signatures or signatures[-1].sig_object_type != "/DocTimeStamp":
        return None
    last = signatures[-1]
    in_token = [choice.chosen for choice in last.signed_data["certificates"]]
    carried = [*_Store.read(reader).certificates, *in_token]
    issuers = {c.subject.dump(): c for c in carried}
    certificate, seen, ends = last.signer_cert, set(), []
    while certificate is not None and certificate.dump() not in seen:
        seen.add(certificate.dump())
        ends.append(certificate.not_valid_after)
        certificate = issuers.get(certificate.issuer.dump())
    return cast(datetime, min(ends))


def add_archive_timestamp(data: bytes, long_term: LongTerm, now: datetime | None = None) -> bytes:
    """`data` with the last timestamp's revocation data (fresh from its OCSP responder) and the
    TSA's chain in the /DSS, and a new document timestamp over everything, in one incremental
    update. Raises SigningError if the TSA or a responder fails, ValueError on a PDF without a
    seal."""
    reader = PdfFileReader(BytesIO(data), strict=True)
    signatures = reader.embedded_signatures
    if not signatures:
        raise ValueError("the PDF carries no seal")
    context = long_term.context(now)
    writer = IncrementalPdfFileWriter(BytesIO(data))
    last = signatures[-1]
    if last.sig_object_type == "/DocTimeStamp":
        status = validate_pdf_timestamp(last, validation_context=context)
        if status.validation_path is None or not status.trusted:
            raise SigningError("the last document timestamp is no longer trusted")
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, paths=[status.validation_path], validation_context=context
        )
    stamper = pdf_signer.PdfTimeStamper(
        long_term.timestamper(), field_name=f"{TIMESTAMP_FIELD}{len(signatures)}"
    )
    output = stamper.timestamp_pdf(
        writer, "sha256", validation_context=context, dss_settings=_DSS_BEFORE_TIMESTAMP
    )
    return cast(BytesIO, output).getvalue()


@dataclass(frozen=True)
class _Store:
    """The /DSS's certificates and revocation data: all a validation offline may use."""

    certificates: list[asn1_x509.Certificate]
    ocsps: list[bytes]
    crls: list[bytes]

    @classmethod
    def read(cls, reader: PdfFileReader) -> _Store:
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except (PdfReadError, ValueError, KeyError):
            return cls([], [], [])
        ocsps = [cast(bytes, o.get_object().data) for o in dss.ocsps]
        crls = [cast(bytes, c.get_object().data) for c in dss.crls]
        return cls(list(dss.load_certs()), ocsps, crls)

    @property
    def has_revocation_data(self) -> bool:
        return bool(self.ocsps or self.crls)

    def context(
        self,
        roots: list[asn1_x509.Certificate],
        *,
        at: datetime | None,
        moment: datetime,
        lenient: bool = False,
    ) -> ValidationContext:
        """Offline: certificate validity judged `at` (when the TSA saw the signature) or at
        `moment`. Strict: revocation data required from the /DSS, accepted though issued after
        `at` (it is gathered just after sealing). `lenient`: revocation not checked, since
        offline nothing fresh enough is at hand (the last archive timestamp at the verification
        time, or a B-T seal); the level says so."""
        return ValidationContext(
            trust_roots=roots,
            other_certs=self.certificates,
            ocsps=[] if lenient else self.ocsps,
            crls=[] if lenient else self.crls,
            allow_fetching=False,
            moment=at or moment,
            revocation_mode="soft-fail" if lenient else "hard-fail",
            retroactive_revinfo=True,
        )


def _validate_seal(seal: EmbeddedPdfSignature, context: ValidationContext) -> PdfSignatureStatus:
    return validate_pdf_signature(seal, signer_validation_context=context)


def _check_seal_status(
    status: PdfSignatureStatus,
    seal: EmbeddedPdfSignature,
    stamps: Sequence[EmbeddedPdfSignature],
) -> None:
    """pyHanko's verdict, read strictly: intact, valid, trusted, PAdES; the seal covers the whole
    file, or only document timestamps and /DSS updates follow it."""
    if not status.intact:
        raise EvidenceRefused("the PDF changed after it was sealed (the digest does not match)")
    if not status.valid:
        raise EvidenceRefused("the seal's signature value is not valid")
    if not status.trusted:
        if status.trust_problem_indic in _OUT_OF_TIME:
            raise EvidenceRefused("the seal certificate is not valid at the verification time")
        raise EvidenceRefused("the seal certificate is not trusted (no valid chain to a root)")
    if str(seal.sig_object.get("/SubFilter")) != "/ETSI.CAdES.detached":
        raise EvidenceRefused("the seal is not a PAdES signature")
    if not stamps:
        if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
            raise EvidenceRefused(
                "the seal does not cover the whole file: something was added afterwards"
            )
    elif status.modification_level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        raise EvidenceRefused("the PDF was changed after sealing by more than archival updates")


def _check_stamps(
    stamps: Sequence[EmbeddedPdfSignature],
    store: _Store,
    roots: list[asn1_x509.Certificate],
    now: datetime,
) -> tuple[tuple[datetime, ...], datetime | None, DocumentTimestampStatus | None]:
    """Every document timestamp matches and is trusted at the time the next one proves (the
    last at `now`), and the last one covers the whole file. Returns their times, when the last
    one's certificate expires, and its status."""
    times: list[datetime] = []
    status: DocumentTimestampStatus | None = None
    proven_until: datetime | None = None
    for stamp in reversed(stamps):
        strict = proven_until is not None
        context = store.context(roots, at=proven_until, moment=now, lenient=not strict)
        found = validate_pdf_timestamp(stamp, validation_context=context)
        if not (found.intact and found.valid):
            raise EvidenceRefused(
                "the PDF changed after an archive timestamp (its digest does not match)"
            )
        if not found.trusted:
            raise EvidenceRefused(
                "a document timestamp's authority is not trusted at the time it is proven"
            )
        if status is None:
            if found.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
                raise EvidenceRefused(
                    "the PDF changed after its last archive timestamp: something was added"
                )
            status = found
        proven_until = found.timestamp
        times.append(found.timestamp)
    holds_until = None if status is None else _earliest_expiry(status)
    return tuple(reversed(times)), holds_until, status


def _earliest_expiry(status: PdfSignatureStatus | DocumentTimestampStatus) -> datetime | None:
    """When the first certificate the newest evidence rests on expires: the last timestamp's
    chain (for B-T/B-LT the seal's timestamp's, or the seal's own without one)."""
    if isinstance(status, PdfSignatureStatus) and status.timestamp_validity is not None:
        return _earliest_expiry(status.timestamp_validity)  # type: ignore[arg-type]
    path = status.validation_path
    if path is None:
        return None
    ends = [cert.not_valid_after for cert in path.iter_certs(include_root=True)]
    return min(ends) if ends else None


def _certificates_of(status: PdfSignatureStatus | DocumentTimestampStatus) -> frozenset[bytes]:
    found: set[bytes] = set()
    statuses: list[object] = [status]
    if isinstance(status, PdfSignatureStatus) and status.timestamp_validity is not None:
        statuses.append(status.timestamp_validity)
    for each in statuses:
        path = getattr(each, "validation_path", None)
        if path is not None:
            found.update(cert.dump() for cert in path.iter_certs(include_root=True))
    return frozenset(found)
