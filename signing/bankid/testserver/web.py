"""Small HTTP helpers shared by the test server's API and its simulated app."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from werkzeug.wrappers import Request, Response

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}label{display:block;margin-top:1rem;font-weight:600}"
    "input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}"
    "button{font-size:1rem;margin:1rem .5rem 0 0;padding:.5rem 1rem}"
    ".text{white-space:pre-wrap;border:1px solid #767676;padding:1rem}.error{color:#a00000}"
    "td,th{text-align:left;padding:.2rem 1rem .2rem 0}"
)


def json_response(data: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def html_page(request: Request, title: str, body: str, status: int = 200) -> Response:
    """A page in the test server's look; `body` is trusted HTML, `title` is escaped here.

    Links use `request.script_root`, so the pages work at / and under a mount prefix alike.
    """
    root = escape(request.script_root)
    html = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} – BankID-testserver</title><style>{_STYLE}</style></head>"
        f'<body><main><p><a href="{root}/app">BankID-testapp</a> · endast för test</p>'
        f"<h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    )
    return response
