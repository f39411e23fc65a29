"""Every Swedish text in code and templates has its English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

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
