"""The a-kassa officer's pages: the fund's approved certificates, one certificate with its
verified signatures, the preliminary assessment and AGI differences, and the sealed files."""

from __future__ import annotations

import uuid
from typing import Any

from flask import render_template, request
from flask_babel import format_number
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import seal
from app.akassa_portal import service
from app.akassa_portal.blueprint import bp, current_staff
from app.akassa_portal.presentation import VerificationView, verification_view
from app.assessment import RulesNotInForce, default_rules
from app.assessment.views_support import AssessmentView, language
from app.auth import login_required
from app.certificates import presentation
from app.certificates import service as certificates
from app.certificates.models import Certificate, SealedDocument
from app.eid.provider import settings as eid_settings
from app.errors import NotFound
from app.extensions import db
from app.i18n import current_locale
from app.income import service as income
from app.verification import service as verification
from app.web.downloads import sealed_download
from payroll_adapters import IncomeRecord

__all__ = ["bp"]


@bp.get("/")
@login_required
def certificate_list() -> str:
    staff = current_staff()
    query = service.Query.parse(
        request.args.get("sok", ""), request.args.get("aldre", ""), request.args.get("nyare", "")
    )
    return render_template(
        "akassa_portal/list.html",
        staff=staff,
        query=query,
        found=service.find(db.session, staff.akassa_id, query),
        count_cap=format_number(service.COUNT_CAP),
    )


@bp.get("/intyg/<uuid:certificate_id>")
@login_required
def certificate_page(certificate_id: uuid.UUID) -> str:
    staff = current_staff()
    certificate = service.open_certificate(db.session, staff, certificate_id, purpose="read")
    locale = current_locale()
    version = certificates.current_version(db.session, certificate)
    document = service.approved_document(db.session, certificate)
    agi = income.records_for(db.session, certificate.employee.personnummer)
    return render_template(
        "akassa_portal/certificate.html",
        staff=staff,
        certificate=certificate,
        version=version,
        blocks=presentation.blocks(version.content, locale, variant=certificate.variant),
        document=document,
        report=_verified(document, locale) if document is not None else None,
        assessment=_assessment(certificate, version.content, agi, locale),
        unemployed_on=service.unemployed_on(certificate),
        agi_imported=bool(agi),
        differences=service.income_differences(certificate, version.content, agi),
    )


def _verified(document: SealedDocument, locale: str) -> VerificationView:
    """The sealed file checked as anyone would check it: seal, content and every signature."""
    return verification_view(
        verification.verify_stored(
            document.xml,
            seals=seal.trusted(),
            bankid_roots=eid_settings().trusted_roots,
        ),
        locale,
    )


def _assessment(
    certificate: Certificate, content: dict[str, Any], agi: list[IncomeRecord], locale: str
) -> AssessmentView:
    try:
        found = service.assessment_for(db.session, certificate, content, agi)
    except RulesNotInForce as error:
        problem = _(
            "Ingen bedömning: den inkomstbaserade försäkringen gäller den som blir arbetslös "
            "från och med %(start)s, och anställningen slutade före det (arbetslös från %(day)s).",
            day=error.details["day"],
            start=default_rules().rows[0].effective_from.isoformat(),
        )
        return AssessmentView(None, locale, problem=problem)
    return AssessmentView(found.assessment, locale, found.derived.note_texts(language(locale)))


@bp.get("/intyg/<uuid:certificate_id>/intyg.<any(xml, pdf):kind>")
@login_required
def sealed_document(certificate_id: uuid.UUID, kind: str) -> Response:
    """The sealed file of the approved version, with both signatures when they were sealed."""
    staff = current_staff()
    certificate = service.open_certificate(db.session, staff, certificate_id, purpose=kind)
    document = service.approved_document(db.session, certificate)
    if document is None:
        raise NotFound("document_not_signed")
    return sealed_download(certificate, document, kind)
