"""The test PKI over real HTTP: an RFC 3161 TSA, an OCSP responder (RFC 6960) and the certificates.

For development, demos and tests only: whoever reaches it gets timestamps and OCSP answers that a
verifier trusting the test root accepts. Mount the WSGI app under a prefix (the app mounts it at
/pki-test in development) or run it alone with `serving` (tests, bench) or
`python -m signing.testpki`.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from signing.testpki.authority import TestPKI
from signing.testpki.tsa import TimeStampAuthority

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_URLS = Map(
    [
        Rule("/", endpoint="index", methods=["GET"]),
        Rule("/root.pem", endpoint="root", methods=["GET"]),
        Rule("/seal-chain.pem", endpoint="seal_chain", methods=["GET"]),
        Rule("/tsa", endpoint="tsa", methods=["POST"]),
        Rule("/ocsp", endpoint="ocsp", methods=["POST"]),
        Rule("/ocsp/<path:encoded>", endpoint="ocsp_get", methods=["GET"]),
    ]
)
_MAX_REQUEST = 64 * 1024


class _Request(Request):
    max_content_length = _MAX_REQUEST


class PKITestServer:
    """WSGI app of the test PKI; `pki` holds the root to trust and the seal to sign with."""

    def __init__(self, pki: TestPKI) -> None:
        self.pki = pki
        self.tsa = TimeStampAuthority(pki)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self._dispatch(_Request(environ))(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        try:
            endpoint, arguments = _URLS.bind_to_environ(request.environ).match()
            if endpoint == "tsa":
                _expect(request, "application/timestamp-query")
                reply = self.tsa.respond(request.get_data())
                return Response(reply, mimetype="application/timestamp-reply")
            if endpoint.startswith("ocsp"):
                return _ocsp(self.pki.ocsp_response(_ocsp_request(request, arguments)))
        except HTTPException as exc:
            return exc.get_response(request.environ)
        if endpoint == "index":
            text = (
                "Intyga test PKI (development only)\n"
                f"TSA (RFC 3161): POST {self.pki.tsa_url}\n"
                f"OCSP (RFC 6960): POST {self.pki.ocsp_url}\n"
                f"Root: {self.pki.base_url}/root.pem\n"
                f"Seal chain: {self.pki.base_url}/seal-chain.pem\n"
            )
            return Response(text, mimetype="text/plain")
        certificates = [self.pki.root.certificate] if endpoint == "root" else self.pki.seal_chain
        pems = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
        return Response(pems, mimetype="application/x-pem-file")


def create_pki_server(
    state_dir: str | Path | None, base_url: str, *, clock: Callable[[], float] = time.time
) -> PKITestServer:
    """The test PKI served at `base_url` (its certificates name that address for OCSP). Its keys
    live in `state_dir` (None: in memory, new each time)."""
    return PKITestServer(
        TestPKI(Path(state_dir) if state_dir is not None else None, base_url, clock=clock)
    )


@dataclass(frozen=True)
class RunningPKI:
    """A test PKI answering on a loopback port."""

    server: PKITestServer
    base_url: str

    @property
    def pki(self) -> TestPKI:
        return self.server.pki

    @property
    def tsa_url(self) -> str:
        return self.pki.tsa_url


@contextmanager
def serving(
    state_dir: str | Path | None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Callable[[], float] = time.time,
) -> Iterator[RunningPKI]:
    """Serve a test PKI on `host:port` (0: any free port) in a thread until the block ends; its
    address is known only once bound, so the PKI is made after binding."""
    holder: list[PKITestServer] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return holder[0](environ, start_response)

    with _serve(app, host, port) as bound:
        base_url = f"http://{host}:{bound}"
        holder.append(create_pki_server(state_dir, base_url, clock=clock))
        yield RunningPKI(holder[0], base_url)


@contextmanager
def serving_mounted(server: PKITestServer, host: str, port: int, prefix: str) -> Iterator[None]:
    """Serve `server` under `prefix` on `host:port` for the block: a mounted PKI answering while
    the app that mounts it is not running (`flask demo` before `flask run`)."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(prefix + "/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
        environ["PATH_INFO"] = path[len(prefix) :]
        return server(environ, start_response)

    with _serve(app, host, port):
        yield


class _Quiet(WSGIRequestHandler):
    """No access line per timestamp or OCSP request: sealing makes several, and `flask demo` or a
    benchmark would print them between its own lines. Errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def _serve(app: WSGIApplication, host: str, port: int) -> Iterator[int]:
    httpd = make_server(host, port, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _expect(request: Request, mimetype: str) -> None:
    if request.mimetype != mimetype:
        response = Response(f"Content-Type must be {mimetype}", status=415, mimetype="text/plain")
        raise HTTPException(response=response)


def _ocsp_request(request: Request, arguments: Mapping[str, str]) -> bytes:
    """The DER request: POSTed, or base64 in the path (RFC 6960 A.1)."""
    if "encoded" not in arguments:
        _expect(request, "application/ocsp-request")
        return request.get_data()
    try:
        return base64.b64decode(unquote(arguments["encoded"]), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRequest("the OCSP request is not base64") from exc


def _ocsp(der: bytes) -> Response:
    return Response(der, mimetype="application/ocsp-response")
