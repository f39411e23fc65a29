"""The seal's long-term evidence as XAdES unsigned properties: B-T, B-LT and B-LTA.

- B-T: a SignatureTimeStamp, an RFC 3161 token over the canonical ds:SignatureValue, proves the
  seal existed at that time (not the service's own clock).
- B-LT: CertificateValues and RevocationValues carry every certificate and OCSP answer needed to
  verify offline: the seal's chain, the TSA's, and the BankID signers' already in the document.
- B-LTA: an ArchiveTimeStamp (XAdES 1.4.1) over the signature and everything before it keeps that
  evidence verifiable after its certificates expire or its algorithms age; renewing adds the newer
  TSA's validation data (TimeStampValidationData) and another ArchiveTimeStamp over it all.

Unsigned properties sit in the seal's ds:Object, outside what the signature covers, so the
verifier accounts for every one of them: each certificate and OCSP answer must be used by a path
it checks or be one of the BankID signers', and any that fails fails the seal.
"""

from __future__ import annotations

import base64
import binascii
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from signing.bankid.pki import CLOCK_SKEW, PkiError, check_chain, check_ocsp_status, describe
from signing.document import DocumentError, read_document
from signing.revocation import fetch_ocsp, needs_revocation_data
from signing.timestamps import Timestamp, request_timestamp, timestamp_chain, verify_timestamp

if TYPE_CHECKING:
    from signing.seal import ServiceSeal

DS: Final = "http://www.w3.org/2000/09/xmldsig#"
XADES: Final = "http://uri.etsi.org/01903/v1.3.2#"
XADES141: Final = "http://uri.etsi.org/01903/v1.4.1#"
C14N: Final = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
Level = Literal["B-B", "B-T", "B-LT", "B-LTA"]

_UNSIGNED = f"{{{XADES}}}UnsignedProperties"
_UNSIGNED_SIGNATURE = f"{{{XADES}}}UnsignedSignatureProperties"
_SIGNATURE_TIMESTAMP = f"{{{XADES}}}SignatureTimeStamp"
_CERTIFICATE_VALUES = f"{{{XADES}}}CertificateValues"
_REVOCATION_VALUES = f"{{{XADES}}}RevocationValues"
_OCSP_VALUES = f"{{{XADES}}}OCSPValues"
_ENCAPSULATED_CERTIFICATE = f"{{{XADES}}}EncapsulatedX509Certificate"
_ENCAPSULATED_OCSP = f"{{{XADES}}}EncapsulatedOCSPValue"
_ENCAPSULATED_TIMESTAMP = f"{{{XADES}}}EncapsulatedTimeStamp"
_ARCHIVE_TIMESTAMP = f"{{{XADES141}}}ArchiveTimeStamp"
_VALIDATION_DATA = f"{{{XADES141}}}TimeStampValidationData"
_CANONICALIZATION = f"{{{DS}}}CanonicalizationMethod"


class LongTermError(ValueError):
    """The long-term properties cannot be made, or do not hold; the message says why."""


@dataclass(frozen=True)
class LongTerm:
    """What the seal's unsigned properties prove: the level, and the timestamps that hold."""

    level: Level
    timestamp: Timestamp | None = None
    archive: tuple[Timestamp, ...] = ()
    path: tuple[x509.Certificate, ...] = ()


@dataclass
class _Material:
    """Certificates and DER OCSP answers, without repeats, in the order found."""

    certificates: list[x509.Certificate] = field(default_factory=list)
    ocsp: list[bytes] = field(default_factory=list)

    def add(self, certificates: Iterable[x509.Certificate], ocsp: Iterable[bytes] = ()) -> None:
        self.certificates.extend(c for c in certificates if c not in self.certificates)
        self.ocsp.extend(o for o in ocsp if o not in self.ocsp)


def canonical(element: etree._Element) -> bytes:
    """Inclusive C14N 1.0 without comments, the method every timestamp here names."""
    return etree.tostring(element, method="c14n", exclusive=False, with_comments=False)


def bankid_material(document: etree._Element) -> _Material:
    """The BankID signers' certificates and OCSP answers in a certificate document (none when
    `document` is not one)."""
    found = _Material()
    try:
        doc = read_document(document)
    except DocumentError:
        return found
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for evidence in doc.evidence:
        try:
            signed = etree.fromstring(base64.b64decode(evidence.signature), parser)
            texts = [e.text for e in signed.iter(f"{{{DS}}}X509Certificate")]
            certificates = [_certificate(text) for text in texts]
            answer = base64.b64decode(evidence.ocsp_response, validate=True)
        except (ValueError, etree.XMLSyntaxError):
            continue  # the BankID check reports it; here it just brings no material
        found.add(certificates, [answer])
    return found


