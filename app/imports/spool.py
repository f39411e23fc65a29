"""An uploaded file kept in the database in encrypted pieces, written and read as a stream.

In the database rather than on disk so that the web process that takes the upload and the
worker that reads it need share nothing else, and an upload is stored in the same transaction
as its job. Each piece is sealed on its own (`vault.encrypt_chunk`, AES-GCM), so neither side
ever holds the whole file and reading one costs little beside parsing it.
"""

from __future__ import annotations

import uuid
from typing import BinaryIO

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.imports.models import ImportChunk

CHUNK_SIZE = 1024 * 1024


class TooLarge(Exception):  # noqa: N818 - what the caller answers: 413
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


def write(session: Session, job_id: uuid.UUID, stream: BinaryIO, *, max_bytes: int) -> int:
    """Store `stream` for the job; returns its size. Raises TooLarge past `max_bytes`."""
    size = 0
    seq = 0
    while True:
        piece = stream.read(CHUNK_SIZE)
        if not piece:
            return size
        size += len(piece)
        if size > max_bytes:
            raise TooLarge(max_bytes)
        session.execute(insert(ImportChunk), [{"job_id": job_id, "seq": seq, "data": piece}])
        seq += 1


def discard(session: Session, job_id: uuid.UUID) -> None:
    """Forget the file once the job has ended: what it held now lives in what it made."""
    session.execute(delete(ImportChunk).where(ImportChunk.job_id == job_id))


class Reader:
    """The stored file as a readable stream, fetching one piece at a time."""

    def __init__(self, session: Session, job_id: uuid.UUID) -> None:
        self._session = session
        self._job_id = job_id
        self._seq = 0
        self._buffer = memoryview(b"")
        self._done = False

    def read(self, size: int = -1) -> bytes:
        if not self._buffer and not self._done:
            self._fetch()
        if size < 0:
            parts = [bytes(self._buffer)]
            while not self._done:
                self._fetch()
                parts.append(bytes(self._buffer))
            self._buffer = memoryview(b"")
            return b"".join(parts)
        taken = bytes(self._buffer[:size])
        self._buffer = self._buffer[size:]
        return taken

    def _fetch(self) -> None:
        data = self._session.scalar(
            select(ImportChunk.data).where(
                ImportChunk.job_id == self._job_id, ImportChunk.seq == self._seq
            )
        )
        if data is None:
            self._done = True
            self._buffer = memoryview(b"")
            return
        self._seq += 1
        self._buffer = memoryview(data)
