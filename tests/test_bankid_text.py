"""BankID's simpleMarkdownV1 drawn as HTML, as the app shows it: headings, lists, emphasis,
escapes, and nothing of the text ever read as HTML."""

from __future__ import annotations

from datetime import UTC, datetime

from app.eid.visible_text import render
from schemas import load_content
from schemas.examples import full_example
from signing.document import CertificateDocument, visible_summary


def test_headings_lists_emphasis_and_paragraphs() -> None:
    text = (
        "# Arbetsgivarintyg\nDu skriver under.\n\n## Anställning\n+ *Befattning:* Snickare\n+ Två"
    )
    assert render(text) == (
        "<h3>Arbetsgivarintyg</h3>\n<p>Du skriver under.</p>\n<h4>Anställning</h4>\n"
        "<ul><li><strong>Befattning:</strong> Snickare</li><li>Två</li></ul>"
    )
    assert render("## Del", heading_level=2) == "<h3>Del</h3>"
    assert render("a\nb\n---\nc") == "<p>a<br>b</p>\n<hr>\n<p>c</p>"


def test_text_is_escaped_and_escapes_are_literal() -> None:
    assert render("+ <script>x</script> & \\*inte fet\\*") == (
        "<ul><li>&lt;script&gt;x&lt;/script&gt; &amp; *inte fet*</li></ul>"
    )
    assert render("121212-****") == "<p>121212-****</p>", "a lone run of stars stays text"
    assert render("#utan mellanslag") == "<p>#utan mellanslag</p>"


def test_the_employers_summary_has_no_markup_left_when_drawn() -> None:
    doc = CertificateDocument(
        certificate_id="c0ffee00-0000-4000-8000-000000000001",
        version=1,
        variant="full",
        issued_at=datetime(2025, 7, 1, 8, 30, tzinfo=UTC),
        employer_name="Byggbolaget *Demo* AB",
        organisation_number="5599999991",
        employer_id="company-42",
        content=load_content(full_example(), "full"),
    )
    html = render(visible_summary(doc, locale="sv", purpose="employer"))
    assert "<h3>Arbetsgivarintyg</h3>" in html
    assert "Byggbolaget *Demo* AB" in html, "an asterisk the employer typed stays an asterisk"
    assert "<strong>Befattning:</strong>" in html
    assert "# " not in html
    assert "+ " not in html