def add_long_term(
    signature: etree._Element, seal: ServiceSeal, bankid: _Material | None = None
) -> None:
    """Make the seal B-LT: timestamp its SignatureValue at the seal's TSA, then add the chains and
    OCSP answers of the seal, the TSA and the BankID signers. Raises LongTermError."""
    if not seal.tsa_url:
        raise LongTermError("no TSA is configured")
    value = _child(signature, f"{{{DS}}}SignatureValue")
    token = _timestamp(seal, canonical(value))
    seal_path = _path(seal.certificate, [*seal.chain, *seal.roots])
    tsa_path = timestamp_chain(token, [*seal.chain, *seal.roots])
    material = _Material()
    in_key_info = [seal.certificate, *seal.chain]
    material.add(c for c in [*seal_path, *tsa_path] if c not in in_key_info)
    material.add([], _fetch_all([seal_path, tsa_path], seal))
    if bankid is not None:
        material.add(bankid.certificates, bankid.ocsp)
    unsigned = _unsigned_signature_properties(signature)
    stamp = etree.SubElement(unsigned, _SIGNATURE_TIMESTAMP)
    stamp.set("Id", _timestamp_id(stamp))
    _write_token(stamp, token)
    _write_values(unsigned, material)


def add_archive_timestamp(signature: etree._Element, seal: ServiceSeal) -> None:
    """Make the seal B-LTA, or renew it: validation data for the latest timestamp's TSA (on
    renewal), then an ArchiveTimeStamp over the signature and all its evidence. Raises
    LongTermError."""
    unsigned = signature.find(f".//{_UNSIGNED_SIGNATURE}")
    if unsigned is None or unsigned.find(_REVOCATION_VALUES) is None:
        raise LongTermError("only a seal at B-LT or above gets an archive timestamp")
    if not seal.tsa_url:
        raise LongTermError("no TSA is configured")
    previous = unsigned.findall(_ARCHIVE_TIMESTAMP)
    if previous:
        token = _read_token(previous[-1])
        tsa_path = timestamp_chain(token, [*seal.roots, *_carried(unsigned)])
        material = _Material()
        material.add([], _fetch_all([tsa_path], seal))
        carried = _carried(unsigned)
        material.add(c for c in tsa_path if c not in carried)
        data = etree.SubElement(unsigned, _VALIDATION_DATA, nsmap={"xades141": XADES141})
        _write_values(data, material)
    token = _timestamp(seal, _archive_input(signature, list(unsigned)))
    archive = etree.SubElement(unsigned, _ARCHIVE_TIMESTAMP, nsmap={"xades141": XADES141})
    archive.set("Id", _timestamp_id(archive))
    _write_token(archive, token)


def verify_long_term(
    signature: etree._Element,
    *,
    carried: Sequence[x509.Certificate],
    trusted: Sequence[x509.Certificate],
    at: datetime,
) -> LongTerm:
    """Check the seal's path to a trust anchor and its unsigned properties, offline. `carried` is
    KeyInfo's certificates, the seal's first. The path is judged at the time the signature
    timestamp proves, or at `at` without one. Raises LongTermError; an absent property only lowers
    the level."""
    leaf, above = carried[0], list(carried[1:])
    properties = signature.find(f"{{{DS}}}Object/{{{XADES}}}QualifyingProperties")
    unsigned = None if properties is None else properties.find(_UNSIGNED)
    if unsigned is None:
        return LongTerm("B-B", path=tuple(trusted_path(leaf, above, trusted, at)))
    children = _unsigned_children(unsigned)
    value = canonical(_child(signature, f"{{{DS}}}SignatureValue"))
    pool = [*carried, *trusted]
    if len(children) == 1:
        stamp = _verify_token(children[0], value, trusted, pool)
        path = trusted_path(leaf, above, trusted, stamp.time)
        return LongTerm("B-T", stamp, path=tuple(path))
    timestamp, certificates, revocation = children[:3]
    values = _Values(_read_certificates(certificates), _read_ocsp(revocation))
    pool.extend(values.certificates)
    stamp = _verify_token(timestamp, value, trusted, pool)
    path = trusted_path(leaf, [*above, *values.certificates], trusted, stamp.time)
    _revocation_for(path, stamp.time, values, trusted)
    _revocation_for(stamp.chain, stamp.time, values, trusted)
    bankid = bankid_material(_enveloped(signature))
    values.explain(bankid.certificates, bankid.ocsp)
    values.explain([*trusted, *carried])
    values.require_all_explained()
    renewed: list[Timestamp] = []
    latest = stamp
    for position, element in enumerate(children[3:], start=3):
        if element.tag == _VALIDATION_DATA:
            certificates, revocation = _validation_data_children(element)
            more = _Values(_read_certificates(certificates), _read_ocsp(revocation))
            pool.extend(more.certificates)
            _revocation_for(latest.chain, latest.time, more, trusted)
            more.require_all_explained()
            continue
        latest = _verify_token(
            element, _archive_input(signature, children[:position]), trusted, pool
        )
        renewed.append(latest)
    return LongTerm("B-LTA" if renewed else "B-LT", stamp, tuple(renewed), tuple(path))


