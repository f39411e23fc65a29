"""The company's import jobs in the portal: upload a payroll file, watch the worker's progress
(the page reloads itself while a job runs; no script needed), read the problems per record, and
download the CSV template. Any member may import: what comes in are drafts, signed separately."""

from __future__ import annotations

import uuid

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.api.import_views import csv_response
from app.auth import login_required
from app.employer import context
from app.employer.blueprint import bp
from app.extensions import db
from app.i18n import current_locale
from app.imports import service as imports
from app.imports import spool
from app.intake.messages import job_message, problem_text

REFRESH_SECONDS = 3


class ImportForm(FlaskForm):  # type: ignore[misc]
    format = SelectField(
        _l("Filformat"),
        choices=[
            SelectChoice("agi", _l("Arbetsgivardeklaration (AGI, XML från Skatteverket)")),
            SelectChoice("paxml", _l("PAXml 2.x från lönesystemet")),
            SelectChoice("csv", _l("CSV enligt Intygas mall")),
            SelectChoice("json", _l("JSON enligt Intygas API")),
        ],
    )
    file = FileField(
        _l("Fil"),
        [FileRequired(message=_l("Välj en fil."))],
        description=_l("Samma fil två gånger skapar inget nytt: det som redan finns hoppas över."),
    )


@bp.get("/importer")
@login_required
def imports_page() -> str:
    return _list_page(ImportForm(formdata=None))


def _list_page(form: ImportForm) -> str:
    membership = context.current_membership()
    jobs = imports.list_jobs(db.session, membership.company_id)
    return render_template(
        "employer/imports.html",
        membership=membership,
        jobs=jobs,
        form=form,
        refresh=REFRESH_SECONDS if any(job.running for job in jobs) else None,
    )


@bp.post("/importer")
@login_required
def upload_import() -> Response | tuple[str, int]:
    membership = context.current_membership()
    form = ImportForm()
    if not form.validate_on_submit():
        return _list_page(form), 422
    upload = form.file.data
    try:
        job = imports.create_job(
            db.session,
            company_id=membership.company_id,
            format=form.format.data,
            stream=upload.stream,
            max_bytes=int(current_app.config["IMPORT_MAX_BYTES"]),
            filename=upload.filename,
            person_id=current_user.person.id,
        )
    except spool.TooLarge as too_large:
        db.session.rollback()
        form.file.errors = [_("Filen är för stor. Högst %(max)d byte.", max=too_large.max_bytes)]
        return _list_page(form), 413
    flash(_("Filen är uppladdad och läses in. Sidan visar hur det går."))
    return redirect(url_for("employer.import_page", job_id=job.id))


@bp.get("/importer/<uuid:job_id>")
@login_required
def import_page(job_id: uuid.UUID) -> str:
    membership = context.current_membership()
    job = imports.get_job(db.session, membership.company_id, job_id)
    locale = current_locale()
    problems = [
        (
            problem,
            problem_text(
                problem.code, problem.params, locale, field=problem.field, pointer=problem.pointer
            ),
        )
        for problem in imports.problems(db.session, job)
    ]
    return render_template(
        "employer/import.html",
        membership=membership,
        job=job,
        problems=problems,
        message=job_message(job.error, locale) if job.error else None,
        refresh=REFRESH_SECONDS if job.running else None,
    )


@bp.get("/importer/mall.csv")
@login_required
def import_template() -> Response:
    context.current_membership()
    return csv_response()
