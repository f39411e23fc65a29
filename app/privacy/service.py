"""Key rotation: rewrite every encrypted value under the first key of the key list, and
recompute every blind index under a new index key.

Re-encryption works on the raw ciphertext, so nothing is decrypted into the ORM and signed
versions are rewritten byte-for-byte equivalent (same plaintext, new token) without touching
their content. A blind index cannot be rotated that way: each is recomputed from its decrypted
value, which is why it needs the app servers and workers stopped (a lookup meanwhile would miss).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from sqlalchemy import (
    Column,
    LargeBinary,
    Table,
    Text,
    bindparam,
    literal,
    select,
    type_coerce,
    update,
)
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


def blind_indexed_columns() -> Iterator[tuple[Table, Column[object], Column[object]]]:
    """(table, encrypted value, its blind index): every `X_index` beside an encrypted `X`."""
    for table in Base.metadata.sorted_tables:
        for index in table.columns:
            if not index.name.endswith("_index"):
                continue
            value = table.columns.get(index.name.removesuffix("_index"))
            if value is not None and isinstance(value.type, EncryptedText):
                yield table, value, index


def rebuild_blind_indexes(session: Session, *, batch_size: int = 500) -> dict[str, int]:
    """Recompute every blind index under the index key now configured; returns the rows
    rewritten per table. Walks each table in primary-key order, a batch at a time."""
    keys = vault.current()
    rebuilt: dict[str, int] = {}
    for table, value, index in blind_indexed_columns():
        (key,) = table.primary_key.columns
        rewrite = update(table).where(key == bindparam("row")).values({index: bindparam("blind")})
        last, count = None, 0
        while True:
            query = select(key, value).order_by(key).limit(batch_size)
            rows = session.execute(query if last is None else query.where(key > last)).all()
            if rows:
                batch = [{"row": row[0], "blind": keys.blind_index(row[1])} for row in rows]
                session.execute(rewrite, batch)
                count += len(rows)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
        rebuilt[table.name] = count
    record(session, action="privacy.blind_indexes_rebuilt", actor=SYSTEM, data=rebuilt)
    session.flush()
    return rebuilt
