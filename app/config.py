"""Configuration: defaults for the embedded setup, overridden by the environment, then by the
`config` mapping given to `create_app`.

In development and tests the secrets are generated once into `instance/secrets.json`; in
production they must come from the environment, and the app refuses to start without them, with
weak ones, or without the seal's own key and certificate (see `production_problems`).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from app.privacy.vault import generate_key

SECRET_NAMES = ("SECRET_KEY", "PII_KEYS", "BLIND_INDEX_KEY", "AUDIT_KEY")

# A secret shorter than this, or with fewer different characters, is refused in production.
SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 12


class ConfigurationError(RuntimeError):
    pass


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        "INTYGA_ENV": "development",
        "DATABASE_URL": f"sqlite:///{instance_path / 'intyga.db'}",
        "BABEL_DEFAULT_LOCALE": "sv",
        "LANGUAGES": ("sv", "en"),
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Logins (app/logins/store.py): kept in Redis when REDIS_URL is set, else in the database;
        # ended after this long unused, and after this long in any case.
        "REDIS_URL": None,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        # /metrics answers a bearer of this token; without one, only this machine (loopback).
        "METRICS_TOKEN": None,
        # "json" (one object per line) or "text"; json by default in production.
        "LOG_FORMAT": None,
        "LOG_LEVEL": "INFO",
        # How many reverse proxies stand in front (their X-Forwarded-For/-Proto/-Host are
        # believed): 0 when the app is reached directly.
        "PROXY_FIX_HOPS": 0,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "BANKID_TEST_SERVER": None,
        "BANKID_TEST_STATE": str(instance_path / "bankid-test"),
        "BANKID_URL": None,
        "BANKID_CLIENT_CERT": None,
        "BANKID_CLIENT_KEY": None,
        "BANKID_CA": None,
        "BANKID_ROOTS": None,
        "BANKID_SERVICE_NAME": None,
        "BANKID_COLLECT_INTERVAL": 2.0,
        "SEAL_DIR": str(instance_path / "seal"),
        "VERIFY_MAX_UPLOAD": 5 * 1024 * 1024,
        "SEAL_KEY": None,
        "SEAL_CERT": None,
        # The seal as a trust service delivers it (key, certificate and CA chain in one file).
        "SEAL_PKCS12": None,
        "SEAL_PKCS12_PASSWORD": None,
        # The seal's key in an HSM (PKCS#11), its certificate and chain in SEAL_CERT.
        "SEAL_PKCS11_MODULE": None,
        "SEAL_PKCS11_TOKEN": None,
        "SEAL_PKCS11_KEY_LABEL": None,
        "SEAL_PKCS11_PIN": None,
        # Trust anchors (PEM) of the seal's chain and of the TSA: what verification ends in.
        "SEAL_ROOTS": None,
        # The RFC 3161 time-stamping authority that makes every seal long-term (B-LT).
        "TSA_URL": None,
        "TSA_TIMEOUT": 10.0,
        # A sealed PDF's next archive timestamp is added this many days before the certificates
        # of its last one start to expire (the worker's archive job).
        "ARCHIVE_RENEWAL_DAYS": 90,
        # The test PKI (root, seal CA, seal, TSA, OCSP) mounted at /pki-test: development only.
        "PKI_TEST_SERVER": None,
        "PKI_TEST_STATE": str(instance_path / "pki-test"),
        # Notifications: the worker's channels and pace (app/notifications).
        "MAIL_BACKEND": "console",
        "MAIL_FROM": "Intyga <noreply@intyga.localhost>",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 587,
        "SMTP_TLS": "starttls",
        "SMTP_USERNAME": None,
        "SMTP_PASSWORD": None,
        "SMTP_TIMEOUT": 30,
        "SMTP_CA_FILE": None,
        "SMS_BACKEND": "console",
        "SMS_HTTP_URL": None,
        "SMS_HTTP_TOKEN": None,
        "OUTBOX_BATCH_SIZE": 50,
        "OUTBOX_MAX_ATTEMPTS": 8,
        "OUTBOX_BACKOFF_SECONDS": 60,
        "OUTBOX_LEASE_SECONDS": 300,
        "WORKER_INTERVAL": 10,
        "WORKER_DEADLINES_INTERVAL": 300,
        "WEBHOOK_TIMEOUT": 10,
        # Webhooks to internal addresses (loopback, private, link-local): for development only;
        # production always refuses them (app/webhooks/addresses.py).
        "WEBHOOK_ALLOW_INTERNAL": None,
        "API_RATE_LIMIT": "600 per minute",
        # Failed API keys per address (app/api/throttle.py): far fewer than API_RATE_LIMIT.
        "API_FAILURE_LIMIT": "10 per minute; 50 per hour",
        # The limiter's counters: this URI, else REDIS_URL, else this process's memory
        # (swept-memory://, app/api/ratelimit.py: no timer thread per request).
        "RATELIMIT_STORAGE_URI": None,
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_MAX_BYTES": 5 * 1024 * 1024,
        "SOAP_MAX_BYTES": 10 * 1024 * 1024,
        # Import jobs (app/imports): the largest file, the worker's lease on a job, and how
        # long (seconds) API answers are kept for Idempotency-Key retries.
        "IMPORT_MAX_BYTES": 200 * 1024 * 1024,
        "IMPORT_LEASE_SECONDS": 300,
        "IDEMPOTENCY_TTL": 24 * 3600,
        # Retention of payroll data (app/dataprotection/retention.py): AGI income months
        # older than the longest frame, employment numbers no file has named for this many
        # days, finished import jobs (their problem lists) this many days after they ended.
        "AGI_INCOME_RETENTION_MONTHS": 72,
        "EMPLOYMENT_NUMBER_RETENTION_DAYS": 730,
        "IMPORT_JOB_RETENTION_DAYS": 90,
        # The audit trail (app/audit): where sealed anchors of the chain's head are exported
        # (storage the database's users cannot write, in production), and how often.
        "AUDIT_ANCHOR_DIR": str(instance_path / "audit-anchors"),
        "AUDIT_ANCHOR_INTERVAL": 300,
    }


# Settings whose default is None ("decided by INTYGA_ENV") but which are yes/no when given.
SWITCH_NAMES = ("BANKID_TEST_SERVER", "PKI_TEST_SERVER", "WEBHOOK_ALLOW_INTERNAL")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def from_environment(known: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting can come from the environment, as text read by the type of its default
    (docs/operations.md lists them all); the secrets too, which have no default."""
    found: dict[str, Any] = {}
    for name in (*known, *SECRET_NAMES):
        text = os.environ.get(name)
        if text:
            found[name] = _typed(name, text, known.get(name))
    return found


