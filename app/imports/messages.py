"""Texts of import problems: the jobs' own codes here, everything else as the API words it."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from app.web.errors import field_message


def problem_text(code: str, params: Sequence[str], locale: str) -> str:
    own = {
        "import_crashed": _(
            "Importen avbröts flera gånger utan att bli klar. Försök igen eller kontakta oss."
        ),
        "import_internal_error": _(
            "Importen stoppades av ett oväntat fel. Det som hann läsas in finns kvar; "
            "ladda upp filen igen för att fortsätta."
        ),
        "import_already_signed": _(
            "Intyget för den här posten är redan underskrivet och har inte ändrats. "
            "Gör ändringen i intyget i stället."
        ),
        "import_record_in_use": _(
            "Samma post lästes in samtidigt i ett annat anrop. Försök igen om en stund."
        ),
    }
    return str(own.get(code) or field_message(code, params, locale))
