"""A webhook receiver for trying the integration out: `flask --app wsgi webhook-listen`.

It does what the README asks of a payroll system's receiver (check the signature over the raw
body, refuse old timestamps, skip deliveries already handled) and prints each event, so a
developer can watch the worker's deliveries arrive without writing a server first.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from app.webhooks.delivery import sign

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

TOLERANCE_SECONDS = 300


def receiver(
    secret: str, echo: Callable[[str], None], *, now: Callable[[], float] = time.time
) -> WSGIApplication:
    """A WSGI app accepting correctly signed, recent, unseen deliveries (204); 401 otherwise."""
    seen: set[str] = set()

    @Request.application
    def app(request: Request) -> Response:
        if request.method != "POST":
            return Response("POST signed webhooks here\n", 405, {"Allow": "POST"})
        timestamp = request.headers.get("Intyga-Timestamp", "")
        given = request.headers.get("Intyga-Signature", "")
        body = request.get_data(cache=False)
        if not timestamp.isdigit() or abs(now() - int(timestamp)) > TOLERANCE_SECONDS:
            echo("refused: missing or old Intyga-Timestamp")
            return Response("old or missing timestamp\n", 401)
        if not hmac.compare_digest(given, sign(secret, timestamp, body)):
            echo("refused: Intyga-Signature does not match the secret")
            return Response("bad signature\n", 401)
        delivery = request.headers.get("Intyga-Delivery", "")
        if delivery in seen:
            echo(f"already handled: {delivery}")
            return Response(status=204)
        seen.add(delivery)
        event = json.loads(body)
        echo(
            f"{request.headers.get('Intyga-Event')}: certificate {event['certificate_id']} "
            f"version {event['version']}, state {event['state']}, at {event['occurred_at']}"
        )
        return Response(status=204)

    return app


@click.command("webhook-listen")
@click.option("--secret", required=True, help="The endpoint's secret, shown when it was added.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8099, show_default=True, type=int)
def webhook_listen_command(secret: str, host: str, port: int) -> None:
    """Receive webhooks on HOST:PORT, verify them and print each event (for trying it out)."""
    click.echo(f"listening on http://{host}:{port}/ ; register that URL under Webhooks")
    run_simple(host, port, receiver(secret, click.echo), use_reloader=False)
