"""One `SaveArbetsgivarintygService` request, without Flask: authenticate the sender from the
body, then create each certificate as a draft or say why not.

Certificates stand alone: each goes through `app.intake` (its own savepoint) and its result
says what became of it (created, updated, unchanged, locked, refused); the others go on.
Anything wrong with the request as a whole (not XML, a DTD, too large, no `Autentisering`)
stores nothing and is a SOAP fault.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.apikeys import service as apikeys
from app.apikeys.models import ApiKey
from app.companies import service as companies
from app.errors import Unauthenticated
from app.intake import service as intake
from app.intake.records import Outcome
from payroll_adapters import Draft, Problem, SoapHeader, read_soap

_CERTIFICATE = re.compile(r"^(.*?/(?:ApiCertifikat|ApiCertificate)\[\d+\])")


class ResultCode(IntEnum):
    """`ImportResponse/ResultCode`, as the WSDL documents it."""

    ALL_STORED = 0
    SOME_REFUSED = 1
    NOT_AUTHENTICATED = 2


class CertificateCode(IntEnum):
    """`ApiImportCertificateResult/Code`: whether the draft now holds what was sent."""

    STORED = 0
    REFUSED = 1


class SoapFault(Exception):  # noqa: N818 - SOAP's own word
    """The request as a whole cannot be used; nothing was stored."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class CertificateResult:
    """One `ApiCertifikat`: what intake made of it, or the adapter's problems that kept it from
    being read at all."""

    pointer: str
    problems: list[Problem] = field(default_factory=list)
    result: intake.Result | None = None

    @property
    def outcome(self) -> Outcome:
        return self.result.outcome if self.result is not None else Outcome.REFUSED

    @property
    def certificate_id(self) -> uuid.UUID | None:
        certificate = self.result.certificate if self.result is not None else None
        return certificate.id if certificate is not None else None

    @property
    def code(self) -> CertificateCode:
        stored = self.result is not None and self.result.stored
        return CertificateCode.STORED if stored else CertificateCode.REFUSED


@dataclass(frozen=True)
class ImportResult:
    code: ResultCode
    certificates: list[CertificateResult]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.certificates if result.outcome is outcome)


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
    actor = intake.key_actor(key)
    for draft in drafts:
        result = by_certificate[draft.pointer]
        if not result.problems:
            result.result = intake.take(
                session, company=key.company, draft=draft, actor=actor, now=now
            )
    results = list(by_certificate.values())
    code = (
        ResultCode.ALL_STORED
        if all(result.code is CertificateCode.STORED for result in results)
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
