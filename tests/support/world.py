"""The fixtures most test folders start from: the usual world, and a company next door whose admin
is the outsider, for the tenancy tests. Registered for every test by the root conftest."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.companies.models import Company
from tests import factories as f

OTHER_ORGNR = "5569999997"


@pytest.fixture
def w(session: Session) -> f.World:
    world = f.world(session)
    session.flush()
    return world


@pytest.fixture
def other_company(session: Session) -> Company:
    """Another company, whose admin is the outsider."""
    other = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    company = f.company(session, other, orgnr=OTHER_ORGNR, name="Annat AB")
    session.flush()
    return company
