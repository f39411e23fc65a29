"""Domain errors: what the services raise, mapped to HTTP in one place (`app.web.errors`).

Each error carries a message key for the user interface and optional details; none of them holds
personal data, so they are safe to log and to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base of everything a service may refuse; `code` is a stable message key."""

    code = "domain_error"

    def __init__(self, code: str | None = None, **details: Any) -> None:
        self.code = code or self.code
        self.details: Mapping[str, Any] = details
        super().__init__(self.code)


class NotFound(DomainError):  # noqa: N818 - the domain's own vocabulary, as in style.md
    code = "not_found"


class Unauthenticated(DomainError):  # noqa: N818
    """No valid credentials came with the request: an API key missing, wrong or revoked."""

    code = "unauthenticated"


class Forbidden(DomainError):  # noqa: N818
    code = "forbidden"


class Conflict(DomainError):  # noqa: N818
    """Someone else changed the same thing first; reload and try again."""

    code = "conflict"


class IllegalTransition(DomainError):  # noqa: N818
    code = "illegal_transition"


class DeadlinePassed(DomainError):  # noqa: N818
    code = "deadline_passed"


class WarningsNotConfirmed(DomainError):  # noqa: N818
    """The content has warnings (`schemas.rules`) the signer has not confirmed; `warnings`
    holds their message keys, to show again with a box to confirm them."""

    code = "warnings_not_confirmed"

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(warnings=list(warnings))
        self.warnings = list(warnings)


class InvalidContent(DomainError):  # noqa: N818
    """The certificate content breaks a schema rule; `errors` has message keys per field."""

    code = "invalid_content"

    def __init__(self, errors: Mapping[str | int, Any]) -> None:
        super().__init__()
        self.errors = errors
