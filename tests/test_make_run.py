"""`PORT=5101 make run` works with nothing else set: the public address follows the port."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")


def _exported(**env: str) -> set[str]:
    """PUBLIC_URL as `make run` hands it to each flask command (install steps left out, and
    flask replaced by printing its environment's PUBLIC_URL)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "HOST", "PUBLIC_URL")}
    done = subprocess.run(  # noqa: S603 - make from PATH, fixed arguments
        [
            str(MAKE),
            "--no-print-directory",
            "-o",
            "install",
            "run",
            "FLASK=sh -c 'printenv PUBLIC_URL' flask",
        ],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return {line for line in done.stdout.splitlines() if line.startswith("http")}


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_public_url_follows_the_port_unless_given() -> None:
    assert _exported() == {"http://127.0.0.1:5000"}
    assert _exported(PORT="5101") == {"http://127.0.0.1:5101"}
    given = _exported(PORT="5101", PUBLIC_URL="https://intyga.example")
    assert given == {"https://intyga.example"}
