"""The sealed PDF as an archival file (PDF/A-3a), checked with tools that did not write it:
qpdf, poppler (pdfinfo, pdffonts), pikepdf's PDF/A validator built on veraPDF's rules, and pikepdf
reading the structures PDF/A asks for. veraPDF itself (Java, not in the reachable registries)
is not run here; what it would add, the "a" level's tagging rules, is read from the structure
tree below."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from signing.pdf import ATTACHMENT_NAME
from tests.signing.pdftext import pdf_text

# A file that says it is PDF/A-3a; the validator knows the "b" rules, which "a" includes.
_CLAIMS_LEVEL_A = "ISO_19005_3:6.6.4-3"
# Constructs the allowlist validator does not judge rather than finds wrong: the seal's form
# field and the attached XML, both allowed in PDF/A-3.
_NOT_JUDGED = {"pikepdf:schema-Catalog", "pikepdf:embedded-file"}


def _tool(name: str, *arguments: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    program = shutil.which(name)
    if program is None:
        raise RuntimeError(f"{name} is missing: `make system-packages` installs it")
    return subprocess.run(  # noqa: S603 - a fixed program and arguments
        [program, *arguments], input=data, capture_output=True, timeout=60, check=False
    )


def _structure(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under `node`, depth first."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
            if "/S" in kid:
                yield kid
            yield from _structure(kid)


def test_qpdf_finds_nothing_wrong(sealed_pdf_file: bytes, tmp_path: Path) -> None:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed_pdf_file)
    result = _tool("qpdf", "--check", str(path), data=b"")
    output = result.stdout.decode()
    assert result.returncode == 0, output + result.stderr.decode()
    assert "No syntax or stream encoding errors found" in output


def test_one_pdf_version_in_header_and_catalog(sealed_pdf_file: bytes) -> None:
    assert sealed_pdf_file.startswith(b"%PDF-1.7\n")
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        assert str(pdf.Root.get("/Version", "/1.7")) == "/1.7"
        assert pdf.pdf_version == "1.7"
    info = _tool("pdfinfo", "-", data=sealed_pdf_file).stdout.decode()
    assert re.search(r"^PDF version:\s+1\.7$", info, re.MULTILINE), info
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_the_pdfa_validator_finds_no_violation(sealed_pdf_file: bytes) -> None:
    report = pikepdf.pdfa.validate_written(BytesIO(sealed_pdf_file), "3b")
    problems = [
        finding
        for finding in report.findings
        if not (finding.rule == _CLAIMS_LEVEL_A and "'A'" in finding.message)
        and finding.rule not in _NOT_JUDGED
    ]
    assert problems == []
    assert {finding.rule for finding in report.findings} >= {_CLAIMS_LEVEL_A}


def test_every_font_is_embedded_with_its_unicode_map(sealed_pdf_file: bytes) -> None:
    listing = _tool("pdffonts", "-", data=sealed_pdf_file).stdout.decode().splitlines()[2:]
    assert listing, "expected fonts"
    for line in listing:
        embedded, subset, unicode = line.split()[-5:-2]
        assert (embedded, unicode) == ("yes", "yes"), line
        assert subset == "yes", line


def test_xmp_metadata_declares_pdfa_3a(sealed_pdf_file: bytes) -> None:
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "A"
        assert meta["dc:title"].startswith("Arbetsgivarintyg ")
        assert meta["xmp:CreateDate"] == "2025-07-01T08:30:00+00:00"
        # The document information says the same as the XMP, as PDF/A requires.
        assert str(pdf.docinfo["/Title"]) == meta["dc:title"]
        assert str(pdf.docinfo["/Producer"]) == meta["pdf:Producer"]
        # The seal's time of modification is the XMP's alone: pyHanko reads the clock once for
        # each place, and the two readings can straddle a second.
        assert "/ModDate" not in pdf.docinfo
        sealed = datetime.fromisoformat(meta["xmp:ModifyDate"])
        assert sealed > datetime.fromisoformat(meta["xmp:CreateDate"])


def test_srgb_output_intent(sealed_pdf_file: bytes) -> None:
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
        assert icc[12:20] == b"mntrRGB "  # a display profile in RGB
        assert "sRGB" in str(intent.OutputConditionIdentifier)


def test_the_xml_is_attached_as_the_source(sealed_pdf_file: bytes, sealed_xml: bytes) -> None:
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        (spec,) = pdf.Root.AF
        assert spec.AFRelationship == "/Source"
        assert str(spec.F) == str(spec.UF) == ATTACHMENT_NAME
        stream = spec.EF.F
        assert stream.read_bytes() == sealed_xml
        assert "/ModDate" in stream.Params
        assert pdf.attachments[ATTACHMENT_NAME].get_file().read_bytes() == sealed_xml


def test_tagged_with_language_headings_and_table_headers(sealed_pdf_file: bytes) -> None:
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        assert str(pdf.Root.Lang) == "sv"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        elements = list(_structure(pdf.Root.StructTreeRoot))
        kinds = [str(element.S) for element in elements]
        assert kinds[0] == "/Document"
        assert kinds.count("/H1") == 1
        assert kinds.count("/H2") >= 10  # blocks A–M that are filled in, and the signatures
        assert {"/Table", "/TH", "/TD", "/Caption", "/P"} <= set(kinds)
        cells = [e for e in elements if e.S == "/TD" and "/A" in e]
        assert cells
        assert all(len(cell.A.Headers) >= 1 for cell in cells)


def test_all_content_is_in_the_structure_or_an_artifact(sealed_pdf_file: bytes) -> None:
    """Every marked-content sequence belongs to an element of the tree; the running footers
    are artifacts, which a screen reader skips."""
    with pikepdf.open(BytesIO(sealed_pdf_file)) as pdf:
        reachable = {element.objgen for element in _structure(pdf.Root.StructTreeRoot)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        elements = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            marked, artifacts = 0, 0
            for instruction in pikepdf.parse_content_stream(page):
                if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                    continue
                operands, operator = instruction.operands, instruction.operator
                if str(operator) == "BDC":
                    element = elements[index][int(operands[1].MCID)]
                    assert element.objgen in reachable, (index, int(operands[1].MCID))
                    marked += 1
                elif str(operator) == "BMC" and operands[0] == "/Artifact":
                    artifacts += 1
            assert marked > 10
            assert artifacts >= 2  # at least the footer's two parts
    assert pdf_text(sealed_pdf_file).count("Sida 1 av ") == 1


@pytest.mark.parametrize("page", [1, 2])
def test_pages_render(sealed_pdf_file: bytes, page: int) -> None:
    """Poppler draws the pages (an A4 page at 20 dpi is 165 x 234 pixels)."""
    result = _tool(
        "pdftoppm", "-r", "20", "-f", str(page), "-l", str(page), "-png", data=sealed_pdf_file
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\x89PNG")
