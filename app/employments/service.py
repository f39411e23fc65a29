"""The employment-number register: learned from import files that name both an employment id
and its person, kept by administrators in the portal, and read when a later file names people
by id alone, until no file has named a number for a long time (app/dataprotection/retention.py).
Services flush; the job or request commits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.database import utcnow
from app.employments.models import EmploymentNumber, Source
from app.errors import InvalidContent, NotFound
from app.privacy import vault
from payroll_adapters import Draft, Problem, identified
from schemas import validate_personnummer

NUMBER_MAX_LENGTH = 40
NAME_MAX_LENGTH = 100
SEEN_GRANULARITY = timedelta(days=1)


def find(session: Session, company_id: uuid.UUID, number: str) -> EmploymentNumber | None:
    return session.scalar(
        select(EmploymentNumber).where(
            EmploymentNumber.company_id == company_id, EmploymentNumber.number == number.strip()
        )
    )


def list_for_company(session: Session, company_id: uuid.UUID) -> list[EmploymentNumber]:
    return list(
        session.scalars(
            select(EmploymentNumber)
            .where(EmploymentNumber.company_id == company_id)
            .order_by(EmploymentNumber.number)
        )
    )


def get(session: Session, company_id: uuid.UUID, entry_id: int) -> EmploymentNumber:
    """The company's entry; another company's is as absent as one that never was."""
    entry = session.scalar(
        select(EmploymentNumber).where(
            EmploymentNumber.id == entry_id, EmploymentNumber.company_id == company_id
        )
    )
    if entry is None:
        raise NotFound("not_found")
    return entry


# --- imports -------------------------------------------------------------------------------------


def identify(session: Session, company_id: uuid.UUID, draft: Draft) -> Draft | Problem:
    """The draft about its person: as it is when the file named the person, else the person
    the register has for its employment id; an id the register lacks is a problem."""
    if draft.employment_id is None or draft.content.get("employee", {}).get("personnummer"):
        return draft
    entry = find(session, company_id, draft.employment_id)
    if entry is None:
        return Problem(
            "employment_id_unknown",
            draft.pointer,
            line=draft.line,
            params=(draft.employment_id,),
            field="employee.personnummer",
        )
    _seen(entry, utcnow())
    person = {
        "personnummer": entry.personnummer,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
    }
    found = identified(draft, person)
    return found[0] if isinstance(found, list) else found


def learn(
    session: Session, company_id: uuid.UUID, draft: Draft, now: datetime | None = None
) -> None:
    """Remember the employment id of a stored draft that names its person. The payroll
    system's own file is the authority on its ids: a number that now stands for another person
    follows the file."""
    personnummer = draft.content.get("employee", {}).get("personnummer")
    number = (draft.employment_id or "").strip()
    if not personnummer or not number or len(number) > NUMBER_MAX_LENGTH:
        return
    employee = draft.content["employee"]
    first, last = employee.get("first_name") or "", employee.get("last_name") or ""
    entry = find(session, company_id, number)
    if entry is None and not (first and last):
        return  # a draft has both names; without them there is nobody to remember
    if entry is None:
        entry = EmploymentNumber(company_id=company_id, number=number, created_at=now or utcnow())
        session.add(entry)
    elif (entry.personnummer, entry.first_name, entry.last_name) == (personnummer, first, last):
        _seen(entry, now or utcnow())
        return
    entry.personnummer = personnummer
    entry.personnummer_index = vault.current().blind_index(personnummer)
    entry.first_name, entry.last_name = first or entry.first_name, last or entry.last_name
    entry.source = Source.FILE
    entry.updated_at = entry.seen_at = now or utcnow()
    session.flush()


def _seen(entry: EmploymentNumber, now: datetime) -> None:
    """Note that a file named the number: at most once a day, so that a file of thousands of
    records writes no row per record that the register already knew today."""
    if now - entry.seen_at > SEEN_GRANULARITY:
        entry.seen_at = now


# --- the portal ----------------------------------------------------------------------------------


def save(
    session: Session,
    *,
    company_id: uuid.UUID,
    number: str,
    personnummer: str,
    first_name: str,
    last_name: str,
    actor: Actor,
    entry: EmploymentNumber | None = None,
) -> EmploymentNumber:
    """Add an employment number (or change `entry`). Raises InvalidContent with message keys
    by field: number, personnummer, first_name, last_name."""
    number, first_name, last_name = number.strip(), first_name.strip(), last_name.strip()
    errors: dict[str | int, Any] = {}
    if not number:
        errors["number"] = ["required"]
    elif len(number) > NUMBER_MAX_LENGTH or not number.isprintable():
        errors["number"] = [f"too_long:{NUMBER_MAX_LENGTH}" if number.isprintable() else "invalid"]
    try:
        normalised = validate_personnummer(personnummer)
    except ValueError:
        errors["personnummer"] = ["invalid_personnummer"]
    for field, name in (("first_name", first_name), ("last_name", last_name)):
        if not name:
            errors[field] = ["required"]
        elif len(name) > NAME_MAX_LENGTH:
            errors[field] = [f"too_long:{NAME_MAX_LENGTH}"]
    other = find(session, company_id, number) if number else None
    if other is not None and other is not entry:
        errors.setdefault("number", []).append("employment_number_taken")
    if errors:
        raise InvalidContent(errors)
    if entry is None:
        entry = EmploymentNumber(company_id=company_id)
        session.add(entry)
    entry.number = number
    entry.personnummer = normalised
    entry.personnummer_index = vault.current().blind_index(normalised)
    entry.first_name, entry.last_name = first_name, last_name
    entry.source = Source.PORTAL
    entry.seen_at = utcnow()
    session.flush()
    record_audit(
        session,
        action="employment_number.save",
        actor=actor,
        company_id=company_id,
        data={"entry": entry.id},
    )
    return entry


def remove(session: Session, *, company_id: uuid.UUID, entry_id: int, actor: Actor) -> None:
    entry = get(session, company_id, entry_id)
    session.delete(entry)
    session.flush()
    record_audit(
        session,
        action="employment_number.remove",
        actor=actor,
        company_id=company_id,
        data={"entry": entry_id},
    )
