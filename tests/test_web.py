"""The web shell through HTTP: start page, language switch, health check, error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.exc import OperationalError

from app.config import resolve
from app.extensions import Database
from app.web import overview
from tests.conftest import AppFactory


def test_start_page_is_swedish_first(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Arbetsgivarintyg – från arbetsgivare till a-kassa" in html
    assert 'hreflang="en"' in html


def test_language_switch_to_english_and_back(client: FlaskClient) -> None:
    switched = client.get("/sprak/en?next=/")
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Employer certificates – from employer to unemployment fund" in html
    client.get("/sprak/sv")
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.get("/sprak/xx")
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "evil", "/\\evil"])
def test_language_switch_is_no_open_redirect(client: FlaskClient, target: str) -> None:
    response = client.get("/sprak/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_a_demo_start_page_shows_the_demo_data(
    make_app: AppFactory, runner: FlaskCliRunner
) -> None:
    client = make_app(DEMO_OVERVIEW=True).test_client()
    assert "flask --app wsgi demo" in client.get("/").get_data(as_text=True)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    html = client.get("/").get_data(as_text=True)
    assert "Byggbolaget Demo AB" in html
    assert "800101-****" in html
    assert "198001019804" not in html, "personnummer are masked in lists"


def test_elsewhere_the_start_page_names_nobody(client: FlaskClient, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    html = client.get("/").get_data(as_text=True)
    assert "Byggbolaget Demo AB" not in html
    assert "800101-****" not in html
    assert "Anna Admin" not in html


def test_only_development_shows_the_overview(tmp_path: Path) -> None:
    assert resolve(tmp_path, {})["DEMO_OVERVIEW"] is True
    assert resolve(tmp_path, {"INTYGA_ENV": "testing"})["DEMO_OVERVIEW"] is False


def test_health_check_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_check_fails_when_the_database_does(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def execute(self, *_args: object) -> None:
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Database, "session", property(lambda _self: Broken()))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_not_found_is_a_page_for_people_and_a_problem_for_the_api(client: FlaskClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Sidan eller uppgiften finns inte." in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"
    assert api.json is not None
    assert api.json["status"] == 404


def test_unexpected_errors_never_show_their_text(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_app(DEMO_OVERVIEW=True).test_client()

    def boom(_session: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(overview, "build", boom)
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internals" not in html
    assert "Ett oväntat fel inträffade" in html
