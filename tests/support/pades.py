"""pyHanko's own validator on a sealed PDF, set up by hand rather than through signing.pades:
the trust anchors given, revocation data required from the file's /DSS alone, nothing fetched."""

from __future__ import annotations

from io import BytesIO

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from signing.pades import asn1


def seal_status_from_dss(pdf: bytes, roots: list[x509.Certificate]) -> PdfSignatureStatus:
    """The first signature's status, its certificates judged at its timestamp's time (the
    /DSS's OCSP responses were gathered just after it)."""
    reader = PdfFileReader(BytesIO(pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    context = ValidationContext(
        trust_roots=asn1(roots),
        other_certs=list(dss.load_certs()),
        ocsps=[o.get_object().data for o in dss.ocsps],
        allow_fetching=False,
        revocation_mode="hard-fail",
        retroactive_revinfo=True,
    )
    return validate_pdf_signature(reader.embedded_signatures[0], signer_validation_context=context)
