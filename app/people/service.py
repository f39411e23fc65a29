"""Finding and creating people by personnummer, always through the blind index."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.people.models import Person
from app.privacy import vault
from schemas import validate_personnummer


def personnummer_index(personnummer: str) -> str:
    return vault.current().blind_index(validate_personnummer(personnummer))


def find_person(session: Session, personnummer: str) -> Person | None:
    return session.scalar(
        select(Person).where(Person.personnummer_index == personnummer_index(personnummer))
    )


def find_or_create_person(
    session: Session,
    personnummer: str,
    *,
    first_name: str,
    last_name: str,
    email: str | None = None,
    mobile: str | None = None,
) -> Person:
    """The person with this personnummer; contact details fill gaps but never overwrite."""
    person = find_person(session, personnummer)
    if person is None:
        normalised = validate_personnummer(personnummer)
        person = Person(
            personnummer=normalised,
            personnummer_index=vault.current().blind_index(normalised),
            first_name=first_name,
            last_name=last_name,
            email=email,
            mobile=mobile,
        )
        session.add(person)
        session.flush()
        return person
    person.email = person.email or email
    person.mobile = person.mobile or mobile
    return person
