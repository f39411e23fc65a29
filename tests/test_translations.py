"""Every Swedish text in code and templates has its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask, session
from flask_babel import refresh

ROOT = Path(__file__).resolve().parents[1]
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
# Forms declare their labels with lazy_gettext (imported as _l): those count too.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def test_the_english_catalogue_is_complete() -> None:
    used = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "app"), method_map=METHODS, keywords=KEYWORDS
        )
        if isinstance(message, str)
    }
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalogue = read_po(po_file)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    assert sorted(used - translated) == []


def test_a_page_keeps_its_catalogue_until_the_language_changes(app: Flask) -> None:
    """Templates look the catalogue up once per request; a new language (refresh) finds it anew."""
    with app.test_request_context("/"):
        session["lang"] = "en"
        template = app.jinja_env.from_string('{{ _("Skickat") }} {{ _("Godkänt") }}')
        assert template.render() == "Sent Approved"
        session["lang"] = "sv"
        assert template.render() == "Sent Approved"  # this request's catalogue, found once
        refresh()
        assert template.render() == "Skickat Godkänt"


def test_one_draft_is_a_draft_and_the_tab_of_them_drafts(app: Flask) -> None:
    """Swedish says "Utkast" for both; English needs the state and the list told apart."""
    page = '{% from "macros.html" import state_label %}{{ state_label("draft") }}|{{ _("Utkast") }}'
    with app.test_request_context("/"):
        session["lang"] = "en"
        refresh()
        assert app.jinja_env.from_string(page).render().strip() == "Draft|Drafts"
        session["lang"] = "sv"
        refresh()
        assert app.jinja_env.from_string(page).render().strip() == "Utkast|Utkast"
