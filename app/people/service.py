"""Finding and creating people by personnummer, always through the blind index."""

from __future__ import annotations

import re

from marshmallow import ValidationError
from marshmallow.validate import Email
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.database import insert
from app.errors import InvalidContent
from app.people.models import NotifyBy, Person
from app.privacy import vault
from schemas import validate_personnummer

LANGUAGES = ("sv", "en")


def personnummer_index(personnummer: str) -> str:
    return vault.current().blind_index(validate_personnummer(personnummer))


def find_person(session: Session, personnummer: str) -> Person | None:
    return session.scalar(_by_index(personnummer_index(personnummer)))


def find_or_create_person(
    session: Session,
    personnummer: str,
    *,
    first_name: str,
    last_name: str,
    email: str | None = None,
    mobile: str | None = None,
) -> Person:
    """The person with this personnummer; contact details fill gaps but never overwrite.

    Safe when two transactions create the same new person at once: the insert yields to a row
    another transaction holds (PostgreSQL waits for it to commit or roll back) instead of failing
    on the unique blind index, and both then read the one row.
    """
    normalised = validate_personnummer(personnummer)
    index = vault.current().blind_index(normalised)
    person = session.scalar(_by_index(index))
    if person is None:
        session.execute(
            insert(session, Person)
            .values(
                personnummer=normalised,
                personnummer_index=index,
                first_name=first_name,
                last_name=last_name,
                email=email,
                mobile=mobile,
            )
            .on_conflict_do_nothing(index_elements=[Person.personnummer_index])
        )
        person = session.scalars(_by_index(index)).one()
    # Only a gap is filled: assigning the same value again would mark the person changed.
    if email and not person.email:
        person.email = email
    if mobile and not person.mobile:
        person.mobile = mobile
    return person


def record_eid_name(person: Person, given_name: str, surname: str) -> None:
    """The name a person goes by is the one on their own eID: it replaces whatever an employer
    typed when the person was first named on a certificate (that stays in the certificate)."""
    if given_name.strip() and surname.strip():
        person.first_name, person.last_name = given_name.strip(), surname.strip()


def _by_index(index: str) -> Select[Person]:
    return select(Person).where(Person.personnummer_index == index)


# --- the person's own profile ----------------------------------------------------------------

# Swedish mobile numbers: 070, 072, 073, 076 and 079, then seven digits (PTS's numbering plan).
_MOBILE = re.compile(r"7[02369]\d{7}")
_MOBILE_NOISE = re.compile(r"[\s\-()]")
EMAIL_MAX_LENGTH = 254


def normalise_mobile(value: str) -> str:
    """A Swedish mobile number in international form, `+467XXXXXXXX`. Raises ValueError.

    Accepts `070-123 45 67`, `+46 70 123 45 67` and `0046701234567`; SMS providers want +46.
    """
    compact = _MOBILE_NOISE.sub("", value)
    for prefix in ("+46", "0046", "0"):
        if compact.startswith(prefix):
            compact = compact.removeprefix(prefix).removeprefix("0")
            break
    else:
        raise ValueError("a Swedish mobile number starts with 07, +467 or 00467")
    if not _MOBILE.fullmatch(compact):
        raise ValueError("not a Swedish mobile number")
    return f"+46{compact}"


def update_profile(
    session: Session,
    person: Person,
    *,
    email: str | None,
    mobile: str | None,
    notify_by: str,
    language: str,
) -> list[str]:
    """Change the person's contact details and preferences; returns the names of the fields that
    changed. InvalidContent (message keys per field) when a channel lacks its address."""
    errors: dict[str | int, list[str]] = {}
    email = (email or "").strip() or None
    if email is not None:
        try:
            Email()(email)
        except ValidationError:
            errors["email"] = ["invalid_email"]
        if len(email) > EMAIL_MAX_LENGTH:
            errors["email"] = ["too_long"]
    number = (mobile or "").strip() or None
    if number is not None:
        try:
            number = normalise_mobile(number)
        except ValueError:
            errors["mobile"] = ["invalid_mobile"]
    if notify_by not in set(NotifyBy):
        errors["notify_by"] = ["invalid_choice"]
    elif notify_by in (NotifyBy.SMS, NotifyBy.BOTH) and number is None:
        errors.setdefault("mobile", ["required_for_sms"])
    if notify_by in (NotifyBy.EMAIL, NotifyBy.BOTH) and email is None:
        errors.setdefault("email", ["required_for_email"])
    if language not in LANGUAGES:
        errors["language"] = ["invalid_choice"]
    if errors:
        raise InvalidContent(errors)
    wanted = {"email": email, "mobile": number, "notify_by": notify_by, "language": language}
    changed = sorted(name for name, value in wanted.items() if getattr(person, name) != value)
    for name in changed:
        setattr(person, name, wanted[name])
    session.flush()
    if changed:
        record_audit(
            session,
            action="person.profile_updated",
            actor=Actor.person(person.id),
            data={"fields": changed},
        )
    return changed
