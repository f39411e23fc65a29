"""The seal's test PKI over real HTTP: timestamps and OCSP answers that tools we did not write
accept (OpenSSL), certificates in the shapes trust services issue."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
import requests
from asn1crypto import tsp  # type: ignore[import-untyped]  # unannotated
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from signing.testpki import RunningPKI, TestPKI
from signing.testpki.authority import DOCUMENT_SIGNING, TEST_SEAL_POLICY
from signing.timestamps import (
    TimestampError,
    TimeStampResponse,
    request_timestamp,
    verify_timestamp,
)
from tests.signing.openssl import openssl_verifies_timestamp


def _ocsp(
    running: RunningPKI, cert: x509.Certificate, issuer: x509.Certificate
) -> ocsp.OCSPResponse:
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256()).build()
    answer = requests.post(
        running.pki.ocsp_url,
        data=request.public_bytes(serialization.Encoding.DER),
        headers={"Content-Type": "application/ocsp-request"},
        timeout=10,
    )
    assert answer.headers["Content-Type"] == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(answer.content)


def test_a_timestamp_over_http_verifies_here_and_in_openssl(
    test_pki: RunningPKI, tmp_path: Path
) -> None:
    token = request_timestamp(test_pki.tsa_url, b"sealed bytes")
    stamp = verify_timestamp(token, b"sealed bytes", roots=[test_pki.pki.root.certificate])
    assert stamp.authority == "Intyga Test TSA"
    assert abs((stamp.time - test_pki.pki.now()).total_seconds()) < 60
    with pytest.raises(TimestampError, match="imprint"):
        verify_timestamp(token, b"sealed byteS", roots=[test_pki.pki.root.certificate])
    other = TestPKI(None, "http://127.0.0.1:1")
    with pytest.raises(TimestampError, match="does not hold"):
        verify_timestamp(token, b"sealed bytes", roots=[other.root.certificate])
    openssl_verifies_timestamp(tmp_path, token, b"sealed bytes", test_pki.pki.root.certificate)


def test_a_changed_token_is_refused(test_pki: RunningPKI) -> None:
    token = bytearray(request_timestamp(test_pki.tsa_url, b"x"))
    for position in range(0, len(token), 97):
        changed = (
            bytes(token[:position]) + bytes([token[position] ^ 1]) + bytes(token[position + 1 :])
        )
        with pytest.raises(TimestampError):
            verify_timestamp(changed, b"x", roots=[test_pki.pki.root.certificate])


def test_the_tsa_refuses_what_it_cannot_stamp(test_pki: RunningPKI) -> None:
    def ask(body: bytes, content_type: str = "application/timestamp-query") -> requests.Response:
        return requests.post(
            test_pki.tsa_url, data=body, headers={"Content-Type": content_type}, timeout=10
        )

    assert ask(b"x", "text/plain").status_code == 415
    refused = TimeStampResponse.load(ask(b"not DER").content)
    assert refused["status"]["status"].native == "rejection"
    md5 = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "md5"},
                "hashed_message": hashlib.md5(b"x").digest(),  # noqa: S324 - refused on purpose
            },
        }
    )
    answer = TimeStampResponse.load(ask(md5.dump()).content)
    assert answer["status"]["fail_info"].native == {"bad_alg"}
    with pytest.raises(TimestampError, match="gave no timestamp"):
        request_timestamp(f"{test_pki.base_url}/nowhere", b"x")


def test_ocsp_answers_for_the_seal_chain_and_the_tsa(test_pki: RunningPKI) -> None:
    pki = test_pki.pki
    for cert, issuer in (
        (pki.seal.certificate, pki.seal_ca.certificate),
        (pki.seal_ca.certificate, pki.root.certificate),
        (pki.tsa.certificate, pki.root.certificate),
    ):
        answer = _ocsp(test_pki, cert, issuer)
        assert answer.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
        assert answer.certificate_status is ocsp.OCSPCertStatus.GOOD
        assert answer.serial_number == cert.serial_number
    # A delegated responder answers for the seal CA; the root signs its own answers.
    assert _ocsp(test_pki, pki.seal.certificate, pki.seal_ca.certificate).certificates == [
        pki.responder.certificate
    ]
    unknown = _ocsp(test_pki, pki.responder.certificate, pki.root.certificate)
    assert unknown.response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(pki.seal.certificate, pki.seal_ca.certificate, hashes.SHA256())
        .build()
    )
    encoded = base64.b64encode(request.public_bytes(serialization.Encoding.DER)).decode()
    by_get = requests.get(f"{pki.ocsp_url}/{encoded}", timeout=10)
    assert (
        ocsp.load_der_ocsp_response(by_get.content).certificate_status is ocsp.OCSPCertStatus.GOOD
    )


def test_the_seal_certificate_is_shaped_as_a_trust_service_issues_one(
    test_pki: RunningPKI,
) -> None:
    seal = test_pki.pki.seal.certificate
    usage = seal.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not usage.key_cert_sign
    assert list(seal.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        DOCUMENT_SIGNING
    ]
    policies = seal.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert [p.policy_identifier for p in policies] == [TEST_SEAL_POLICY]
    access = seal.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [a.access_location.value for a in access] == [test_pki.pki.ocsp_url]
    tsa = test_pki.pki.tsa.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert tsa.critical
    assert list(tsa.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    seal.verify_directly_issued_by(test_pki.pki.seal_ca.certificate)
    test_pki.pki.seal_ca.certificate.verify_directly_issued_by(test_pki.pki.root.certificate)


def test_the_root_survives_restarts_and_a_new_address_gets_its_own_certificates(
    tmp_path: Path,
) -> None:
    first = TestPKI(tmp_path, "http://127.0.0.1:5000/pki-test")
    again = TestPKI(tmp_path, "http://127.0.0.1:5000/pki-test")
    moved = TestPKI(tmp_path, "http://127.0.0.1:5001/pki-test")
    assert again.root.certificate == first.root.certificate == moved.root.certificate
    assert again.seal.certificate == first.seal.certificate
    assert moved.seal.certificate != first.seal.certificate
    assert moved.service_seal().chain == (moved.seal_ca.certificate,)
