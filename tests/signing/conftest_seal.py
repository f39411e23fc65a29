"""Fixtures for the sealed documents: a service seal, and real BankID test signatures.

Signatures come from our BankID test server on a loopback port, through the real client: start a
sign order with the document's summary and digest, approve it as the user's app would
(`/app/complete`), collect. Everything is made once per run; tests change copies.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.x509 import ocsp
from werkzeug.serving import make_server

from app.certificates.pdf import render_pdf
from schemas.examples import full_example
from signing.bankid.client import BankIDClient
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
from signing.pdf import sealed_pdf
from signing.seal import ServiceSeal, seal_xml

EMPLOYER_SIGNATORY = "198001011231"
EMPLOYEE = "191212121212"  # full_example()'s employee, BankID's Tolvan Tolvansson
AKASSA = Akassa(name="Byggnadsarbetarnas a-kassa", code="BYGG")
ISSUED = datetime(2025, 7, 1, 8, 30, tzinfo=UTC)


def make_document(
    content: dict[str, Any] | None = None, *, variant: str = "full", version: int = 1
) -> CertificateDocument:
    return CertificateDocument(
        certificate_id="7f0c2d0e-5b1a-4e0e-9a57-3c1f2b6d9e41",
        version=version,
        variant=variant,
        issued_at=ISSUED,
        employer_name="Byggbolaget Demo AB",
        organisation_number="5599999991",
        employer_id="company-42",
        content=full_example() if content is None else content,
    )


@dataclass
class LiveBankID:
    """The test server on 127.0.0.1 and a client for it; `root` is what verifiers pin."""

    base: str
    client: BankIDClient
    root: x509.Certificate

    def sign(
        self, doc: CertificateDocument, role: Role, personal_number: str, akassa: Akassa | None
    ) -> EidEvidence:
        digest = document_digest(content_document(doc))
        text = visible_summary(doc, purpose=role, akassa_name=akassa.name if akassa else None)
        started = self.client.start_sign(
            end_user_ip="192.0.2.1",
            user_visible_data=text,
            user_non_visible_data=digest.encode("ascii"),
            user_visible_data_format="simpleMarkdownV1",
        )
        approve = {"orderRef": started.order_ref, "personalNumber": personal_number}
        answer = requests.post(
            f"{self.base}/app/complete", json={**approve, "action": "approve"}, timeout=5
        )
        assert answer.ok, answer.text
        result = self.client.collect(started.order_ref)
        assert result.status == "complete", result.raw
        assert result.completion is not None
        return EidEvidence(
            role=role,
            personal_number=result.completion.user.personal_number,
            name=result.completion.user.name,
            signed_at=produced_at(result.completion.ocsp_response),
            order_ref=started.order_ref,
            visible_data=base64.b64encode(text.encode()).decode(),
            document_digest=digest,
            signature=result.completion.signature,
            ocsp_response=result.completion.ocsp_response,
            akassa=akassa,
        )


def produced_at(ocsp_response: str) -> datetime:
    """BankID's time of a signature, as the service records it: its OCSP response's."""
    return ocsp.load_der_ocsp_response(base64.b64decode(ocsp_response)).produced_at_utc


@pytest.fixture(scope="session")
def bankid(ca_dir: Path) -> Iterator[LiveBankID]:
    server = create_test_server(ca_dir)
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    with BankIDClient(f"{base}/rp/v6.0/", client_cert=None, ca_cert=True, timeout=5) as client:
        yield LiveBankID(base, client, server.root_certificate)
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="session")
def service_seal(tmp_path_factory: pytest.TempPathFactory) -> ServiceSeal:
    return ServiceSeal.load_or_create(tmp_path_factory.mktemp("seal"))


@pytest.fixture(scope="session")
def other_seal(tmp_path_factory: pytest.TempPathFactory) -> ServiceSeal:
    return ServiceSeal.load_or_create(tmp_path_factory.mktemp("other-seal"))


@pytest.fixture(scope="session")
def signed_document(bankid: LiveBankID) -> CertificateDocument:
    """The full example, signed by the employer and then approved by the employee."""
    doc = make_document()
    employer = bankid.sign(doc, "employer", EMPLOYER_SIGNATORY, None)
    employee = bankid.sign(doc, "employee", EMPLOYEE, AKASSA)
    return replace(doc, evidence=[employer, employee])


@pytest.fixture(scope="session")
def sealed_xml(signed_document: CertificateDocument, service_seal: ServiceSeal) -> bytes:
    return seal_xml(evidence_document(signed_document), service_seal)


@pytest.fixture(scope="session")
def sealed_pdf_file(sealed_xml: bytes, service_seal: ServiceSeal) -> bytes:
    return sealed_pdf(sealed_xml, service_seal, render_pdf)
