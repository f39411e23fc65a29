"""One table: the same record sent through each face (REST, SOAP, an import job, the employer's
form) ends the same way, said in the same words.

Each row is a story told to one face: a new record; the same again; corrected while a draft;
corrected after it was signed; naming another employer; with a broken personnummer. The form's
record is the certificate it edits (it has no record key), so its second save edits the first.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.companies.models import Company
from app.intake.messages import describe
from payroll_adapters import content_to_xml
from tests import factories as f
from tests import web
from tests.api.conftest import Tenant
from tests.conftest import LiveBankID
from tests.employer.test_drafts import NEW, _form_of
from tests.imports.conftest import RunJobs

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CONTRACT = "http://schemas.datacontract.org/2004/07/Arbetsgivarintyg.Api"
SOAP_URL = "/HR_SystemService/ArbetsgivarintygService.svc"
OUTCOMES = ("created", "updated", "unchanged")
CODES = ("record_locked", "employer_mismatch", "invalid_personnummer")

Content = dict[str, Any]
Said = tuple[str, frozenset[str]]  # the outcome, and the message keys of its reasons


def _words(code: str) -> str:
    return describe(code, (), "sv")


def _heard(text: str) -> frozenset[str]:
    """The reasons a face gave in words, recognised by the catalogue's own texts."""
    return frozenset(code for code in CODES if _words(code) in text)


@dataclass
class Face:
    """One way into intake, driven as its users drive it."""

    client: FlaskClient
    session: Session
    world: f.World
    tenant: Tenant
    run_jobs: RunJobs
    bankid: LiveBankID
    certificate_id: uuid.UUID | None = None

    def rest(self, content: Content) -> Said:
        response = self.client.post(
            "/api/v1/certificates",
            data=json.dumps({"variant": "full", **content}),
            content_type="application/json",
            headers=self.tenant.headers,
        )
        body = response.json
        assert isinstance(body, dict), response.get_data(as_text=True)
        if response.status_code == 422:
            return "refused", frozenset(error["code"] for error in body["errors"])
        (result,) = body["certificates"]
        return result["outcome"], frozenset(result["problems"])

    def soap(self, content: Content) -> Said:
        envelope = _soap_request(content, self.tenant)
        response = self.client.post(SOAP_URL, data=envelope, content_type="text/xml; charset=utf-8")
        assert response.status_code == 200, response.get_data(as_text=True)
        answer = etree.fromstring(response.data)
        (result,) = answer.iter(f"{{{CONTRACT}}}ApiImportCertificateResult")
        message = str(result.findtext(f"{{{CONTRACT}}}Message"))
        stored = result.findtext(f"{{{CONTRACT}}}Code") == "0"
        outcome = next((o for o in OUTCOMES if message == _words(f"outcome_{o}")), None)
        if stored:
            assert outcome is not None, message
            return outcome, _heard(message)
        heard = _heard(message)
        return ("locked" if heard == {"record_locked"} else "refused"), heard

    def imports(self, content: Content) -> Said:
        queued = self.client.post(
            "/api/v1/imports?format=json",
            data=json.dumps([{"variant": "full", **content}]),
            headers=self.tenant.headers | {"Content-Type": "application/octet-stream"},
        )
        assert queued.status_code == 202, queued.get_data(as_text=True)
        assert self.run_jobs() == {"imports_done": 1}
        job = self.client.get(queued.headers["Location"], headers=self.tenant.headers).json
        assert isinstance(job, dict)
        counted = [o for o in (*OUTCOMES, "locked") if job[o]] + (
            ["refused"] if job["failed"] else []
        )
        assert len(counted) == 1, job
        return counted[0], frozenset(problem["code"] for problem in job["problems"])

    def form(self, content: Content) -> Said:
        if self.certificate_id is None:
            response = web.post(
                self.client, NEW, form_page=NEW, variant="full", action="save", **_form_of(content)
            )
        else:
            edit = f"/arbetsgivare/intyg/{self.certificate_id}/redigera"
            page = f"/arbetsgivare/intyg/{self.certificate_id}"
            lock = self.session.get_one(Certificate, self.certificate_id).lock_version
            fields = _form_of(content) | {"lock_version": str(lock)}
            response = web.post(self.client, edit, form_page=page, action="save", **fields)
        if response.status_code == 302:
            location = response.headers["Location"]
            self.certificate_id = uuid.UUID(location.rsplit("/", 1)[-1])
            said = self.client.get(location).get_data(as_text=True)
            (outcome,) = [o for o in OUTCOMES if _words(f"outcome_{o}") in said]
            return outcome, frozenset()
        html = response.get_data(as_text=True)
        return ("locked" if response.status_code == 409 else "refused"), _heard(html)


