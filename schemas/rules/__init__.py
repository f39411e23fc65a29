"""Every rule across fields of a certificate, in one place, for every path that takes content.

The web form, the REST and SOAP APIs and the import jobs all load content through
`schemas.load_content`, which runs these rules after the field checks; signing loads the stored
content again and runs them once more. So no path accepts what another refuses.

A rule has a stable `code` (also its message key in `schemas.messages`, Swedish and English), a
severity, and the source it comes from (`docs/rules.md` lists them all). An **error** makes the
content invalid: it is reported when a draft is saved and blocks signing. A **warning** says what
looks wrong but may be true: it is shown, and the signer confirms it before signing.

Rules read loaded content (dates as `date`, amounts as `Decimal`), never HTTP or the database.
"""

from schemas.rules import dates, ending, hours  # noqa: F401 - importing registers the rules
from schemas.rules.engine import (
    ERROR,
    RULES,
    WARNING,
    Facts,
    Finding,
    Rule,
    Severity,
    error_tree,
    evaluate,
)

__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "Facts",
    "Finding",
    "Rule",
    "Severity",
    "error_tree",
    "evaluate",
]
