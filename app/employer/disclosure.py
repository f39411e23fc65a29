"""Who saw a full personnummer: the employer's pages that show one unmasked (a certificate's
page, its draft form, its sealed documents) write one audit event per view.

Lists show personnummer masked and write nothing. The event is committed on its own, after the
page was made: a view that reads nothing else still leaves its trace.
"""

from __future__ import annotations

import uuid

from flask import request
from flask_login import current_user

from app.audit.service import Actor
from app.audit.service import record as record_audit
from app.extensions import db

ACTION = "personnummer_viewed"


def full_personnummer_shown(
    company_id: uuid.UUID, certificate_id: uuid.UUID | None = None, **data: str
) -> None:
    """Record that the logged-in person was shown a full personnummer of `company_id`'s
    certificate (or of a request, named in `data`), and commit it."""
    record_audit(
        db.session,
        action=ACTION,
        actor=Actor.person(current_user.person.id),
        company_id=company_id,
        certificate_id=certificate_id,
        data={"page": str(request.endpoint), **data},
    )
