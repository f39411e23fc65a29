"""The layering of the design card, checked on the source: the domain knows no HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTTP_MODULES = {"views.py", "api.py", "forms.py"}
FLASK_FREE = [
    *ROOT.glob("app/*/models.py"),
    *ROOT.glob("app/*/service.py"),
    ROOT / "app/database.py",
    ROOT / "app/errors.py",
    *ROOT.glob("app/privacy/*.py"),
    *(p for p in ROOT.glob("app/certificates/*.py") if p.name not in HTTP_MODULES),
]
APP_FREE = [
    *ROOT.glob("schemas/**/*.py"),
    *ROOT.glob("signing/**/*.py"),
    *ROOT.glob("payroll_adapters/**/*.py"),
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", FLASK_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_modules_do_not_import_flask(path: Path) -> None:
    assert not {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug"} & _imports(path)


@pytest.mark.parametrize("path", APP_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_shared_packages_do_not_import_the_app_or_flask(path: Path) -> None:
    assert not {"app", "flask"} & _imports(path)
