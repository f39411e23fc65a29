"""Reference data for the funds, and memberships."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa.models import Akassa, AkassaMembership, AkassaStaff
from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.errors import Conflict, NotFound
from app.people import service as people
from app.people.models import Person

DATA_FILE = Path(__file__).with_name("data") / "akassor.json"


def load_reference_data(session: Session, path: Path = DATA_FILE) -> tuple[int, int]:
    """Upsert the funds in `path` by code; funds no longer listed become inactive.

    Returns (added, updated).
    """
    listed = {row["code"]: row["name"] for row in json.loads(path.read_text("utf-8"))["akassor"]}
    existing = {fund.code: fund for fund in session.scalars(select(Akassa))}
    added = updated = 0
    for code, name in listed.items():
        fund = existing.get(code)
        if fund is None:
            session.add(Akassa(code=code, name=name))
            added += 1
        elif fund.name != name or not fund.active:
            fund.name, fund.active = name, True
            updated += 1
    for code, fund in existing.items():
        if code not in listed and fund.active:
            fund.active = False
            updated += 1
    session.flush()
    return added, updated


def get_by_code(session: Session, code: str) -> Akassa:
    fund = session.scalar(select(Akassa).where(Akassa.code == code, Akassa.active))
    if fund is None:
        raise NotFound("akassa_not_found")
    return fund


def active_funds(session: Session) -> list[Akassa]:
    return list(session.scalars(select(Akassa).where(Akassa.active).order_by(Akassa.name)))


def membership_of(session: Session, person_id: uuid.UUID) -> AkassaMembership | None:
    return session.scalar(select(AkassaMembership).where(AkassaMembership.person_id == person_id))


def set_membership(
    session: Session, *, person_id: uuid.UUID, akassa: Akassa, member_since: date
) -> AkassaMembership:
    membership = membership_of(session, person_id)
    if membership is None:
        membership = AkassaMembership(
            person_id=person_id, akassa_id=akassa.id, member_since=member_since
        )
        session.add(membership)
    else:
        membership.akassa_id, membership.member_since = akassa.id, member_since
    session.flush()
    return membership


# --- staff: officers of one fund, set up by an administrator ---------------------------------


def staff_of(session: Session, person_id: uuid.UUID) -> AkassaStaff | None:
    """The person's post at a fund, if any; every a-kassa page is scoped by it."""
    return session.scalar(select(AkassaStaff).where(AkassaStaff.person_id == person_id))


def add_staff(
    session: Session,
    *,
    personnummer: str,
    akassa_code: str,
    first_name: str,
    last_name: str,
    email: str | None = None,
    actor: Actor,
) -> AkassaStaff:
    """Make the person (created when new) an officer of the active fund `akassa_code`.

    Raises ValueError for a malformed personnummer, NotFound for an unknown fund and Conflict
    when the person already serves a fund (one at a time: remove them there first).
    """
    fund = get_by_code(session, akassa_code)
    person = people.find_or_create_person(
        session, personnummer, first_name=first_name, last_name=last_name, email=email
    )
    existing = staff_of(session, person.id)
    if existing is not None:
        raise Conflict("already_staff", akassa=existing.akassa.code)
    staff = AkassaStaff(person_id=person.id, akassa_id=fund.id)
    session.add(staff)
    session.flush()
    record_audit(session, action="akassa_staff.added", actor=actor, data={"akassa": fund.code})
    return staff


def list_staff(session: Session, akassa_code: str | None = None) -> list[AkassaStaff]:
    """Every officer, or one fund's, by fund and name."""
    query = select(AkassaStaff).join(Akassa).join(Person, AkassaStaff.person_id == Person.id)
    if akassa_code is not None:
        query = query.where(AkassaStaff.akassa_id == get_by_code(session, akassa_code).id)
    return list(session.scalars(query.order_by(Akassa.code, Person.last_name, Person.first_name)))


def remove_staff(session: Session, *, personnummer: str, actor: Actor) -> AkassaStaff:
    """End the person's post. Raises ValueError for a malformed personnummer and NotFound
    when they are not staff."""
    person = people.find_person(session, personnummer)
    staff = staff_of(session, person.id) if person is not None else None
    if staff is None:
        raise NotFound("staff_not_found")
    code = staff.akassa.code
    session.delete(staff)
    session.flush()
    record_audit(session, action="akassa_staff.removed", actor=actor, data={"akassa": code})
    return staff
