"""The text of a PDF as poppler's pdftotext reads it: what a reader copies, in reading order.

An independent reader (poppler, not the libraries that wrote the file) proves that the fonts'
Unicode maps hold and that the tagged layout reads in the form's order.
"""

from __future__ import annotations

import shutil
import subprocess


def pdf_text(data: bytes) -> str:
    """All text on the pages, laid out as on the page (table rows stay on one line)."""
    program = shutil.which("pdftotext")
    if program is None:
        raise RuntimeError("pdftotext is missing: `make system-packages` installs poppler-utils")
    completed = subprocess.run(  # noqa: S603 - a fixed program and arguments, the PDF on stdin
        [program, "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Runs of white space, no-break spaces included, as one space."""
    return " ".join(text.split())
