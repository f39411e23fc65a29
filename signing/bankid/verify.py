"""Verify a BankID signature (completionData.signature) and its OCSP response, offline.

The same verifier checks signatures from BankID and from our test server. It never raises on bad
input: every check is reported, and `VerificationResult.failure` names the first that failed.
Only the data the XML signature covers is read (what signxml returns), never the document itself.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from cryptography import x509
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.verifier import SignatureConfiguration, XMLVerifier

from signing.bankid.pki import PkiError, check_chain, check_ocsp, describe

DS = "http://www.w3.org/2000/09/xmldsig#"
BANKID = "http://www.bankid.com/signature/v1.0.0/types"
DEFAULT_MAX_BYTES = 1_000_000
# How far a document's stated signing time may be from BankID's (the OCSP response's producedAt,
# fetched while the user signed). Intyga states producedAt itself; the margin is for documents
# that recorded the moment the service collected the order, seconds later.
SIGNING_TIME_TOLERANCE: Final = timedelta(minutes=5)
# A tab or line break after "<" and before the tag ends; possessive, so linear on any input.
_WHITESPACE_IN_MARKUP = re.compile(rb"<[^<>\t\r\n]*+[\t\r\n]")

_SIGNATURE_METHODS = frozenset(
    {
        SignatureMethod.RSA_SHA256,
        SignatureMethod.RSA_SHA384,
        SignatureMethod.RSA_SHA512,
        SignatureMethod.ECDSA_SHA256,
        SignatureMethod.ECDSA_SHA384,
        SignatureMethod.ECDSA_SHA512,
    }
)
_DIGESTS = frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512})


class Outcome(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    detail: str


@dataclass(frozen=True)
class VerificationResult:
    """Every check made, and who signed what (read from signed data only)."""

    checks: tuple[Check, ...]
    personal_number: str | None = None
    name: str | None = None
    signing_time: datetime | None = None
    func_id: str | None = None
    signer_validity: tuple[datetime, datetime] | None = None

    @property
    def ok(self) -> bool:
        """No check failed; some may be `not_configured`. Without a configured root this shows
        only that the document is intact and self-consistent, not who signed it: use `complete`
        to accept a signature as evidence."""
        return bool(self.checks) and self.failure is None

    @property
    def complete(self) -> bool:
        """Every check ran and passed: the chain reached a configured root and OCSP was good."""
        return bool(self.checks) and all(c.outcome is Outcome.OK for c in self.checks)

    @property
    def failure(self) -> Check | None:
        return next((c for c in self.checks if c.outcome is Outcome.FAILED), None)


class _CheckError(Exception):
    def __init__(self, check: str, detail: str) -> None:
        super().__init__(detail)
        self.check = check
        self.detail = detail


@dataclass(frozen=True)
class _Signed:
    signed_data: etree._Element
    chain: list[x509.Certificate]


def verify_signature(
    signature: str | bytes,
    *,
    visible_data: str | None,
    non_visible_data: bytes | None,
    func_id: Literal["Identification", "Signing"],
    ocsp_response: str | bytes | None = None,
    service_name: str | None = None,
    trusted_roots: Sequence[x509.Certificate] = (),
    verification_time: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> VerificationResult:
    """Verify `signature` (base64 text as in completionData, or the XML bytes).

    `visible_data` and `non_visible_data` are what we sent (text and bytes; None if not sent), and
    must be exactly what was signed. `ocsp_response` is base64 text or DER. `service_name` is our
    relying-party name as BankID puts it in srvInfo; None skips that check. Without
    `trusted_roots` the chain is checked link by link and reported as "root not configured".
    """
    try:
        return _verify(
            signature,
            visible_data=visible_data,
            non_visible_data=non_visible_data,
            func_id=func_id,
            ocsp_response=ocsp_response,
            service_name=service_name,
            trusted_roots=trusted_roots,
            verification_time=verification_time,
            max_bytes=max_bytes,
        )
    except Exception as exc:  # noqa: BLE001 - a safety net: bad input must fail, never raise
        detail = f"verification stopped on an unexpected {type(exc).__name__}"
        return VerificationResult((Check("unexpected", Outcome.FAILED, detail),))


def _verify(
    signature: str | bytes,
    *,
    visible_data: str | None,
    non_visible_data: bytes | None,
    func_id: str,
    ocsp_response: str | bytes | None,
    service_name: str | None,
    trusted_roots: Sequence[x509.Certificate],
    verification_time: datetime | None,
    max_bytes: int,
) -> VerificationResult:
    at = verification_time or datetime.now(UTC)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    checks: list[Check] = []
    try:
        xml, base64_text = _decode_signature(signature, max_bytes)
        _parse(xml)
        checks.append(Check("input", Outcome.OK, f"{len(xml)} bytes of XML"))
        signed = _verify_xml(xml, at)
        checks.append(
            Check("xml_signature", Outcome.OK, "signature value and both reference digests")
        )
    except _CheckError as failed:
        checks.append(Check(failed.check, Outcome.FAILED, failed.detail))
        return VerificationResult(tuple(checks))

    leaf = signed.chain[0]
    try:
        checks.append(_chain_check(signed.chain, trusted_roots, at))
    except PkiError as exc:
        checks.append(Check("certificate_chain", Outcome.FAILED, str(exc)))
    signing_time = None
    if ocsp_response is None:
        checks.append(Check("ocsp", Outcome.NOT_CONFIGURED, "no OCSP response given"))
    else:
        try:
            if len(signed.chain) < 2:
                raise PkiError("KeyInfo lacks the signer's issuing CA, which OCSP answers for")
            response = check_ocsp(
                _decode_ocsp(ocsp_response, max_bytes),
                leaf=leaf,
                issuer=signed.chain[1],
                roots=trusted_roots,
                nonce_source=base64_text.encode("ascii"),
                at=at,
            )
            signing_time = response.produced_at_utc
            checks.append(Check("ocsp", Outcome.OK, f"good, produced {signing_time.isoformat()}"))
        except PkiError as exc:
            checks.append(Check("ocsp", Outcome.FAILED, str(exc)))

    data = signed.signed_data
    checks.append(_equal("visible_data", _child(data, "usrVisibleData"), _b64(visible_data)))
    checks.append(
        _equal("non_visible_data", _child(data, "usrNonVisibleData"), _b64(non_visible_data))
    )
    signed_func_id = _child(data, "clientInfo/b:funcId")
    checks.append(_equal("func_id", signed_func_id, func_id))
    checks.append(_service_name_check(_child(data, "srvInfo/b:name"), service_name))
    return VerificationResult(
        tuple(checks),
        personal_number=_subject(leaf, NameOID.SERIAL_NUMBER),
        name=_subject(leaf, NameOID.COMMON_NAME),
        signing_time=signing_time,
        func_id=signed_func_id,
        signer_validity=(leaf.not_valid_before_utc, leaf.not_valid_after_utc),
    )


def stated_time_check(stated: datetime, result: VerificationResult, name: str) -> Check:
    """A time a document states for this signature is one BankID's evidence allows: within the
    signer's certificate validity, and within `SIGNING_TIME_TOLERANCE` of the OCSP response's
    producedAt. A document backdated (or postdated) past its evidence fails here."""
    if result.signing_time is None or result.signer_validity is None:
        return Check(name, Outcome.NOT_CONFIGURED, "no verified BankID time to compare with")
    at = stated if stated.tzinfo else stated.replace(tzinfo=UTC)
    valid_from, valid_to = result.signer_validity
    if not valid_from <= at <= valid_to:
        return Check(
            name,
            Outcome.FAILED,
            f"the stated signing time {at.isoformat()} is outside the signer's certificate "
            f"validity ({valid_from.isoformat()} to {valid_to.isoformat()})",
        )
    off = abs(at - result.signing_time)
    if off > SIGNING_TIME_TOLERANCE:
        return Check(
            name,
            Outcome.FAILED,
            f"the stated signing time {at.isoformat()} is {off} from BankID's OCSP time "
            f"{result.signing_time.isoformat()} (at most {SIGNING_TIME_TOLERANCE})",
        )
    return Check(
        name, Outcome.OK, f"{at.isoformat()}, BankID's OCSP time {result.signing_time.isoformat()}"
    )


def _decode_signature(signature: str | bytes, max_bytes: int) -> tuple[bytes, str]:
    """The XML and the base64 text (the OCSP nonce is computed over the text)."""
    too_large = _CheckError("input", f"the signature is larger than the limit of {max_bytes} bytes")
    if isinstance(signature, bytes):
        xml, text = signature, base64.b64encode(signature).decode("ascii")
    else:
        if len(signature) > (max_bytes + 2) // 3 * 4:  # refuse before decoding
            raise too_large
        try:
            xml, text = base64.b64decode(signature, validate=True), signature
        except (binascii.Error, ValueError) as exc:
            raise _CheckError("input", "the signature is not valid base64") from exc
    if len(xml) > max_bytes:
        raise too_large
    return xml, text


def _decode_ocsp(response: str | bytes, max_bytes: int) -> bytes:
    if len(response) > max_bytes * 2:
        raise PkiError("the OCSP response is larger than the size limit")
    if isinstance(response, bytes):
        return response
    try:
        return base64.b64decode(response, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PkiError("the OCSP response is not valid base64") from exc


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(xml: bytes) -> None:
    """Refuse what BankID never sends and XML attacks need: DTDs, entities, PIs, comments.

    Odd spellings that only a parser finds equivalent (a tab for a space inside a tag, "uTF-8")
    are refused too, so that the bytes we keep as evidence are exactly the bytes BankID made.
    """
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _CheckError("input", "a DOCTYPE or entity declaration is not allowed")
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        raise _CheckError("input", f"not well-formed XML ({exc!s})") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise _CheckError("input", "a DOCTYPE is not allowed")
    if docinfo.xml_version != "1.0" or docinfo.encoding not in ("UTF-8", "utf-8"):
        raise _CheckError("input", "only XML 1.0 in UTF-8 is accepted")
    if _WHITESPACE_IN_MARKUP.search(xml):
        raise _CheckError("input", "tabs and line breaks inside markup are not accepted")
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    if outside or any(True for _ in root.iter(etree.Comment, etree.ProcessingInstruction)):
        raise _CheckError("input", "comments and processing instructions are not allowed")
    if root.tag != f"{{{DS}}}Signature":
        raise _CheckError("input", "the document is not an enveloping ds:Signature")


def _verify_xml(xml: bytes, at: datetime) -> _Signed:
    root = etree.fromstring(xml, _parser())
    value = root.find(f"{{{DS}}}SignatureValue")
    if value is None or not _canonical_base64(value.text):
        # Nothing else covers this text: a non-canonical spelling would verify unnoticed.
        raise _CheckError("xml_signature", "SignatureValue is missing or not canonical base64")
    cert_texts = [
        e.text for e in root.iterfind(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    ]
    if not cert_texts:
        raise _CheckError("xml_signature", "KeyInfo carries no certificate")
    chain = [_load_certificate(text) for text in cert_texts]
    verifier = XMLVerifier()
    # BankID's documents redeclare the default namespace, where libxml2's c14n adds xmlns="".
    verifier.excise_empty_xmlns_declarations = True
    config = SignatureConfiguration(
        location="./",
        expect_references=2,
        signature_methods=_SIGNATURE_METHODS,
        digest_algorithms=_DIGESTS,
        verification_time=at,
    )
    try:
        results = verifier.verify(xml, x509_cert=chain[0], parser=_parser(), expect_config=config)
    except Exception as exc:  # untrusted input can fail anywhere inside signxml
        raise _CheckError("xml_signature", f"{type(exc).__name__}: {exc!s}".rstrip(": ")) from exc
    if not isinstance(results, list):  # expect_references=2 gives a list; keeps mypy informed
        raise _CheckError("xml_signature", "expected two references")
    by_id = {
        (r.signed_xml.tag, r.signed_xml.get("Id")): r.signed_xml
        for r in results
        if r.signed_xml is not None
    }
    signed_data = by_id.get((f"{{{BANKID}}}bankIdSignedData", "bidSignedData"))
    key_info = by_id.get((f"{{{DS}}}KeyInfo", "bidKeyInfo"))
    if signed_data is None or key_info is None:
        raise _CheckError("xml_signature", "the references must be #bidSignedData and #bidKeyInfo")
    signed_certs = [
        _load_certificate(e.text)
        for e in key_info.iterfind(f"{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    ]
    if signed_certs != chain:
        raise _CheckError("xml_signature", "the certificates used are not the signed ones")
    return _Signed(signed_data, chain)


def _canonical_base64(text: str | None) -> bool:
    compact = "".join((text or "").split())
    try:
        return base64.b64encode(base64.b64decode(compact, validate=True)).decode() == compact
    except (binascii.Error, ValueError):
        return False


def _load_certificate(text: str | None) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(
            base64.b64decode("".join((text or "").split()), validate=True)
        )
    except Exception as exc:  # cryptography has several error types for bad DER
        raise _CheckError("xml_signature", "a certificate in KeyInfo cannot be read") from exc


def _chain_check(
    chain: Sequence[x509.Certificate], roots: Sequence[x509.Certificate], at: datetime
) -> Check:
    root = check_chain(chain, roots, at)
    if root is None:
        return Check(
            "certificate_chain",
            Outcome.NOT_CONFIGURED,
            f"root not configured; {len(chain)} certificates link up and are valid",
        )
    return Check("certificate_chain", Outcome.OK, f"ends in the configured root {describe(root)}")


def _child(element: etree._Element, path: str) -> str | None:
    found = element.find(f"b:{path}", namespaces={"b": BANKID})
    return None if found is None else (found.text or "")


def _b64(value: str | bytes | None) -> str | None:
    if value is None:
        return None
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")


def _equal(name: str, signed: str | None, expected: str | None) -> Check:
    if signed == expected:
        return Check(name, Outcome.OK, "as expected" if expected is not None else "absent")
    if expected is None:
        return Check(name, Outcome.FAILED, "signed, but we sent none")
    if signed is None:
        return Check(name, Outcome.FAILED, "missing from the signed data")
    return Check(name, Outcome.FAILED, "the signed value differs from what we sent")


def _service_name_check(signed: str | None, expected: str | None) -> Check:
    if expected is None:
        return Check("service_name", Outcome.NOT_CONFIGURED, "no expected service name given")
    try:
        name = base64.b64decode(signed or "", validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return Check("service_name", Outcome.FAILED, "srvInfo/name is not base64 UTF-8")
    if name != expected:
        return Check("service_name", Outcome.FAILED, f"signed for another service: {name!r}")
    return Check("service_name", Outcome.OK, "as expected")


def _subject(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None
