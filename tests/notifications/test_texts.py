"""Every message, in Swedish and English, says only that there is something to read and links to
it: no name, no personnummer, no employer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import State
from app.notifications.compose import compose
from app.notifications.texts import TEXTS, text_for
from app.outbox.models import Channel, OutboxMessage
from app.people.models import NotifyBy
from tests import factories as f
from tests.notifications.conftest import LocalSmtp, WorkerFactory

LIFECYCLE_TEMPLATES = {
    ("certificate_delivered", "person"),
    ("certificate_new_version", "person"),
    ("certificate_withdrawn", "person"),
    ("certificate_expired", "person"),
    ("certificate_expired", "company"),
    ("certificate_approved", "company"),
    ("completion_requested", "company"),
    ("reminder_14", "person"),
    ("reminder_35", "person"),
    ("draft_removal_warning", "company"),
}
# Not about a certificate: their payloads and links are tested in tests/requests.
OTHER_TEMPLATES = {
    ("certificate_requested", "company"),
    ("certificate_request_declined", "person"),
    ("invitation", "invitee"),
}


def personal_data(w: f.World) -> list[str]:
    pnr = w.employee.personnummer
    return [
        w.employee.first_name,
        w.employee.last_name,
        pnr,
        pnr[2:],
        f"{pnr[:8]}-{pnr[8:]}",
        f"{pnr[2:8]}-{pnr[8:]}",
        w.company.name,
        "Testbolaget",
        "5599999991",
        "559999-9991",
        str(w.employee.email),
        "Fel slutdatum",  # what the employee wrote to the employer
    ]


def assert_no_personal_data(text: str, w: f.World) -> None:
    for needle in personal_data(w):
        assert needle.lower() not in text.lower(), f"{needle!r} in {text!r}"


def test_every_template_the_life_cycle_writes_has_a_text_in_both_languages() -> None:
    assert set(TEXTS) == LIFECYCLE_TEMPLATES | OTHER_TEMPLATES
    for versions in TEXTS.values():
        assert set(versions) == {"sv", "en"}
        for text in versions.values():
            assert re.findall(r"\{(\w*)\}", text.body + text.sms) == ["link", "link"]
            assert len(text.sms.format(link="https://intyga.example.se/arbetstagare")) <= 160


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("template", "audience"), sorted(LIFECYCLE_TEMPLATES))
def test_no_message_holds_personal_data(
    session: Session, template: str, audience: str, language: str
) -> None:
    w = f.world(session)
    w.employee.language = language
    w.employee.mobile = "0701234567"
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    channels = [Channel.EMAIL, Channel.SMS] if audience == "person" else [Channel.EMAIL]
    for channel in channels:
        message = OutboxMessage(
            idempotency_key=f"{cert.id}:test:{channel}",
            channel=channel,
            template=template,
            payload={"certificate_id": str(cert.id), "version": 1},
            recipient_person_id=w.employee.id if audience == "person" else None,
            recipient_company_id=w.company.id if audience == "company" else None,
        )
        outgoing = compose(session, message, "https://intyga.test")
        assert_no_personal_data(f"{outgoing.subject}\n{outgoing.body}", w)
        # Companies are written to in Swedish.
        if audience == "person":
            expected = text_for(template, "person", language)
        else:
            expected = text_for(template, "company", "sv")
        assert outgoing.subject == expected.subject
        link = (
            "https://intyga.test/arbetstagare"
            if audience == "person"
            else f"https://intyga.test/arbetsgivare/intyg/{cert.id}"
        )
        assert link in outgoing.body
        assert outgoing.to == (
            (w.employee.mobile if channel == Channel.SMS else w.employee.email)
            if audience == "person"
            else w.company.notification_email
        )


def test_whole_life_cycle_through_smtp_carries_no_personal_data(
    session: Session, make_worker: WorkerFactory, smtp_server: LocalSmtp
) -> None:
    """What actually arrived, raw, apart from the To header that must name the address."""
    w = f.world(session)
    w.company.notify_on_approval = True
    w.employee.notify_by = NotifyBy.EMAIL
    cert = f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    certificates.revise(session, cert, actor=w.by_certifier, now=f.NOW + timedelta(days=2))
    certificates.sign(session, cert, signer=w.certifier, evidence=f.EVIDENCE, now=f.NOW)
    certificates.deliver(session, cert, now=f.NOW + timedelta(days=2))
    f.certificate_in(session, w, State.APPROVED)
    f.certificate_in(session, w, State.EXPIRED)
    session.commit()

    make_worker().send_due()

    assert len(smtp_server.messages) == 8
    for message in smtp_server.messages:
        del message["To"]
        assert_no_personal_data(message.as_string(), w)
