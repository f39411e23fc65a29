"""Company accounts: registration, employer ids, and who may act for a company.

Colleagues join by invitation: an admin names a personnummer and a role, and the invitation is
accepted at that person's next eID login. A company always keeps at least one admin.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.companies.models import Company, Invitation, Membership, Role
from app.database import utcnow
from app.errors import Conflict, Forbidden, NotFound
from app.outbox import service as outbox
from app.outbox.models import Channel
from app.people.models import Person
from app.privacy import vault
from schemas import validate_organisationsnummer, validate_personnummer

COMPANY_DETAILS = ("name", "street", "care_of", "postal_code", "city", "notification_email")


def organisationsnummer_index(organisationsnummer: str) -> str:
    return vault.current().blind_index(validate_organisationsnummer(organisationsnummer))


def find_company(session: Session, organisationsnummer: str) -> Company | None:
    index = organisationsnummer_index(organisationsnummer)
    return session.scalar(select(Company).where(Company.organisationsnummer_index == index))


def find_by_employer_id(session: Session, employer_id: str) -> Company | None:
    return session.scalar(select(Company).where(Company.employer_id == employer_id.lower()))


def _new_employer_id(session: Session) -> str:
    """`ftg` and a random number that grows a digit whenever the space gets crowded."""
    digits = 4
    while True:
        for _ in range(20):
            candidate = f"ftg{secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
            if find_by_employer_id(session, candidate) is None:
                return candidate
        digits += 1


def register_company(
    session: Session,
    *,
    organisationsnummer: str,
    name: str,
    admin: Person,
    street: str | None = None,
    care_of: str | None = None,
    postal_code: str | None = None,
    city: str | None = None,
    notification_email: str | None = None,
) -> Company:
    """Create a company account; the registering person becomes its first admin."""
    normalised = validate_organisationsnummer(organisationsnummer)
    if find_company(session, normalised) is not None:
        raise Conflict("company_exists")
    company = Company(
        organisationsnummer=normalised,
        organisationsnummer_index=vault.current().blind_index(normalised),
        employer_id=_new_employer_id(session),
        name=name,
        street=street,
        care_of=care_of,
        postal_code=postal_code,
        city=city,
        notification_email=notification_email,
    )
    session.add(company)
    session.flush()
    add_member(session, company=company, person=admin, role=Role.ADMIN)
    _audit(session, company, "registered", Actor.person(admin.id))
    return company


def add_member(session: Session, *, company: Company, person: Person, role: Role) -> Membership:
    membership = Membership(company_id=company.id, person_id=person.id, role=role)
    session.add(membership)
    session.flush()
    return membership


def membership_of(
    session: Session, company_id: uuid.UUID, person_id: uuid.UUID
) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.company_id == company_id, Membership.person_id == person_id
        )
    )


def require_role(
    session: Session,
    company_id: uuid.UUID,
    person_id: uuid.UUID,
    roles: Iterable[Role] = (Role.ADMIN, Role.CERTIFIER),
) -> Membership:
    """The person's membership if it has one of `roles`; Forbidden otherwise."""
    membership = membership_of(session, company_id, person_id)
    if membership is None or membership.role not in set(roles):
        raise Forbidden("not_allowed_for_company")
    return membership


def update_company(
    session: Session,
    company: Company,
    *,
    actor: Actor,
    notify_on_approval: bool,
    **details: str | None,
) -> None:
    """Change the company's own data; the organisationsnummer and employer id never change."""
    unknown = set(details) - set(COMPANY_DETAILS)
    if unknown:
        raise ValueError(f"not company details: {sorted(unknown)}")
    for name, value in details.items():
        setattr(company, name, value)
    company.notify_on_approval = notify_on_approval
    session.flush()
    _audit(session, company, "updated", actor, fields=sorted(details))


# --- members ---------------------------------------------------------------------------------


def members(session: Session, company_id: uuid.UUID) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .join(Person, Membership.person_id == Person.id)
            .where(Membership.company_id == company_id)
            .order_by(Person.last_name, Person.first_name)
        )
    )


def member(session: Session, company_id: uuid.UUID, membership_id: uuid.UUID) -> Membership:
    """A membership of this company; another company's id does not exist here."""
    found = session.scalar(
        select(Membership).where(
            Membership.id == membership_id, Membership.company_id == company_id
        )
    )
    if found is None:
        raise NotFound("member_not_found")
    return found


