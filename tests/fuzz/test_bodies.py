"""Hypothesis over the bodies payroll systems send: mutated SOAP requests and import files.

Whatever arrives, the answer is defined (a SOAP answer or a client fault naming the problem;
an import job that ends done or failed with its problems), never an internal error, and the
audit trail still proves. Mutations are both blind (bytes cut, doubled or replaced) and aware
of the structure (values of the real samples replaced with odd text and numbers).
"""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy.orm import Session

from app.audit.service import verify_chain
from tests.api.conftest import Tenant
from tests.api.test_soap import SOAP, URL, request_for
from tests.fuzz.conftest import BODIES
from tests.imports.conftest import FIXTURES, RunJobs
from tests.imports.test_api_imports import job, upload

# Text as payroll systems get it wrong: control characters (XML refuses most), NUL, huge
# numbers, right-to-left marks, lone surrogates' replacement, whitespace only.
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "0", "-1", str(2**63), "1e309", "NaN", "\u202e", "\ufffd"]),
    st.integers().map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few spans cut, doubled or overwritten with random bytes."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = min(len(data), start + draw(st.integers(0, 64)))
        action = draw(st.sampled_from(["cut", "double", "replace"]))
        if action == "cut":
            data = data[:start] + data[end:]
        elif action == "double":
            data = data[:end] + data[start:end] + data[end:]
        else:
            data = data[:start] + draw(st.binary(max_size=16)) + data[end:]
    return data


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))


@st.composite
def soap_value_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """The request with some element values replaced (XML itself stays well formed)."""
    root = etree.fromstring(data)
    leaves = [element for element in root.iter() if len(element) == 0]
    for element in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=6)):
        element.text = _xml_safe(draw(ODD_TEXT))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _assert_defined_soap_answer(status: int, body: bytes) -> None:
    root = etree.fromstring(body)  # always an envelope, whatever came in
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    if fault is None:
        assert status == 200
        return
    assert status == 500  # SOAP 1.1 sends faults with 500
    code = fault.findtext("detail/{urn:intyga:soap:arbetsgivarintyg:1}Problem")
    assert code not in {"internal_error", "http_500"}, body.decode()
    assert fault.findtext("faultcode") == "s:Client", body.decode()


def test_mutated_soap_requests_get_a_defined_answer(
    client: FlaskClient, mine: Tenant, session: Session
) -> None:
    original = request_for(mine)

    @BODIES
    @given(st.one_of(byte_mutations(original), soap_value_mutations(original)))
    def send(data: bytes) -> None:
        response = client.post(
            URL,
            data=data,
            content_type="text/xml; charset=utf-8",
            headers={
                "SOAPAction": '"urn:intyga:soap:arbetsgivarintyg:1/SaveArbetsgivarintygService"'
            },
        )
        _assert_defined_soap_answer(response.status_code, response.data)

    send()
    assert verify_chain(session).ok


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ODD_TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def json_value_mutations(draw: st.DrawFn, document: Any) -> bytes:
    """The JSON sample with some values (at any depth) and keys replaced."""

    def mutate(node: Any) -> Any:
        if draw(st.integers(0, 9)) == 0:
            return draw(JSON_VALUES)
        if isinstance(node, dict):
            mutated = {key: mutate(value) for key, value in node.items()}
            if draw(st.integers(0, 19)) == 0:
                mutated[draw(ODD_TEXT)] = draw(JSON_VALUES)
            return mutated
        if isinstance(node, list):
            return [mutate(item) for item in node]
        return node

    return json.dumps(mutate(document)).encode()


IMPORTS = {
    "json": (FIXTURES / "certificates.json").read_bytes(),
    "csv": (FIXTURES / "certificates_cp1252.csv").read_bytes(),
    "paxml": (FIXTURES / "paxml_lonut_latin1.pax").read_bytes(),
    "agi": (FIXTURES / "agi_2025.xml").read_bytes(),
}


@st.composite
def import_files(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(IMPORTS)))
    data = IMPORTS[fmt]
    if fmt == "json" and draw(st.booleans()):
        return fmt, draw(json_value_mutations(json.loads(data)))
    return fmt, draw(byte_mutations(data))


def test_mutated_import_files_end_in_a_defined_state(
    client: FlaskClient, mine: Tenant, run_jobs: RunJobs, session: Session
) -> None:
    @BODIES
    @given(import_files())
    def importing(file: tuple[str, bytes]) -> None:
        fmt, data = file
        queued = upload(client, mine, fmt, data)
        assert queued.status_code == 202, queued.get_data(as_text=True)
        run_jobs()
        done = job(client, mine, queued.headers["Location"])
        assert done["state"] in {"done", "failed"}, done
        codes = {problem["code"] for problem in done["problems"]} | {done.get("error")}
        assert "import_internal_error" not in codes, done
        assert all(problem["detail"] for problem in done["problems"]), done

    importing()
    assert verify_chain(session).ok
