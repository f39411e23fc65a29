"""API keys: shown once, stored hashed, checked in constant time, revocable, per company."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.audit.models import AuditEvent
from app.audit.service import Actor
from app.errors import DomainError, NotFound, Unauthenticated
from tests import factories as f
from tests.api.conftest import Tenant

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KEY_FORMAT = re.compile(r"intyga_[0-9a-f]{8}[A-Za-z0-9_-]{43}")


def test_the_plaintext_is_returned_once_and_only_its_hash_is_stored(
    session: Session, w: f.World
) -> None:
    made = apikeys.create(session, company=w.company, name=" Fortnox ", actor=w.by_certifier)
    assert KEY_FORMAT.fullmatch(made.plaintext)
    assert made.plaintext not in repr(made)
    stored = session.scalars(select(ApiKey)).one()
    assert stored.name == "Fortnox"
    assert stored.secret_hash == apikeys.hash_key(made.plaintext)
    assert made.plaintext not in {str(value) for value in vars(stored).values()}
    assert stored.display == f"intyga_{stored.prefix}…"
    assert made.plaintext.startswith(f"intyga_{stored.prefix}")
    assert stored.created_by_id == w.certifier.id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "api_key.created")).one()
    assert event.data == {"api_key_id": str(stored.id), "prefix": stored.prefix}


@pytest.mark.parametrize(
    ("name", "code"), [("  ", "api_key_name_required"), ("x" * 61, "api_key_name_too_long")]
)
def test_a_key_needs_a_short_name(session: Session, w: f.World, name: str, code: str) -> None:
    with pytest.raises(DomainError) as raised:
        apikeys.create(session, company=w.company, name=name, actor=w.by_certifier)
    assert raised.value.code == code


def test_authenticate_finds_the_key_and_notes_its_use_once_a_minute(
    session: Session, mine: Tenant
) -> None:
    key = apikeys.authenticate(session, mine.key, now=T0)
    assert key.id == mine.key_id
    assert key.last_used_at == T0
    apikeys.authenticate(session, mine.key, now=T0 + timedelta(seconds=30))
    assert key.last_used_at == T0
    apikeys.authenticate(session, mine.key, now=T0 + timedelta(minutes=2))
    assert key.last_used_at == T0 + timedelta(minutes=2)


@pytest.mark.parametrize(
    "presented",
    [None, "", "intyga_", "not-a-key", "intyga_0000000000000000", "intyga_" + "a" * 200],
)
def test_unknown_keys_are_refused(session: Session, mine: Tenant, presented: str | None) -> None:
    with pytest.raises(Unauthenticated) as raised:
        apikeys.authenticate(session, presented)
    assert raised.value.code == "api_key_invalid"


def test_a_revoked_key_is_refused_and_revoking_twice_changes_nothing(
    session: Session, w: f.World, mine: Tenant
) -> None:
    key_id = mine.key_id
    revoked = apikeys.revoke(
        session, company_id=w.company.id, key_id=key_id, actor=w.by_certifier, now=T0
    )
    assert revoked.revoked_at == T0
    apikeys.revoke(
        session,
        company_id=w.company.id,
        key_id=key_id,
        actor=w.by_certifier,
        now=T0 + timedelta(days=1),
    )
    assert revoked.revoked_at == T0
    with pytest.raises(Unauthenticated):
        apikeys.authenticate(session, mine.key)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "api_key.revoked"))
    assert len(list(events)) == 1


def test_keys_are_listed_and_revoked_through_their_company_only(
    session: Session, w: f.World, mine: Tenant, theirs: Tenant
) -> None:
    assert [key.id for key in apikeys.list_for_company(session, w.company.id)] == [mine.key_id]
    with pytest.raises(NotFound):
        apikeys.revoke(session, company_id=w.company.id, key_id=theirs.key_id, actor=Actor("test"))
    apikeys.authenticate(session, theirs.key)


def test_the_cli_prints_a_working_key_once(
    runner: FlaskCliRunner, client: FlaskClient, session: Session, w: f.World
) -> None:
    result = runner.invoke(args=["api-key", "create", "559999-9991", "Hogia Lön"])
    assert result.exit_code == 0, result.output
    (printed,) = KEY_FORMAT.findall(result.output)
    assert result.output.count(printed) == 1
    assert (
        client.get(
            "/api/v1/certificates", headers={"Authorization": f"Bearer {printed}"}
        ).status_code
        == 200
    )
    listed = runner.invoke(args=["api-key", "list", "5599999991"])
    assert listed.exit_code == 0
    assert "Hogia Lön" in listed.output
    assert printed not in listed.output
    key_id = session.scalars(select(ApiKey.id)).one()
    revoked = runner.invoke(args=["api-key", "revoke", "5599999991", str(key_id)])
    assert revoked.exit_code == 0, revoked.output
    assert (
        client.get(
            "/api/v1/certificates", headers={"Authorization": f"Bearer {printed}"}
        ).status_code
        == 401
    )


@pytest.mark.parametrize(
    ("orgnr", "message"),
    [("5560160680", "no company with organisationsnummer"), ("123", "not an organisationsnummer")],
)
def test_the_cli_names_a_company_that_is_not_there(
    runner: FlaskCliRunner, w: f.World, orgnr: str, message: str
) -> None:
    result = runner.invoke(args=["api-key", "create", orgnr, "Lön"])
    assert result.exit_code != 0
    assert message in result.output
    assert "intyga_" not in result.output
