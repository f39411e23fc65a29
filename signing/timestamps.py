"""RFC 3161 timestamps: ask a time-stamping authority over HTTP, and verify a token offline.

A token proves that the hashed data existed at its time, by the TSA's signature: CMS SignedData
over a TSTInfo. Verification needs nothing but the token, the data and the trusted roots (the
TSA's certificate travels in the token, or among `extra_certificates`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Final

import requests
from asn1crypto import cms, core, parser, tsp  # type: ignore[import-untyped]  # unannotated
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.bankid.pki import PkiError, check_chain, describe

DEFAULT_TIMEOUT: Final = 10.0
_HASHES: Final[dict[str, type[hashes.HashAlgorithm]]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class TimeStampResponse(core.Sequence):  # type: ignore[misc]
    """RFC 3161's TimeStampResp, whose token is OPTIONAL (absent when refused): asn1crypto's
    own class makes it mandatory, so a refusal could be neither written nor read."""

    _fields: ClassVar = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class TimestampError(Exception):
    """No timestamp could be had, or a token does not hold; the message says why."""


@dataclass(frozen=True)
class Timestamp:
    """A verified token: when, by whom (the TSA certificate's common name), and its chain."""

    time: datetime
    authority: str
    chain: tuple[x509.Certificate, ...]
    serial_number: int


def request_timestamp(
    url: str,
    data: bytes,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> bytes:
    """A DER timestamp token (CMS ContentInfo) over SHA-256 of `data` from the TSA at `url`, with
    its certificate included. Raises TimestampError."""
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    try:
        answer = (session or requests).post(
            url,
            data=request.dump(),
            headers={"Content-Type": "application/timestamp-query"},
            timeout=timeout,
        )
        answer.raise_for_status()
        response = TimeStampResponse.load(answer.content)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = "; ".join(response["status"]["status_string"].native or [])
            raise TimestampError(f"the TSA at {url} refused: {status} {text}".rstrip())
        token = response["time_stamp_token"]
        info = _tst_info(token)
    except (requests.RequestException, ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"the TSA at {url} gave no timestamp ({exc!s})") from exc
    imprint = info["message_imprint"].dump()
    if info["nonce"].native != nonce or imprint != request["message_imprint"].dump():
        raise TimestampError(f"the TSA at {url} answered another request")
    return bytes(token.dump())


def verify_timestamp(
    token: bytes,
    data: bytes,
    *,
    roots: Sequence[x509.Certificate],
    extra_certificates: Sequence[x509.Certificate] = (),
) -> Timestamp:
    """Check that `token` is a TSA's timestamp over `data`, signed by a certificate for
    time-stamping that chains to one of `roots` and was valid at the stated time. Raises
    TimestampError."""
    try:
        content = cms.ContentInfo.load(token)
        info = _tst_info(content)
        signed = content["content"]
        (signer_info,) = signed["signer_infos"]
        imprint = info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        when: datetime = info["gen_time"].native
        carried = [
            x509.load_der_x509_certificate(c.chosen.dump()) for c in signed["certificates"] or []
        ]
        _check_unsigned_parts(token, content, signer_info)
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"the timestamp token cannot be read ({exc!s})") from exc
    if algorithm not in _HASHES:
        raise TimestampError(f"the timestamp uses {algorithm}, which is not accepted")
    if hashlib.new(algorithm, data).digest() != imprint["hashed_message"].native:
        raise TimestampError("the timestamp is over other data (its imprint does not match)")
    pool = [*carried, *extra_certificates]
    signer = _signer(signer_info, pool)
    _check_signed_attributes(signer_info, signed, signer)
    _check_tsa_certificate(signer)
    try:
        chain = _chain(signer, pool)
        root = check_chain(chain, roots, when)
    except PkiError as exc:
        raise TimestampError(f"the TSA's certificate does not hold: {exc}") from exc
    if root is None:
        raise TimestampError("no trusted root is configured for timestamps")
    if any(certificate not in chain for certificate in carried):
        raise TimestampError("the token carries a certificate outside the TSA's chain")
    return Timestamp(when, _common_name(signer), tuple(chain), int(info["serial_number"].native))


def _check_unsigned_parts(
    token: bytes, content: cms.ContentInfo, signer_info: cms.SignerInfo
) -> None:
    """What the TSA's signature does not cover must be as RFC 3161 and CMS write it, in DER: a
    token that parses the same but is spelt differently is a changed token."""
    signed = content["content"]
    digests = [a["algorithm"].native for a in signed["digest_algorithms"]]
    if (
        not _is_der(token)
        or signed["version"].native != "v3"
        or signer_info["version"].native != "v1"
        or digests != [signer_info["digest_algorithm"]["algorithm"].native]
        or signed["crls"].native
        or signer_info["unsigned_attrs"].native
    ):
        raise ValueError("its unsigned parts are not in the form RFC 3161 gives them")


def _is_der(data: bytes) -> bool:
    """Whether `data` is one DER value: definite minimal lengths and minimal integers all the way
    down (re-encoding with asn1crypto to compare costs a hundred times more)."""
    try:
        stack = [parser.parse(data, strict=True)]
        while stack:
            tag_class, method, tag, header, contents, trailer = stack.pop()
            if trailer or not _minimal_length(header, len(contents)):
                return False
            integer = tag_class == 0 and tag == 2 and len(contents) > 1
            if integer and (contents[0], contents[1] >= 0x80) in ((0, False), (0xFF, True)):
                return False
            while method == 1 and contents:
                child = parser.parse(contents)
                stack.append(child)
                contents = contents[len(child[3]) + len(child[4]) + len(child[5]) :]
    except ValueError:
        return False
    return True


def _minimal_length(header: bytes, length: int) -> bool:
    tag_bytes = 1
    if header[0] & 0x1F == 0x1F:
        tag_bytes += next(i for i, b in enumerate(header[1:], 1) if not b & 0x80)
    return header[tag_bytes:] == _der_length(length)


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def timestamp_chain(
    token: bytes, extra_certificates: Sequence[x509.Certificate] = ()
) -> list[x509.Certificate]:
    """The TSA's certificate and its issuers as far as the token and `extra_certificates` have
    them, unverified: what a file must carry to verify the token later. Raises TimestampError."""
    try:
        content = cms.ContentInfo.load(token)
        _tst_info(content)
        (signer_info,) = content["content"]["signer_infos"]
        pool = [
            *(
                x509.load_der_x509_certificate(c.chosen.dump())
                for c in content["content"]["certificates"] or []
            ),
            *extra_certificates,
        ]
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"the timestamp token cannot be read ({exc!s})") from exc
    return _chain(_signer(signer_info, pool), pool)


