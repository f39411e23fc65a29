"""OCSP answers (RFC 6960) fetched while sealing, so that the file carries its own revocation data.

The responder is the one the certificate names (its AIA extension), as validators look it up.
"""

from __future__ import annotations

from typing import Final

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

DEFAULT_TIMEOUT: Final = 10.0


class RevocationError(Exception):
    """No usable OCSP answer could be had; the message says for which certificate and why."""


def needs_revocation_data(certificate: x509.Certificate) -> bool:
    """Everything but a self-signed anchor and an OCSP responder marked ocsp-nocheck."""
    if certificate.issuer == certificate.subject:
        return False
    try:
        certificate.extensions.get_extension_for_oid(ExtensionOID.OCSP_NO_CHECK)
    except x509.ExtensionNotFound:
        return True
    return False


def fetch_ocsp(
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> bytes:
    """A DER OCSP response about `certificate` from the responder its AIA names, status good.
    Raises RevocationError."""
    url = _responder_url(certificate)
    # RFC 5019 2.1.1: SHA-1 CertIDs are the ones every responder answers.
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA1())  # noqa: S303 - a CertID, not security
        .build()
    )
    try:
        answer = (session or requests).post(
            url,
            data=request.public_bytes(serialization.Encoding.DER),
            headers={"Content-Type": "application/ocsp-request"},
            timeout=timeout,
        )
        answer.raise_for_status()
        response = ocsp.load_der_ocsp_response(answer.content)
    except (requests.RequestException, ValueError) as exc:
        raise RevocationError(
            f"no OCSP answer for {_name(certificate)} from {url} ({exc!s})"
        ) from exc
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        status = response.response_status.name
        raise RevocationError(f"{url} answered {status} about {_name(certificate)}")
    if response.certificate_status != ocsp.OCSPCertStatus.GOOD:
        status = response.certificate_status.name
        raise RevocationError(f"{url} says {_name(certificate)} is {status}")
    return answer.content


def _responder_url(certificate: x509.Certificate) -> str:
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except x509.ExtensionNotFound as exc:
        raise RevocationError(f"{_name(certificate)} names no OCSP responder") from exc
    for description in access.value:
        if description.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
            description.access_location, x509.UniformResourceIdentifier
        ):
            return description.access_location.value
    raise RevocationError(f"{_name(certificate)} names no OCSP responder")


def _name(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()