class _Values:
    """CertificateValues and OCSP answers as read, and which of them a checked path used."""

    def __init__(self, certificates: list[x509.Certificate], ocsp: list[bytes]) -> None:
        self.certificates = certificates
        self.ocsp = ocsp
        self._used_certificates: set[bytes] = set()
        self._used_ocsp: set[bytes] = set()

    def explain(self, certificates: Iterable[x509.Certificate], ocsp: Iterable[bytes] = ()) -> None:
        self._used_certificates.update(_der(c) for c in certificates)
        self._used_ocsp.update(ocsp)

    def use_ocsp(self, answer: bytes) -> None:
        self._used_ocsp.add(answer)

    def require_all_explained(self) -> None:
        for certificate in self.certificates:
            if _der(certificate) not in self._used_certificates:
                raise LongTermError(
                    f"the file carries a certificate no checked path uses ({describe(certificate)})"
                )
        if any(answer not in self._used_ocsp for answer in self.ocsp):
            raise LongTermError("the file carries an OCSP answer no checked path uses")


def _revocation_for(
    path: Sequence[x509.Certificate],
    at: datetime,
    values: _Values,
    trusted: Sequence[x509.Certificate],
) -> None:
    """Each certificate of `path` that needs it has a good OCSP answer in `values`, made after
    `at` (the time the timestamp proves) and while the certificate was valid."""
    values.explain(path)
    for certificate, issuer in itertools.pairwise(path):
        if not needs_revocation_data(certificate):
            continue
        for answer in values.ocsp:
            try:
                response = check_ocsp_status(answer, leaf=certificate, issuer=issuer, roots=trusted)
            except PkiError:
                continue
            produced = response.produced_at_utc
            if produced >= at - CLOCK_SKEW and produced <= certificate.not_valid_after_utc:
                values.use_ocsp(answer)
                break
        else:
            raise LongTermError(
                f"the file carries no good OCSP answer for {describe(certificate)} made after "
                f"{at.isoformat()}"
            )