def _tst_info(content: cms.ContentInfo) -> tsp.TSTInfo:
    if content["content_type"].native != "signed_data":
        raise ValueError("the token is not CMS SignedData")
    encapsulated = content["content"]["encap_content_info"]
    if encapsulated["content_type"].native != "tst_info":
        raise ValueError("the token does not hold a TSTInfo")
    info: tsp.TSTInfo = encapsulated["content"].parsed
    return info


def _signer(signer_info: cms.SignerInfo, pool: Sequence[x509.Certificate]) -> x509.Certificate:
    sid = signer_info["sid"]
    if sid.name != "issuer_and_serial_number":
        raise TimestampError("the timestamp names its signer by key identifier, not supported")
    issuer = sid.chosen["issuer"].dump()
    serial = sid.chosen["serial_number"].native
    for candidate in pool:
        if candidate.serial_number == serial and candidate.issuer.public_bytes() == issuer:
            return candidate
    raise TimestampError("the TSA's certificate is neither in the token nor in the file")


def _check_signed_attributes(
    signer_info: cms.SignerInfo, signed: cms.SignedData, signer: x509.Certificate
) -> None:
    attributes = signer_info["signed_attrs"]
    found = {a["type"].native: a["values"] for a in attributes}
    content = signed["encap_content_info"]["content"].contents
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise TimestampError(f"the timestamp's signature uses {digest_name}, not accepted")
    if [v.native for v in found.get("content_type", [])] != ["tst_info"]:
        raise TimestampError("the timestamp's signed content type is not TSTInfo")
    if [v.native for v in found.get("message_digest", [])] != [
        hashlib.new(digest_name, content).digest()
    ]:
        raise TimestampError("the timestamp's TSTInfo was changed after signing")
    der = signer.public_bytes(serialization.Encoding.DER)
    if "signing_certificate_v2" in found:
        certs = found["signing_certificate_v2"][0]["certs"]
        algorithm = certs[0]["hash_algorithm"]["algorithm"].native
        expected = hashlib.new(algorithm, der).digest()
    elif "signing_certificate" in found:
        certs = found["signing_certificate"][0]["certs"]
        expected = hashlib.sha1(der).digest()  # noqa: S324 - ESS v1 names SHA-1
    else:
        raise TimestampError("the timestamp does not bind its signer (ESS signing certificate)")
    if certs[0]["cert_hash"].native != expected:
        raise TimestampError("the timestamp binds another certificate than its signer's")
    # The signature is over the DER SET OF the attributes, not their [0] IMPLICIT form.
    contents = attributes.contents
    signed_bytes = b"\x31" + _der_length(len(contents)) + contents
    named = signer_info["signature_algorithm"]["algorithm"].native
    key = "rsa" if isinstance(signer.public_key(), rsa.RSAPublicKey) else "ecdsa"
    if named not in (f"{digest_name}_{key}", "rsassa_pkcs1v15" if key == "rsa" else None):
        raise TimestampError(f"the timestamp names {named} for a {key} key and {digest_name}")
    _check_signature(signer, signer_info["signature"].native, signed_bytes, _HASHES[digest_name]())


def _check_signature(
    signer: x509.Certificate, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm
) -> None:
    key = signer.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        else:
            raise TimestampError("the TSA's key type is not supported")
    except InvalidSignature as exc:
        raise TimestampError("the timestamp's signature is not valid") from exc


def _check_tsa_certificate(signer: x509.Certificate) -> None:
    """RFC 3161 2.3: the TSA's certificate has the one purpose timeStamping, marked critical."""
    try:
        usage = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound as exc:
        raise TimestampError(f"{describe(signer)} is not a TSA certificate") from exc
    if not usage.critical or list(usage.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise TimestampError(f"{describe(signer)} is not a TSA certificate (extended key usage)")


def _chain(leaf: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    """`leaf`, then its issuers as far as `pool` has them (leaf first, as check_chain wants)."""
    chain = [leaf]
    while len(chain) <= len(pool):
        top = chain[-1]
        if top.issuer == top.subject:
            break
        issuer = next((c for c in pool if c.subject == top.issuer and c not in chain), None)
        if issuer is None:
            break
        chain.append(issuer)
    return chain


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()
