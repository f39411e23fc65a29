"""Reading input in bounded chunks: the size limit is counted here, as bytes arrive."""

import codecs
import itertools
from collections.abc import Iterator
from typing import BinaryIO

from payroll_adapters.model import Problem

CHUNK_SIZE = 64 * 1024
# Enough of a text file to tell UTF-8 from windows-1252 before committing to one.
_SNIFF_SIZE = 64 * 1024


class StreamError(Exception):
    """Reading stopped on a fatal problem (size limit, refused or broken input)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def too_large(max_bytes: int) -> StreamError:
    return StreamError(Problem("too_large", "", params=(str(max_bytes),), fatal=True))


def chunks(stream: BinaryIO, max_bytes: int, size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The stream's bytes in chunks; raises StreamError once more than `max_bytes` arrive."""
    total = 0
    while True:
        chunk = stream.read(size)
        if not chunk:
            return
        total += len(chunk)
        if total > max_bytes:
            raise too_large(max_bytes)
        yield chunk


def read_all(stream: BinaryIO, max_bytes: int) -> bytes:
    """The whole stream within the limit, for formats that cannot be parsed piecewise."""
    return b"".join(chunks(stream, max_bytes))


def _sniff_encoding(head: bytes) -> str:
    """UTF-8 (a BOM is dropped) when the head decodes as such, else windows-1252.

    Spreadsheets in Sweden save "CSV" as either; a cut multi-byte character at the end of the
    head is not held against UTF-8.
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def text_lines(stream: BinaryIO, max_bytes: int) -> Iterator[str]:
    """Decoded lines, each with its line ending, as `csv.reader` wants them.

    Only new text is searched for line ends, so a file of one enormous line costs linear time.
    """
    source = chunks(stream, max_bytes)
    head: list[bytes] = []
    for chunk in source:
        head.append(chunk)
        if sum(map(len, head)) >= _SNIFF_SIZE:
            break
    decoder = codecs.getincrementaldecoder(_sniff_encoding(b"".join(head)))(errors="strict")
    pending: list[str] = []
    line = 1
    for data, final in itertools.chain(
        ((chunk, False) for chunk in head), ((chunk, False) for chunk in source), [(b"", True)]
    ):
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError:
            problem = Problem("not_utf8", "", line=line, params=(str(line),), fatal=True)
            raise StreamError(problem) from None
        *complete, rest = text.split("\n")
        for part in complete:
            yield "".join([*pending, part, "\n"])
            pending.clear()
            line += 1
        if rest:
            pending.append(rest)
    if pending:
        yield "".join(pending)
