"""A `next` with control characters is not an error: the visitor lands on the default page, and
a BankID login started with it still logs in (the order is not burnt by a failed redirect)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.web.views import safe_next
from tests import factories as f
from tests import web
from tests.conftest import LiveBankID

BAD = ["/arbetsgivare/\r\nSet-Cookie: a=b", "/arbetsgivare/\x00", "/a\tb", "/a\x7f", "/a\u2028"]


@pytest.mark.parametrize("target", BAD)
def test_control_characters_give_the_default(target: str) -> None:
    assert safe_next(target, "/start") == "/start"


def test_ordinary_paths_are_kept() -> None:
    assert safe_next("/arbetsgivare/intyg?flik=utkast&sok=å ä") == (
        "/arbetsgivare/intyg?flik=utkast&sok=å ä"
    )


@pytest.mark.parametrize("encoded", ["%0D%0ALocation:%20x", "%00", "%09/evil.example"])
def test_the_language_switch_goes_home(client: FlaskClient, encoded: str) -> None:
    response = client.get(f"/sprak/en?next=/arbetstagare{encoded}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/arbetsgivare/\r\nX-Evil: 1", "/arbetsgivare/\x00"])
def test_login_with_a_bad_next_still_logs_in(
    client: FlaskClient, bankid: LiveBankID, target: str
) -> None:
    page, token = web.start_login(client, target)
    assert bankid.approve(token, f.ADMIN_PNR)["status"] == "complete"
    finished = web.post(client, f"{page}/klar", form_page=page)
    assert finished.status_code == 302
    assert finished.headers["Location"] == "/start"
    assert client.get("/start").status_code == 200
