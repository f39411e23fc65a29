"""`flask` commands and the app start without the demo and the PDF machinery they do not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("weasyprint", "pyhanko", "app.demo", "app.certificates.pdf", "signing.pdf")


def test_a_flask_command_loads_no_demo_and_no_pdf_machinery() -> None:
    probe = (
        "import sys\n"
        "from flask.cli import main\n"
        "sys.argv = ['flask', '--app', 'wsgi', 'outbox', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(name for name in sys.modules if name.startswith({HEAVY!r})))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "Usage:" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"
