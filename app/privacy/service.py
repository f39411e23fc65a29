"""Key rotation: rewrite every encrypted value under the first key of the key list.

Works on the raw ciphertext, so nothing is decrypted into the ORM and signed versions are
rewritten byte-for-byte equivalent (same plaintext, new token) without touching their content.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Column, LargeBinary, Table, Text, literal, select, type_coerce, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.audit.service import SYSTEM, record
from app.database import Base
from app.privacy import vault
from app.privacy.types import EncryptedBytes, EncryptedChunk, EncryptedJSON, EncryptedText

ENCRYPTED = (EncryptedText, EncryptedJSON, EncryptedBytes, EncryptedChunk)


def encrypted_columns() -> dict[Table, list[Column[object]]]:
    found: dict[Table, list[Column[object]]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, ENCRYPTED)]
        if columns:
            found[table] = columns
    return found


def rotate_keys(session: Session, *, batch_size: int = 500) -> int:
    """Re-encrypt every stored value under the current first key; returns the values rewritten.

    Walks each table in primary-key order, a batch at a time, so memory stays flat.
    """
    rewritten = 0
    for table, columns in encrypted_columns().items():
        (key,) = table.primary_key.columns
        raw = [type_coerce(column, _stored_type(column)).label(column.name) for column in columns]
        last = None
        while True:
            query = select(key, *raw).order_by(key).limit(batch_size)
            rows = session.execute(query if last is None else query.where(key > last)).all()
            for row in rows:
                rewritten += _rewrite(session, table, key, row._mapping)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
    record(session, action="privacy.keys_rotated", actor=SYSTEM, data={"values": rewritten})
    session.flush()
    return rewritten


def _stored_type(column: Column[object]) -> TypeEngine[object]:
    """The ciphertext's own column type (Text or LargeBinary), bypassing decryption."""
    encrypted = cast(TypeDecorator[object], column.type)
    return cast(TypeEngine[object], encrypted.impl)


def _rewrite(session: Session, table: Table, key: Column[object], row: RowMapping) -> int:
    keys = vault.current()
    values: dict[str, object] = {}
    for name, token in row.items():
        if name == key.name or token is None:
            continue
        if isinstance(token, str):
            values[name] = literal(keys.rotate(token), Text())
        else:
            values[name] = literal(keys.rotate_bytes(bytes(token)), LargeBinary())
    if values:
        session.execute(update(table).where(key == row[key.name]).values(values))
    return len(values)
