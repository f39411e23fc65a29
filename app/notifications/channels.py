"""The channels a notification goes out on: e-mail over SMTP and SMS over an HTTP provider, each
with a console stand-in for development that prints what would be sent.

Each is an `app.outbox.sending.Sender`. Failure reasons are written by us, never copied from the
server's reply, which may quote the address: they end up in `outbox_message.last_error`.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any, TextIO

import requests

from app.outbox.models import Channel
from app.outbox.sending import Outgoing, Sender, SendFailed

# --- e-mail --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # none | starttls | ssl
    username: str | None
    password: str | None
    mail_from: str
    timeout: float = 30.0
    ca_file: str | None = None  # trust this CA instead of the system's (a private relay)


class SmtpMailer:
    """Real SMTP with smtplib: one connection per message, which keeps failures independent."""

    def __init__(self, settings: SmtpSettings) -> None:
        if settings.tls not in {"none", "starttls", "ssl"}:
            msg = f"SMTP_TLS must be none, starttls or ssl, not {settings.tls!r}"
            raise ValueError(msg)
        self.settings = settings

    def message(self, outgoing: Outgoing) -> EmailMessage:
        domain = parseaddr(self.settings.mail_from)[1].rpartition("@")[2] or "intyga.invalid"
        mail = EmailMessage()
        mail["From"] = self.settings.mail_from
        mail["To"] = outgoing.to
        mail["Subject"] = outgoing.subject
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = f"<{outgoing.reference}@{domain}>"
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(outgoing.body)
        return mail

    def send(self, outgoing: Outgoing) -> None:
        mail = self.message(outgoing)
        try:
            smtp = self._connect()
            try:
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password or "")
                smtp.send_message(mail)
            finally:
                _quit(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _text in exc.recipients.values()})
            permanent = all(code >= 500 for code in codes)
            raise SendFailed(f"smtp: recipient refused {codes}", permanent=permanent) from exc
        except smtplib.SMTPDataError as exc:
            permanent = exc.smtp_code >= 500
            raise SendFailed(f"smtp: message refused {exc.smtp_code}", permanent=permanent) from exc
        except smtplib.SMTPResponseException as exc:
            # Authentication or sender refused: our configuration, not this message. Retry.
            raise SendFailed(f"smtp: {type(exc).__name__} {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"smtp: {type(exc).__name__}") from exc

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls())
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.tls == "starttls":
            try:
                smtp.starttls(context=self._tls())
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.ca_file)


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye, ignoring a bad answer: once the server took the message, it is sent."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


class ConsoleMailer:
    """Development: the e-mail is printed where the worker runs instead of being sent."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, outgoing: Outgoing) -> None:
        _print(self.stream, "e-mail", outgoing, f"Subject: {outgoing.subject}\n\n{outgoing.body}")


# --- SMS -----------------------------------------------------------------------------------------


class HttpSms:
    """An SMS provider reached over HTTPS. The request, one per message:

        POST {SMS_HTTP_URL}
        Authorization: Bearer {SMS_HTTP_TOKEN}
        Idempotency-Key: {reference}
        Content-Type: application/json

        {"to": "+46701234567", "text": "...", "reference": "{reference}"}

    `reference` is stable per message, so a provider that honours Idempotency-Key sends a retried
    request once. 2xx is accepted; 400 and 422 (a number or text it will never take) give up at
    once; anything else (401/403 configuration, 408, 429, 5xx, no answer) is tried again later.
    """

    PERMANENT = frozenset({400, 422})

    def __init__(self, url: str, token: str, *, timeout: float = 15.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, outgoing: Outgoing) -> None:
        try:
            response = requests.post(
                self.url,
                json={
                    "to": normalise_mobile(outgoing.to),
                    "text": outgoing.body,
                    "reference": outgoing.reference,
                },
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Idempotency-Key": outgoing.reference,
                },
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SendFailed(f"sms: {type(exc).__name__}") from exc
        if 200 <= response.status_code < 300:
            return
        permanent = response.status_code in self.PERMANENT
        raise SendFailed(f"sms: http {response.status_code}", permanent=permanent)


class ConsoleSms:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, outgoing: Outgoing) -> None:
        _print(self.stream, "SMS", outgoing, outgoing.body)


def normalise_mobile(number: str) -> str:
    """Swedish mobile numbers as written (070-123 45 67) to E.164 (+46701234567)."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    if digits.startswith("0"):
        return f"+46{digits[1:]}"
    return digits


def _print(stream: TextIO | None, kind: str, outgoing: Outgoing, text: str) -> None:
    out = stream or sys.stdout
    out.write(f"---- {kind} to {outgoing.to} (ref {outgoing.reference}) ----\n{text}\n----\n")
    out.flush()


# --- from configuration --------------------------------------------------------------------------


def senders_from_config(
    config: Mapping[str, Any], stream: TextIO | None = None
) -> dict[str, Sender]:
    """The senders MAIL_BACKEND and SMS_BACKEND choose (smtp|console, http|console)."""
    senders: dict[str, Sender] = {}
    mail_backend = config.get("MAIL_BACKEND", "console")
    if mail_backend == "smtp":
        senders[Channel.EMAIL] = SmtpMailer(
            SmtpSettings(
                host=config["SMTP_HOST"],
                port=int(config["SMTP_PORT"]),
                tls=config["SMTP_TLS"],
                username=config.get("SMTP_USERNAME") or None,
                password=config.get("SMTP_PASSWORD") or None,
                mail_from=config["MAIL_FROM"],
                timeout=float(config.get("SMTP_TIMEOUT", 30)),
                ca_file=config.get("SMTP_CA_FILE") or None,
            )
        )
    elif mail_backend == "console":
        senders[Channel.EMAIL] = ConsoleMailer(stream)
    else:
        msg = f"MAIL_BACKEND must be smtp or console, not {mail_backend!r}"
        raise ValueError(msg)
    sms_backend = config.get("SMS_BACKEND", "console")
    if sms_backend == "http":
        if not config.get("SMS_HTTP_URL") or not config.get("SMS_HTTP_TOKEN"):
            msg = "SMS_BACKEND=http needs SMS_HTTP_URL and SMS_HTTP_TOKEN"
            raise ValueError(msg)
        senders[Channel.SMS] = HttpSms(config["SMS_HTTP_URL"], config["SMS_HTTP_TOKEN"])
    elif sms_backend == "console":
        senders[Channel.SMS] = ConsoleSms(stream)
    else:
        msg = f"SMS_BACKEND must be http or console, not {sms_backend!r}"
        raise ValueError(msg)
    return senders
