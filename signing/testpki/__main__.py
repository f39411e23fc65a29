"""Serve the test PKI alone: `python -m signing.testpki --port 5081`."""

from __future__ import annotations

import argparse
import contextlib
import threading
from pathlib import Path

from signing.testpki.server import serving


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m signing.testpki",
        description="Test PKI: RFC 3161 TSA and OCSP. For development only: never expose it.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5081)
    parser.add_argument("--state-dir", type=Path, default=Path("instance/pki-test"))
    args = parser.parse_args(argv)
    with serving(args.state_dir, host=args.host, port=args.port) as running:
        print(f"TSA: {running.tsa_url}  OCSP: {running.pki.ocsp_url}")
        print(f"root: {running.base_url}/root.pem")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
