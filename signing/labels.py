"""Words for people reading a certificate: its variants, the signers' roles, and the BankID summary.

The XML keeps the SOAP service's element names and code values; the text shown in BankID (Swedish
or English) and the PDF's facts and signatures turn them into words. The certificate's own fields
are laid out by `schemas.presentation`.
"""

from typing import Any, Final

from schemas.codes import TERMINATION_REASONS
from schemas.labels import CODE_LABELS

VARIANTS: Final = {
    "full": "Fullständigt intyg (block A–M)",
    "income_2025": "Inkomstbaserad a-kassa från 2025-10-01 (block A–I och M)",
}

ROLES: Final = {"employer": "Arbetsgivare", "employee": "Arbetstagare"}

# What the BankID app shows a signer (`signing.document.visible_summary`), per language.
SUMMARY: Final[dict[str, dict[str, Any]]] = {
    "sv": {
        "title": "Arbetsgivarintyg",
        "employer_intro": "Du skriver under intyget som arbetsgivare och intygar att det stämmer.",
        "employee_intro": "Du godkänner intyget och att det skickas till a-kassan *{0}*.",
        "employee": "Arbetstagare",
        "employer": "Arbetsgivare",
        "employment": "Anställning",
        "period": "Anställningstid",
        "ongoing": "pågår",
        "position": "Befattning",
        "reason": "Orsak till att anställningen upphörde",
        "certificate": "Intyget",
        "variant": "Variant",
        "version": "Version",
        "id": "Intygs-id",
        "digest": "Kontrollsumma (SHA-256)",
        "reasons": {reason: CODE_LABELS[reason][0] for reason in TERMINATION_REASONS},
        "variants": VARIANTS,
    },
    "en": {
        "title": "Employer certificate",
        "employer_intro": "You sign the certificate as the employer and confirm that it is true.",
        "employee_intro": "You approve the certificate and its sending to the a-kassa *{0}*.",
        "employee": "Employee",
        "employer": "Employer",
        "employment": "Employment",
        "period": "Period of employment",
        "ongoing": "ongoing",
        "position": "Position",
        "reason": "Why the employment ended",
        "certificate": "The certificate",
        "variant": "Variant",
        "version": "Version",
        "id": "Certificate id",
        "digest": "Checksum (SHA-256)",
        "reasons": {reason: CODE_LABELS[reason][1] for reason in TERMINATION_REASONS},
        "variants": {
            "full": "Full certificate (blocks A–M)",
            "income_2025": "Income-based insurance from 2025-10-01 (blocks A–I and M)",
        },
    },
}


def organisation_number(number: str) -> str:
    """559999-9991, as Swedes write it."""
    return f"{number[:6]}-{number[6:]}" if len(number) == 10 else number
