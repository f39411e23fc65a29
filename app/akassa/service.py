"""Reference data for the funds, and memberships."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.akassa.models import Akassa, AkassaMembership
from app.errors import NotFound

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
