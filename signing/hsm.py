"""The seal's key in an HSM, reached through PKCS#11: it signs there and never leaves.

`Pkcs11SealKey` is an ECDSA private key as `cryptography` (and so signxml and the audit anchors)
uses one, whose `sign` asks the token: the data is hashed here and the token signs the digest
(CKM_ECDSA, which every PKCS#11 token with EC keys offers). One session per process, one signature
at a time on it (PKCS#11 sessions are not for concurrent use).
"""

from __future__ import annotations

import threading
from typing import Any, NoReturn

import pkcs11
from cryptography import utils
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


class Pkcs11SealKey(ec.EllipticCurvePrivateKey):
    """An EC private key on a PKCS#11 token, found by its label; `public` is its public key
    (from the seal certificate)."""

    def __init__(self, key: Any, public: ec.EllipticCurvePublicKey) -> None:
        self._key = key
        self._public = public
        self._lock = threading.Lock()

    def sign(
        self, data: utils.Buffer, signature_algorithm: ec.EllipticCurveSignatureAlgorithm
    ) -> bytes:
        algorithm = getattr(signature_algorithm, "algorithm", None)
        if not isinstance(signature_algorithm, ec.ECDSA) or not isinstance(
            algorithm, hashes.HashAlgorithm
        ):
            raise TypeError("the HSM key signs with ECDSA over the data")
        digest = hashes.Hash(algorithm)
        digest.update(bytes(data))
        with self._lock:
            raw = self._key.sign(digest.finalize(), mechanism=pkcs11.Mechanism.ECDSA)
        half = len(raw) // 2
        return encode_dss_signature(
            int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
        )

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._public

    @property
    def curve(self) -> ec.EllipticCurve:
        return self._public.curve

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def exchange(self, algorithm: ec.ECDH, peer_public_key: ec.EllipticCurvePublicKey) -> bytes:
        _stays_in_the_hsm()

    def private_numbers(self) -> ec.EllipticCurvePrivateNumbers:
        _stays_in_the_hsm()

    def private_bytes(
        self,
        encoding: serialization.Encoding,
        format: serialization.PrivateFormat,  # noqa: A002 - cryptography's name
        encryption_algorithm: serialization.KeySerializationEncryption,
    ) -> bytes:
        _stays_in_the_hsm()

    def __copy__(self) -> Pkcs11SealKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Pkcs11SealKey:
        return self


def open_key(
    module: str, token_label: str, key_label: str, pin: str, public: ec.EllipticCurvePublicKey
) -> Pkcs11SealKey:
    """The private key labelled `key_label` on the token `token_label` of the PKCS#11 library at
    `module`, logged in with `pin`. Raises ValueError when it cannot be had."""
    try:
        token = pkcs11.lib(module).get_token(token_label=token_label)
        session = token.open(user_pin=pin)
        key = session.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, label=key_label)
    except (pkcs11.PKCS11Error, RuntimeError, OSError) as exc:
        detail = f"{type(exc).__name__} {exc!s}".strip()
        raise ValueError(f"no key {key_label!r} on token {token_label!r} ({detail})") from exc
    return Pkcs11SealKey(key, public)


def _stays_in_the_hsm() -> NoReturn:
    raise TypeError("the seal's key stays in the HSM")
