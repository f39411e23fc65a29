"""Seal benchmark: what sealing and verifying a certificate version costs, next to bare signatures.

    .venv/bin/python -m bench.seal [--seconds 1.0]

The document is the full example, signed by the employer and approved by the employee with real
signatures from the BankID test server (in memory), so it has its real size. Each figure is
measured against a bare `cryptography` signature of the same bytes with the same key in the same
run, so the ratio says what XML signing and its checks add. Sealing is measured without a
timestamp (XAdES B-B) and as the app seals, with a timestamp from the local test TSA over HTTP and
the OCSP answers that make it B-LT (`signing.testpki` on a loopback port); the PDF likewise,
without a TSA (PAdES B-B) and as the app seals it (B-LTA). The last lines put
sealing and verifying side by side with a bare sign + verify: once with every check made (the
first view of a document), once as every later view sees it (the report cached per sealed
document, `app.verification.service.ReportCache`). Prints its figures and the load average; not a
timed test.
"""

from __future__ import annotations

import argparse
import base64
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.test import Client

from app.certificates.pdf import render_pdf
from app.verification.service import ReportCache
from schemas.examples import full_example
from signing.bankid.testserver import create_test_server
from signing.document import (
    Akassa,
    CertificateDocument,
    EidEvidence,
    Role,
    content_document,
    document_digest,
    evidence_document,
    visible_summary,
)
from signing.pdf import sealed_pdf, verify_pdf_seal
from signing.seal import ServiceSeal, seal_xml, verify_seal_xml
from signing.sealed import verify_file
from signing.testpki import RunningPKI, serving
from signing.timestamps import request_timestamp


def rate(action: Callable[[], object], seconds: float) -> float:
    """Calls per second, over at least `seconds` and at least 5 calls."""
    count, start = 0, time.perf_counter()
    while count < 5 or time.perf_counter() - start < seconds:
        action()
        count += 1
    return count / (time.perf_counter() - start)


def show(name: str, per_second: float, bare: float | None = None) -> None:
    line = f"  {name:<40} {per_second:>8,.0f}/s  ({1e3 / per_second:7.3f} ms)"
    if bare is not None:
        line += f"   {bare / per_second:6.1f}× the bare signature"
    print(line)


def signed_document() -> tuple[CertificateDocument, x509.Certificate]:
    """The full example with real BankID test signatures, and the test root to pin."""
    server = create_test_server(None)
    app = Client(server)
    doc = CertificateDocument(
        certificate_id="bench-1",
        version=1,
        variant="full",
        issued_at=datetime.now(UTC),
        employer_name="Byggbolaget Demo AB",
        organisation_number="5599999991",
        employer_id="company-1",
        content=full_example(),
    )
    akassa = Akassa("Byggnadsarbetarnas a-kassa", "BYGG")
    people: list[tuple[Role, str, Akassa | None]] = [
        ("employer", "198001011231", None),
        ("employee", "191212121212", akassa),
    ]
    evidence = [_sign(app, doc, role, number, fund) for role, number, fund in people]
    return replace(doc, evidence=evidence), server.root_certificate


