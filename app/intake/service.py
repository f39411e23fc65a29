"""One intake for every way a certificate draft (or AGI income) arrives: the REST API, SOAP,
import jobs and the employer's own form. Each face reads its input and shows the result; what
happens between is here, once: the employer and income checks, who the actor is, create or
upsert by record key, and the outcome (created, updated, unchanged, locked, refused) with what
kept it from being stored as message keys by field (`app.intake.messages` has their texts).

Services only flush; the face's request or job step commits. Each record is stored in a
savepoint of its own, so a refused record leaves no trace beside the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.apikeys.models import ApiKey
from app.audit.service import Actor
from app.certificates import service as certificates
from app.certificates.models import Certificate, State
from app.companies.models import Company
from app.errors import Conflict, InvalidContent
from app.intake import records
from app.intake.records import Outcome
from payroll_adapters import Draft, IncomeRecord, Problem, read_json
from schemas import VARIANTS, ContentInvalid, content_findings, content_warnings, load_content
from schemas.rules import WARNING

Errors = Mapping[str | int, Any]
LOCKED: Errors = {"_schema": ["record_locked"]}
IN_USE: Errors = {"_schema": ["record_in_use"]}
STORED = frozenset({Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED})


@dataclass(frozen=True)
class Result:
    """What became of one record. `errors` says why it was refused or left alone (locked);
    `pointers` where each warning is, as a JSON pointer into the record's content."""

    outcome: Outcome
    certificate: Certificate | None = None
    errors: Errors = field(default_factory=dict)
    complete: bool = False
    warnings: tuple[str, ...] = ()
    pointers: Mapping[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        """Whether the certificate now holds what was sent."""
        return self.outcome in STORED


# --- who acts ----------------------------------------------------------------------------------


def key_actor(api_key: ApiKey) -> Actor:
    """What the audit trail and the versions name for what an API key does (REST and SOAP)."""
    return Actor(label=f"api:{api_key.name}")


def job_actor(job_id: uuid.UUID) -> Actor:
    return Actor(label=f"import:{job_id}")


def person_actor(person_id: uuid.UUID) -> Actor:
    return Actor.person(person_id)


# --- payroll records -----------------------------------------------------------------------------


def take(
    session: Session, *, company: Company, draft: Draft, actor: Actor, now: datetime | None = None
) -> Result:
    """One payroll record: checked, then created or brought up to date by its record key.

    The employer named in it must be `company` (the rule is the certificate service's, which
    every path shares). An income table (PAXml and CSV carry pay) is set aside with a warning:
    income comes from the employer declarations (AGI), never with a certificate.
    """
    warnings = (*draft.warnings, "income_not_accepted") if draft.income else draft.warnings
    try:
        certificate, outcome = _stored(session, company, draft, actor, now)
    except InvalidContent as invalid:
        return Result(Outcome.REFUSED, errors=invalid.errors)
    except (IntegrityError, Conflict):
        # The record is still being stored by another request (or its draft changed under us).
        return Result(Outcome.REFUSED, errors=IN_USE)
    return Result(
        outcome,
        certificate,
        LOCKED if outcome is Outcome.LOCKED else {},
        draft.complete,
        warnings,
        warning_pointers(draft.content, draft.variant, warnings),
    )


def _stored(
    session: Session, company: Company, draft: Draft, actor: Actor, now: datetime | None
) -> tuple[Certificate, Outcome]:
    """The record upserted in a savepoint. When a concurrent request stored the same record
    first, our insert fails once it has committed: the record is read again, as if sent after it
    (unchanged, updated or locked)."""
    try:
        with session.begin_nested():
            return records.upsert(session, company, draft, actor, now)
    except IntegrityError:
        pass
    with session.begin_nested():
        return records.upsert(session, company, draft, actor, now)


def foreign_income(record: IncomeRecord, organisationsnummer: str) -> Problem | None:
    """Why an AGI statement is refused: only an employer's own declarations may say what its
    employees earned (`organisationsnummer` is the importing company's)."""
    if record.employer_orgnr == organisationsnummer:
        return None
    pointer = f"{record.source_pointer}/ArbetsgivareIUGROUP/AgRegistreradId"
    return Problem("income_employer_mismatch", pointer, line=record.line, field="employer")


def take_json(
    session: Session,
    *,
    api_key: ApiKey,
    stream: BinaryIO,
    max_bytes: int,
    now: datetime | None = None,
) -> list[Result]:
    """A REST body in our JSON format (one certificate, a list, or {"certificates": []}).

    All or none: raises InvalidContent, with every problem at its JSON pointer, when any
    record is refused; the request's rollback then undoes the others.
    """
    drafts: list[Draft] = []
    problems: list[Problem] = []
    for item in read_json(stream, max_bytes=max_bytes):
        if isinstance(item, Draft):
            drafts.append(item)
        elif isinstance(item, Problem):
            problems.append(item)
    if not drafts and not problems:
        problems.append(Problem("json_shape", ""))
    if problems:
        raise InvalidContent(errors_at(problems))
    actor = key_actor(api_key)
    results = [
        take(session, company=api_key.company, draft=d, actor=actor, now=now) for d in drafts
    ]
    refused: dict[str | int, Any] = {}
    for draft, result in zip(drafts, results, strict=True):
        if result.outcome is Outcome.REFUSED:
            _merge(refused, nested_at(draft.pointer, result.errors))
    if refused:
        raise InvalidContent(refused)
    return results


# --- the employer's form -----------------------------------------------------------------------


def save(
    session: Session,
    *,
    company: Company,
    variant: str,
    content: Mapping[str, Any],
    actor: Actor,
    certificate: Certificate | None = None,
    expected_lock_version: int | None = None,
    now: datetime | None = None,
) -> Result:
    """The form's content as a new draft, or into the draft being edited.

    The form's record is the certificate it edits: saved again as it is, it is unchanged; once
    signed, it is locked. Raises Conflict when someone else saved it since the form was read.
    """
    if variant not in VARIANTS:
        return Result(Outcome.REFUSED, certificate, errors={"variant": ["invalid_choice"]})
    if certificate is not None and certificate.state != State.DRAFT:
        return Result(Outcome.LOCKED, certificate, LOCKED)
    if certificate is not None and expected_lock_version not in (None, certificate.lock_version):
        raise Conflict("changed_by_someone_else")
    try:
        clean = load_content(content, variant, partial=True)
    except ContentInvalid as invalid:
        return Result(Outcome.REFUSED, certificate, errors=invalid.errors)
    complete, warnings = _readiness(clean, variant)
    try:
        with session.begin_nested():
            if certificate is None:
                certificate = certificates.create_draft(
                    session,
                    company=company,
                    variant=variant,
                    content=clean,
                    actor=actor,
                    now=now,
                    loaded=True,
                )
                outcome = Outcome.CREATED
            elif records.same_content(session, certificate, clean):
                outcome = Outcome.UNCHANGED
            else:
                certificates.edit_draft(
                    session,
                    certificate,
                    content=clean,
                    actor=actor,
                    expected_lock_version=expected_lock_version,
                    now=now,
                )
                outcome = Outcome.UPDATED
    except InvalidContent as invalid:
        return Result(Outcome.REFUSED, certificate, errors=invalid.errors)
    return Result(outcome, certificate, {}, complete, warnings)


def _readiness(clean: Mapping[str, Any], variant: str) -> tuple[bool, tuple[str, ...]]:
    """Whether loaded content may be signed as it is, and what looks wrong but may be true."""
    try:
        load_content(clean, variant)
    except ContentInvalid:
        return False, tuple(content_warnings(clean, variant))
    return True, tuple(content_warnings(clean, variant))


# Warnings that are no rule's finding, and the field each is about.
_WARNING_FIELDS = {"century_assumed": "/employee/personnummer", "income_not_accepted": "/income"}


def warning_pointers(
    content: Mapping[str, Any], variant: str, warnings: Iterable[str]
) -> dict[str, str]:
    """The JSON pointer of each warning key: a rule's at the field its finding names, a rounded
    number at its path, the others at their field; the record itself ("") when it has none.
    The rules run again only when a warning is theirs."""
    pointers: dict[str, str] = {}
    rest = []
    for key in warnings:
        code, *params = key.split(":")
        if code == "rounded" and params:
            pointers[key] = "".join("/" + part for part in params[0].split("."))
        elif code in _WARNING_FIELDS:
            pointers[key] = _WARNING_FIELDS[code]
        else:
            rest.append(key)
    if rest:
        found = content_findings(content, variant)
        at = {item.key: item.pointer for item in found if item.severity == WARNING}
        pointers |= {key: at.get(key, "") for key in rest}
    return pointers


# --- errors at their place -----------------------------------------------------------------------


def errors_at(problems: Iterable[Problem]) -> dict[str | int, Any]:
    """Problems as message keys nested by their JSON pointers, the shape InvalidContent holds."""
    tree: dict[str | int, Any] = {}
    for problem in problems:
        node: dict[str | int, Any] = tree
        for part in _segments(problem.pointer):
            node = node.setdefault(part, {})
        node.setdefault("_schema", []).append(problem.key)
    return tree


def nested_at(pointer: str, errors: Mapping[Any, Any]) -> dict[Any, Any]:
    """`errors` of one record placed at its pointer in the request body."""
    nested: dict[Any, Any] = dict(errors)
    for part in reversed(_segments(pointer)):
        nested = {part: nested}
    return nested


def problems_of(draft: Draft, errors: object, path: tuple[str, ...] = ()) -> list[Problem]:
    """A record's errors (message keys by field) as problems at the record, naming the field."""
    found: list[Problem] = []
    if isinstance(errors, str):
        code, *params = errors.split(":")
        name = ".".join(path) or None
        found.append(
            Problem(code, draft.pointer, line=draft.line, params=tuple(params), field=name)
        )
    elif isinstance(errors, Mapping):
        for key, value in errors.items():
            inner = path if key == "_schema" else (*path, str(key))
            found += problems_of(draft, value, inner)
    elif isinstance(errors, list | tuple):
        for value in errors:
            found += problems_of(draft, value, path)
    return found


def _merge(into: dict[Any, Any], other: Mapping[Any, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        else:
            into[key] = value


def _segments(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
