"""BankID's signature document, made for real: an enveloping XML-DSig in exactly BankID's shape.

The layout copies a genuine BankID test signature byte for byte in structure (one line, the default
namespace redeclared on SignedInfo and KeyInfo, empty elements written open-and-close), so the
verifier meets the same quirks here as in production. Digests use inclusive C14N 1.0 as declared;
libxml2 adds a spurious xmlns="" below a redeclared default namespace, which is removed, as any
standard C14N implementation would produce.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
BANKID = "http://www.bankid.com/signature/v1.0.0/types"
_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'


@dataclass(frozen=True)
class SignedContent:
    """What goes into bankIdSignedData. Base64 fields are exactly what the relying party sent."""

    func_id: str
    user_visible_data: str | None
    user_non_visible_data: str | None
    service_name: str
    service_display_name: str
    nonce: bytes
    uhi: str
    certificate_policy: str


def sign_document(
    content: SignedContent, key: rsa.RSAPrivateKey, chain: Sequence[x509.Certificate]
) -> bytes:
    """The signature document (UTF-8 XML bytes), signed by `key`; `chain` is leaf first, no root."""
    key_info = (
        f'<KeyInfo xmlns="{DS}" Id="bidKeyInfo"><X509Data>'
        + "".join(
            f"<X509Certificate>{_b64(c.public_bytes(serialization.Encoding.DER))}</X509Certificate>"
            for c in chain
        )
        + "</X509Data></KeyInfo>"
    )
    signed_object = f"<Object>{_signed_data(content)}</Object>"

    def document(signed_info: str, signature_value: str) -> str:
        return (
            f'{_DECLARATION}<Signature xmlns="{DS}">{signed_info}'
            f"<SignatureValue>{signature_value}</SignatureValue>{key_info}{signed_object}"
            "</Signature>"
        )

    draft = _parse(document(_signed_info("", ""), ""))
    data_digest = _digest(draft.find(f"{{{DS}}}Object/{{{BANKID}}}bankIdSignedData"))
    key_info_digest = _digest(draft.find(f"{{{DS}}}KeyInfo"))
    signed_info = _signed_info(data_digest, key_info_digest)
    to_sign = _c14n(_parse(document(signed_info, "")).find(f"{{{DS}}}SignedInfo"))
    signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    return document(signed_info, _b64(signature)).encode("utf-8")


def _signed_data(content: SignedContent) -> str:
    parts = [f'<bankIdSignedData xmlns="{BANKID}" Id="bidSignedData">']
    if content.user_visible_data is not None:
        parts.append(
            '<usrVisibleData charset="UTF-8" visible="wysiwys">'
            f"{escape(content.user_visible_data)}</usrVisibleData>"
        )
    if content.user_non_visible_data is not None:
        parts.append(
            f"<usrNonVisibleData>{escape(content.user_non_visible_data)}</usrNonVisibleData>"
        )
    version = f"Personal=7.14.0&BankID_exe=7.14.0&platform=ios&uhi={content.uhi}&"
    parts += [
        "<srvInfo>",
        f"<name>{_b64(content.service_name.encode())}</name>",
        f"<nonce>{_b64(content.nonce)}</nonce>",
        f"<displayName>{_b64(content.service_display_name.encode())}</displayName>",
        "</srvInfo>",
        f"<clientInfo><funcId>{escape(content.func_id)}</funcId>",
        f"<version>{_b64(version.encode())}</version>",
        f"<env><ai><type>{_b64(b'IOS')}</type><deviceInfo>{_b64(b'17.5')}</deviceInfo>",
        f"<uhi>{escape(content.uhi)}</uhi><fsib>0</fsib><utb>cs1</utb>",
        "<requirement><condition><type>CertificatePolicies</type>",
        f"<value>{escape(content.certificate_policy)}</value></condition></requirement>",
        "<uauth>pw</uauth></ai></env></clientInfo></bankIdSignedData>",
    ]
    return "".join(parts)


def _signed_info(data_digest: str, key_info_digest: str) -> str:
    transforms = f'<Transforms><Transform Algorithm="{_C14N}"></Transform></Transforms>'
    method = f'<DigestMethod Algorithm="{_SHA256}"></DigestMethod>'
    return (
        f'<SignedInfo xmlns="{DS}">'
        f'<CanonicalizationMethod Algorithm="{_C14N}"></CanonicalizationMethod>'
        f'<SignatureMethod Algorithm="{_RSA_SHA256}"></SignatureMethod>'
        f'<Reference Type="{BANKID}" URI="#bidSignedData">{transforms}{method}'
        f"<DigestValue>{data_digest}</DigestValue></Reference>"
        f'<Reference URI="#bidKeyInfo">{transforms}{method}'
        f"<DigestValue>{key_info_digest}</DigestValue></Reference>"
        "</SignedInfo>"
    )


def _parse(xml: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(xml.encode("utf-8"), parser)


def _c14n(element: etree._Element | None) -> bytes:
    if element is None:
        raise ValueError("element missing from the signature template")
    return etree.tostring(element, method="c14n").replace(b' xmlns=""', b"")


def _digest(element: etree._Element | None) -> str:
    return _b64(hashlib.sha256(_c14n(element)).digest())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
