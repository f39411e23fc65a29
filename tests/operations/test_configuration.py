"""Every setting can come from the environment, read by its default's type, and every setting
is documented for operators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import SECRET_NAMES, ConfigurationError, defaults, resolve

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_settings_are_read_by_their_defaults_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PORT", "2525")
    monkeypatch.setenv("WORKER_INTERVAL", "0.5")
    monkeypatch.setenv("BANKID_COLLECT_INTERVAL", "3")
    monkeypatch.setenv("RATELIMIT_HEADERS_ENABLED", "no")
    monkeypatch.setenv("WEBHOOK_ALLOW_INTERNAL", "false")
    monkeypatch.setenv("LANGUAGES", "sv, en")
    monkeypatch.setenv("AUDIT_ANCHOR_DIR", str(tmp_path / "anchors"))
    config = resolve(tmp_path, {})
    assert config["SMTP_PORT"] == 2525
    assert config["WORKER_INTERVAL"] == 0.5
    assert config["BANKID_COLLECT_INTERVAL"] == 3.0
    assert config["RATELIMIT_HEADERS_ENABLED"] is False
    assert config["WEBHOOK_ALLOW_INTERNAL"] is False
    assert config["LANGUAGES"] == ("sv", "en")
    assert config["AUDIT_ANCHOR_DIR"] == str(tmp_path / "anchors")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SMTP_PORT", "five", "SMTP_PORT must be a number, not 'five'"),
        ("BANKID_TEST_SERVER", "maybe", "BANKID_TEST_SERVER must be yes or no, not 'maybe'"),
    ],
)
def test_a_setting_that_cannot_be_read_says_which_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=re.escape(expected)):
        resolve(tmp_path, {})


def test_every_setting_is_in_the_operations_guide(tmp_path: Path) -> None:
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", OPERATIONS.read_text(), re.MULTILINE))
    settings = {*defaults(tmp_path), *SECRET_NAMES}
    assert settings - documented == set(), "settings missing from docs/operations.md"
    assert documented - settings == set(), "docs/operations.md documents settings that are gone"
