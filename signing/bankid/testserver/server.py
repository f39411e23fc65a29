"""The test server as a WSGI app: BankID's RP API v6.0 under /rp/v6.0/, the root CA, the user's app.

Never expose it publicly: anyone who reaches /app can sign as anyone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cryptography import x509
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from signing.bankid.testserver import userapp
from signing.bankid.testserver.ca import CertificateAuthority
from signing.bankid.testserver.completion import (
    DEFAULT_SERVICE_DISPLAY_NAME,
    DEFAULT_SERVICE_NAME,
    Completer,
)
from signing.bankid.testserver.orders import ApiError, OrderStore
from signing.bankid.testserver.validation import order_ref, parse_order
from signing.bankid.testserver.web import html_page, json_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

API_PREFIX = "/rp/v6.0"

_URLS = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/ca.pem", endpoint="ca", methods=["GET"]),
        Rule("/app", endpoint="app", methods=["GET"]),
        Rule("/app/open", endpoint="app_open", methods=["POST"]),
        Rule("/app/complete", endpoint="app_complete", methods=["POST"]),
        *(
            Rule(f"{API_PREFIX}/{name}", endpoint=f"rp:{name}", methods=["POST"])
            for name in ("auth", "sign", "phone/auth", "phone/sign", "collect", "cancel")
        ),
    ]
)


class _Request(Request):
    max_content_length = 1024 * 1024


class BankIDTestServer:
    """WSGI app; mount it anywhere (links follow SCRIPT_NAME). `root_certificate` is what to pin."""

    def __init__(self, store: OrderStore, ca: CertificateAuthority) -> None:
        self.store = store
        self.ca = ca

    @property
    def root_certificate(self) -> x509.Certificate:
        return self.ca.root.certificate

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = _Request(environ)
        return self._dispatch(request)(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        try:
            endpoint, _ = _URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            if request.path.startswith(API_PREFIX + "/"):
                code = "notFound" if exc.code == 404 else "invalidParameters"
                return _api_error(ApiError(code, exc.name, exc.code or 400))
            return exc.get_response(request.environ)
        if endpoint.startswith("rp:"):
            return self._api(endpoint.removeprefix("rp:"), request)
        if endpoint == "ca":
            return Response(self.ca.root_pem, mimetype="application/x-pem-file")
        if endpoint == "index":
            return _index(request)
        handler = {
            "app": userapp.app_page,
            "app_open": userapp.app_open,
            "app_complete": userapp.app_complete,
        }[endpoint]
        return handler(self.store, request)

    def _api(self, name: str, request: Request) -> Response:
        try:
            body = _json_body(request)
            if name in ("collect", "cancel"):
                ref = order_ref(body)
                if name == "cancel":
                    self.store.cancel(ref)
                    return json_response({})
                return json_response(self.store.collect(ref))
            phone = name.startswith("phone/")
            kind: Literal["auth", "sign"] = "sign" if name.endswith("sign") else "auth"
            order = parse_order(body, kind, phone=phone, now=self.store.now())
            self.store.start(order)
        except ApiError as error:
            return _api_error(error)
        if phone:
            return json_response({"orderRef": order.order_ref})
        return json_response(
            {
                "orderRef": order.order_ref,
                "autoStartToken": order.auto_start_token,
                "qrStartToken": order.qr_start_token,
                "qrStartSecret": order.qr_start_secret,
            }
        )


def create_test_server(
    state_dir: str | Path | None = None,
    *,
    start_timeout: float = 30.0,
    order_lifetime: float = 180.0,
    clock: Callable[[], float] = time.time,
    service_name: str = DEFAULT_SERVICE_NAME,
    service_display_name: str = DEFAULT_SERVICE_DISPLAY_NAME,
) -> BankIDTestServer:
    """A BankID test server. Its CA lives in `state_dir` (None: in memory, new on every start).

    `service_name` is what signatures carry as srvInfo/name: BankID puts the relying party's
    certificate subject there.
    """
    ca = CertificateAuthority(Path(state_dir) if state_dir is not None else None, clock=clock)
    store = OrderStore(
        clock=clock,
        start_timeout=start_timeout,
        order_lifetime=order_lifetime,
        complete=Completer(
            ca, service_name=service_name, service_display_name=service_display_name
        ),
    )
    return BankIDTestServer(store, ca)


def _json_body(request: Request) -> Any:
    if request.mimetype != "application/json":
        raise ApiError("invalidParameters", "Content-Type must be application/json")
    try:
        return json.loads(request.get_data(cache=False))
    except RequestEntityTooLarge as exc:
        raise ApiError("invalidParameters", "Request too large", 413) from exc
    except ValueError as exc:
        raise ApiError("invalidParameters", "Body is not valid JSON") from exc


def _api_error(error: ApiError) -> Response:
    return json_response({"errorCode": error.code, "details": error.details}, error.status)


def _index(request: Request) -> Response:
    root = escape(request.script_root)
    body = (
        "<p>Den här servern talar BankID:s RP API v6.0 för utveckling och test.</p><ul>"
        f'<li><a href="{root}/app">BankID-testappen</a>: godkänn eller avbryt ordrar</li>'
        f'<li><a href="{root}/ca.pem">Rotcertifikatet</a> som signaturerna kedjar till</li>'
        f"<li>API-bas: <code>{root}{API_PREFIX}/</code></li></ul>"
    )
    return html_page(request, "BankID-testserver", body)
