"""The signature verifier: BankID's genuine test signature, our test server's, and tampering."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp

from signing.bankid.testserver import BankIDTestServer
from signing.bankid.testserver.ca import CertificateAuthority, Credential
from signing.bankid.testserver.completion import DEFAULT_SERVICE_NAME
from signing.bankid.testserver.document import SignedContent, sign_document
from signing.bankid.verify import Outcome, VerificationResult, verify_signature
from tests.signing.conftest import Complete

SAMPLE_TIME = datetime(2022, 10, 15, 12, tzinfo=UTC)
SAMPLE_SERVICE = (
    "cn=Finansiell ID-Teknik BID AB,name=Test av BankID,serialNumber=5566304928,"
    "o=Testbank A AB (publ),c=SE"
)
VISIBLE = "Jag intygar att uppgifterna stämmer."
DOCUMENT_HASH = hashlib.sha256(b"<certificate/>").digest()


def verify_sample(document: bytes | str, **overrides: object) -> VerificationResult:
    arguments: dict[str, object] = {
        "visible_data": "signeringstext",
        "non_visible_data": b"ej synlig",
        "func_id": "Identification",
        "verification_time": SAMPLE_TIME,
    } | overrides
    return verify_signature(document, **arguments)  # type: ignore[arg-type]


def outcomes(result: VerificationResult) -> dict[str, Outcome]:
    return {check.name: check.outcome for check in result.checks}


def first_failure(result: VerificationResult) -> tuple[str, str]:
    assert result.failure is not None, "expected a failure"
    assert not result.ok
    return result.failure.name, result.failure.detail


def test_the_genuine_bankid_signature_verifies(sample: bytes) -> None:
    result = verify_sample(sample, service_name=SAMPLE_SERVICE)
    assert result.ok
    assert not result.complete
    assert outcomes(result) == {
        "input": Outcome.OK,
        "xml_signature": Outcome.OK,
        "certificate_chain": Outcome.NOT_CONFIGURED,
        "ocsp": Outcome.NOT_CONFIGURED,
        "visible_data": Outcome.OK,
        "non_visible_data": Outcome.OK,
        "func_id": Outcome.OK,
        "service_name": Outcome.OK,
    }
    assert "root not configured" in result.checks[2].detail
    assert (result.personal_number, result.name) == ("191212121212", "Tolvan Tolvansson")
    assert result.func_id == "Identification"
    assert result.signing_time is None


def test_the_genuine_signature_as_base64_verifies(sample: bytes) -> None:
    assert verify_sample(base64.b64encode(sample).decode()).ok


def mutate(document: bytes, position: int, new: int | None = None) -> bytes:
    changed = document[position] ^ 0x01 if new is None else new
    return document[:position] + bytes([changed]) + document[position + 1 :]


@pytest.mark.parametrize("fraction", [i / 160 for i in range(160)])
def test_any_one_byte_change_is_rejected(sample: bytes, fraction: float) -> None:
    position = int(fraction * len(sample))
    assert not verify_sample(mutate(sample, position)).ok


@pytest.mark.parametrize(
    ("needle", "replacement"),
    [
        (b"c2lnbmVyaW5nc3RleHQ=", b"c2lnbmVyaW5nc3RleHR="),  # the signed text, one character
        (b"<funcId>Identification", b"<funcId>Identificatiom"),
        (b"AaMv8g==</SignatureValue>", b"AaMv8h==</SignatureValue>"),  # same bytes, other spelling
        (b"AaMv8g==</SignatureValue>", b"AaMv8f==</SignatureValue>"),
        (b"<X509Certificate>MIIFYDCCA0i", b"<X509Certificate>MIIFYDCCA0j"),
        (b"RDTujLZ6dy2", b"RDTujLZ6dy3"),  # a digest value
        (b'URI="#bidKeyInfo"', b'URI="#bidKeyInfx"'),
        (b'<Reference Type="', b'<Reference\tType="'),  # a tab for a space inside a tag
        (b'version="1.0"', b'version="1.1"'),
        (b'encoding="UTF-8"', b'encoding="uTF-8"'),
        (b"<?xml ", b"<?xmm "),  # the declaration turned into a processing instruction
    ],
)
def test_specific_changes_are_rejected(sample: bytes, needle: bytes, replacement: bytes) -> None:
    assert sample.count(needle) == 1
    assert not verify_sample(sample.replace(needle, replacement)).ok


@pytest.mark.parametrize(
    ("overrides", "check"),
    [
        ({"visible_data": "signeringstexten"}, "visible_data"),
        ({"visible_data": None}, "visible_data"),
        ({"non_visible_data": b"ej synlig!"}, "non_visible_data"),
        ({"non_visible_data": None}, "non_visible_data"),
        ({"func_id": "Signing"}, "func_id"),
        ({"service_name": "cn=Someone else"}, "service_name"),
    ],
)
def test_signed_data_must_be_what_we_sent(
    sample: bytes, overrides: dict[str, object], check: str
) -> None:
    assert first_failure(verify_sample(sample, **overrides))[0] == check


def test_the_certificates_must_be_valid_at_the_verification_time(sample: bytes) -> None:
    name, detail = first_failure(verify_sample(sample, verification_time=SAMPLE_TIME.replace(2024)))
    assert name == "xml_signature"
    assert "expired" in detail


def test_a_configured_root_the_chain_does_not_reach_fails(
    sample: bytes, server: BankIDTestServer
) -> None:
    name, detail = first_failure(verify_sample(sample, trusted_roots=[server.root_certificate]))
    assert name == "certificate_chain"
    assert "no configured root" in detail


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda xml: xml[: len(xml) // 2], "not well-formed"),
        (lambda xml: b"", "not well-formed"),
        (lambda xml: xml.replace(b"?>", b'?><!DOCTYPE Signature [<!ENTITY e "x">]>', 1), "DOCTYPE"),
        (
            lambda xml: xml.replace(b"?>", b"?><!DOCTYPE Signature SYSTEM 'http://x/'>", 1),
            "DOCTYPE",
        ),
        (lambda xml: xml.replace(b"<Object>", b"<!-- hidden --><Object>"), "comments"),
        (lambda xml: xml.replace(b"<Object>", b"<?pi data?><Object>"), "processing"),
        (lambda xml: xml + b"<!-- after -->", "comments"),
        (
            lambda xml: xml.replace(b"<Signature ", b"<Wrapper><Signature ", 1) + b"</Wrapper>",
            "ds:S",
        ),
    ],
)
def test_bad_input_is_refused_and_never_raises(sample: bytes, change: object, detail: str) -> None:
    assert callable(change)
    name, found = first_failure(verify_sample(change(sample)))
    assert name == "input"
    assert detail in found


def test_oversized_input_is_refused(sample: bytes) -> None:
    for document in (sample, base64.b64encode(sample).decode()):
        name, detail = first_failure(verify_sample(document, max_bytes=len(sample) - 1))
        assert name == "input"
        assert "larger than the limit" in detail


def test_text_that_is_not_base64_is_refused() -> None:
    assert first_failure(verify_sample("<Signature/>")) == (
        "input",
        "the signature is not valid base64",
    )


# --- Signatures from our test server, with their OCSP responses ---------------------------------


def verify_test(
    server: BankIDTestServer, completion: dict[str, str], **overrides: object
) -> VerificationResult:
    arguments: dict[str, object] = {
        "ocsp_response": completion["ocspResponse"],
        "visible_data": VISIBLE,
        "non_visible_data": DOCUMENT_HASH,
        "func_id": "Signing",
        "trusted_roots": [server.root_certificate],
        "service_name": DEFAULT_SERVICE_NAME,
    } | overrides
    return verify_signature(completion["signature"], **arguments)  # type: ignore[arg-type]


@pytest.fixture
def signed(complete: Complete) -> dict[str, str]:
    return complete("sign", VISIBLE, DOCUMENT_HASH)


def test_a_test_server_signature_verifies_completely(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    result = verify_test(server, signed)
    assert result.complete, result.failure
    assert result.signing_time is not None
    assert abs(result.signing_time - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_test_server_document_has_bankids_shape(signed: dict[str, str], sample: bytes) -> None:
    document = base64.b64decode(signed["signature"])
    for shape in (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><Signature xmlns=',
        b'<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><CanonicalizationMethod',
        b'<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#" Id="bidKeyInfo"><X509Data>',
        b'<Object><bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types"',
        b'<usrVisibleData charset="UTF-8" visible="wysiwys">',
    ):
        assert shape in document
        assert shape in sample
    assert document.count(b"<X509Certificate>") == 2


def test_the_ocsp_response_is_bound_to_its_signature(
    server: BankIDTestServer, complete: Complete, signed: dict[str, str]
) -> None:
    other = complete("sign", VISIBLE, DOCUMENT_HASH)
    swapped = dict(signed, ocspResponse=other["ocspResponse"])
    assert first_failure(verify_test(server, swapped)) == (
        "ocsp",
        "the OCSP nonce does not match the signature (SHA-1 of its base64 text)",
    )


def test_a_tab_for_a_space_is_caught_even_where_xml_dsig_cannot(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    document = base64.b64decode(signed["signature"]).replace(b" URI=", b"\tURI=", 1)
    result = verify_test(server, dict(signed, signature=base64.b64encode(document).decode()))
    assert first_failure(result)[0] == "input"


def test_an_ocsp_response_about_someone_else_fails(
    server: BankIDTestServer, complete: Complete, signed: dict[str, str]
) -> None:
    other = complete("sign", VISIBLE, DOCUMENT_HASH, personal_number="199001011007")
    name, detail = first_failure(
        verify_test(server, dict(signed, ocspResponse=other["ocspResponse"]))
    )
    assert (name, detail) == (
        "ocsp",
        "the OCSP response is about another certificate than the signer's",
    )


@pytest.mark.parametrize(
    ("ocsp_response", "detail"),
    [("not base64!", "not valid base64"), (base64.b64encode(b"junk").decode(), "cannot be read")],
)
def test_an_unreadable_ocsp_response_fails(
    server: BankIDTestServer, signed: dict[str, str], ocsp_response: str, detail: str
) -> None:
    name, found = first_failure(verify_test(server, dict(signed, ocspResponse=ocsp_response)))
    assert name == "ocsp"
    assert detail in found


def build_ocsp(
    server: BankIDTestServer,
    signed: dict[str, str],
    responder: Credential,
    *,
    status: ocsp.OCSPCertStatus = ocsp.OCSPCertStatus.GOOD,
) -> str:
    """An OCSP response about the signer, made by `responder`, with the right nonce."""
    document = base64.b64decode(signed["signature"])
    leaf_der = base64.b64decode(document.split(b"<X509Certificate>")[1].split(b"<")[0])
    now = datetime.now(UTC)
    revoked = status == ocsp.OCSPCertStatus.REVOKED
    response = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=x509.load_der_x509_certificate(leaf_der),
            issuer=server.ca.issuing.certificate,
            algorithm=hashes.SHA256(),
            cert_status=status,
            this_update=now,
            next_update=None,
            revocation_time=now if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.NAME, responder.certificate)
        .certificates([responder.certificate])
        .add_extension(
            x509.OCSPNonce(hashlib.sha1(signed["signature"].encode()).digest()),  # noqa: S324 - BankID's nonce
            critical=False,
        )
        .sign(responder.key, hashes.SHA256())
    )
    return base64.b64encode(response.public_bytes(serialization.Encoding.DER)).decode()


def test_the_issuer_itself_may_answer_ocsp(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    response = build_ocsp(server, signed, server.ca.issuing)
    assert verify_test(server, dict(signed, ocspResponse=response)).complete


def test_a_revoked_signer_fails(server: BankIDTestServer, signed: dict[str, str]) -> None:
    response = build_ocsp(server, signed, server.ca.responder, status=ocsp.OCSPCertStatus.REVOKED)
    result = verify_test(server, dict(signed, ocspResponse=response))
    assert first_failure(result) == ("ocsp", "the OCSP status of the signer is REVOKED")


def test_an_ocsp_responder_from_elsewhere_fails(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    stranger = CertificateAuthority(None).responder
    response = build_ocsp(server, signed, stranger)
    name, detail = first_failure(verify_test(server, dict(signed, ocspResponse=response)))
    assert name == "ocsp"
    assert "is not issued by 'Intyga Testbank Customer CA1" in detail


def test_a_responder_without_the_ocsp_purpose_fails(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    user = server.ca.user("199001011007", "Anna", "Svensson")
    response = build_ocsp(server, signed, user)
    name, detail = first_failure(verify_test(server, dict(signed, ocspResponse=response)))
    assert name == "ocsp"
    assert "may not sign OCSP responses" in detail


def test_a_forged_ocsp_signature_fails(server: BankIDTestServer, signed: dict[str, str]) -> None:
    genuine = base64.b64decode(build_ocsp(server, signed, server.ca.responder))
    signature = ocsp.load_der_ocsp_response(genuine).signature
    forged = genuine.replace(signature, bytes(len(signature)))
    response = base64.b64encode(forged).decode()
    result = verify_test(server, dict(signed, ocspResponse=response))
    assert first_failure(result) == ("ocsp", "the OCSP response signature is not valid")


def test_an_identification_signs_no_visible_text_unless_sent(
    server: BankIDTestServer, complete: Complete
) -> None:
    completion = complete("auth")
    result = verify_test(
        server, completion, visible_data=None, non_visible_data=None, func_id="Identification"
    )
    assert result.complete, result.failure
    claimed = verify_test(server, completion, non_visible_data=None, func_id="Identification")
    assert first_failure(claimed) == ("visible_data", "missing from the signed data")


def test_input_of_the_wrong_type_fails_instead_of_raising() -> None:
    result = verify_signature(
        123,  # type: ignore[arg-type]
        visible_data=None,
        non_visible_data=None,
        func_id="Signing",
    )
    assert first_failure(result) == (
        "unexpected",
        "verification stopped on an unexpected TypeError",
    )


def sign_with(key: object, chain: list[x509.Certificate]) -> bytes:
    content = SignedContent(
        func_id="Signing",
        user_visible_data=base64.b64encode(VISIBLE.encode()).decode(),
        user_non_visible_data=base64.b64encode(DOCUMENT_HASH).decode(),
        service_name=DEFAULT_SERVICE_NAME,
        service_display_name="Intyga (test)",
        nonce=b"\x00" * 20,
        uhi="uhi",
        certificate_policy="1.2.3.4.25",
    )
    assert isinstance(key, rsa.RSAPrivateKey)
    return sign_document(content, key, chain)


def test_a_chain_with_a_missing_link_fails(server: BankIDTestServer) -> None:
    user = server.ca.user("191212121212", "Tolvan", "Tolvansson")
    document = sign_with(user.key, [user.certificate, server.ca.root.certificate])
    result = verify_signature(
        document,
        visible_data=VISIBLE,
        non_visible_data=DOCUMENT_HASH,
        func_id="Signing",
        trusted_roots=[server.root_certificate],
    )
    name, detail = first_failure(result)
    assert name == "certificate_chain"
    assert "'Tolvan Tolvansson' is not issued by 'Intyga BankID Test Root CA v1'" in detail


def test_a_ca_certificate_cannot_be_the_signer(server: BankIDTestServer) -> None:
    issuing = server.ca.issuing
    document = sign_with(issuing.key, [issuing.certificate, server.ca.root.certificate])
    result = verify_signature(
        document, visible_data=VISIBLE, non_visible_data=DOCUMENT_HASH, func_id="Signing"
    )
    assert first_failure(result)[0] == "certificate_chain"
    assert "is a CA certificate" in first_failure(result)[1]


def test_without_ocsp_a_signature_is_ok_but_not_complete(
    server: BankIDTestServer, signed: dict[str, str]
) -> None:
    result = verify_test(server, signed, ocsp_response=None)
    assert result.ok
    assert not result.complete
    assert result.signing_time is None