def _typed(name: str, text: str, default: Any) -> Any:
    try:
        if isinstance(default, bool) or name in SWITCH_NAMES:
            if text.lower() not in _TRUE | _FALSE:
                raise ValueError(text)
            return text.lower() in _TRUE
        if isinstance(default, int | float):
            number = float(text)
            return int(number) if isinstance(default, int) and number.is_integer() else number
    except ValueError as exc:
        kind = "yes or no" if isinstance(default, bool) or name in SWITCH_NAMES else "a number"
        msg = f"{name} must be {kind}, not {text!r}"
        raise ConfigurationError(msg) from exc
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def resolve(instance_path: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    known = defaults(instance_path)
    config = known | from_environment(known) | dict(overrides or {})
    missing = [name for name in SECRET_NAMES if not config.get(name)]
    if missing:
        if config["INTYGA_ENV"] == "production":
            msg = f"production needs these settings from the environment: {', '.join(missing)}"
            raise ConfigurationError(msg)
        generated = _instance_secrets(instance_path)
        config |= {name: generated[name] for name in missing}
    if isinstance(config["PII_KEYS"], str):
        config["PII_KEYS"] = [key.strip() for key in config["PII_KEYS"].split(",") if key.strip()]
    production = config["INTYGA_ENV"] == "production"
    config["SESSION_COOKIE_SECURE"] = production
    config.setdefault("DEMO_OVERVIEW", config["INTYGA_ENV"] == "development")
    if not config["RATELIMIT_STORAGE_URI"]:
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "swept-memory://"
    if production or config["WEBHOOK_ALLOW_INTERNAL"] is None:
        config["WEBHOOK_ALLOW_INTERNAL"] = not production
    if config["BANKID_TEST_SERVER"] is None:
        config["BANKID_TEST_SERVER"] = not production
    if config["PKI_TEST_SERVER"] is None:
        config["PKI_TEST_SERVER"] = not production
    if production and (problems := production_problems(config)):
        listed = "\n".join(f"  - {problem}" for problem in problems)
        msg = f"Intyga will not start in production until these settings are fixed:\n{listed}"
        raise ConfigurationError(msg)
    return config


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """What keeps `config` from running in production: each problem as one line to act on."""
    problems = []
    bankid_settings = ("BANKID_URL", "BANKID_ROOTS", "BANKID_SERVICE_NAME")
    if config["BANKID_TEST_SERVER"] or not all(map(config.get, bankid_settings)):
        problems.append(f"production needs {', '.join(bankid_settings)} and no BankID test server")
    keyed = [name for name in ("SECRET_KEY", "BLIND_INDEX_KEY", "AUDIT_KEY") if name in config]
    for name in keyed:
        if _weak(str(config[name])):
            problems.append(
                f"{name} is weak: use at least {SECRET_MIN_LENGTH} random characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
    if len({str(config[name]) for name in keyed}) < len(keyed):
        problems.append(f"{', '.join(keyed)} must be different secrets")
    for position, key in enumerate(config["PII_KEYS"], start=1):
        try:
            Fernet(key)
        except ValueError:
            problems.append(
                f"PII_KEYS key {position} is not a Fernet key (32 random bytes, url-safe "
                "base64): make one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'"
            )
    problems.extend(_seal_problems(config))
    return problems


def _weak(secret: str) -> bool:
    return len(secret) < SECRET_MIN_LENGTH or len(set(secret)) < SECRET_MIN_DISTINCT


def _seal_problems(config: Mapping[str, Any]) -> list[str]:
    """The seal is the service's identity on every sealed document: production never makes one,
    and seals only with a timestamp and a chain that verifiers can trust."""
    problems: list[str] = []
    if config.get("SEAL_PKCS11_MODULE"):
        files = ["SEAL_PKCS11_MODULE", "SEAL_CERT"]
        needed = ("SEAL_PKCS11_TOKEN", "SEAL_PKCS11_KEY_LABEL", "SEAL_PKCS11_PIN", "SEAL_CERT")
        problems.extend(
            f"{name} must be set with SEAL_PKCS11_MODULE" for name in needed if not config.get(name)
        )
        files = [name for name in files if config.get(name)]
    elif config.get("SEAL_PKCS12"):
        files = ["SEAL_PKCS12"]
    elif config.get("SEAL_KEY") and config.get("SEAL_CERT"):
        files = ["SEAL_KEY", "SEAL_CERT"]
    else:
        files = []
        problems.append(
            "SEAL_KEY and SEAL_CERT must name the seal's private key and certificate (PEM files), "
            "or SEAL_PKCS12 the seal as a trust service delivers it; production never makes a "
            "self-signed seal of its own"
        )
    if config.get("PKI_TEST_SERVER"):
        problems.append("PKI_TEST_SERVER must be off: its root and TSA are for development only")
    if not config.get("TSA_URL"):
        problems.append("TSA_URL must name a time-stamping authority: seals are timestamped")
    if not config.get("SEAL_ROOTS"):
        problems.append("SEAL_ROOTS must name the trust anchors of the seal's chain and the TSA")
    else:
        files.append("SEAL_ROOTS")
    problems.extend(
        f"{name}: {config[name]} is not a readable file"
        for name in files
        if not os.access(config[name], os.R_OK) or not Path(config[name]).is_file()
    )
    return problems


def _instance_secrets(instance_path: Path) -> dict[str, str]:
    """Development secrets, created on first run and kept so encrypted data stays readable;
    a secret added in a later version is generated into the existing file."""
    path = instance_path / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = {
        name: generate_key() if name == "PII_KEYS" else secrets.token_urlsafe(48)
        for name in SECRET_NAMES
        if name not in stored
    }
    if not missing:
        return stored
    instance_path.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(stored | missing, indent=2))
    return stored | missing
