"""The service seal: XAdES-BES over the whole document, pinned, and strict about every byte."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from signing.document import evidence_document, read_document
from signing.seal import (
    CERT_FILE,
    DEFAULT_MAX_BYTES,
    DS,
    KEY_FILE,
    XADES,
    ServiceSeal,
    seal_xml,
    verify_seal_xml,
)
from tests.signing.conftest_seal import make_document


@pytest.fixture(scope="module")
def sealed(service_seal: ServiceSeal) -> bytes:
    return seal_xml(evidence_document(make_document()), service_seal)


def refused(
    data: bytes,
    seal: ServiceSeal,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    verification_time: datetime | None = None,
) -> str:
    result = verify_seal_xml(
        data, trusted=[seal.certificate], max_bytes=max_bytes, verification_time=verification_time
    )
    assert not result.ok
    assert result.root is None
    return result.detail


def test_a_sealed_document_verifies_and_gives_back_what_was_sealed(
    sealed: bytes, service_seal: ServiceSeal
) -> None:
    ok, detail, root, _ = verify_seal_xml(sealed, trusted=[service_seal.certificate])
    assert ok, detail
    assert detail.startswith("sealed by Intyga elektronisk stämpel at 20")
    assert root is not None
    assert read_document(root) == make_document()


def test_the_seal_is_xades_bes_enveloped_last_in_the_document(sealed: bytes) -> None:
    root = etree.fromstring(sealed)
    signature = root[-1]
    assert signature.tag == f"{{{DS}}}Signature"
    references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    assert [r.get("URI", "")[:1] for r in references] == ["", "#", "#"]
    assert references[1].get("Type") == "http://uri.etsi.org/01903#SignedProperties"
    method = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}SignatureMethod")
    assert method is not None
    assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    properties = f"{{{XADES}}}SignedProperties/{{{XADES}}}SignedSignatureProperties"
    assert signature.find(f".//{properties}/{{{XADES}}}SigningCertificateV2") is not None
    assert b">\n" not in sealed  # never pretty-printed


def test_the_seal_is_made_once_and_then_loaded(tmp_path: Path) -> None:
    first = ServiceSeal.load_or_create(tmp_path / "seal", common_name="Testets stämpel")
    assert stat.S_IMODE((tmp_path / "seal" / KEY_FILE).stat().st_mode) == 0o600
    again = ServiceSeal.load_or_create(tmp_path / "seal")
    assert again.certificate == first.certificate
    assert "Testets stämpel" in first.certificate.subject.rfc4514_string()
    assert first.certificate_pem.startswith(b"-----BEGIN CERTIFICATE-----")


def test_a_certificate_that_is_not_the_keys_is_refused(
    tmp_path: Path, service_seal: ServiceSeal, other_seal: ServiceSeal
) -> None:
    (tmp_path / KEY_FILE).write_bytes(service_seal.private_key_pem)
    (tmp_path / CERT_FILE).write_bytes(other_seal.certificate_pem)
    with pytest.raises(ValueError, match="not the certificate"):
        ServiceSeal.from_files(tmp_path / KEY_FILE, tmp_path / CERT_FILE)


def test_an_rsa_production_key_seals_with_rsa_sha256(
    tmp_path: Path, service_seal: ServiceSeal
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Intyga produktionsstämpel")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(b"hemligt")
    pkcs8 = serialization.PrivateFormat.PKCS8
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, pkcs8, encryption)
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    seal = ServiceSeal.from_files(tmp_path / "key.pem", tmp_path / "cert.pem", password=b"hemligt")
    sealed = seal_xml(evidence_document(make_document()), seal)
    assert b"xmldsig-more#rsa-sha256" in sealed
    assert verify_seal_xml(sealed, trusted=[service_seal.certificate, certificate]).ok


def test_another_seal_certificate_is_not_trusted(
    sealed: bytes, other_seal: ServiceSeal, service_seal: ServiceSeal
) -> None:
    assert "not trusted" in refused(sealed, other_seal)
    assert not verify_seal_xml(sealed, trusted=[]).ok
    assert verify_seal_xml(sealed, trusted=[other_seal.certificate, service_seal.certificate]).ok


def test_a_seal_is_checked_at_the_given_time(sealed: bytes, service_seal: ServiceSeal) -> None:
    late = service_seal.certificate.not_valid_after_utc + timedelta(days=1)
    assert "InvalidCertificate" in refused(sealed, service_seal, verification_time=late)
    now = datetime.now(UTC)
    assert verify_seal_xml(sealed, trusted=[service_seal.certificate], verification_time=now).ok


@pytest.mark.parametrize(
    ("find", "replacement"),
    [
        (b">Snickare<", b">Snickarn<"),  # content
        (b'version="1"', b'version="2"'),  # header
        (b"<ds:SignatureValue>", b'<ds:SignatureValue Id="x">'),  # outside every reference
        (b'Target="#', b'Target="#x'),  # the one XAdES attribute nothing digests
        (b"<Befattning>", b"<!-- chef --><Befattning>"),
        (b"<Befattning>", b"<?pi x?><Befattning>"),
        (b"<Befattning>", b"<Befattning\n>"),  # the same to a parser, other bytes
        (
            b'id="7f0c2d0e-5b1a-4e0e-9a57-3c1f2b6d9e41"',
            b"id='7f0c2d0e-5b1a-4e0e-9a57-3c1f2b6d9e41'",
        ),
    ],
)
def test_a_changed_document_is_refused(
    sealed: bytes, service_seal: ServiceSeal, find: bytes, replacement: bytes
) -> None:
    assert find in sealed
    refused(sealed.replace(find, replacement, 1), service_seal)


def test_a_second_signature_or_a_moved_one_is_refused(
    sealed: bytes, service_seal: ServiceSeal
) -> None:
    root = etree.fromstring(sealed)
    signature = root[-1]
    root.insert(0, etree.fromstring(etree.tostring(signature)))
    assert "exactly one seal" in refused(etree.tostring(root, encoding="UTF-8"), service_seal)
    root = etree.fromstring(sealed)
    root.insert(0, root[-1])
    assert "exactly one seal" in refused(etree.tostring(root, encoding="UTF-8"), service_seal)


@pytest.mark.parametrize(
    "prefix",
    [
        b'<!DOCTYPE a [<!ENTITY x "y">]>',
        b'<!DOCTYPE a SYSTEM "http://example.com/a.dtd">',
        b"<?xml version='1.0' encoding='UTF-8'?>",
    ],
)
def test_dtds_entities_and_declarations_are_refused(
    sealed: bytes, service_seal: ServiceSeal, prefix: bytes
) -> None:
    refused(prefix + sealed, service_seal)


def test_an_entity_bomb_is_refused_before_parsing(service_seal: ServiceSeal) -> None:
    bomb = (
        b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<l>&b;</l>"
    )
    assert "DOCTYPE" in refused(bomb, service_seal)


def test_truncated_and_oversized_documents_are_refused(
    sealed: bytes, service_seal: ServiceSeal
) -> None:
    for end in (0, 1, len(sealed) // 2, len(sealed) - 1):
        refused(sealed[:end], service_seal)
    assert "limit" in refused(sealed, service_seal, max_bytes=len(sealed) - 1)


def test_one_changed_byte_anywhere_is_refused(sealed: bytes, service_seal: ServiceSeal) -> None:
    signature_value = sealed.index(b"<ds:SignatureValue>") + 30
    certificate = sealed.index(b"<ds:X509Certificate>") + 40
    properties = sealed.index(b"<xades:SigningTime>") + 22
    positions = [*range(0, len(sealed), len(sealed) // 120), len(sealed) - 2]
    positions += [signature_value, certificate, properties]
    for position in positions:
        for flip in (0x01, 0x20):
            changed = bytearray(sealed)
            changed[position] ^= flip
            assert not verify_seal_xml(bytes(changed), trusted=[service_seal.certificate]).ok, (
                position,
                sealed[position - 20 : position + 20],
            )


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_garbage_fails_and_never_raises(data: bytes) -> None:
    result = verify_seal_xml(data, trusted=[])
    assert not result.ok
