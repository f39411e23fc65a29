"""The layering of the design card, checked on the source: the domain knows no HTTP, imports no
face (web pages, the API, SOAP, the portals), and no module imports itself round a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTTP_MODULES = {"views.py", "api.py", "forms.py"}
FLASK = {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug"}
FLASK_FREE = [
    *ROOT.glob("app/*/models.py"),
    *ROOT.glob("app/*/service.py"),
    ROOT / "app/database.py",
    ROOT / "app/errors.py",
    *ROOT.glob("app/privacy/*.py"),
    *(p for p in ROOT.glob("app/certificates/*.py") if p.name not in HTTP_MODULES),
    *ROOT.glob("app/intake/*.py"),
    *(p for p in ROOT.glob("app/outbox/*.py") if p.name != "cli.py"),
    *(p for p in ROOT.glob("app/notifications/*.py") if p.name != "cli.py"),
    *(p for p in ROOT.glob("app/worker/*.py") if p.name != "cli.py"),
]
APP_FREE = [
    *ROOT.glob("schemas/**/*.py"),
    *ROOT.glob("signing/**/*.py"),
    *ROOT.glob("payroll_adapters/**/*.py"),
]
# The faces: what turns HTTP, a terminal or the worker's clock into calls of the domain.
FACES = {
    "web",
    "api",
    "soap",
    "auth",
    "employer",
    "employee",
    "akassa_portal",
    "verification",
    "worker",
    "demo",
}
FACE_FILES = {"views.py", "blueprint.py", "forms.py", "cli.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _module(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


MODULES = {_module(path): path for path in ROOT.glob("app/**/*.py")}


def _app_imports(path: Path) -> Iterator[str]:
    """Every app module `path` imports, at any depth of the file (a deferred import inside a
    function or under TYPE_CHECKING is still an edge): `from app.x import y` names module
    `app.x.y` when y is one, else `app.x`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                inner = f"{node.module}.{alias.name}"
                if inner in MODULES:
                    yield inner
                elif node.module in MODULES:
                    yield node.module


def _is_domain(path: Path) -> bool:
    parts = path.relative_to(ROOT / "app").parts
    return not (
        len(parts) == 1
        or parts[0] in FACES
        or path.name in FACE_FILES
        or path.name.endswith("_views.py")
    )


DOMAIN = [path for path in MODULES.values() if _is_domain(path)]


@pytest.mark.parametrize("path", FLASK_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_modules_do_not_import_flask(path: Path) -> None:
    assert not FLASK & _imports(path)


@pytest.mark.parametrize("path", APP_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_shared_packages_do_not_import_the_app_or_flask(path: Path) -> None:
    assert not {"app", "flask"} & _imports(path)


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_no_face(path: Path) -> None:
    """Services, models, intake, outbox, worker: none reaches into web pages, the API or SOAP
    (their messages live in `app.intake.messages`, not in `app.web.errors`)."""
    faces = {
        name
        for name in _app_imports(path)
        if name.split(".")[1] in FACES and not name.endswith(".models")  # tables are shared
    }
    assert not faces, f"{path.relative_to(ROOT)} imports {sorted(faces)}"


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = {name: set(_app_imports(path)) - {name} for name, path in MODULES.items()}
    assert _circles(graph) == []


def test_the_circle_finder_finds_circles() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_notifications_and_webhooks_meet_only_in_the_outbox_and_the_worker() -> None:
    """The outbox owns the sender interface; the worker composes and sends by channel."""
    for ours, theirs in (("notifications", "webhooks"), ("webhooks", "notifications")):
        for path in (ROOT / "app" / ours).glob("*.py"):
            reached = {name for name in _app_imports(path) if name.startswith(f"app.{theirs}")}
            assert not reached, f"{path.relative_to(ROOT)} imports {sorted(reached)}"
    for path in (ROOT / "app/outbox").glob("*.py"):
        assert not {
            name
            for name in _app_imports(path)
            if name.split(".")[1] in {"notifications", "webhooks", "worker"}
        }
