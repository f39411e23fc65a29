"""asn1crypto 1.5.1 re-encodes definite-length values it takes for indefinite ones; this stops it.

Its `dump()` methods take any header whose last octet is 0x80 for the indefinite form and then
re-encode the whole value and everything under it with `force=True`, at a cost that doubles with
each level of nesting (wbond/asn1crypto#249, still open; the fix in #302 was not merged). A
definite long-form length ending in 0x80 matches too: a seal's SignerInfo of 0x680 bytes (its
size moves by a few bytes with the ECDSA signatures' lengths and the TSA token) made sealing take
20-60 s of CPU instead of half a second, in one call out of three. pyHanko builds and dumps these
objects itself, so the check is corrected where asn1crypto makes it: a value parsed in the
indefinite form keeps its end-of-contents trailer (00 00); any other value's header is dropped
before dumping, and asn1crypto writes it again from the contents, in DER, without re-encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# pyHanko's ASN.1 library, unannotated
from asn1crypto import core  # type: ignore[import-untyped]

# The classes whose dump() makes the check (core.py of asn1crypto 1.5.1).
_CHECKING = (core.Asn1Value, core.Choice, core.Primitive, core.Sequence, core.SequenceOf)


def install() -> None:
    """Correct the check in each class that makes it; once per process."""
    for cls in _CHECKING:
        dump = cls.__dict__["dump"]
        if not getattr(dump, "definite_lengths_kept", False):
            cls.dump = _keeping_definite_lengths(dump)


def _keeping_definite_lengths(dump: Callable[..., bytes]) -> Callable[..., bytes]:
    def wrapper(self: Any, force: bool = False) -> bytes:
        header = self._header
        if header is not None and header[-1:] == b"\x80" and not self._trailer:
            self._header = None
        return dump(self, force)

    wrapper.definite_lengths_kept = True  # type: ignore[attr-defined]
    wrapper.__doc__ = dump.__doc__
    return wrapper
