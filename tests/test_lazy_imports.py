"""`flask` commands and the app start without the demo, the PDF and the migration machinery
they do not use; `flask db` still has all of Flask-Migrate's commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "weasyprint",
    "pyhanko",
    "app.demo",
    "app.certificates.pdf",
    "signing.pdf",
    "alembic",
    "flask_migrate",
)


def _flask(*args: str) -> list[str]:
    """The output of `flask --app wsgi ARGS` in a fresh interpreter, then the heavy modules it
    imported (the last line)."""
    probe = (
        "import sys\n"
        "from flask.cli import main\n"
        f"sys.argv = ['flask', '--app', 'wsgi', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(name for name in sys.modules if name.startswith({HEAVY!r})))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()


def test_a_flask_command_loads_no_demo_pdf_or_migration_machinery() -> None:
    output = _flask("outbox", "--help")
    assert any(line.startswith("Usage:") for line in output)
    assert output[-1] == "[]"


def test_the_app_server_loads_none_of_it_either() -> None:
    probe = f"import wsgi, sys\nprint(sorted(n for n in sys.modules if n.startswith({HEAVY!r})))"
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_flask_db_loads_flask_migrate_when_used() -> None:
    output = _flask("db", "--help")
    for command in ("upgrade", "downgrade", "check", "current", "heads"):
        assert any(line.strip().startswith(command) for line in output), command
    assert "flask_migrate" in output[-1]
