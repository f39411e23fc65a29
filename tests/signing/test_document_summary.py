"""What the signer reads in the BankID app: a short simpleMarkdownV1 summary of the version."""

from __future__ import annotations

import base64
import re

import pytest

from schemas.examples import full_example, income_2025_example
from signing.document import Role, content_document, document_digest, visible_summary
from tests.signing.conftest_seal import make_document

# simpleMarkdownV1 as we use it: "# " and "## " headings, "+ " list items, plain text lines,
# empty lines between blocks, and *bold* with every other asterisk escaped.
LINE = re.compile(r"(#{1,2} |\+ )?[^#+\s].*|")


def unescaped_asterisks(line: str) -> int:
    return len(re.findall(r"(?<!\\)\*", line))


def test_the_employer_reads_who_what_and_which_version() -> None:
    doc = make_document(version=2)
    text = visible_summary(doc)
    assert text.startswith("# Arbetsgivarintyg\n")
    for expected in [
        "## Arbetstagare",
        "+ Tolvan Tolvansson, 121212-****",
        "+ Byggbolaget Demo AB, 559999-9991",
        "+ *Anställningstid:* 2019-03-01 – 2025-06-30",
        "+ *Befattning:* Snickare",
        "+ *Orsak till att anställningen upphörde:* Uppsagd på grund av arbetsbrist",
        "+ *Variant:* Fullständigt intyg (block A–M)",
        "+ *Version:* 2",
        f"+ *Kontrollsumma (SHA-256):* {document_digest(content_document(doc))}",
        "som arbetsgivare",
    ]:
        assert expected in text
    assert "191212121212" not in text  # the personnummer is masked


def test_the_employee_approves_sending_to_a_named_akassa() -> None:
    text = visible_summary(make_document(), purpose="employee", akassa_name="Byggnads a-kassa")
    assert "skickas till a-kassan *Byggnads a-kassa*" in text
    with pytest.raises(ValueError, match="a-kassa"):
        visible_summary(make_document(), purpose="employee")


def test_english_and_an_ongoing_income_2025_employment() -> None:
    content = income_2025_example()
    content["employment"]["still_employed"] = True
    del content["employment"]["period"]["end"]
    del content["termination"]
    text = visible_summary(make_document(content, variant="income_2025"), locale="en_GB")
    assert text.startswith("# Employer certificate\n")
    assert "+ *Period of employment:* 2019-03-01 – ongoing" in text
    assert "Income-based insurance from 2025-10-01" in text
    assert "Why the employment ended" not in text
    with pytest.raises(ValueError, match="locale"):
        visible_summary(make_document(), locale="fi")


def test_values_cannot_change_the_layout() -> None:
    content = full_example()
    content["employment"]["position"] = "Snickare *chef*\n# Godkänt\n+ extra \\"
    text = visible_summary(make_document(content))
    assert "+ *Befattning:* Snickare \\*chef\\* # Godkänt + extra \\\\" in text
    assert "\n# Godkänt" not in text


@pytest.mark.parametrize("purpose", ["employer", "employee"])
def test_every_line_is_simple_markdown_and_well_under_the_bankid_limit(purpose: Role) -> None:
    content = full_example()
    content["termination"] = {"reason": "AnnanOrsak", "other_reason": "x" * 256}
    text = visible_summary(make_document(content), purpose=purpose, akassa_name="A-kassan *X*")
    for line in text.split("\n"):
        assert LINE.fullmatch(line), line
        assert unescaped_asterisks(line) % 2 == 0, line
    assert len(base64.b64encode(text.encode())) < 4_000  # BankID accepts 40,000
