"""The seal's long-term evidence: B-LT on every sealed file (a timestamp from the TSA over HTTP,
the chains and OCSP answers of the seal, the TSA and the BankID signers), B-LTA by archive
timestamps, all verified offline, by us and by tools we did not write (xmlsec1, signxml,
OpenSSL)."""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml.verifier import SignatureConfiguration, XMLVerifier

from signing.document import CertificateDocument, evidence_document
from signing.longterm import XADES141, LongTermError
from signing.seal import DS, XADES, ServiceSeal, add_archive_timestamp, seal_xml, verify_seal_xml
from signing.testpki import RunningPKI, TestPKI
from signing.timestamps import verify_timestamp
from tests.signing.openssl import openssl_verifies_timestamp

# xmlsec1 finds the elements the seal references by these Id attributes.
XMLSEC_IDS = [
    "--id-attr:Id",
    f"{XADES}:SignedProperties",
    "--id-attr:Id",
    f"{DS}:KeyInfo",
]


@pytest.fixture(scope="session")
def lt_seal(test_pki: RunningPKI) -> ServiceSeal:
    """The test PKI's seal, timestamped by its TSA: what the app seals with."""
    return replace(
        test_pki.pki.service_seal(),
        tsa_url=test_pki.tsa_url,
        roots=(test_pki.pki.root.certificate,),
    )


@pytest.fixture(scope="session")
def root(test_pki: RunningPKI) -> x509.Certificate:
    return test_pki.pki.root.certificate


@pytest.fixture(scope="session")
def sealed_lt(signed_document: CertificateDocument, lt_seal: ServiceSeal) -> bytes:
    return seal_xml(evidence_document(signed_document), lt_seal)


