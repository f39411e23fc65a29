"""The employee's profile: e-mail, a Swedish mobile number stored as +46…, how to be told (each
way needs its address) and the language, which the pages switch to at once."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.errors import InvalidContent
from app.people import service as people
from app.people.models import Person
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

PAGE = "/arbetstagare/profil"


def _save(client: FlaskClient, **fields: str) -> tuple[int, str]:
    data = {
        "email": "tolvan@example.test",
        "mobile": "070-123 45 67",
        "notify_by": "both",
        "language": "sv",
    } | fields
    response = web.post(client, PAGE, form_page=PAGE, **data)
    return response.status_code, response.get_data(as_text=True)


def _person(session: Session, w: f.World) -> Person:
    session.expire_all()
    found = session.get(Person, w.employee.id)
    assert found is not None
    return found


def test_the_profile_shows_what_is_stored_and_saves_it_normalised(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    html = client.get(PAGE).get_data(as_text=True)
    assert 'value="tolvan.tolvansson@example.test"' in html
    assert '<label for="mobile">Mobilnummer</label>' in html

    status, _html = _save(client)

    assert status == 302
    person = _person(session, w)
    assert (person.email, person.mobile, person.notify_by, person.language) == (
        "tolvan@example.test",
        "+46701234567",
        "both",
        "sv",
    )
    page = client.get(PAGE).get_data(as_text=True)
    assert "Dina uppgifter är sparade." in page
    assert 'value="+46701234567"' in page
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "person.profile_updated")
    )
    assert event.data == {"fields": ["email", "mobile", "notify_by"]}
    assert "tolvan@example.test" not in str(event.data)


def test_choosing_english_switches_the_pages_at_once(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    status, _html = _save(client, language="en")

    assert status == 302
    assert _person(session, w).language == "en"
    page = client.get(PAGE).get_data(as_text=True)
    assert '<html lang="en">' in page
    with client.session_transaction() as cookie:
        assert cookie["lang"] == "en"

    _save(client, language="sv")
    assert '<html lang="sv">' in client.get(PAGE).get_data(as_text=True)


def test_the_saved_language_returns_at_the_next_login_unless_switched_on_the_way_in(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    w.employee.language = "en"
    session.flush()
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert '<html lang="en">' in client.get(PAGE).get_data(as_text=True)

    web.post(client, "/logga-ut", form_page=PAGE)
    client.get("/sprak/sv")
    web.log_in(client, bankid, f.EMPLOYEE_PNR)
    assert '<html lang="sv">' in client.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "inte-en-adress"}, "email", "Ange en giltig e-postadress."),
        ({"mobile": "08-123 456 78"}, "mobile", "Ange ett svenskt mobilnummer"),
        ({"mobile": "+4412345678"}, "mobile", "Ange ett svenskt mobilnummer"),
        ({"mobile": "", "notify_by": "sms"}, "mobile", "Ange ett mobilnummer för att få besked"),
        ({"mobile": "", "notify_by": "both"}, "mobile", "Ange ett mobilnummer för att få besked"),
        ({"email": "", "notify_by": "email"}, "email", "Ange en e-postadress för att få besked"),
        ({"notify_by": "brevduva"}, "notify_by", "Välj ett av alternativen."),
        ({"language": "de"}, "language", "Välj ett av alternativen."),
    ],
)
def test_what_is_wrong_is_said_next_to_its_field_and_nothing_is_saved(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    status, html = _save(client, **fields)

    assert status == 422
    web.assert_field_error(html, field, message)
    person = _person(session, w)
    assert (person.email, person.mobile) == ("tolvan.tolvansson@example.test", None)


def test_without_any_notifications_no_address_is_needed(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    web.log_in(client, bankid, f.EMPLOYEE_PNR)

    status, _html = _save(client, email="", mobile="", notify_by="none")

    assert status == 302
    person = _person(session, w)
    assert (person.email, person.mobile, person.notify_by) == (None, None, "none")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0701234567", "+46701234567"),
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+46 (0)76 123 45 67", "+46761234567"),
        ("0046 73 123 45 67", "+46731234567"),
        ("079-9876543", "+46799876543"),
    ],
)
def test_swedish_mobile_numbers_are_stored_in_one_form(typed: str, stored: str) -> None:
    assert people.normalise_mobile(typed) == stored


@pytest.mark.parametrize(
    "typed", ["08-123 456 78", "071 234 56 78", "070123456", "07012345678", "+4570123456", ""]
)
def test_other_numbers_are_not_mobile_numbers(typed: str) -> None:
    with pytest.raises(ValueError, match="mobile"):
        people.normalise_mobile(typed)


def test_the_service_keeps_the_rules_on_its_own(session: Session, w: f.World) -> None:
    with pytest.raises(InvalidContent) as refused:
        people.update_profile(
            session, w.employee, email=None, mobile="12", notify_by="both", language="fi"
        )
    assert refused.value.errors == {
        "mobile": ["invalid_mobile"],
        "email": ["required_for_email"],
        "language": ["invalid_choice"],
    }
    changed = people.update_profile(
        session, w.employee, email=w.employee.email, mobile=None, notify_by="email", language="sv"
    )
    assert changed == []
