"""Keys for personal data, configured once at start-up and used by the column types.

The vault is process-wide because SQLAlchemy column types have no request or session context;
`configure` is called by the application factory (and by anything else that opens the database).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# A chunk token: this byte, a 96-bit nonce, then AES-256-GCM ciphertext and tag. A Fernet
# token (base64 text) never starts with it.
_CHUNK = b"\x01"
_NONCE = 12


class VaultNotConfiguredError(RuntimeError):
    pass


class Vault:
    """Fernet under a key list (the first encrypts, all decrypt), plus an HMAC index key."""

    def __init__(self, keys: Sequence[str], index_key: str) -> None:
        if not keys:
            msg = "at least one encryption key is required"
            raise ValueError(msg)
        if len(index_key) < 32:
            msg = "the blind-index key must be at least 32 characters"
            raise ValueError(msg)
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._chunk_ciphers = [AESGCM(_chunk_key(key)) for key in keys]
        self._index_key = index_key.encode()

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken as exc:
            msg = "stored personal data cannot be decrypted with the configured keys"
            raise ValueError(msg) from exc

    def encrypt_bytes(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            msg = "stored personal data cannot be decrypted with the configured keys"
            raise ValueError(msg) from exc

    def encrypt_chunk(self, plaintext: bytes) -> bytes:
        """Large pieces of a file, sealed with AES-GCM: no base64 and one pass over the bytes,
        a few per cent of what Fernet costs per megabyte."""
        nonce = os.urandom(_NONCE)
        return _CHUNK + nonce + self._chunk_ciphers[0].encrypt(nonce, plaintext, _CHUNK)

    def decrypt_chunk(self, token: bytes) -> bytes:
        """A chunk token's plaintext, checked whole before any of it is returned."""
        if token[:1] != _CHUNK:
            return self.decrypt_bytes(token)  # a Fernet token, written before chunks had their own
        nonce, sealed = token[1 : 1 + _NONCE], token[1 + _NONCE :]
        for cipher in self._chunk_ciphers:
            try:
                return cipher.decrypt(nonce, sealed, _CHUNK)
            except InvalidTag:
                continue
        msg = "stored personal data cannot be decrypted with the configured keys"
        raise ValueError(msg)

    def rotate(self, token: str) -> str:
        """Re-encrypt under the first key, for key rotation."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def rotate_bytes(self, token: bytes) -> bytes:
        if token[:1] == _CHUNK:
            return self.encrypt_chunk(self.decrypt_chunk(token))
        return self._fernet.rotate(token)

    def blind_index(self, value: str) -> str:
        """A keyed hash to find a row by an exact value without storing the value."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def _chunk_key(fernet_key: str) -> bytes:
    """An AES-256 key of its own for chunks, derived from a Fernet key (never used raw)."""
    material = base64.urlsafe_b64decode(fernet_key)
    derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"intyga chunk")
    return derive.derive(material)


_vault: Vault | None = None


def configure(vault: Vault) -> None:
    global _vault  # noqa: PLW0603 - one process-wide key holder, see module docstring
    _vault = vault


def current() -> Vault:
    if _vault is None:
        msg = "privacy.vault.configure() has not been called"
        raise VaultNotConfiguredError(msg)
    return _vault


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