def _sign(
    app: Client, doc: CertificateDocument, role: Role, number: str, akassa: Akassa | None
) -> EidEvidence:
    digest = document_digest(content_document(doc))
    visible = base64.b64encode(
        visible_summary(doc, purpose=role, akassa_name=akassa.name if akassa else None).encode()
    ).decode()
    body = {
        "endUserIp": "192.0.2.1",
        "userVisibleData": visible,
        "userNonVisibleData": base64.b64encode(digest.encode()).decode(),
    }
    order = app.post("/rp/v6.0/sign", json=body).get_json()["orderRef"]
    approve = {"orderRef": order, "personalNumber": number, "action": "approve"}
    app.post("/app/complete", json=approve)
    completion = app.post("/rp/v6.0/collect", json={"orderRef": order}).get_json()
    data = completion["completionData"]
    return EidEvidence(
        role=role,
        personal_number=data["user"]["personalNumber"],
        name=data["user"]["name"],
        signed_at=datetime.now(UTC),
        order_ref=order,
        visible_data=visible,
        document_digest=digest,
        signature=data["signature"],
        ocsp_response=data["ocspResponse"],
        akassa=akassa,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per figure")
    seconds = parser.parse_args().seconds
    with serving(None) as pki:
        measure(seconds, pki)
    print(f"load average (1 min): {os.getloadavg()[0]:.2f}")


def measure(seconds: float, pki: RunningPKI) -> None:
    doc, bankid_root = signed_document()
    with tempfile.TemporaryDirectory() as directory:
        seal = ServiceSeal.load_or_create(Path(directory))
    key = seal.private_key
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SystemExit("expected the default ECDSA P-256 seal")
    public_key = key.public_key()
    document = evidence_document(doc)
    sealed = seal_xml(document, seal)
    pdf = sealed_pdf(sealed, seal, render_pdf)
    trusted = [seal.certificate]
    algorithm = ec.ECDSA(hashes.SHA256())
    bare_signature = key.sign(document, algorithm)

    print(
        f"document: {len(document):,} bytes with two BankID signatures; sealed XML "
        f"{len(sealed):,} bytes; sealed PDF {len(pdf):,} bytes; seal key ECDSA P-256"
    )
    bare_sign = rate(lambda: key.sign(document, algorithm), seconds)
    bare_verify = rate(lambda: public_key.verify(bare_signature, document, algorithm), seconds)
    print("sealing")
    show("bare ECDSA P-256 sign (cryptography)", bare_sign)
    show("seal_xml (XAdES-BES)", rate(lambda: seal_xml(document, seal), seconds), bare_sign)
    show(
        "sealed_pdf (PDF/A render + PAdES)",
        rate(lambda: sealed_pdf(sealed, seal, render_pdf), seconds),
        bare_sign,
    )
    print("verifying")
    show("bare ECDSA P-256 verify (cryptography)", bare_verify)
    seal_check = rate(lambda: verify_seal_xml(sealed, trusted=trusted), seconds)
    show("verify_seal_xml (the seal only)", seal_check, bare_verify)
    pdf_check = rate(lambda: verify_pdf_seal(pdf, trusted=trusted), seconds)
    show("verify_pdf_seal (the PDF seal only)", pdf_check, bare_verify)
    full = rate(
        lambda: verify_file(sealed, trusted_seals=trusted, bankid_roots=[bankid_root]), seconds
    )
    show("verify_file XML (seal + 2 BankID)", full, bare_verify)
    full_pdf = rate(
        lambda: verify_file(pdf, trusted_seals=trusted, bankid_roots=[bankid_root]), seconds
    )
    show("verify_file PDF (both seals + 2 BankID)", full_pdf, bare_verify)

    cache = ReportCache()
    roots = [bankid_root]
    cache.verify(sealed, seals=trusted, bankid_roots=roots)
    cached = rate(lambda: cache.verify(sealed, seals=trusted, bankid_roots=roots), seconds)
    show("verify_file XML, report cached", cached, bare_verify)
    sealing = rate(lambda: seal_xml(document, seal), seconds)
    bare_both = 1 / (1 / bare_sign + 1 / bare_verify)
    print("seal + verify, next to a bare sign + verify")
    show("bare sign + verify (cryptography)", bare_both)
    show("seal_xml + verify_file (first view)", 1 / (1 / sealing + 1 / full), bare_both)
    show("seal_xml + cached report (later views)", 1 / (1 / sealing + 1 / cached), bare_both)
    long_term(seconds, pki, document, bankid_root, bare_sign, bare_both)


def long_term(  # noqa: PLR0917 - the figures it is shown beside
    seconds: float,
    pki: RunningPKI,
    document: bytes,
    bankid_root: x509.Certificate,
    bare_sign: float,
    bare_both: float,
) -> None:
    """Sealing as the app does: a timestamp over HTTP and the OCSP answers (B-LT), beside B-B."""
    seal = replace(pki.pki.service_seal(), tsa_url=pki.tsa_url, roots=(pki.pki.root.certificate,))
    bare_seal = replace(seal, tsa_url=None)
    trusted = [pki.pki.root.certificate]
    sealed = seal_xml(document, seal)
    print(f"with a timestamp from the local TSA over HTTP (sealed XML {len(sealed):,} bytes)")
    show(
        "request_timestamp (one TSA round trip)",
        rate(lambda: request_timestamp(pki.tsa_url, document), seconds),
        bare_sign,
    )
    show(
        "seal_xml without a timestamp (B-B)",
        rate(lambda: seal_xml(document, bare_seal), seconds),
        bare_sign,
    )
    sealing = rate(lambda: seal_xml(document, seal), seconds)
    show("seal_xml with timestamp + OCSP (B-LT)", sealing, bare_sign)
    full = rate(
        lambda: verify_file(sealed, trusted_seals=trusted, bankid_roots=[bankid_root]), seconds
    )
    show("verify_file XML at B-LT (offline)", full, bare_sign)
    show("seal_xml B-LT + verify_file (first view)", 1 / (1 / sealing + 1 / full), bare_both)
    pdf = sealed_pdf(sealed, seal, render_pdf)
    print(f"the PDF beside it (sealed PDF at PAdES B-LTA {len(pdf):,} bytes)")
    show(
        "sealed_pdf without a TSA (B-B)",
        rate(lambda: sealed_pdf(sealed, bare_seal, render_pdf), seconds),
        bare_sign,
    )
    show(
        "sealed_pdf with TSA, OCSP, /DSS, doc timestamp (B-LTA)",
        rate(lambda: sealed_pdf(sealed, seal, render_pdf), seconds),
        bare_sign,
    )
    show(
        "verify_pdf_seal at B-LTA (offline)",
        rate(lambda: verify_pdf_seal(pdf, trusted=trusted), seconds),
        bare_sign,
    )


if __name__ == "__main__":
    main()
