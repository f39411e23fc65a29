from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.akassa.models import AkassaStaff
from tests.akassa import support


@pytest.fixture
def officer(session: Session) -> AkassaStaff:
    """An officer of Unionens a-kassa, the fund `w.employee` is a member of."""
    staff = support.staff(session, support.OFFICER_PNR, "unionens")
    session.flush()
    return staff


@pytest.fixture
def other_officer(session: Session) -> AkassaStaff:
    staff = support.staff(session, support.OTHER_OFFICER_PNR, "if-metall", first="Ida")
    session.flush()
    return staff
