"""Run the BankID test server: `python -m signing.bankid.testserver --port 5080`."""

from __future__ import annotations

import argparse
from pathlib import Path

from werkzeug.serving import run_simple

from signing.bankid.testserver.server import API_PREFIX, create_test_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m signing.bankid.testserver",
        description="BankID test server (RP API v6.0). For development only: never expose it.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5080)
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path("instance/bankid-testserver"),
        help="where the test CA is kept, so its root survives restarts",
    )
    parser.add_argument("--start-timeout", type=float, default=30.0)
    parser.add_argument("--order-lifetime", type=float, default=180.0)
    args = parser.parse_args(argv)
    server = create_test_server(
        args.state_dir, start_timeout=args.start_timeout, order_lifetime=args.order_lifetime
    )
    base = f"http://{args.host}:{args.port}"
    print(f"BankID RP API: {base}{API_PREFIX}/  app: {base}/app  root CA: {base}/ca.pem")
    run_simple(args.host, args.port, server, threaded=True)


if __name__ == "__main__":
    main()
