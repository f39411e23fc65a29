"""Certificate content as marshmallow schemas, shared by the web app, the API and payroll adapters.

Nothing here knows of Flask or `app/`. Errors and warnings are message keys; `localize` turns
them into Swedish or English.
"""

from schemas import rules
from schemas.base import ContentInvalid
from schemas.certificate import (
    VARIANTS,
    CertificateSchema,
    FullCertificateSchema,
    Income2025CertificateSchema,
    content_findings,
    content_warnings,
    load_checked,
    load_content,
    schema_for,
)
from schemas.identity import (
    identity_warnings,
    mask_personnummer,
    validate_organisationsnummer,
    validate_personnummer,
)
from schemas.income import IncomeMonthSchema, load_income_table
from schemas.messages import CATALOG, localize
from schemas.xml import XmlName, xml_names

__all__ = [
    "CATALOG",
    "VARIANTS",
    "CertificateSchema",
    "ContentInvalid",
    "FullCertificateSchema",
    "Income2025CertificateSchema",
    "IncomeMonthSchema",
    "XmlName",
    "content_findings",
    "content_warnings",
    "identity_warnings",
    "load_checked",
    "load_content",
    "load_income_table",
    "localize",
    "mask_personnummer",
    "rules",
    "schema_for",
    "validate_organisationsnummer",
    "validate_personnummer",
    "xml_names",
]