def change_role(session: Session, membership: Membership, role: Role, *, actor: Actor) -> None:
    if role not in set(Role):
        raise ValueError(f"unknown role {role!r}")
    if membership.role == role:
        return
    if membership.role == Role.ADMIN:
        _keep_an_admin(session, membership)
    before = membership.role
    membership.role = role
    session.flush()
    _audit(
        session,
        membership.company,
        "member_role_changed",
        actor,
        person_id=str(membership.person_id),
        before=before,
        role=role,
    )


def remove_member(session: Session, membership: Membership, *, actor: Actor) -> None:
    if membership.role == Role.ADMIN:
        _keep_an_admin(session, membership)
    company, person_id = membership.company, membership.person_id
    session.delete(membership)
    session.flush()
    _audit(session, company, "member_removed", actor, person_id=str(person_id))


def _keep_an_admin(session: Session, leaving: Membership) -> None:
    """Refuse to let the last admin go: nobody could then manage the company."""
    admins = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.company_id == leaving.company_id, Membership.role == Role.ADMIN)
    )
    if (admins or 0) <= 1:
        raise Conflict("last_admin")


# --- invitations -----------------------------------------------------------------------------


def invite(
    session: Session,
    company: Company,
    *,
    personnummer: str,
    email: str,
    role: Role,
    invited_by: Person,
    now: datetime | None = None,
) -> Invitation:
    """Invite a colleague, who is sent an e-mail and joins at their next eID login. Raises
    ValueError for a bad personnummer, Conflict when already a member or already invited."""
    if role not in set(Role):
        raise ValueError(f"unknown role {role!r}")
    normalised = validate_personnummer(personnummer)
    index = vault.current().blind_index(normalised)
    already = session.scalar(
        select(Membership)
        .join(Person, Membership.person_id == Person.id)
        .where(Membership.company_id == company.id, Person.personnummer_index == index)
    )
    if already is not None:
        raise Conflict("already_member")
    if _pending(session, company.id, index) is not None:
        raise Conflict("already_invited")
    invitation = Invitation(
        company_id=company.id,
        personnummer=normalised,
        personnummer_index=index,
        email=email.strip(),
        role=role,
        invited_by_id=invited_by.id,
        created_at=now or utcnow(),
    )
    session.add(invitation)
    session.flush()
    _audit(
        session,
        company,
        "invitation_created",
        Actor.person(invited_by.id),
        invitation_id=str(invitation.id),
        role=role,
    )
    # Addressed through the invitation: the worker reads its e-mail address when it sends.
    outbox.enqueue(
        session,
        key=f"invitation:{invitation.id}",
        channel=Channel.EMAIL,
        template="invitation",
        payload={"invitation_id": str(invitation.id)},
        company=company,
        now=invitation.created_at,
    )
    return invitation


def pending_invitations(session: Session, company_id: uuid.UUID) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.company_id == company_id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at)
        )
    )


def revoke_invitation(
    session: Session, company_id: uuid.UUID, invitation_id: uuid.UUID, *, actor: Actor
) -> None:
    """Take back a pending invitation; the row (and the personnummer in it) is deleted."""
    invitation = session.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.company_id == company_id,
            Invitation.accepted_at.is_(None),
        )
    )
    if invitation is None:
        raise NotFound("invitation_not_found")
    company = invitation.company
    session.delete(invitation)
    session.flush()
    _audit(session, company, "invitation_revoked", actor, invitation_id=str(invitation_id))


def accept_invitations(
    session: Session, person: Person, *, now: datetime | None = None
) -> list[Membership]:
    """At login: every pending invitation for this person's personnummer becomes a membership."""
    now = now or utcnow()
    joined = []
    invitations = session.scalars(
        select(Invitation).where(
            Invitation.personnummer_index == person.personnummer_index,
            Invitation.accepted_at.is_(None),
        )
    )
    for invitation in invitations:
        invitation.accepted_at = now
        person.email = person.email or invitation.email
        if membership_of(session, invitation.company_id, person.id) is None:
            joined.append(
                add_member(
                    session, company=invitation.company, person=person, role=Role(invitation.role)
                )
            )
        _audit(
            session,
            invitation.company,
            "invitation_accepted",
            Actor.person(person.id),
            invitation_id=str(invitation.id),
            role=invitation.role,
        )
    session.flush()
    return joined


def _pending(session: Session, company_id: uuid.UUID, index: str) -> Invitation | None:
    return session.scalar(
        select(Invitation).where(
            Invitation.company_id == company_id,
            Invitation.personnummer_index == index,
            Invitation.accepted_at.is_(None),
        )
    )


def _audit(session: Session, company: Company, action: str, actor: Actor, **data: Any) -> None:
    record_audit(session, action=f"company.{action}", actor=actor, company_id=company.id, data=data)
