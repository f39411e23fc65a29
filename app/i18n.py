"""Swedish first, English second: the locale is the person's choice, else Swedish.

Message ids are the Swedish texts themselves, so Swedish needs no catalogue and can never show
an untranslated id; `translations/en` holds the English.

Catalogues are compiled from the committed .po files when they are missing or stale, so a fresh
checkout needs no separate build step.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_translations

from schemas import formats

TRANSLATIONS = Path(__file__).with_name("translations")


# Programs (the REST API, the SOAP service) have no session: they say their language in
# Accept-Language.
MACHINE_PATHS = ("/api/", "/HR_SystemService/")


def current_locale() -> str:
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if request.path.startswith(MACHINE_PATHS):
        return str(request.accept_languages.best_match(languages, default="sv"))
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return "sv"


def compile_catalogues(root: Path = TRANSLATIONS) -> None:
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)


def page_translations() -> NullTranslations:
    """This request's catalogue, looked up once: Flask-Babel finds the context, the locale and
    its cache again on every text, and a list page translates a hundred. Kept beside the locale
    it was found for, so `flask_babel.refresh()` or `force_locale` (a new locale) finds it anew."""
    if not g:
        return cast(NullTranslations, get_translations())
    context = g.get("_flask_babel")
    found = getattr(context, "page_translations", None)
    if found is not None and found[0] is getattr(context, "babel_locale", None):
        return cast(NullTranslations, found[1])
    translations = cast(NullTranslations, get_translations())
    context = g._flask_babel
    context.page_translations = (getattr(context, "babel_locale", None), translations)
    return translations


def init_app(app: Flask) -> None:
    compile_catalogues()
    Babel(app, locale_selector=current_locale, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: page_translations().ugettext(text),
        ngettext=lambda one, many, n: page_translations().ungettext(one, many, n),
        pgettext=lambda context, text: page_translations().upgettext(context, text),
        npgettext=lambda context, one, many, n: page_translations().unpgettext(
            context, one, many, n
        ),
        newstyle=True,
    )
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.filters.update(
        date=local_date,
        datetime=local_datetime,
        amount=lambda value: formats.amount(value, current_locale()),
        kronor=lambda value: formats.kronor(value, current_locale()),
        hours=lambda value: formats.hours(value, current_locale()),
        month=lambda row: formats.month(row[0], row[1], current_locale()),
        orgnr=formats.organisation_number,
        personnummer=formats.personnummer,
        masked_personnummer=formats.masked_personnummer,
    )


def local_date(value: dt.date | str | None) -> str:
    """A date in the reader's format; "" for none, so templates need no guard."""
    return "" if value is None else formats.date(value, current_locale())


def local_datetime(value: dt.datetime | None, *, zone: bool = False) -> str:
    """A moment in Swedish time in the reader's format (`zone` adds CET/CEST)."""
    return "" if value is None else formats.datetime(value, current_locale(), zone=zone)
