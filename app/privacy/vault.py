"""Keys for personal data, configured once at start-up and used by the column types.

The vault is process-wide because SQLAlchemy column types have no request or session context;
`configure` is called by the application factory (and by anything else that opens the database).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


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

    def rotate(self, token: str) -> str:
        """Re-encrypt under the first key, for key rotation."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def rotate_bytes(self, token: bytes) -> bytes:
        return self._fernet.rotate(token)

    def blind_index(self, value: str) -> str:
        """A keyed hash to find a row by an exact value without storing the value."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


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
