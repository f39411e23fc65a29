"""Column types that encrypt on the way in and decrypt on the way out."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import LargeBinary, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from app.privacy import vault


class EncryptedText(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else vault.current().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else vault.current().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored as one encrypted token (nothing inside it is queryable, by design)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return vault.current().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(vault.current().decrypt(value))


class EncryptedBytes(TypeDecorator[bytes]):
    """Documents (sealed XML, PDF) that carry personal data, encrypted whole."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else vault.current().encrypt_bytes(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else vault.current().decrypt_bytes(value)


class EncryptedChunk(TypeDecorator[bytes]):
    """Pieces of an uploaded file (a megabyte each), sealed with the vault's chunk cipher."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else vault.current().encrypt_chunk(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else vault.current().decrypt_chunk(value)
