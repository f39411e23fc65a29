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
BANKID_NAMES = (
    "BANKID_URL",
    "BANKID_CLIENT_CERT",
    "BANKID_CLIENT_KEY",
    "BANKID_CA",
    "BANKID_ROOTS",
    "BANKID_SERVICE_NAME",
)

NOTIFICATION_NAMES = (
    "MAIL_BACKEND",
    "MAIL_FROM",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_TLS",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_TIMEOUT",
    "SMTP_CA_FILE",
    "SMS_BACKEND",
    "SMS_HTTP_URL",
    "SMS_HTTP_TOKEN",
    "OUTBOX_BATCH_SIZE",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_BACKOFF_SECONDS",
    "OUTBOX_LEASE_SECONDS",
    "WORKER_INTERVAL",
    "WORKER_DEADLINES_INTERVAL",
    "WEBHOOK_TIMEOUT",
    "IMPORT_MAX_BYTES",
    "IMPORT_LEASE_SECONDS",
    "IDEMPOTENCY_TTL",
)


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
        # Logins (app/auth/sessions.py): kept in Redis when REDIS_URL is set, else in the database;
        # ended after this long unused, and after this long in any case.
        "REDIS_URL": None,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
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
        "API_RATE_LIMIT": "600 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_MAX_BYTES": 5 * 1024 * 1024,
        "SOAP_MAX_BYTES": 10 * 1024 * 1024,
        # Import jobs (app/imports): the largest file, the worker's lease on a job, and how
        # long (seconds) API answers are kept for Idempotency-Key retries.
        "IMPORT_MAX_BYTES": 200 * 1024 * 1024,
        "IMPORT_LEASE_SECONDS": 300,
        "IDEMPOTENCY_TTL": 24 * 3600,
        # The audit trail (app/audit): where sealed anchors of the chain's head are exported
        # (storage the database's users cannot write, in production), and how often.
        "AUDIT_ANCHOR_DIR": str(instance_path / "audit-anchors"),
        "AUDIT_ANCHOR_INTERVAL": 300,
    }


def from_environment() -> dict[str, Any]:
    names = (
        "INTYGA_ENV",
        "DATABASE_URL",
        "PUBLIC_URL",
        "SEAL_DIR",
        "SEAL_KEY",
        "SEAL_CERT",
        "REDIS_URL",
        "SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS",
        *NOTIFICATION_NAMES,
        "API_RATE_LIMIT",
        "RATELIMIT_STORAGE_URI",
        *SECRET_NAMES,
        *BANKID_NAMES,
    )
    found: dict[str, Any] = {name: os.environ[name] for name in names if os.environ.get(name)}
    return found


def resolve(instance_path: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    config = defaults(instance_path) | from_environment() | dict(overrides or {})
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
    if config["BANKID_TEST_SERVER"] is None:
        config["BANKID_TEST_SERVER"] = not production
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
    for name in ("SECRET_KEY", "BLIND_INDEX_KEY"):
        if _weak(str(config[name])):
            problems.append(
                f"{name} is weak: use at least {SECRET_MIN_LENGTH} random characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
    if config["SECRET_KEY"] == config["BLIND_INDEX_KEY"]:
        problems.append("SECRET_KEY and BLIND_INDEX_KEY must be different secrets")
    for position, key in enumerate(config["PII_KEYS"], start=1):
        try:
            Fernet(key)
        except ValueError:
            problems.append(
                f"PII_KEYS key {position} is not a Fernet key (32 random bytes, url-safe "
                "base64): make one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'"
            )
    problems.extend(_seal_problems(config.get("SEAL_KEY"), config.get("SEAL_CERT")))
    return problems


def _weak(secret: str) -> bool:
    return len(secret) < SECRET_MIN_LENGTH or len(set(secret)) < SECRET_MIN_DISTINCT


def _seal_problems(key: str | None, cert: str | None) -> list[str]:
    """The seal is the service's identity on every sealed document: production never makes one."""
    if not key or not cert:
        needed = (
            "SEAL_KEY and SEAL_CERT must name the seal's private key and certificate (PEM files); "
            "production never makes a self-signed seal of its own"
        )
        return [needed]
    return [
        f"{name}: {path} is not a readable file"
        for name, path in (("SEAL_KEY", key), ("SEAL_CERT", cert))
        if not os.access(path, os.R_OK) or not Path(path).is_file()
    ]


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
