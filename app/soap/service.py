"""One `SaveArbetsgivarintygService` request, without Flask: authenticate the sender from the
body, then create each certificate as a draft or say why not.

Certificates stand alone: one that cannot be used is reported in its own result and the others
are created (each in a savepoint). A certificate sent again (the same `record_key`: the same
employment, or the same content) is answered with the draft it made the first time, brought up
to date while it is still a draft (`app.intake.records`). Anything wrong with the request as
a whole (not XML, a DTD, too large, no `Autentisering`) stores nothing and is a SOAP fault.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from app.api.service import actor_of, draft_problems
from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.companies import service as companies
from app.errors import InvalidContent, Unauthenticated
from app.intake import records
from payroll_adapters import Draft, Problem, SoapHeader, read_soap

_CERTIFICATE = re.compile(r"^(.*?/(?:ApiCertifikat|ApiCertificate)\[\d+\])")


class ResultCode(IntEnum):
    """`ImportResponse/ResultCode`, as the WSDL documents it."""

    ALL_CREATED = 0
    SOME_REFUSED = 1
    NOT_AUTHENTICATED = 2


class CertificateCode(IntEnum):
    """`ApiImportCertificateResult/Code`."""

    CREATED = 0
    REFUSED = 1


class SoapFault(Exception):  # noqa: N818 - SOAP's own word
    """The request as a whole cannot be used; nothing was stored."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class CertificateResult:
    """One `ApiCertifikat`: its draft's id, or the problems that kept it from being created.

    `problems` are adapter problems; `errors` field errors (message keys) that the certificate
    service found in otherwise readable content."""

    pointer: str
    certificate_id: uuid.UUID | None = None
    problems: list[Problem] = field(default_factory=list)
    errors: Mapping[Any, Any] | None = None

    @property
    def code(self) -> CertificateCode:
        return CertificateCode.CREATED if self.certificate_id else CertificateCode.REFUSED


@dataclass(frozen=True)
class ImportResult:
    code: ResultCode
    certificates: list[CertificateResult]

    @property
    def created(self) -> int:
        return sum(1 for result in self.certificates if result.certificate_id)


def import_request(
    session: Session, stream: BinaryIO, *, max_bytes: int, now: datetime | None = None
) -> ImportResult:
    """Read, authenticate and import one request. Raises SoapFault for an unusable request."""
    header: SoapHeader | None = None
    by_certificate: dict[str, CertificateResult] = {}
    drafts: list[Draft] = []
    for item in read_soap(stream, max_bytes=max_bytes):
        if isinstance(item, Problem):
            if item.fatal:
                raise SoapFault(item)
            place = _CERTIFICATE.match(item.pointer)
            if place is not None:
                _result(by_certificate, place.group(1)).problems.append(item)
        elif isinstance(item, SoapHeader):
            header = item
        elif isinstance(item, Draft):
            _result(by_certificate, item.pointer)
            drafts.append(item)
    if header is None:  # read_soap reports this as fatal; kept as a guard for the types
        raise SoapFault(Problem("soap_missing", "", params=("Autentisering",), fatal=True))
    key = sender(session, header)
    if key is None:
        return ImportResult(ResultCode.NOT_AUTHENTICATED, [])
    for draft in drafts:
        _create(session, key, draft, by_certificate[draft.pointer], now)
    results = list(by_certificate.values())
    code = (
        ResultCode.ALL_CREATED
        if all(result.certificate_id for result in results)
        else ResultCode.SOME_REFUSED
    )
    return ImportResult(code, results)


def sender(session: Session, header: SoapHeader) -> ApiKey | None:
    """The API key of the employer the header names; None unless both match a live key."""
    company = companies.find_by_employer_id(session, header.employer_id)
    try:
        key = apikeys.authenticate(session, header.api_key)
    except Unauthenticated:
        return None
    if company is None or key.company_id != company.id:
        return None
    return key


def _result(results: dict[str, CertificateResult], pointer: str) -> CertificateResult:
    return results.setdefault(pointer, CertificateResult(pointer))


def _create(
    session: Session,
    key: ApiKey,
    draft: Draft,
    result: CertificateResult,
    now: datetime | None,
) -> None:
    result.problems += draft_problems(draft, key.company)
    if result.problems:
        return
    try:
        done = records.upsert_draft(
            session, company=key.company, draft=draft, actor=actor_of(key), now=now
        )
    except InvalidContent as invalid:
        result.errors = invalid.errors
        return
    result.certificate_id = done.certificate_id
