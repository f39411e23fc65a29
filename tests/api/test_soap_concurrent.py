"""The same SOAP request sent by several clients at once: every one gets a defined answer (the
record is stored once), never an internal error (PostgreSQL, real commits on many connections)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.certificates.models import Certificate
from app.imports.models import ImportedRecord
from tests import factories as f
from tests.api.conftest import key_for
from tests.api.test_soap import DATA_CONTRACT, SOAP, URL, request_for

pytestmark = pytest.mark.committing
CLIENTS = 8
ROUNDS = 3


def test_the_same_request_from_several_clients_at_once(
    app: Flask, committing: sessionmaker[Session]
) -> None:
    with committing() as session:
        w = f.world(session)
        # A key each, as several payroll systems of one company have: no shared key row
        # orders their requests.
        bodies = [request_for(key_for(session, w.company, f"System {n}")) for n in range(CLIENTS)]
        session.commit()
    start = threading.Barrier(CLIENTS)
    answers: list[tuple[int, bytes]] = []

    def send(data: bytes) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            URL,
            data=data,
            content_type="text/xml; charset=utf-8",
            headers={
                "SOAPAction": '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'
            },
        )
        answers.append((response.status_code, response.data))

    for _ in range(ROUNDS):  # the first round creates, the later ones find the records stored
        threads = [threading.Thread(target=send, args=(data,)) for data in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(answers) == CLIENTS * ROUNDS
    stored = set()
    for status, body in answers:
        assert status == 200, body.decode()  # never a fault: the record was stored once
        root = etree.fromstring(body)
        assert root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault") is None
        stored |= {c.text for c in root.iter(f"{{{DATA_CONTRACT}}}Certificate") if c.text}
    with committing() as session:
        assert session.scalar(select(func.count()).select_from(ImportedRecord)) == 2
        ids = {str(i) for i in session.scalars(select(Certificate.id))}
    assert len(ids) == 2
    assert {i for i in stored if i in ids} == ids
