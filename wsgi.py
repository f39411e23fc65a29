"""The WSGI entry point: `flask --app wsgi ...`, `gunicorn wsgi:app`."""

import sys

from app import create_app
from app.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # The operator's answer in plain words, not a traceback to dig it out of.
    sys.stderr.write(f"Intyga cannot start: {error}\n")
    raise SystemExit(1) from error
