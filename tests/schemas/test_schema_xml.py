"""The mapping to the SOAP service's element names, and the package's independence from the app."""

import ast
import sys
from pathlib import Path

import pytest

import schemas
from schemas import IncomeMonthSchema, XmlName, schema_for, xml_names

PACKAGE = Path(schemas.__file__).parent


def _walk(names: dict[str, XmlName], prefix: str = "") -> list[tuple[str, XmlName]]:
    found = []
    for name, xml in names.items():
        found.append((prefix + name, xml))
        found.extend(_walk(dict(xml.children), f"{prefix}{name}."))
    return found


@pytest.mark.parametrize(
    "schema", [schema_for("full"), schema_for("income_2025"), IncomeMonthSchema()], ids=type
)
def test_every_field_has_an_xml_name(schema: object) -> None:
    assert isinstance(schema, schemas.CertificateSchema | IncomeMonthSchema)
    for path, xml in _walk(xml_names(schema)):
        assert xml.element, path
        assert all(part.isidentifier() and part[0].isupper() for part in xml.element.split("/"))


def test_blocks_and_fields_map_to_the_service_names() -> None:
    names = xml_names(schema_for("full"))
    assert names["employee"].element == "Arbetstagare"
    assert names["employee"].children["first_name"].element == "Fornamn"
    assert names["employer"].children["address"].children["care_of"].element == "CareOf"
    assert names["employment"].children["period"].element == "AnstallningstidPeriod"
    assert names["employment"].children["period"].children["end"].element == "Slut"
    assert names["termination"].children["other_reason"].element == "AnnanOrsak"
    assert names["other_information"].element == "OvrigUpplysning/OvrigUpplysning"


def test_rows_name_their_row_element() -> None:
    names = xml_names(schema_for("full"))
    months = names["worked_time"].children["months"]
    assert (months.element, months.item) == ("ArbetadTidManader", "ArbetadTidManad")
    assert months.children["hours_worked"].element == "ArbetadeTimmar"
    leaves = names["employment"].children["leaves"]
    assert (leaves.element, leaves.item) == ("Tjanstledigheter", "Tjanstledighet")
    supplements = names["salary"].children["supplements"]
    assert (supplements.element, supplements.item) == (
        "AndraLonetillaggLista",
        "AndraLonetillaggRad",
    )


def test_intyga_additions_are_marked() -> None:
    extensions = {
        path for path, xml in _walk(xml_names(schema_for("income_2025"))) if xml.extension
    }
    assert extensions == {"employer.related_employer", "employment.last_full_time_day"}
    assert all(xml.extension for xml in xml_names(IncomeMonthSchema).values())


def test_income_2025_names_the_blocks_it_refuses() -> None:
    names = xml_names(schema_for("income_2025"))
    assert {names[block].element for block in ("worked_time", "salary", "teacher_salary")} == {
        "ArbetadTid",
        "Lon",
        "Lararlon",
    }


def test_json_names_are_english_snake_case() -> None:
    for path, _ in _walk(xml_names(schema_for("full"))):
        assert all(part.islower() and part.isidentifier() for part in path.split(".")), path


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_the_package_knows_nothing_of_the_web_app(path: Path) -> None:
    assert not _imported_modules(path) & {"flask", "app", "werkzeug", "flask_babel"}


def test_importing_the_package_loads_no_flask() -> None:
    import subprocess

    probe = (
        "import schemas, sys; print(any(m.split('.')[0] in ('flask', 'app') for m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert result.stdout.strip() == "False"
