"""The current company of the logged-in person: every employer query goes through it."""

from __future__ import annotations

import uuid

from flask import session
from flask_login import current_user
from sqlalchemy import select

from app.companies import service as companies
from app.companies.models import Company, Membership, Role
from app.errors import NotFound
from app.extensions import db

COMPANY_KEY = "company_id"


def memberships() -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.person_id == current_user.person.id)
            .join(Company)
            .order_by(Company.name)
        )
    )


def current_membership(mine: list[Membership] | None = None) -> Membership:
    """The membership for the company chosen in this session (else the first one); none: 404.
    `mine`: the person's memberships when the caller has read them already."""
    mine = memberships() if mine is None else mine
    if not mine:
        raise NotFound("no_company")
    chosen = session.get(COMPANY_KEY)
    return next((m for m in mine if str(m.company_id) == chosen), mine[0])


def current_admin() -> Membership:
    """The current membership if it is an admin's; a certifier gets Forbidden (403)."""
    membership = current_membership()
    return companies.require_role(
        db.session, membership.company_id, membership.person_id, roles=(Role.ADMIN,)
    )


def choose(company_id: uuid.UUID) -> None:
    if not any(m.company_id == company_id for m in memberships()):
        raise NotFound("no_company")
    session[COMPANY_KEY] = str(company_id)