def _path(leaf: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """`leaf` and its issuers from `pool`, up to a self-signed root if there is one."""
    path = [leaf]
    while path[-1].issuer != path[-1].subject:
        issuer = next((c for c in pool if c.subject == path[-1].issuer and c not in path), None)
        if issuer is None:
            break
        path.append(issuer)
    return path


def trusted_path(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    trusted: Sequence[x509.Certificate],
    at: datetime,
) -> list[x509.Certificate]:
    """The seal's path to a trust anchor at `at`: through the carried CA certificates to a
    trusted root, else the certificate itself when pinned (a seal made before it had a chain).
    Raises LongTermError."""
    chain = _path(leaf, carried)
    try:
        root = check_chain(chain, [c for c in trusted if c != leaf], at)
    except PkiError as exc:
        if leaf in trusted:
            return [leaf]
        raise LongTermError(f"the seal's certificate is not trusted: {exc}") from exc
    if root is None:
        if leaf in trusted:
            return [leaf]
        raise LongTermError("the seal's certificate is not trusted: no root is configured")
    return chain if chain[-1] == root else [*chain, root]


def _fetch_all(paths: Iterable[Sequence[x509.Certificate]], seal: ServiceSeal) -> list[bytes]:
    answers = []
    for path in paths:
        if path[-1].issuer != path[-1].subject and path[-1] not in seal.roots:
            raise LongTermError(
                f"the chain of {describe(path[0])} does not reach a root in SEAL_ROOTS"
            )
        for certificate, issuer in itertools.pairwise(path):
            if needs_revocation_data(certificate):
                try:
                    answers.append(fetch_ocsp(certificate, issuer, timeout=seal.tsa_timeout))
                except Exception as exc:
                    raise LongTermError(str(exc)) from exc
    return answers


def _timestamp(seal: ServiceSeal, data: bytes) -> bytes:
    assert seal.tsa_url is not None  # noqa: S101 - checked by the callers
    try:
        return request_timestamp(seal.tsa_url, data, timeout=seal.tsa_timeout)
    except Exception as exc:
        raise LongTermError(str(exc)) from exc


def _archive_input(signature: etree._Element, before: Sequence[etree._Element]) -> bytes:
    """XAdES 1.4.1 (8.2.1): the data each ds:Reference covers, SignedInfo, SignatureValue and
    KeyInfo, then every unsigned signature property before this timestamp, canonicalised."""
    signed_info = _child(signature, f"{{{DS}}}SignedInfo")
    parts = [
        _referenced(signature, reference) for reference in signed_info.iter(f"{{{DS}}}Reference")
    ]
    for name in ("SignedInfo", "SignatureValue", "KeyInfo"):
        parts.append(canonical(_child(signature, f"{{{DS}}}{name}")))
    parts.extend(canonical(element) for element in before)
    return b"".join(parts)


def _enveloped(signature: etree._Element) -> etree._Element:
    """A copy of the document the seal covers: without the seal, its last element."""
    document = etree.fromstring(canonical(signature.getroottree().getroot()))
    document.remove(document[-1])
    return document


def _referenced(signature: etree._Element, reference: etree._Element) -> bytes:
    uri = reference.get("URI")
    if uri == "":
        return canonical(_enveloped(signature))
    if uri is None or not uri.startswith("#"):
        raise LongTermError("the seal references something outside the document")
    found = signature.getroottree().getroot().xpath("//*[@Id=$id]", id=uri[1:])
    if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], etree._Element):
        raise LongTermError(f"the seal's reference {uri} names no one element")
    return canonical(found[0])


def _unsigned_signature_properties(signature: etree._Element) -> etree._Element:
    properties = signature.find(f"{{{DS}}}Object/{{{XADES}}}QualifyingProperties")
    if properties is None or properties.find(_UNSIGNED) is not None:
        raise LongTermError("the seal already has unsigned properties, or no XAdES properties")
    unsigned = etree.SubElement(properties, _UNSIGNED)
    return etree.SubElement(unsigned, _UNSIGNED_SIGNATURE)


def _write_token(parent: etree._Element, token: bytes) -> None:
    etree.SubElement(parent, _CANONICALIZATION, Algorithm=C14N)
    etree.SubElement(parent, _ENCAPSULATED_TIMESTAMP).text = base64.b64encode(token).decode()


def _write_values(parent: etree._Element, material: _Material) -> None:
    certificates = etree.SubElement(parent, _CERTIFICATE_VALUES)
    for certificate in material.certificates:
        etree.SubElement(certificates, _ENCAPSULATED_CERTIFICATE).text = base64.b64encode(
            _der(certificate)
        ).decode()
    ocsp = etree.SubElement(etree.SubElement(parent, _REVOCATION_VALUES), _OCSP_VALUES)
    for answer in material.ocsp:
        etree.SubElement(ocsp, _ENCAPSULATED_OCSP).text = base64.b64encode(answer).decode()


