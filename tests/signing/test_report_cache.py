"""Reports of stored sealed documents are kept, and never answer for other bytes or other trust."""

from __future__ import annotations

from cryptography import x509

from app.verification.service import ReportCache
from signing.seal import ServiceSeal
from signing.sealed import SealedReport
from tests.signing.conftest_seal import LiveBankID


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def check(
    cache: ReportCache, data: bytes, seal: ServiceSeal, roots: list[x509.Certificate]
) -> SealedReport:
    return cache.verify(data, seals=[seal.certificate], bankid_roots=roots)


def test_the_same_document_is_verified_once(
    sealed_xml: bytes, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    cache = ReportCache()
    first = cache.verify(sealed_xml, seals=[service_seal.certificate], bankid_roots=[bankid.root])
    again = cache.verify(sealed_xml, seals=[service_seal.certificate], bankid_roots=[bankid.root])
    assert first.ok
    assert again is first
    assert cache.checks == 1


def test_changed_bytes_are_verified_afresh_and_fail(
    sealed_xml: bytes, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    cache = ReportCache()
    assert check(cache, sealed_xml, service_seal, [bankid.root]).ok
    tampered = sealed_xml.replace(b"Byggbolaget", b"Byggbolagen", 1)
    assert not check(cache, tampered, service_seal, [bankid.root]).ok
    assert cache.checks == 2


def test_other_trust_is_verified_afresh(
    sealed_xml: bytes, service_seal: ServiceSeal, other_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    cache = ReportCache()
    assert cache.verify(sealed_xml, seals=[service_seal.certificate], bankid_roots=[bankid.root]).ok
    assert not cache.verify(
        sealed_xml, seals=[other_seal.certificate], bankid_roots=[bankid.root]
    ).ok
    assert not cache.verify(sealed_xml, seals=[service_seal.certificate], bankid_roots=[]).ok
    assert cache.checks == 3


def test_a_report_is_checked_again_once_it_has_been_kept_its_time(
    sealed_xml: bytes, service_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    clock = Clock()
    cache = ReportCache(seconds=60, clock=clock)
    check(cache, sealed_xml, service_seal, [bankid.root])
    clock.now = 59
    check(cache, sealed_xml, service_seal, [bankid.root])
    assert cache.checks == 1
    clock.now = 61
    assert check(cache, sealed_xml, service_seal, [bankid.root]).ok
    assert cache.checks == 2


def test_the_least_recently_used_report_goes_first(
    sealed_xml: bytes, service_seal: ServiceSeal, other_seal: ServiceSeal, bankid: LiveBankID
) -> None:
    cache = ReportCache(entries=2)
    check(cache, sealed_xml, service_seal, [bankid.root])
    check(cache, sealed_xml, other_seal, [bankid.root])
    check(cache, sealed_xml, service_seal, [bankid.root])  # used again: now the most recent
    check(cache, sealed_xml, service_seal, [])  # pushes out the other seal's report
    check(cache, sealed_xml, service_seal, [bankid.root])
    assert cache.checks == 3
    check(cache, sealed_xml, other_seal, [bankid.root])
    assert cache.checks == 4
