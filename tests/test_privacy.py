"""Personnummer and certificate content are encrypted at rest and found by blind index."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from flask.testing import FlaskCliRunner
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.audit.service import Actor, verify_chain
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies import service as companies
from app.companies.models import Invitation, Role
from app.employments import service as employments
from app.employments.models import EmploymentNumber
from app.income import service as income
from app.people import service as people
from app.privacy import vault
from tests import factories as f
from tests.conftest import TEST_KEY


def _raw(session: Session, sql: str) -> str:
    return " ".join(str(value) for row in session.execute(text(sql)) for value in row)


def test_no_personnummer_in_the_raw_columns(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.COMPLETION_REQUESTED)
    session.flush()
    raw = " ".join(
        _raw(session, f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        for table in (
            "person",
            "company",
            "certificate",
            "certificate_version",
            "signature",
            "completion_message",
            "outbox_message",
            "audit_event",
        )
    )
    for secret in (f.EMPLOYEE_PNR, f.EMPLOYEE_PNR[2:], f.ADMIN_PNR, "5599999991", "Fel slutdatum"):
        assert secret not in raw
    assert "gAAAAA" in _raw(session, "SELECT personnummer FROM person"), "Fernet tokens expected"


def test_certificate_content_is_encrypted_whole(session: Session) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.DRAFT)
    raw = _raw(session, "SELECT content FROM certificate_version")
    assert raw.startswith("gAAAAA")
    assert "Tolvan" not in raw
    assert "191212" not in raw


def test_lookup_by_blind_index_in_any_format(session: Session) -> None:
    created = f.person(session, f.EMPLOYEE_PNR, "Tolvan", "Tolvansson")
    for spelling in ("191212121212", "19121212-1212"):
        assert people.find_person(session, spelling) is created
    assert people.find_person(session, f.OTHER_EMPLOYEE_PNR) is None


def test_masked_in_lists(session: Session) -> None:
    person = f.person(session, f.EMPLOYEE_PNR)
    assert person.masked_personnummer == "121212-****"


def test_a_samordningsnummer_is_a_person_too(session: Session) -> None:
    coordination = "198507699802"  # day 69 = 9 + 60
    person = f.person(session, coordination)
    assert people.find_person(session, coordination) is person
    assert person.personnummer == coordination


def test_invalid_personnummer_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match=r"."):
        f.person(session, "191212121213")


def test_key_rotation_reads_old_data_and_rewrites_it() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    index_key = "an-index-key-that-is-long-enough-for-hmac"
    before = vault.Vault([old], index_key)
    token = before.encrypt("191212121212")
    after = vault.Vault([new, old], index_key)
    assert after.decrypt(token) == "191212121212"
    rotated = after.rotate(token)
    assert vault.Vault([new], index_key).decrypt(rotated) == "191212121212"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        vault.Vault([new], index_key).decrypt(token)
    assert before.blind_index("x") == after.blind_index("x"), "the index survives key rotation"


def test_chunks_are_sealed_read_under_any_key_and_rotated() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    index_key = "an-index-key-that-is-long-enough-for-hmac"
    before = vault.Vault([old], index_key)
    piece = bytes(range(256)) * 4096
    token = before.encrypt_chunk(piece)
    assert piece not in token
    after = vault.Vault([new, old], index_key)
    assert after.decrypt_chunk(token) == piece
    rotated = after.rotate_bytes(token)
    assert vault.Vault([new], index_key).decrypt_chunk(rotated) == piece
    with pytest.raises(ValueError, match="cannot be decrypted"):
        vault.Vault([new], index_key).decrypt_chunk(token)
    tampered = token[:-1] + bytes([token[-1] ^ 1])
    with pytest.raises(ValueError, match="cannot be decrypted"):
        before.decrypt_chunk(tampered)
    assert before.decrypt_chunk(before.encrypt_bytes(piece)) == piece, "chunks queued as Fernet"


def test_vault_refuses_weak_settings() -> None:
    with pytest.raises(ValueError, match="at least one"):
        vault.Vault([], "x" * 40)
    with pytest.raises(ValueError, match="32 characters"):
        vault.Vault([Fernet.generate_key().decode()], "short")


def test_rotating_keys_rewrites_every_value_under_the_new_key(
    session: Session, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = f.world(session)
    f.certificate_in(session, w, State.APPROVED)
    session.flush()
    old_token = _raw(session, "SELECT personnummer FROM person")
    old_keys = vault.current()
    new_key = Fernet.generate_key().decode()
    index_key = "test-blind-index-key-of-sufficient-length"
    monkeypatch.setattr(vault, "_vault", vault.Vault([new_key, TEST_KEY], index_key))
    result = runner.invoke(args=["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("re-encrypted ")
    assert _raw(session, "SELECT personnummer FROM person") != old_token
    monkeypatch.setattr(vault, "_vault", vault.Vault([new_key], index_key))
    session.expire_all()
    assert people.find_person(session, f.EMPLOYEE_PNR) is not None
    version = certificates.current_version(
        session,
        certificates.get_for_company(
            session, w.company.id, session.scalars(select(Certificate.id)).one()
        ),
    )
    assert version.content["employee"]["personnummer"] == f.EMPLOYEE_PNR
    assert verify_chain(session).ok
    assert old_keys is not vault.current()


def test_a_new_blind_index_key_finds_everyone_after_the_rebuild(
    session: Session, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = f.world(session)
    employments.save(
        session,
        company_id=w.company.id,
        number="E-1",
        personnummer=f.EMPLOYEE_PNR,
        first_name="Tolvan",
        last_name="Tolvansson",
        actor=Actor.person(w.admin.id),
    )
    income.store(session, w.company.id, [f.agi_statement("165599999991", 2026, 1, 30000)])
    companies.invite(
        session,
        w.company,
        personnummer=f.OUTSIDER_PNR,
        email="ny@example.test",
        role=Role.CERTIFIER,
        invited_by=w.admin,
    )
    session.flush()
    keys = vault.current()
    monkeypatch.setattr(
        vault, "_vault", vault.Vault([TEST_KEY], "a-new-blind-index-key-after-a-leak")
    )
    assert people.find_person(session, f.EMPLOYEE_PNR) is None  # the old indexes miss

    result = runner.invoke(args=["rebuild-blind-indexes"])
    assert result.exit_code == 0, result.output
    rebuilt = {line.split(":")[0] for line in result.output.splitlines() if " rows" in line}
    assert rebuilt == {"person", "company", "invitation", "employment_number", "agi_income"}
    assert "person: " in result.output
    assert "agi_income: 1 rows" in result.output
    session.expire_all()
    assert people.find_person(session, f.EMPLOYEE_PNR) is not None
    assert companies.find_company(session, w.company.organisationsnummer) is not None
    assert len(income.records_for(session, f.EMPLOYEE_PNR)) == 1
    assert set(session.scalars(select(EmploymentNumber.personnummer_index))) == {
        people.personnummer_index(f.EMPLOYEE_PNR)
    }
    assert set(session.scalars(select(Invitation.personnummer_index))) == {
        people.personnummer_index(f.OUTSIDER_PNR)
    }
    assert keys.blind_index(f.EMPLOYEE_PNR) != people.personnummer_index(f.EMPLOYEE_PNR)
    assert verify_chain(session).ok
