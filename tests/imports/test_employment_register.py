"""The employment-number register: learned from files naming both an employment id and its
person, kept by an admin in the portal (Swedish first, English too), read when a later file names
people by id alone; another company's register is neither seen nor changed."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.employments import service as employments
from app.employments.models import EmploymentNumber
from app.privacy import vault
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID
from tests.imports.conftest import RunJobs

PAGE = "/arbetsgivare/foretag/anstallningsnummer"
TOLVAN = {
    "number": "7",
    "personnummer": "19121212-1212",
    "first_name": "Tolvan",
    "last_name": "Tolvansson",
}
IMPORTS = "/arbetsgivare/importer"


def _paxml(person: str, transactions: str) -> bytes:
    return (
        "<paxml><header><version>2.0</version><foretagorgnr>5599999991</foretagorgnr></header>"
        f"<tidtransaktioner>{transactions}</tidtransaktioner>"
        f"<personal>{person}</personal></paxml>"
    ).encode()


TIME_ONLY = _paxml(
    "",
    '<tidtrans anstid="7"><tidkod>ARB</tidkod><datum>2025-03-03</datum>'
    "<timmar>7.333333</timmar></tidtrans>",
)


def _import(client: FlaskClient, run_jobs: RunJobs, data: bytes) -> str:
    uploaded = client.post(
        IMPORTS,
        data={
            "csrf_token": web.csrf(client, IMPORTS),
            "format": "paxml",
            "file": (io.BytesIO(data), "tid.xml"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    run_jobs()
    return client.get(uploaded.headers["Location"]).get_data(as_text=True)


def _drafts_of(session: Session, w: f.World) -> list[dict[str, object]]:
    found = session.scalars(select(Certificate).where(Certificate.company_id == w.company.id))
    return [certificates.current_version(session, c).content for c in found]


def test_a_time_export_by_id_alone_is_matched_once_an_admin_has_said_who_it_is(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, run_jobs: RunJobs
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert PAGE in client.get("/arbetsgivare/foretag/installningar").get_data(as_text=True)

    unknown = _import(client, run_jobs, TIME_ONLY)
    assert "Anställningsnumret 7 finns inte i företagets register" in unknown
    assert "Filen innehöll inget som kunde läsas in" in unknown
    assert _drafts_of(session, w) == []

    assert "Inga anställningsnummer ännu." in client.get(PAGE).get_data(as_text=True)
    refused = web.post(client, PAGE, form_page=PAGE, **(TOLVAN | {"personnummer": "1213"}))
    assert refused.status_code == 422
    assert "Kontrollera personnumret" in refused.get_data(as_text=True)
    added = web.post(client, PAGE, form_page=PAGE, **TOLVAN)
    assert added.status_code == 302
    listing = client.get(PAGE).get_data(as_text=True)
    assert "Tolvan Tolvansson" in listing
    assert "Inlagd i portalen" in listing
    assert "<td>19121212-1212</td>" not in listing  # masked in the list
    assert "191212121212" not in listing

    matched = _import(client, run_jobs, TIME_ONLY)
    assert "<dt>Nya</dt><dd>1</dd>" in matched
    # The rounding is said, as a warning on the stored draft.
    assert "Varning:" in matched
    assert "7.333333 har avrundats till 7.33" in matched
    (content,) = _drafts_of(session, w)
    assert content["employee"] == {
        "personnummer": "191212121212",
        "first_name": "Tolvan",
        "last_name": "Tolvansson",
    }
    months = content["worked_time"]["months"]  # type: ignore[index]
    assert [(m["year"], m["month"], m["hours_worked"]) for m in months] == [(2025, 3, "7.33")]


def test_a_file_naming_both_teaches_the_register_and_later_files_find_the_same_draft(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World, run_jobs: RunJobs
) -> None:
    web.log_in(client, bankid, f.ADMIN_PNR)
    both = _paxml(
        '<person anstid="7" persnr="191212121212"><fornamn>Tolvan</fornamn>'
        "<efternamn>Tolvansson</efternamn></person>",
        '<tidtrans anstid="7"><tidkod>ARB</tidkod><datum>2025-02-03</datum>'
        "<timmar>8</timmar></tidtrans>",
    )
    _import(client, run_jobs, both)
    (entry,) = employments.list_for_company(session, w.company.id)
    assert (entry.number, entry.personnummer, entry.name, entry.source) == (
        "7",
        "191212121212",
        "Tolvan Tolvansson",
        "file",
    )
    assert entry.personnummer_index == vault.current().blind_index("191212121212")
    assert "Importerad fil" in client.get(PAGE).get_data(as_text=True)

    # The time export names only the id: the draft the first file made is brought up to date.
    page = _import(client, run_jobs, TIME_ONLY)
    assert "<dt>Nya</dt><dd>0</dd>" in page
    assert "<dt>Uppdaterade</dt><dd>1</dd>" in page
    (content,) = _drafts_of(session, w)
    assert content["employee"]["personnummer"] == "191212121212"  # type: ignore[index]
    months = content["worked_time"]["months"]  # type: ignore[index]
    assert [(m["month"], m["hours_worked"]) for m in months] == [(3, "7.33")]


def test_an_admin_changes_and_removes_a_number_in_english_too(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    entry = employments.save(
        session,
        company_id=w.company.id,
        number="E1",
        personnummer="199003159820",
        first_name="Eva",
        last_name="Exempelsson",
        actor=SYSTEM,
    )
    session.flush()
    web.log_in(client, bankid, f.ADMIN_PNR)
    client.get("/sprak/en")
    english = client.get(PAGE).get_data(as_text=True)
    assert "Employment numbers" in english
    assert "Entered in the portal" in english
    edit = f"{PAGE}/{entry.id}"
    assert "199003159820" in client.get(edit).get_data(as_text=True)
    changed = web.post(client, edit, form_page=edit, **(TOLVAN | {"number": "E2"}))
    assert changed.status_code == 302
    session.refresh(entry)
    assert (entry.number, entry.personnummer) == ("E2", "191212121212")
    taken = web.post(client, PAGE, form_page=PAGE, **(TOLVAN | {"number": "E2"}))
    assert taken.status_code == 422
    assert "already in the register" in taken.get_data(as_text=True)
    removed = web.post(client, f"{edit}/ta-bort", form_page=PAGE)
    assert removed.status_code == 302
    assert employments.list_for_company(session, w.company.id) == []


def test_a_certifier_may_not_keep_the_register(
    client: FlaskClient, bankid: LiveBankID, w: f.World
) -> None:
    web.log_in(client, bankid, f.CERTIFIER_PNR)
    assert client.get(PAGE).status_code == 403


def test_another_companys_register_is_neither_seen_nor_changed(
    client: FlaskClient, bankid: LiveBankID, session: Session, w: f.World
) -> None:
    other_admin = f.person(session, f.OUTSIDER_PNR, "Olle", "Annan")
    other = f.company(session, other_admin, orgnr="5569999997", name="Annat AB")
    theirs = employments.save(
        session,
        company_id=other.id,
        number="B-55",
        personnummer="199003159820",
        first_name="Deras",
        last_name="Anställda",
        actor=SYSTEM,
    )
    session.flush()
    web.log_in(client, bankid, f.ADMIN_PNR)
    assert "B-55" not in client.get(PAGE).get_data(as_text=True)
    edit = f"{PAGE}/{theirs.id}"
    assert client.get(edit).status_code == 404
    token = web.csrf(client, PAGE)
    changed = client.post(edit, data={"csrf_token": token, **TOLVAN})
    assert changed.status_code == 404
    assert client.post(f"{edit}/ta-bort", data={"csrf_token": token}).status_code == 404
    session.refresh(theirs)
    assert (theirs.number, theirs.personnummer) == ("B-55", "199003159820")
    # The same number in our own register is ours alone.
    added = web.post(client, PAGE, form_page=PAGE, **(TOLVAN | {"number": "B-55"}))
    assert added.status_code == 302
    owners = session.scalars(select(EmploymentNumber.company_id)).all()
    assert sorted(map(str, owners)) == sorted([str(other.id), str(w.company.id)])
