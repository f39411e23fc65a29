"""The text a BankID order shows (`userVisibleData`, format simpleMarkdownV1) drawn as HTML the
way the BankID app draws it, so the person sees on our page what they will sign.

simpleMarkdownV1 as we write it (signing.document.visible_summary): a line starting with `#`,
`##` or `###` and a space is a heading, `+ ` starts a list item, `*text*` is emphasised (bold
in the app), `---` alone is a rule, a blank line separates paragraphs, and a backslash makes the
next character literal. Everything else is plain text, escaped.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_ITEM = re.compile(r"^\+ (.*)$")
_RULE = re.compile(r"^-{3,}$")
# A run of escaped or plain characters between two unescaped asterisks.
_INLINE = re.compile(r"\\(.)|\*((?:\\.|[^*\\])+)\*|([^*\\]+|[*\\])", re.DOTALL)


def render(text: str, *, heading_level: int = 3) -> Markup:
    """HTML for `text`; its `#` headings become `h{heading_level}` and below, so they fit
    under the page's own headings."""
    html: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if items:
            html.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        item = _ITEM.match(stripped)
        if not stripped:
            close()
        elif heading:
            close()
            level = min(heading_level + len(heading.group(1)) - 1, 6)
            html.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif item:
            if paragraph:
                close()
            items.append(inline(item.group(1)))
        elif _RULE.match(stripped):
            close()
            html.append("<hr>")
        else:
            if items:
                close()
            paragraph.append(inline(stripped))
    close()
    return Markup("\n".join(html))  # noqa: S704 - inline() escapes every piece of text


def inline(text: str) -> str:
    """Emphasis and escapes inside one line, the rest escaped as text."""
    out = []
    for match in _INLINE.finditer(text):
        literal, emphasised, plain = match.groups()
        if literal is not None:
            out.append(str(escape(literal)))
        elif emphasised is not None:
            out.append(f"<strong>{inline(emphasised)}</strong>")
        else:
            out.append(str(escape(plain)))
    return "".join(out)
