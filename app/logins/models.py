from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class LoginSession(Base):
    """One login in one browser, kept while REDIS_URL is not set. Only the token's SHA-256 is
    stored: the rows alone let nobody in. Deleting the row ends the login at once."""

    __tablename__ = "login_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
