"""The engine is pure: no Flask, no database session, so pages, the API and jobs share it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "assessment"
FORBIDDEN = {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "sqlalchemy"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_the_engine_imports_neither_flask_nor_the_database(path: Path) -> None:
    assert not FORBIDDEN & imported(path)
