"""Production refuses to start on a configuration that would be unsafe: weak secrets, no seal of
its own, a BankID test server. Each refusal names the setting and how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from flask import Flask

from app import seal
from app.config import ConfigurationError, resolve
from signing.seal import KEY_FILE, ServiceSeal
from signing.testpki import TestPKI

ROOT = Path(__file__).resolve().parents[2]
BANKID = {
    "BANKID_URL": "https://appapi2.bankid.com/rp/v6.0/",
    "BANKID_ROOTS": "/etc/intyga/bankid-roots.pem",
    "BANKID_SERVICE_NAME": "Intyga AB",
}


def strong_settings(tmp_path: Path) -> dict[str, Any]:
    """A configuration production accepts: random secrets, a seal with its chain made elsewhere
    (by a trust service: here the test PKI), its roots and a TSA."""
    pki = TestPKI(tmp_path / "trust-service", "https://trust-service.example")
    key, cert = tmp_path / "seal-key.pem", tmp_path / "seal-cert.pem"
    roots = tmp_path / "seal-roots.pem"
    key.write_bytes(pki.service_seal().private_key_pem)
    cert.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in pki.seal_chain))
    roots.write_bytes(pki.root_pem)
    return {
        "INTYGA_ENV": "production",
        "SECRET_KEY": "Zq3-x9LmT0vB7nR2kWc5yHf8JdP1sGa4eU6iOo_QrXt",
        "PII_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "pL7_mQ2vX9nB4kR8tW1cY5hF3jD6sG0aE-uIoZrNx",
        "AUDIT_KEY": "aK4-wE8rT2yU6iO0pL3kJ7hG1fD5sA9zXcVbNm_Q",
        "SEAL_KEY": str(key),
        "SEAL_CERT": str(cert),
        "SEAL_ROOTS": str(roots),
        "TSA_URL": "https://tsa.trust-service.example/tsa",
        **BANKID,
    }


def test_a_strong_configuration_starts(tmp_path: Path) -> None:
    config = resolve(tmp_path, strong_settings(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("changed", "named"),
    [
        ({"SECRET_KEY": "k"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "a" * 64}, "SECRET_KEY is weak"),
        ({"BLIND_INDEX_KEY": "b" * 40}, "BLIND_INDEX_KEY is weak"),
        ({"AUDIT_KEY": "short-audit-key"}, "AUDIT_KEY is weak"),
        ({"PII_KEYS": "not-a-fernet-key"}, "PII_KEYS key 1 is not a Fernet key"),
        ({"SEAL_KEY": None}, "SEAL_KEY and SEAL_CERT must name"),
        ({"SEAL_CERT": None}, "SEAL_KEY and SEAL_CERT must name"),
        ({"SEAL_CERT": "/nowhere/cert.pem"}, "SEAL_CERT: /nowhere/cert.pem is not a readable"),
        ({"BANKID_URL": None}, "BANKID_URL"),
        ({"TSA_URL": None}, "TSA_URL must name a time-stamping authority"),
        ({"SEAL_ROOTS": None}, "SEAL_ROOTS must name the trust anchors"),
        ({"SEAL_ROOTS": "/nowhere/roots.pem"}, "SEAL_ROOTS: /nowhere/roots.pem is not a readable"),
        ({"PKI_TEST_SERVER": True}, "PKI_TEST_SERVER must be off"),
        ({"SEAL_PKCS12": "/nowhere/seal.p12"}, "SEAL_PKCS12: /nowhere/seal.p12 is not a readable"),
    ],
)
def test_production_refuses_an_unsafe_setting(
    tmp_path: Path, changed: dict[str, Any], named: str
) -> None:
    settings = strong_settings(tmp_path) | changed
    with pytest.raises(ConfigurationError, match=named):
        resolve(tmp_path, settings)


def test_the_same_secret_twice_is_refused(tmp_path: Path) -> None:
    settings = strong_settings(tmp_path)
    settings["BLIND_INDEX_KEY"] = settings["SECRET_KEY"]
    with pytest.raises(ConfigurationError, match="must be different"):
        resolve(tmp_path, settings)


def test_development_seals_with_the_test_pki_and_makes_its_own_secrets(tmp_path: Path) -> None:
    config = resolve(tmp_path, {})
    assert len(config["SECRET_KEY"]) >= 32
    flask_app = Flask(__name__)
    flask_app.config.update(config)
    seal.init_app(flask_app)
    with flask_app.app_context():
        made = seal.current()
        assert made.tsa_url == "http://127.0.0.1:5000/pki-test/tsa"
        (root,) = seal.settings().roots
    assert made.chain[0].issuer == root.subject
    assert made.certificate.issuer == made.chain[0].subject
    assert (Path(config["PKI_TEST_STATE"]) / "root-credential.pem").exists()
    without = resolve(tmp_path, {"PKI_TEST_SERVER": False})
    flask_app.config.update(without)
    seal.init_app(flask_app)
    assert (Path(config["SEAL_DIR"]) / KEY_FILE).exists()


def test_a_seal_delivered_as_pkcs12_is_used_with_its_chain(tmp_path: Path) -> None:
    settings = strong_settings(tmp_path)
    pki = TestPKI(tmp_path / "trust-service", "https://trust-service.example")
    bundle = tmp_path / "seal.p12"
    bundle.write_bytes(pki.service_seal().pkcs12(b"hemligt"))
    settings |= {"SEAL_PKCS12": str(bundle), "SEAL_PKCS12_PASSWORD": "hemligt", "SEAL_KEY": None}
    flask_app = Flask(__name__)
    flask_app.config.update(resolve(tmp_path, settings))
    seal.init_app(flask_app)
    with flask_app.app_context():
        assert seal.current().certificate == pki.seal.certificate
        assert seal.current().chain == (pki.seal_ca.certificate,)
        assert seal.current().tsa_url == settings["TSA_URL"]
        assert seal.trusted() == [pki.root.certificate, pki.seal.certificate]


def test_a_certificate_that_is_not_the_keys_is_refused(tmp_path: Path) -> None:
    settings = strong_settings(tmp_path)
    other = ServiceSeal.load_or_create(tmp_path / "other")
    Path(settings["SEAL_CERT"]).write_bytes(other.certificate_pem)
    flask_app = Flask(__name__)
    flask_app.config.update(resolve(tmp_path, settings))
    with pytest.raises(ConfigurationError, match="cannot be used"):
        seal.init_app(flask_app)


def test_the_server_says_why_it_will_not_start(tmp_path: Path) -> None:
    """`gunicorn wsgi:app` and `flask --app wsgi` import wsgi: a plain message, exit status 1."""
    settings = strong_settings(tmp_path) | {"SECRET_KEY": "short", "SEAL_KEY": ""}
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("SEAL", "SECRET"))
    }
    environment |= {name: str(value or "") for name, value in settings.items()}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    started = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 1
    assert "Intyga cannot start" in started.stderr
    assert "SECRET_KEY is weak" in started.stderr
    assert "SEAL_KEY and SEAL_CERT must name" in started.stderr
    assert "Traceback" not in started.stderr