def _unsigned_children(unsigned: etree._Element) -> list[etree._Element]:
    """The unsigned signature properties, in the one order we write them."""
    if unsigned.attrib or len(unsigned) != 1 or unsigned[0].tag != _UNSIGNED_SIGNATURE:
        raise LongTermError("the seal's unsigned properties are not in the XAdES shape")
    properties = unsigned[0]
    children = list(properties)
    tags = [child.tag for child in children]
    archives = tags[3:]
    expected_archives = (
        [_ARCHIVE_TIMESTAMP] + [_VALIDATION_DATA, _ARCHIVE_TIMESTAMP] * ((len(archives) - 1) // 2)
        if archives
        else []
    )
    if properties.attrib or not (
        tags == [_SIGNATURE_TIMESTAMP]
        or (
            tags[:3] == [_SIGNATURE_TIMESTAMP, _CERTIFICATE_VALUES, _REVOCATION_VALUES]
            and archives == expected_archives
        )
    ):
        raise LongTermError("the seal's unsigned signature properties are not in the XAdES shape")
    return children


def _verify_token(
    element: etree._Element,
    data: bytes,
    trusted: Sequence[x509.Certificate],
    pool: Sequence[x509.Certificate],
) -> Timestamp:
    try:
        return verify_timestamp(_read_token(element), data, roots=trusted, extra_certificates=pool)
    except Exception as exc:
        name = etree.QName(element).localname
        raise LongTermError(f"the {name} does not hold: {exc}") from exc


def _read_token(element: etree._Element) -> bytes:
    """The token of a SignatureTimeStamp or ArchiveTimeStamp, whose Id must be the one we write:
    nothing else covers it."""
    if list(element.attrib.items()) != [("Id", _timestamp_id(element))]:
        raise LongTermError("a timestamp of the seal is not in the XAdES shape")
    if (
        [child.tag for child in element] != [_CANONICALIZATION, _ENCAPSULATED_TIMESTAMP]
        or list(element[0].attrib.items()) != [("Algorithm", C14N)]
        or element[1].attrib
        or len(element[0])
        or element[0].text
    ):
        raise LongTermError("a timestamp of the seal is not in the XAdES shape")
    return _decode(element[1].text)


def _timestamp_id(element: etree._Element) -> str:
    """The Id we give a timestamp: the seal's Id, the kind, and for archive timestamps their
    number in order."""
    unsigned = element.getparent()
    signature = next(element.iterancestors(f"{{{DS}}}Signature"), None)
    if unsigned is None or signature is None:
        raise LongTermError("a timestamp of the seal is not in the XAdES shape")
    if element.tag == _SIGNATURE_TIMESTAMP:
        return f"{signature.get('Id')}-SignatureTimeStamp"
    number = unsigned.findall(_ARCHIVE_TIMESTAMP).index(element) + 1
    return f"{signature.get('Id')}-ArchiveTimeStamp-{number}"


def _read_certificates(element: etree._Element) -> list[x509.Certificate]:
    if element.attrib or element.text or any(c.tag != _ENCAPSULATED_CERTIFICATE for c in element):
        raise LongTermError("the seal's CertificateValues are not in the XAdES shape")
    return [_certificate(child.text, child) for child in element]


def _read_ocsp(element: etree._Element) -> list[bytes]:
    if element.attrib or len(element) != 1 or element[0].tag != _OCSP_VALUES:
        raise LongTermError("the seal's RevocationValues are not in the XAdES shape")
    values = element[0]
    if values.attrib or any(c.tag != _ENCAPSULATED_OCSP or c.attrib or len(c) for c in values):
        raise LongTermError("the seal's OCSPValues are not in the XAdES shape")
    return [_decode(child.text) for child in values]


def _validation_data_children(element: etree._Element) -> tuple[etree._Element, etree._Element]:
    tags = [child.tag for child in element]
    if element.attrib or tags != [_CERTIFICATE_VALUES, _REVOCATION_VALUES]:
        raise LongTermError("the seal's TimeStampValidationData is not in the XAdES shape")
    return element[0], element[1]


def _carried(unsigned: etree._Element) -> list[x509.Certificate]:
    return [_certificate(e.text) for e in unsigned.iter(_ENCAPSULATED_CERTIFICATE)]


def _certificate(text: str | None, element: etree._Element | None = None) -> x509.Certificate:
    if element is not None and (element.attrib or len(element)):
        raise LongTermError("a carried certificate is not in the XAdES shape")
    try:
        return x509.load_der_x509_certificate(_decode(text))
    except ValueError as exc:
        raise LongTermError(f"a carried certificate cannot be read ({exc!s})") from exc


def _decode(text: str | None) -> bytes:
    """Canonical base64 on one line, as we write it: anything else is a change."""
    try:
        der = base64.b64decode(text or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise LongTermError("a value of the seal is not base64") from exc
    if not der or base64.b64encode(der).decode() != text:
        raise LongTermError("a value of the seal is not in canonical base64")
    return der


def _child(element: etree._Element, tag: str) -> etree._Element:
    found = element.find(tag)
    if found is None:
        raise LongTermError(f"the seal has no {etree.QName(tag).localname}")
    return found


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)
