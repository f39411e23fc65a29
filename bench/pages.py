"""Pages benchmark: every main page's server time at demo size and with 20,000 certificates more,
next to a bare Flask page.

    .venv/bin/python -m bench.pages [--extra 20000] [--samples 60]

Uses DATABASE_URL when set (emptied first), else a temporary SQLite file. Loads the demo (as
`flask demo` does, with sealed documents), times each page as its user sees it through the WSGI
app in this process (Flask's test client: routing, login, queries, templates; no network), then
adds `--extra` certificates to the demo company (rows copied from its own, in one bulk insert,
spread over states and a year of changes) and times every page again. The employer's list is
timed on its first page, on a page deep in the list (keyset) and with a search. The bare page is
a Flask app rendering a small template. Prints p50 and p99 per page and the load average; not a
timed test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import cast

from flask import Flask, render_template_string, session
from flask.testing import FlaskClient
from sqlalchemy import Table, insert, select, text

from app import seal
from app.auth import log_in
from app.auth.views import ROLE_KEY
from app.certificates.models import Certificate, State
from app.demo import data as demo_data
from app.demo import signatures as demo_signatures
from app.eid.provider import settings as eid_settings
from app.extensions import db
from app.people.models import Person
from bench.scratch import scratch_app

STATES = (State.APPROVED, State.EXPIRED, State.SENT, State.DRAFT, State.WITHDRAWN)


def timings(client: FlaskClient, path: str, samples: int) -> list[float]:
    client.get(path)  # caches, templates
    found = []
    for _ in range(samples):
        start = time.perf_counter()
        response = client.get(path)
        found.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.headers.get('Location')}")
    return found


def show(name: str, ms: list[float]) -> None:
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, round(len(ordered) * 0.99) - 1)]
    print(f"  {name:<44} p50 {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms")


def bare_client() -> FlaskClient:
    bare = Flask("bare")

    @bare.get("/")
    def page() -> str:
        return render_template_string(
            "<!doctype html><title>{{ title }}</title><ul>{% for n in rows %}<li>{{ n }}</li>"
            "{% endfor %}</ul>",
            title="bare",
            rows=range(25),
        )

    return bare.test_client()


def logged_in(app: Flask, person: Person, role: str) -> FlaskClient:
    """A client with the person's session in that role, as after a BankID login."""
    client = app.test_client()
    if client.get(f"/_bench/login/{person.id}/{role}").status_code != 200:
        raise SystemExit(f"could not log {person.full_name} in")
    return client


def add_login(app: Flask) -> None:
    """A route that logs a person in as the eID login does (the benchmark's app only)."""

    def login(person_id: uuid.UUID, role: str) -> str:
        log_in(db.session.get_one(Person, person_id))
        session[ROLE_KEY] = role
        db.session.commit()  # the login's record
        return ""

    app.add_url_rule("/_bench/login/<uuid:person_id>/<role>", view_func=login)


def pages(app: Flask, members: list[demo_data.CastMember]) -> dict[str, tuple[FlaskClient, str]]:
    by_role: dict[str, Person] = {}
    for member in members:
        by_role.setdefault(member.role, member.person)
    employer = logged_in(app, by_role["admin"], "employer")
    employee_person = by_role["employee"]
    employee = logged_in(app, employee_person, "employee")
    officer = logged_in(app, by_role["akassa"], "akassa")
    found: dict[str, tuple[FlaskClient, str]] = {
        "start page /": (app.test_client(), "/"),
        "verify /verifiera": (app.test_client(), "/verifiera"),
        "employer list": (employer, "/arbetsgivare/"),
        "employer list, a search": (employer, "/arbetsgivare/?sok=Tolvan"),
        "employee inbox": (employee, "/arbetstagare"),
        "a-kassa list": (officer, "/akassa/"),
    }
    for name, (client, path), prefix in (
        ("employer certificate", found["employer list"], "/arbetsgivare/intyg/"),
        ("employee certificate", found["employee inbox"], "/arbetstagare/intyg/"),
        ("a-kassa certificate", found["a-kassa list"], "/akassa/intyg/"),
    ):
        link = first_link(client, path, prefix)
        if link is not None:
            found[name] = (client, link)
    return found


def first_link(client: FlaskClient, path: str, prefix: str) -> str | None:
    """The first certificate the page links to, as its user would open it."""
    match = re.search(
        f'href="({re.escape(prefix)}[0-9a-f-]{{36}})"', client.get(path).get_data(as_text=True)
    )
    return match.group(1) if match else None


def deep_page(client: FlaskClient, path: str, steps: int) -> str:
    """The path of the page `steps` pages into the list, following its "Nästa" links."""
    for _ in range(steps):
        html = client.get(path).get_data(as_text=True)
        if 'rel="next"' not in html:
            break
        after = html.split("efter=", 1)[1].split('"', 1)[0]
        path = f"/arbetsgivare/?efter={after}"
    return path


def add_certificates(count: int) -> None:
    """`count` copies of the demo company's certificates (new ids, states and times)."""
    session = db.session
    table = cast(Table, Certificate.__table__)
    models = [dict(row._mapping) for row in session.execute(select(table))]
    now = max(model["updated_at"] for model in models)
    rows = []
    for n in range(count):
        row = dict(models[n % len(models)])
        state = STATES[n % len(STATES)]
        row.update(
            id=uuid.uuid4(),
            state=state,
            updated_at=now - timedelta(minutes=n * 26),
            created_at=now - timedelta(minutes=n * 26 + 60),
        )
        if state is not State.APPROVED:
            row["approved_at"] = None
            row["akassa_id"] = None
        rows.append(row)
    session.execute(insert(table), rows)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        # Statistics as autovacuum would keep them: planned on an empty table's, the search
        # sorts a person's every certificate instead of reading the list index in order.
        session.execute(text("ANALYZE certificate"))
        session.commit()


def measure(found: dict[str, tuple[FlaskClient, str]], samples: int, label: str) -> None:
    print(f"{label} (load average {os.getloadavg()[0]:.2f})")
    show("bare Flask page (small template)", timings(bare_client(), "/", samples))
    for name, (client, path) in found.items():
        show(name, timings(client, path, samples))
        if name == "employer list":
            deep = deep_page(client, path, 40)
            show("employer list, a page deep in (keyset)", timings(client, deep, samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    with scratch_app() as (app, scratch):
        app.config["SEAL_DIR"] = str(scratch / "seal")
        app.config["BANKID_TEST_STATE"] = str(Path(scratch) / "bankid")
        trust = eid_settings()
        issuer = demo_signatures.issuer(
            Path(app.config["BANKID_TEST_STATE"]),
            trusted_roots=trust.trusted_roots,
            service_name=trust.service_name,
            seal=seal.current(),
        )
        add_login(app)
        with seal.test_pki_reachable():  # sealing asks the test PKI over HTTP
            members = demo_data.load(db.session, issuer=issuer)
        db.session.commit()
        demo = db.session.query(Certificate).count()
        db.session.close()  # this thread holds no transaction while the other one reads
        # Requests from another thread: each gets its own app context (login, database session),
        # as under a server, instead of sharing the one this thread holds open.
        worker = ThreadPoolExecutor(1)
        found = worker.submit(pages, app, members).result()
        worker.submit(measure, found, args.samples, f"demo size: {demo} certificates").result()
        add_certificates(args.extra)
        total = db.session.query(Certificate).count()
        db.session.close()
        worker.submit(measure, found, args.samples, f"{total:,} certificates").result()


if __name__ == "__main__":
    main()
