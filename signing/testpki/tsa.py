"""A time-stamping authority (RFC 3161) on the test PKI: answers TimeStampReq with a signed token.

The token is what a trust service's TSA returns: CMS SignedData over a TSTInfo, signed with the TSA
certificate's key (ECDSA with SHA-256), with the ESS signing-certificate-v2 attribute binding that
certificate (RFC 5816), the certificate itself when the request asks for it, and the request's
nonce. Each answer has its own serial number.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import threading

# asn1crypto (pyHanko's ASN.1 library) is unannotated.
from asn1crypto import algos, cms, core, tsp  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.testpki.authority import TEST_TSA_POLICY, TestPKI
from signing.timestamps import TimeStampResponse

_ACCEPTED_HASHES = frozenset({"sha256", "sha384", "sha512"})


class TimeStampAuthority:
    """Signs timestamps with the test PKI's TSA credential, at the PKI's clock."""

    def __init__(self, pki: TestPKI) -> None:
        self._pki = pki
        self._certificate = asn1_x509.Certificate.load(
            pki.tsa.certificate.public_bytes(serialization.Encoding.DER)
        )
        # Serial numbers unique across restarts: a random prefix, then a counter.
        self._serials = itertools.count(secrets.randbits(63) << 32)
        self._lock = threading.Lock()

    def respond(self, request_der: bytes) -> bytes:
        """A DER TimeStampResp: granted with a token, or rejected with why (RFC 3161 2.4.2)."""
        try:
            request = tsp.TimeStampReq.load(request_der)
            imprint = request["message_imprint"]
            algorithm = imprint["hash_algorithm"]["algorithm"].native
            digest = imprint["hashed_message"].native
        except (ValueError, TypeError):
            return _rejection("bad_data_format", "not a TimeStampReq")
        if algorithm not in _ACCEPTED_HASHES:
            return _rejection("bad_alg", f"{algorithm} is not accepted")
        if len(digest) != hashlib.new(algorithm).digest_size:
            return _rejection("bad_data_format", "the imprint's length is not its hash's")
        if request["req_policy"].native not in (None, TEST_TSA_POLICY.dotted_string):
            return _rejection("unaccepted_policy", "only the test policy is served")
        token = self._token(request)
        granted = TimeStampResponse({"status": {"status": "granted"}, "time_stamp_token": token})
        return bytes(granted.dump())

    def _token(self, request: tsp.TimeStampReq) -> cms.ContentInfo:
        with self._lock:
            serial = next(self._serials)
        info = {
            "version": "v1",
            "policy": TEST_TSA_POLICY.dotted_string,
            "message_imprint": request["message_imprint"],
            "serial_number": serial,
            "gen_time": self._pki.now(),
            "accuracy": {"seconds": 1},
            "ordering": False,
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self._certificate.subject),
        }
        if request["nonce"].native is not None:
            info["nonce"] = request["nonce"].native
        content = tsp.TSTInfo(info).dump()
        signed_attributes = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
                {
                    "type": "signing_certificate_v2",
                    "values": [{"certs": [{"cert_hash": self._certificate.sha256}]}],
                },
            ]
        )
        key = self._pki.tsa.key
        signature = key.sign(signed_attributes.dump(), ec.ECDSA(hashes.SHA256()))
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    name="issuer_and_serial_number",
                    value={
                        "issuer": self._certificate.issuer,
                        "serial_number": self._certificate.serial_number,
                    },
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": signed_attributes,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed_data = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(content),
            },
            "signer_infos": [signer],
        }
        if request["cert_req"].native:
            signed_data["certificates"] = [self._certificate]
        return cms.ContentInfo(
            {"content_type": "signed_data", "content": cms.SignedData(signed_data)}
        )


def _rejection(failure: str, text: str) -> bytes:
    status = {"status": "rejection", "status_string": [text], "fail_info": {failure}}
    return bytes(TimeStampResponse({"status": status}).dump())
