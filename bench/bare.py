"""The baseline for `bench.api`: the least a Flask app can do for a JSON POST.

It parses the body and answers a small JSON document, under the same gunicorn settings as the
real app, so the ratio between the two is what Intyga itself costs.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.post("/api/v1/certificates")
def create() -> tuple[Response, int]:
    body = request.get_json()
    return jsonify({"certificates": [{"received": len(body) if body else 0}]}), 201
