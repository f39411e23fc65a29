"""A sealed document sent as a file download: one file name and media type for every portal, so a
file saved from the employer's, the employee's or the a-kassa's page is recognisably the same."""

from __future__ import annotations

from flask import Response

from app.certificates.models import Certificate, SealedDocument

MEDIA_TYPES = {"xml": "application/xml", "pdf": "application/pdf"}


def sealed_download(certificate: Certificate, document: SealedDocument, kind: str) -> Response:
    """The caller has already checked that the reader may have `document` of `certificate`."""
    name = (
        f"arbetsgivarintyg-{certificate.company.employer_id}-{certificate.id}"
        f"-v{document.version_number}.{kind}"
    )
    return Response(
        document.xml if kind == "xml" else document.pdf,
        mimetype=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
