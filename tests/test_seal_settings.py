"""The seal in development: the mounted test PKI signs, timestamps and answers OCSP over HTTP at
PUBLIC_URL, and `flask demo` (no server yet) gets it served for as long as it seals."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from app import seal
from signing.document import evidence_document
from signing.seal import seal_xml, verify_seal_xml
from signing.timestamps import TimestampError, request_timestamp
from tests.conftest import AppFactory
from tests.signing.conftest_seal import make_document


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_mounted_test_pki_is_served_while_the_app_is_not(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(
        PKI_TEST_SERVER=True,
        PKI_TEST_STATE=str(tmp_path / "pki"),
        PUBLIC_URL=f"http://127.0.0.1:{_free_port()}",
        SEAL_PKCS12=None,
        SEAL_ROOTS=None,
        TSA_URL=None,
    )
    with app.app_context():
        made = seal.current()
        assert made.tsa_url == f"{app.config['PUBLIC_URL']}/pki-test/tsa"
        with pytest.raises(TimestampError):
            request_timestamp(made.tsa_url, b"x", timeout=2)
        with seal.test_pki_reachable():
            sealed = seal_xml(evidence_document(make_document()), made)
        result = verify_seal_xml(sealed, trusted=seal.trusted())
    assert result.ok, result.detail
    assert result.evidence is not None
    assert result.evidence.level == "B-LT"
    # The app itself serves it under /pki-test/ too.
    with app.app_context():
        expected = seal.settings().roots[0].public_bytes(serialization.Encoding.PEM)
    assert app.test_client().get("/pki-test/root.pem").data == expected