@pytest.fixture(scope="session")
def sealed_lta(sealed_lt: bytes, lt_seal: ServiceSeal) -> bytes:
    """Archived, then renewed: two archive timestamps."""
    return add_archive_timestamp(add_archive_timestamp(sealed_lt, lt_seal), lt_seal)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No connection can be made: verification must need none."""

    def refuse(*_: object) -> None:
        raise AssertionError("verification tried to connect")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def _unsigned(data: bytes) -> etree._Element:
    found = etree.fromstring(data).find(f".//{{{XADES}}}UnsignedSignatureProperties")
    assert found is not None
    return found


def _texts(element: etree._Element, tag: str) -> list[bytes]:
    return [base64.b64decode(e.text or "") for e in element.iter(tag)]


@pytest.mark.usefixtures("offline")
def test_every_sealed_file_is_b_lt_and_verifies_offline(
    sealed_lt: bytes, root: x509.Certificate, test_pki: RunningPKI
) -> None:
    result = verify_seal_xml(sealed_lt, trusted=[root])
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LT"
    assert result.detail.endswith("(XAdES B-LT)")
    stamp = result.evidence.timestamp
    assert stamp is not None
    assert stamp.authority == "Intyga Test TSA"
    assert abs(stamp.time - test_pki.pki.now()) < timedelta(minutes=5)
    assert [c.subject for c in result.evidence.path] == [
        test_pki.pki.seal.certificate.subject,
        test_pki.pki.seal_ca.certificate.subject,
        root.subject,
    ]


def test_the_file_carries_the_chains_and_ocsp_answers_of_the_seal_tsa_and_signers(
    sealed_lt: bytes, signed_document: CertificateDocument, test_pki: RunningPKI
) -> None:
    unsigned = _unsigned(sealed_lt)
    assert [etree.QName(e).localname for e in unsigned] == [
        "SignatureTimeStamp",
        "CertificateValues",
        "RevocationValues",
    ]
    carried = [
        x509.load_der_x509_certificate(der)
        for der in _texts(unsigned, f"{{{XADES}}}EncapsulatedX509Certificate")
    ]
    assert test_pki.pki.root.certificate in carried
    assert test_pki.pki.tsa.certificate in carried
    signers = {c.subject.rfc4514_string() for c in carried}
    assert any("198001011231" in name for name in signers)
    assert any("191212121212" in name for name in signers)
    answers = _texts(unsigned, f"{{{XADES}}}EncapsulatedOCSPValue")
    bankid = [base64.b64decode(e.ocsp_response) for e in signed_document.evidence]
    assert all(answer in answers for answer in bankid)
    # The seal, its CA and the TSA: one answer each, beside the two signers'.
    assert len(answers) == 3 + len(bankid)


def test_the_signature_timestamp_covers_the_canonical_signature_value(
    sealed_lt: bytes, root: x509.Certificate, tmp_path: Path
) -> None:
    """XAdES: the imprint is over ds:SignatureValue canonicalised as the timestamp says; OpenSSL
    agrees on the bytes we give it."""
    tree = etree.fromstring(sealed_lt)
    value = tree.find(f".//{{{DS}}}SignatureValue")
    assert value is not None
    stamp = tree.find(f".//{{{XADES}}}SignatureTimeStamp")
    assert stamp is not None
    method = stamp.find(f"{{{DS}}}CanonicalizationMethod")
    assert method is not None
    assert method.get("Algorithm") == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    (token,) = _texts(stamp, f"{{{XADES}}}EncapsulatedTimeStamp")
    data = etree.tostring(value, method="c14n")
    assert verify_timestamp(token, data, roots=[root]).authority == "Intyga Test TSA"
    openssl_verifies_timestamp(tmp_path, token, data, root)


def test_only_the_configured_root_is_trusted(sealed_lt: bytes, lt_seal: ServiceSeal) -> None:
    other = TestPKI(None, "http://127.0.0.1:1/pki-test")
    refused = verify_seal_xml(sealed_lt, trusted=[other.root.certificate])
    assert not refused.ok
    assert "not" in refused.detail
    assert not verify_seal_xml(sealed_lt, trusted=[]).ok
    # Pinning the seal's own certificate is not enough: the timestamp needs its root too.
    assert not verify_seal_xml(sealed_lt, trusted=[lt_seal.certificate]).ok


def test_one_changed_byte_anywhere_is_refused(sealed_lt: bytes, root: x509.Certificate) -> None:
    unsigned = sealed_lt.index(b"<xades:UnsignedProperties")
    positions = [*range(0, unsigned, unsigned // 40), *range(unsigned, len(sealed_lt), 97)]
    for position in positions:
        changed = bytearray(sealed_lt)
        changed[position] ^= 0x01
        assert not verify_seal_xml(bytes(changed), trusted=[root]).ok, (
            position,
            sealed_lt[position - 20 : position + 20],
        )


def _edited(data: bytes, edit: str) -> bytes:
    tree = etree.fromstring(data)
    unsigned = tree.find(f".//{{{XADES}}}UnsignedSignatureProperties")
    assert unsigned is not None
    if edit == "drop an OCSP answer":
        values = unsigned.find(f"{{{XADES}}}RevocationValues/{{{XADES}}}OCSPValues")
        assert values is not None
        values.remove(values[0])
    elif edit == "add a certificate":
        values = unsigned.find(f"{{{XADES}}}CertificateValues")
        assert values is not None
        extra = TestPKI(None, "http://127.0.0.1:1").root.certificate
        element = etree.SubElement(values, f"{{{XADES}}}EncapsulatedX509Certificate")
        element.text = base64.b64encode(extra.public_bytes(serialization.Encoding.DER)).decode()
    elif edit == "drop the timestamp":
        unsigned.remove(unsigned[0])
    elif edit == "swap the values":
        unsigned.insert(1, unsigned[2])
    return etree.tostring(tree, encoding="UTF-8")


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ("drop an OCSP answer", "no good OCSP answer"),
        ("add a certificate", "no checked path uses"),
        ("drop the timestamp", "not in the XAdES shape"),
        ("swap the values", "not in the XAdES shape"),
    ],
)
def test_evidence_that_is_missing_or_unexplained_fails(
    sealed_lt: bytes, root: x509.Certificate, edit: str, says: str
) -> None:
    result = verify_seal_xml(_edited(sealed_lt, edit), trusted=[root])
    assert not result.ok
    assert says in result.detail


@pytest.mark.usefixtures("offline")
def test_archive_timestamps_make_b_lta_and_renewal_adds_validation_data(
    sealed_lta: bytes, root: x509.Certificate
) -> None:
    result = verify_seal_xml(sealed_lta, trusted=[root])
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LTA"
    first, second = result.evidence.archive
    assert result.evidence.timestamp is not None
    assert result.evidence.timestamp.time <= first.time <= second.time
    tags = [etree.QName(e).localname for e in _unsigned(sealed_lta)]
    assert tags[3:] == ["ArchiveTimeStamp", "TimeStampValidationData", "ArchiveTimeStamp"]
    assert etree.fromstring(sealed_lta).find(f".//{{{XADES141}}}ArchiveTimeStamp") is not None


def test_a_changed_archive_timestamp_or_what_it_covers_fails(
    sealed_lta: bytes, root: x509.Certificate
) -> None:
    last = sealed_lta.rindex(b"EncapsulatedTimeStamp>") + 60
    for position in (last, sealed_lta.index(b"<xades141:TimeStampValidationData") + 80):
        changed = bytearray(sealed_lta)
        changed[position] ^= 0x01
        assert not verify_seal_xml(bytes(changed), trusted=[root]).ok, position


def test_only_a_long_term_seal_is_archived(lt_seal: ServiceSeal, service_seal: ServiceSeal) -> None:
    bare = seal_xml(b'<a xmlns="urn:x"><b>x</b></a>', service_seal)
    with pytest.raises(LongTermError, match="B-LT"):
        add_archive_timestamp(bare, lt_seal)


def test_sealing_fails_loudly_when_the_tsa_does_not_answer(
    signed_document: CertificateDocument, lt_seal: ServiceSeal
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/tsa"
    with pytest.raises(LongTermError, match="gave no timestamp"):
        seal_xml(evidence_document(signed_document), replace(lt_seal, tsa_url=closed))


def _xmlsec1(
    tmp_path: Path, data: bytes, root: x509.Certificate
) -> subprocess.CompletedProcess[str]:
    program = shutil.which("xmlsec1")
    if program is None:
        pytest.skip("xmlsec1 is not installed (make system-packages)")
    (tmp_path / "sealed.xml").write_bytes(data)
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return subprocess.run(  # noqa: S603 - a fixed program and arguments
        [program, "--verify", "--trusted-pem", "root.pem", *XMLSEC_IDS, "sealed.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_xmlsec1_verifies_the_seal_with_the_test_root(
    sealed_lta: bytes, root: x509.Certificate, tmp_path: Path
) -> None:
    checked = _xmlsec1(tmp_path, sealed_lta, root)
    assert checked.returncode == 0, checked.stderr
    assert "SignedInfo References (ok/all): 3/3" in checked.stderr + checked.stdout
    other = TestPKI(None, "http://127.0.0.1:1").root.certificate
    assert _xmlsec1(tmp_path, sealed_lta, other).returncode != 0
    position = sealed_lta.index(b"<ds:SignatureValue>") + 30
    changed = bytearray(sealed_lta)
    changed[position] ^= 0x01
    assert _xmlsec1(tmp_path, bytes(changed), root).returncode != 0


def test_signxml_verifies_the_seal_through_its_chain(
    sealed_lt: bytes, root: x509.Certificate, tmp_path: Path
) -> None:
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    verified = XMLVerifier().verify(
        sealed_lt,
        ca_pem_file=str(tmp_path / "root.pem"),
        expect_config=SignatureConfiguration(expect_references=3),
    )
    assert isinstance(verified, list)
    assert len(verified) == 3
