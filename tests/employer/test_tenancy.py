"""Every employer route × every kind of visitor: nobody reads or changes what is not theirs.

Another company's ids do not exist (404), a certifier may not do an admin's work (403), a person
with no company has no employer pages but the way to register one, and anonymous visitors are
sent to log in. Never a 200 with someone else's data, never a 500.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.audit.models import AuditEvent
from app.audit.service import SYSTEM
from app.certificate_requests import service as certificate_requests
from app.certificates.models import State
from app.companies import service as companies
from app.companies.models import Company, Role
from app.employments import service as employments
from app.imports import service as imports
from app.outbox import service as outbox
from app.outbox.models import Channel, OutboxStatus
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.webhooks.conftest import add_endpoint

OK, FORBIDDEN, NOT_FOUND, LOGIN = "ok", 403, 404, "login"
ROLES = ("admin", "certifier", "other_company", "employee", "anonymous")
PNR = {
    "admin": f.ADMIN_PNR,
    "certifier": f.CERTIFIER_PNR,
    "other_company": f.OUTSIDER_PNR,
    "employee": f.EMPLOYEE_PNR,
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    data: tuple[tuple[str, str], ...] = ()
    # What each visitor gets; anonymous visitors are always sent to log in.
    admin: str | int = OK
    certifier: str | int = OK
    other_company: str | int = NOT_FOUND
    employee: str | int = NOT_FOUND
    # The page shows the schemas' example certificate, whose employee is Tolvan Tolvansson.
    shows_example: bool = False

    def expected(self, role: str) -> str | int:
        return LOGIN if role == "anonymous" else getattr(self, role)


NEW_STEP = (
    ("action", "start"),
    ("variant", "full"),
    ("employment_form.type", "Tillsvidare"),
    ("employment.still_employed", "false"),
)
EMPLOYEE = (
    ("employee.first_name", "Tolvan"),
    ("employee.last_name", "Tolvansson"),
    ("employee.personnummer", f.EMPLOYEE_PNR),
)
ROUTES = (
    Route("GET", "/arbetsgivare/", other_company=OK, employee=OK),
    Route("GET", "/arbetsgivare/intyg/nytt", other_company=OK),
    Route("POST", "/arbetsgivare/intyg/nytt", NEW_STEP, other_company=OK),
    Route("GET", "/arbetsgivare/foretag/nytt", other_company=OK, employee=OK),
    # An empty form: the form's own error for everyone logged in.
    Route("POST", "/arbetsgivare/foretag/nytt", (), 422, 422, 422, 422),
    Route("POST", "/arbetsgivare/foretag/{company}"),
    Route("GET", "/arbetsgivare/intyg/{draft}"),
    Route("GET", "/arbetsgivare/intyg/{draft}/redigera"),
    Route("POST", "/arbetsgivare/intyg/{draft}/redigera", (("action", "refresh"),)),
    Route("POST", "/arbetsgivare/intyg/{draft}/redigera", (("action", "save"), *EMPLOYEE)),
    # The step is checked as for signing: the draft lacks block B, so its own page says so.
    Route(
        "POST",
        "/arbetsgivare/intyg/{draft}/redigera",
        (("action", "next"), ("steg", "personer"), *EMPLOYEE),
        admin=422,
        certifier=422,
    ),
    Route("GET", "/arbetsgivare/intyg/{draft}/granska"),
    Route("POST", "/arbetsgivare/intyg/{draft}/skriv-under"),
    Route("POST", "/arbetsgivare/intyg/{completion}/revidera"),
    Route("POST", "/arbetsgivare/intyg/{sent}/aterkalla", (("reason", "Fel"),)),
    Route("POST", "/arbetsgivare/intyg/{draft}/ta-bort"),
    Route("GET", "/arbetsgivare/intyg/{sent}/version/{one}/intyg.{pdf}", admin=404, certifier=404),
    Route("GET", "/arbetsgivare/foretag/installningar", certifier=FORBIDDEN, other_company=OK),
    Route(
        "POST",
        "/arbetsgivare/foretag/installningar",
        (("name", "Nytt namn AB"),),
        certifier=FORBIDDEN,
        other_company=OK,
    ),
    Route("GET", "/arbetsgivare/kollegor", certifier=FORBIDDEN, other_company=OK),
    Route(
        "POST",
        "/arbetsgivare/kollegor/inbjudan",
        (("personnummer", "199510089841"), ("email", "l@example.test"), ("role", "certifier")),
        certifier=FORBIDDEN,
        other_company=OK,
    ),
    Route("POST", "/arbetsgivare/kollegor/inbjudan/{invitation}/ta-bort", certifier=FORBIDDEN),
    Route(
        "POST", "/arbetsgivare/kollegor/{member}/roll", (("role", "admin"),), certifier=FORBIDDEN
    ),
    Route("POST", "/arbetsgivare/kollegor/{member}/ta-bort", certifier=FORBIDDEN),
    Route("GET", "/arbetsgivare/foretag/api-nycklar", certifier=FORBIDDEN, other_company=OK),
    Route(
        "POST",
        "/arbetsgivare/foretag/api-nycklar",
        (("name", "Lön"),),
        certifier=FORBIDDEN,
        other_company=OK,
    ),
    Route("POST", "/arbetsgivare/foretag/api-nycklar/{key}/aterkalla", certifier=FORBIDDEN),
    Route("GET", "/arbetsgivare/foretag/webhooks", certifier=FORBIDDEN, other_company=OK),
    Route(
        "POST",
        "/arbetsgivare/foretag/webhooks",
        (("url", "https://lon.example.test/hooks"),),
        certifier=FORBIDDEN,
        other_company=OK,
    ),
    Route("POST", "/arbetsgivare/foretag/webhooks/{endpoint}/inaktivera", certifier=FORBIDDEN),
    Route("GET", "/arbetsgivare/foretag/anstallningsnummer", certifier=FORBIDDEN, other_company=OK),
    Route(
        "POST",
        "/arbetsgivare/foretag/anstallningsnummer",
        (
            ("number", "A7"),
            ("personnummer", "199510089841"),
            ("first_name", "L"),
            ("last_name", "L"),
        ),
        certifier=FORBIDDEN,
        other_company=OK,
    ),
    Route("GET", "/arbetsgivare/foretag/anstallningsnummer/{employment}", certifier=FORBIDDEN),
    Route(
        "POST",
        "/arbetsgivare/foretag/anstallningsnummer/{employment}",
        (
            ("number", "E1"),
            ("personnummer", "199003159820"),
            ("first_name", "E"),
            ("last_name", "E"),
        ),
        certifier=FORBIDDEN,
    ),
    Route(
        "POST", "/arbetsgivare/foretag/anstallningsnummer/{employment}/ta-bort", certifier=FORBIDDEN
    ),
    Route("GET", "/arbetsgivare/foretag/meddelanden", certifier=FORBIDDEN, other_company=OK),
    Route("POST", "/arbetsgivare/foretag/meddelanden/{dead}/forsok-igen", certifier=FORBIDDEN),
    Route("GET", "/arbetsgivare/importer", other_company=OK),
    # No file: the form's own error, on each company's own page.
    Route("POST", "/arbetsgivare/importer", (("format", "csv"),), 422, 422, other_company=422),
    Route("GET", "/arbetsgivare/importer/{job}"),
    Route("GET", "/arbetsgivare/importer/mall.csv", other_company=OK, shows_example=True),
    Route("GET", "/arbetsgivare/intyg/nytt?begaran={request}"),
    Route("GET", "/arbetsgivare/begaran/{request}/avboj"),
    Route("POST", "/arbetsgivare/begaran/{request}/avboj", (("reason", "Ingen anställning"),)),
    # Every person's own logins (app/auth): anyone logged in, never someone else's.
    Route("GET", "/konto/inloggningar", other_company=OK, employee=OK),
    Route("POST", "/konto/logga-ut-overallt", other_company=OK, employee=OK),
)


def test_every_employer_route_is_in_the_table(app: Flask) -> None:
    listed = {(r.method, re.sub(r"\{\w+\}", "<>", r.path.split("?")[0])) for r in ROUTES}
    routes = {
        (method, re.sub(r"<[^>]+>", "<>", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("employer.") and rule.endpoint != "employer.static"
        for method in rule.methods or ()
        if method in ("GET", "POST")
    }
    assert routes - listed == set()


@pytest.fixture
def ids(session: Session, w: f.World, other_company: Company) -> dict[str, str]:
    member = companies.membership_of(session, w.company.id, w.certifier.id)
    assert member is not None
    invitation = companies.invite(
        session,
        w.company,
        personnummer="199003159820",
        email="e@example.test",
        role=Role.CERTIFIER,
        invited_by=w.admin,
    )
    dead = outbox.enqueue(
        session,
        key="dead",
        channel=Channel.EMAIL,
        template="completion_requested",
        payload={"certificate_id": "x"},
        company=w.company,
    )
    dead.status = OutboxStatus.DEAD
    request = certificate_requests.request_certificate(
        session, w.employee, "5599999991", date(2026, 1, 1), date(2026, 9, 30)
    )
    job = imports.create_job(
        session,
        company_id=w.company.id,
        format="csv",
        stream=io.BytesIO(b"variant\n"),
        max_bytes=1000,
        person_id=w.admin.id,
    )
    employment = employments.save(
        session,
        company_id=w.company.id,
        number="E1",
        personnummer="199003159820",
        first_name="Eva",
        last_name="Exempelsson",
        actor=SYSTEM,
    )
    found = {
        "employment": str(employment.id),
        "key": str(apikeys.create(session, company=w.company, name="Lön", actor=SYSTEM).key.id),
        "endpoint": str(add_endpoint(session, w, "https://lon.example.test/a").endpoint.id),
        "dead": str(dead.id),
        "job": str(job.id),
        "request": str(request.id),
        "company": str(w.company.id),
        "one": "1",
        "pdf": "pdf",
        "draft": str(f.certificate_in(session, w, State.DRAFT).id),
        "completion": str(f.certificate_in(session, w, State.COMPLETION_REQUESTED).id),
        "sent": str(f.certificate_in(session, w, State.SENT).id),
        "invitation": str(invitation.id),
        "member": str(member.id),
    }
    session.flush()
    return found


def _changes_to(session: Session, company: Company) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.company_id == company.id)
        )
        or 0
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "route", ROUTES, ids=lambda r: f"{r.method} {r.path} {dict(r.data).get('action', '')}"
)
def test_route_by_role(
    client: FlaskClient,
    bankid: LiveBankID,
    session: Session,
    w: f.World,
    ids: dict[str, str],
    route: Route,
    role: str,
) -> None:
    if role != "anonymous":
        web.log_in(client, bankid, PNR[role])
    token = web.csrf(client, "/logga-in" if role == "anonymous" else "/start")
    before = _changes_to(session, w.company)
    path = route.path.format(**ids)
    if route.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": token, **dict(route.data)})
    expected = route.expected(role)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/logga-in")
    elif expected == OK:
        assert response.status_code in (200, 201, 302), body
    else:
        assert response.status_code == expected, body
    if response.headers.get("Location", "").startswith("/eid/"):
        # A signing order was opened: cancel it, as BankID allows one order per person at once.
        order = response.headers["Location"]
        assert web.post(client, f"{order}/avbryt", form_page=order).status_code == 302
    if role in ("other_company", "employee", "anonymous") or expected != OK:
        assert _changes_to(session, w.company) == before, "nothing of ours changed"
    if role in ("other_company", "employee", "anonymous") or expected in (FORBIDDEN, NOT_FOUND):
        assert "Testbolaget" not in body
        assert "Tolvansson" not in body or role == "employee" or route.shows_example
