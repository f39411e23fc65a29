"""asn1crypto's indefinite-length check, as corrected for sealing (signing.definite): a definite
length whose last octet is 0x80 is dumped as it stands, an indefinite one still becomes DER."""

from __future__ import annotations

import pytest
from asn1crypto import cms, core  # type: ignore[import-untyped]

import signing.pades  # noqa: F401 - installs the correction, as sealing does
from signing.definite import install


class _Strings(core.SequenceOf):  # type: ignore[misc]
    _child_spec = core.OctetString


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The types asn1crypto re-encodes with force=True while the test runs."""
    calls: list[str] = []
    for cls in (core.Sequence, core.SequenceOf, core.SetOf, core.Set):
        original = cls.__dict__["_set_contents"]

        def spy(self: object, force: bool = False, original: object = original) -> None:
            if force:
                calls.append(type(self).__name__)
            original(self, force)  # type: ignore[operator]

        monkeypatch.setattr(cls, "_set_contents", spy)
    return calls


def test_a_definite_length_ending_in_0x80_is_not_re_encoded(forced: list[str]) -> None:
    der = _Strings([b"x" * 380]).dump()
    assert der[:4] == bytes.fromhex("30820180")
    value = _Strings.load(der)
    value[0]  # parses the children, as pyHanko does
    assert value.dump() == der
    assert value.dump() == der
    assert forced == []


def test_a_seal_sized_signer_info_is_not_re_encoded(forced: list[str]) -> None:
    """The case that made sealing slow: a SignerInfo of 0x680 bytes, built, then dumped again."""
    info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(name="subject_key_identifier", value=b"k" * 20),
            "digest_algorithm": {"algorithm": "sha256"},
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature": b"s" * (0x680 - 56),
        }
    )
    der = info.dump()
    assert der[:4] == bytes.fromhex("30820680")
    assert info.dump() == der
    assert cms.SignerInfo.load(der).dump() == der
    assert forced == []


def test_an_indefinite_length_is_still_re_encoded_as_der() -> None:
    value = _Strings.load(bytes.fromhex("3080" + "0403666f6f" + "0000"))
    assert value.dump() == bytes.fromhex("3005" + "0403666f6f")


def test_installing_twice_wraps_once() -> None:
    dump = core.Sequence.dump
    install()
    assert core.Sequence.dump is dump
