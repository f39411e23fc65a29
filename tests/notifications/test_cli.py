"""`flask --app wsgi worker`: one pass through the CLI runner, and the loop's graceful stop."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta

from sqlalchemy.orm import Session

from app.certificates.models import State
from app.database import utcnow
from app.worker.cli import _stop_on_signals
from tests import factories as f
from tests.conftest import AppFactory
from tests.notifications.conftest import LocalSmtp, WorkerFactory


def test_worker_once_sends_over_smtp_from_configuration(
    session: Session, make_app: AppFactory, smtp_server: LocalSmtp
) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.SENT, now=utcnow())
    session.commit()
    app = make_app(
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_server.port),
        SMTP_TLS="none",
        MAIL_FROM="Intyga <noreply@intyga.test>",
        PUBLIC_URL="https://intyga.test",
    )

    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "audit_anchors_sealed: 1, audit_events_linked: 4, sent: 1"
    [mail] = smtp_server.messages
    assert mail["From"] == "Intyga <noreply@intyga.test>"
    assert "https://intyga.test/arbetstagare" in mail.get_content()
    again = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert again.output.strip() == "nothing to do"
    assert len(smtp_server.messages) == 1


def test_worker_once_prints_mail_in_development(session: Session, make_app: AppFactory) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.SENT, now=utcnow())
    session.commit()

    result = make_app(MAIL_BACKEND="console").test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert f"---- e-mail to {w.employee.email}" in result.output
    assert "Subject: Du har fått ett arbetsgivarintyg" in result.output
    assert result.output.strip().endswith("sent: 1")


def test_the_loop_stops_gracefully_on_sigterm(
    make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    worker = make_worker()
    before = signal.getsignal(signal.SIGTERM)
    with _stop_on_signals(worker):
        signal.raise_signal(signal.SIGTERM)
    assert worker.stop.is_set()
    assert signal.getsignal(signal.SIGTERM) is before

    looping = make_worker()
    thread = threading.Thread(
        target=looping.run_forever,
        kwargs={"interval": 0.05, "deadlines_every": timedelta(minutes=5)},
    )
    thread.start()
    looping.stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