def _soap_request(content: Content, tenant: Tenant) -> bytes:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    call = etree.SubElement(body, "{http://tempuri.org/}SaveArbetsgivarintygService")
    request = etree.SubElement(call, "{http://tempuri.org/}request")
    imported = etree.SubElement(request, f"{{{CONTRACT}}}ImportRequest", nsmap={"a": CONTRACT})
    certificates_element = etree.SubElement(imported, f"{{{CONTRACT}}}Arbetsgivarintyg")
    certificates_element.append(content_to_xml(content, namespace=CONTRACT))
    sender = etree.SubElement(imported, f"{{{CONTRACT}}}Autentisering")
    etree.SubElement(sender, f"{{{CONTRACT}}}ApiNyckel").text = tenant.key
    etree.SubElement(sender, f"{{{CONTRACT}}}ArbetsgivareId").text = tenant.company.employer_id
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def _record() -> Content:
    return f.content("full")


def _corrected() -> Content:
    return _record() | {"other_information": "Rättad i lönesystemet."}


def _naming(company: Company) -> Content:
    content = _record()
    content["employer"] |= {
        "organisation_number": company.organisationsnummer,
        "name": company.name,
    }
    return content


def _broken() -> Content:
    content = copy.deepcopy(_record())
    content["employee"]["personnummer"] = "191212121213"
    return content


def _sign_the_certificate(face: Face) -> None:
    face.session.expire_all()
    (certificate,) = face.session.scalars(
        select(Certificate).where(Certificate.company_id == face.world.company.id)
    )
    certificates.sign(face.session, certificate, signer=face.world.certifier, evidence=f.EVIDENCE)
    face.session.flush()


Story = Callable[[Face, Callable[[Content], Said], Company], Said]


def _new(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    return send(_record())


def _again(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    assert send(_record())[0] == "created"
    return send(_record())


def _corrected_draft(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    assert send(_record())[0] == "created"
    return send(_corrected())


def _corrected_after_signing(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    assert send(_record())[0] == "created"
    _sign_the_certificate(face)
    return send(_corrected())


def _another_employer(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    return send(_naming(other))


def _broken_personnummer(face: Face, send: Callable[[Content], Said], other: Company) -> Said:
    return send(_broken())


STORIES: dict[str, tuple[Story, Said]] = {
    "new record": (_new, ("created", frozenset())),
    "the same again": (_again, ("unchanged", frozenset())),
    "corrected while a draft": (_corrected_draft, ("updated", frozenset())),
    "corrected after signing": (_corrected_after_signing, ("locked", frozenset({"record_locked"}))),
    "naming another employer": (
        _another_employer,
        ("refused", frozenset({"employer_mismatch"})),
    ),
    "broken personnummer": (
        _broken_personnummer,
        ("refused", frozenset({"invalid_personnummer"})),
    ),
}
FACES = ("rest", "soap", "imports", "form")


@pytest.mark.parametrize("face_name", FACES)
@pytest.mark.parametrize("story", STORIES)
def test_every_face_ends_a_story_the_same_way(
    client: FlaskClient,
    session: Session,
    bankid: LiveBankID,
    w: f.World,
    mine: Tenant,
    other_company: Company,
    run_jobs: RunJobs,
    face_name: str,
    story: str,
) -> None:
    face = Face(client, session, w, mine, run_jobs, bankid)
    if face_name == "form":
        web.log_in(client, bankid, f.CERTIFIER_PNR)
    tell, expected = STORIES[story]
    assert tell(face, getattr(face, face_name), other_company) == expected
    stored = session.scalars(
        select(Certificate).where(Certificate.company_id == w.company.id)
    ).all()
    assert len(stored) == (0 if expected[0] == "refused" else 1), "one record, one certificate"


def test_the_words_the_table_listens_for_are_distinct() -> None:
    """So that a face cannot pass a row by saying another outcome."""
    texts = [_words(f"outcome_{o}") for o in OUTCOMES] + [_words(code) for code in CODES]
    assert len(set(texts)) == len(texts)
    assert not any(a in b for a in texts for b in texts if a is not b)
