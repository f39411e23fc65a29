"""Certificate chain and OCSP checks for BankID signatures, with `cryptography` only.

BankID's signer chain (user certificate, then issuing CAs, no root) and its OCSP responses are not
web PKI: no host names, delegated OCSP responders, long-lived test CAs. So the few rules that matter
are checked here explicitly rather than through a TLS-oriented path validator.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# BankID fetches the OCSP answer while the user signs: its producedAt is the signing time and
# its thisUpdate the same moment. An answer older than this when produced is not that answer.
OCSP_MAX_AGE: Final = timedelta(minutes=5)
# Clocks of BankID's servers and ours may differ a little.
CLOCK_SKEW: Final = timedelta(minutes=5)


class PkiError(Exception):
    """A certificate or OCSP check failed; the message says which one and why."""


def describe(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return f"'{names[0].value!s}'" if names else f"serial {cert.serial_number:x}"


def check_validity(cert: x509.Certificate, at: datetime) -> None:
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        raise PkiError(
            f"certificate {describe(cert)} is not valid at {at.isoformat()} "
            f"(valid {cert.not_valid_before_utc.isoformat()} to "
            f"{cert.not_valid_after_utc.isoformat()})"
        )


def check_issued_by(child: x509.Certificate, issuer: x509.Certificate) -> None:
    """The issuer's name and key match the child's, and the issuer may issue certificates."""
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature) as exc:
        reason = str(exc) or "the signature does not match"
        raise PkiError(
            f"certificate {describe(child)} is not issued by {describe(issuer)} ({reason})"
        ) from exc
    if not _is_ca(issuer):
        raise PkiError(f"certificate {describe(issuer)} is not a CA certificate")


def check_chain(
    chain: Sequence[x509.Certificate], roots: Sequence[x509.Certificate], at: datetime
) -> x509.Certificate | None:
    """Check leaf-first `chain` at time `at`; return the configured root it ends in.

    Without configured roots the chain is still checked link by link and None is returned.
    """
    if not chain:
        raise PkiError("no certificates")
    for cert in chain:
        check_validity(cert, at)
    if _is_ca(chain[0]):
        raise PkiError(f"the signer certificate {describe(chain[0])} is a CA certificate")
    for child, issuer in itertools.pairwise(chain):
        check_issued_by(child, issuer)
    if not roots:
        check_path_constraints(chain)
        return None
    top = chain[-1]
    for root in roots:
        if root == top:
            check_path_constraints(chain)
            return root
    for root in roots:
        if root.subject == top.issuer:
            check_issued_by(top, root)
            check_validity(root, at)
            check_path_constraints([*chain, root])
            return root
    raise PkiError(f"the chain ends in {describe(top)}, which no configured root has issued")


def check_path_constraints(path: Sequence[x509.Certificate]) -> None:
    """Each CA above the leaf may sign certificates (keyUsage) and has no more CA certificates
    below it than its pathLenConstraint allows (RFC 5280, 4.2.1.3 and 4.2.1.9)."""
    for depth, issuer in enumerate(path[1:]):
        constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
        if constraints.path_length is not None and depth > constraints.path_length:
            raise PkiError(
                f"certificate {describe(issuer)} allows {constraints.path_length} CA "
                f"certificates below it, the chain has {depth}"
            )
        try:
            usage = issuer.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if not usage.key_cert_sign:
            raise PkiError(f"certificate {describe(issuer)} may not sign certificates (keyUsage)")


def check_ocsp(
    der: bytes,
    *,
    leaf: x509.Certificate,
    issuer: x509.Certificate,
    roots: Sequence[x509.Certificate],
    nonce_source: bytes,
    at: datetime,
) -> ocsp.OCSPResponse:
    """Check that `der` is a good, authentic answer about `leaf` whose nonce is SHA-1(nonce_source).

    BankID binds each OCSP response to its signature by this nonce (SHA-1 of the base64 signature).
    The responder is the issuer itself or a delegated responder issued by the issuer or a root.
    The answer must be fresh when produced (the signing time), not produced after `at` (the
    verification time), and the signer and its CA valid at the signing time.
    """
    response = check_ocsp_status(der, leaf=leaf, issuer=issuer, roots=roots, who="the signer")
    _check_nonce(response, nonce_source)
    _check_freshness(response, at)
    for cert in (leaf, issuer):
        check_validity(cert, response.produced_at_utc)
    return response


def check_ocsp_status(
    der: bytes,
    *,
    leaf: x509.Certificate,
    issuer: x509.Certificate,
    roots: Sequence[x509.Certificate],
    who: str | None = None,
) -> ocsp.OCSPResponse:
    """Check that `der` is an authentic answer, status good, about `leaf` alone: signed by its
    issuer or a responder the issuer (or a root) delegated. `who` names `leaf` in messages."""
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        raise PkiError(f"the OCSP response cannot be read ({exc!s})") from exc
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise PkiError(f"the OCSP response status is {response.response_status.name}")
    if len(list(response.responses)) != 1:
        raise PkiError("the OCSP response must be about exactly one certificate")
    _check_cert_id(response, leaf, issuer)
    if response.certificate_status != ocsp.OCSPCertStatus.GOOD:
        status = response.certificate_status.name
        raise PkiError(f"the OCSP status of {who or describe(leaf)} is {status}")
    responder = _find_responder(response, issuer)
    _check_responder(responder, issuer, roots, response.produced_at_utc)
    _check_response_signature(response, responder)
    return response


def _check_freshness(response: ocsp.OCSPResponse, at: datetime) -> None:
    produced, this_update = response.produced_at_utc, response.this_update_utc
    if produced > at + CLOCK_SKEW:
        raise PkiError(f"the OCSP response is produced after the verification time ({produced})")
    if this_update > produced + CLOCK_SKEW:
        raise PkiError("the OCSP status is dated after the response that carries it")
    if produced - this_update > OCSP_MAX_AGE:
        raise PkiError(
            f"the OCSP status was {produced - this_update} old at the signing time "
            f"(at most {OCSP_MAX_AGE})"
        )
    next_update = response.next_update_utc
    if next_update is not None and next_update < produced:
        raise PkiError("the OCSP status had expired (nextUpdate) at the signing time")


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


def _check_cert_id(
    response: ocsp.OCSPResponse, leaf: x509.Certificate, issuer: x509.Certificate
) -> None:
    expected = (
        ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, response.hash_algorithm).build()
    )
    if (
        response.serial_number != expected.serial_number
        or response.issuer_name_hash != expected.issuer_name_hash
        or response.issuer_key_hash != expected.issuer_key_hash
    ):
        raise PkiError("the OCSP response is about another certificate than the signer's")


def _find_responder(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> x509.Certificate:
    for cert in [*response.certificates, issuer]:
        if response.responder_name is not None:
            if cert.subject == response.responder_name:
                return cert
        elif response.responder_key_hash == _key_hash(cert):
            return cert
    raise PkiError("the OCSP responder certificate is missing")


def _key_hash(cert: x509.Certificate) -> bytes:
    # SHA-1 of the subjectPublicKey bits, as in the OCSP ResponderID and a method-1 key identifier.
    return x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest


def _check_responder(
    responder: x509.Certificate,
    issuer: x509.Certificate,
    roots: Sequence[x509.Certificate],
    produced_at: datetime,
) -> None:
    if responder == issuer:
        return
    for authority in [issuer, *roots]:
        if responder.issuer == authority.subject:
            check_issued_by(responder, authority)
            break
    else:
        raise PkiError(f"the OCSP responder {describe(responder)} is not issued by the signer's CA")
    try:
        usages = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usages = x509.ExtendedKeyUsage([])
    if ExtendedKeyUsageOID.OCSP_SIGNING not in usages:
        raise PkiError(f"the OCSP responder {describe(responder)} may not sign OCSP responses")
    check_validity(responder, produced_at)


def _check_response_signature(response: ocsp.OCSPResponse, responder: x509.Certificate) -> None:
    key = responder.public_key()
    algorithm = response.signature_hash_algorithm
    if algorithm is None:
        raise PkiError("the OCSP response uses an unsupported signature algorithm")
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        else:
            raise PkiError("the OCSP responder has an unsupported key type")
    except InvalidSignature as exc:
        raise PkiError("the OCSP response signature is not valid") from exc


def _check_nonce(response: ocsp.OCSPResponse, nonce_source: bytes) -> None:
    try:
        nonce = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound as exc:
        raise PkiError("the OCSP response has no nonce") from exc
    expected = hashlib.sha1(nonce_source).digest()  # noqa: S324 - SHA-1 is BankID's binding
    # BankID's responders put the 20 bytes themselves in extnValue; RFC 8954 (OpenSSL,
    # `cryptography`'s builder) wraps them in a DER OCTET STRING. `cryptography` reads either as
    # the bare hash, so both bind the same signature here.
    if nonce != expected:
        raise PkiError("the OCSP nonce does not match the signature (SHA-1 of its base64 text)")
