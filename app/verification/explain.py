"""Why a file failed verification, in words a person understands.

`signing.sealed` reports every check with a technical detail ("seal – InvalidDigest: Digest
mismatch for reference 0"). Someone who uploads a certificate needs to know what that means for
them: the file was changed, it is not a certificate from Intyga, a signature belongs to someone
else. The first failed check decides the explanation; the technical detail stays available
beside it. Knows nothing of Flask: the page and `flask verify` both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

from schemas import formats
from schemas.formats import language
from signing.bankid.verify import Outcome
from signing.sealed import SealedReport


class Words(NamedTuple):
    """What a person reads: the headline and what they can do, in Swedish and English."""

    sv: str
    sv_advice: str
    en: str
    en_advice: str


REASONS: Final[dict[str, Words]] = {
    "changed": Words(
        sv="Filen har ändrats efter att den förseglades.",
        sv_advice=(
            "Innehållet stämmer inte med det som skrevs under. Be om en ny kopia från den "
            "som skickade intyget, eller ladda ner det på nytt från Intyga."
        ),
        en="The file was changed after it was sealed.",
        en_advice=(
            "Its content is not what was signed. Ask the sender for a new copy, or download "
            "it again from Intyga."
        ),
    ),
    "not_intyga": Words(
        sv="Filen är inte ett intyg från Intyga.",
        sv_advice=(
            "Här kan du kontrollera intyg som Intyga har förseglat: XML- eller PDF-filen "
            "som laddas ner från intyget."
        ),
        en="The file is not a certificate from Intyga.",
        en_advice=(
            "This page checks certificates sealed by Intyga: the XML or PDF file downloaded "
            "from the certificate."
        ),
    ),
    "other_seal": Words(
        sv="Filen är förseglad, men inte av den här Intyga-tjänsten.",
        sv_advice="Kontrollera filen hos tjänsten som utfärdade den.",
        en="The file is sealed, but not by this Intyga service.",
        en_advice="Check the file with the service that issued it.",
    ),
    "seal_expired": Words(
        sv="Stämpelns certifikat gällde inte när filen kontrollerades.",
        sv_advice="Kontakta Intyga om du behöver få intyget bekräftat.",
        en="The seal's certificate was not valid when the file was checked.",
        en_advice="Contact Intyga if you need the certificate confirmed.",
    ),
    "unreadable": Words(
        sv="Intyget i filen går inte att läsa.",
        sv_advice="Filen kan vara skadad. Ladda ner den på nytt.",
        en="The certificate in the file cannot be read.",
        en_advice="The file may be damaged. Download it again.",
    ),
    "signers": Words(
        sv="Intyget har inte de underskrifter ett intyg ska ha.",
        sv_advice=(
            "Ett intyg skrivs först under av arbetsgivaren och godkänns sedan av arbetstagaren."
        ),
        en="The certificate does not carry the signatures a certificate must have.",
        en_advice="A certificate is first signed by the employer, then approved by the employee.",
    ),
    "signed_other": Words(
        sv="En underskrift gäller ett annat innehåll än det som förseglades.",
        sv_advice="Lita inte på innehållet. Be om en ny kopia från den som skickade intyget.",
        en="A signature was made on other content than what was sealed.",
        en_advice="Do not rely on the content. Ask the sender for a new copy.",
    ),
    "bankid": Words(
        sv="En BankID-underskrift i intyget håller inte vid kontrollen.",
        sv_advice="Lita inte på underskriften. Be om en ny kopia från den som skickade intyget.",
        en="A BankID signature in the certificate does not hold up.",
        en_advice="Do not rely on the signature. Ask the sender for a new copy.",
    ),
    "unchecked": Words(
        sv="En BankID-underskrift kunde inte kontrolleras fullt ut här.",
        sv_advice="Försök igen senare, eller kontakta Intyga.",
        en="A BankID signature could not be fully checked here.",
        en_advice="Try again later, or contact Intyga.",
    ),
    "wrong_person": Words(
        sv="En BankID-underskrift tillhör någon annan än den som anges i intyget.",
        sv_advice="Lita inte på underskriften. Kontakta den som skickade intyget.",
        en=("A BankID signature belongs to someone other than the person the certificate names."),
        en_advice="Do not rely on the signature. Contact the sender.",
    ),
    "not_employee": Words(
        sv="Intyget godkändes av någon annan än arbetstagaren det gäller.",
        sv_advice="Lita inte på godkännandet. Kontakta den som skickade intyget.",
        en="The certificate was approved by someone other than the employee it is about.",
        en_advice="Do not rely on the approval. Contact the sender.",
    ),
    "too_large": Words(
        sv="Filen är för stor för att vara ett intyg.",
        sv_advice="Välj XML- eller PDF-filen med intyget.",
        en="The file is too large to be a certificate.",
        en_advice="Choose the certificate's XML or PDF file.",
    ),
    "not_configured": Words(
        sv="Tjänsten kan inte kontrollera intyg just nu.",
        sv_advice="Försök igen senare.",
        en="The service cannot check certificates at the moment.",
        en_advice="Please try again later.",
    ),
    "unexpected": Words(
        sv="Filen gick inte att kontrollera.",
        sv_advice="Den är troligen inte ett intyg från Intyga, eller så är den skadad.",
        en="The file could not be checked.",
        en_advice="It is probably not a certificate from Intyga, or it is damaged.",
    ),
}

# Words in a failed check's detail that tell what happened, checked in this order.
_SEAL_DETAILS: Final = (
    ("not trusted", "other_seal"),
    ("not valid at the verification time", "seal_expired"),
    ("changed", "changed"),
    ("digest", "changed"),
    ("signature value is not valid", "changed"),
    ("invalidsignature", "changed"),
    ("sealed form", "changed"),
    # The seal's long-term evidence (signing/longterm.py): a timestamp, a carried certificate
    # or OCSP answer that no longer holds was changed after sealing.
    ("timestamp", "changed"),
    ("carries", "changed"),
    ("carried", "changed"),
    ("xades shape", "changed"),
    ("base64", "changed"),
    ("larger than the limit", "too_large"),
)


@dataclass(frozen=True)
class Explanation:
    reason: str
    headline: str
    advice: str
    detail: str  # the technical detail, for a disclosure or a log


class LevelWords(NamedTuple):
    """A seal's evidence level in words: its name and what it proves, in Swedish and English."""

    sv: str
    sv_proves: str
    en: str
    en_proves: str


# What each ETSI baseline level of the seal proves (EN 319 132-1 for XAdES, EN 319 142-1 for
# PAdES), for the one who must rely on the file: an a-kassa, a court.
LEVELS: Final[dict[str, LevelWords]] = {
    "B-B": LevelWords(
        sv="Grundnivå",
        sv_proves=(
            "Stämpeln visar att Intyga utfärdade exakt det här innehållet, men inte när: "
            "tiden i filen är tjänstens egen."
        ),
        en="Basic",
        en_proves=(
            "The seal shows that Intyga issued exactly this content, but not when: the time "
            "in the file is the service's own."
        ),
    ),
    "B-T": LevelWords(
        sv="Tidsstämplad",
        sv_proves=(
            "En tidsstämpeltjänst intygar att stämpeln fanns vid tidsstämpelns tid, så den "
            "gjordes medan stämpelns certifikat gällde."
        ),
        en="Timestamped",
        en_proves=(
            "A time-stamping authority attests that the seal existed at the timestamp's time, "
            "so it was made while the seal's certificate was valid."
        ),
    ),
    "B-LT": LevelWords(
        sv="Långtidsvaliderbar",
        sv_proves=(
            "Tidsstämplad, och filen bär själv certifikatkedjorna och spärrsvaren (OCSP) för "
            "stämpeln, tidsstämpeln och BankID-underskrifterna: den kan kontrolleras utan "
            "uppkoppling, även sedan certifikaten har gått ut."
        ),
        en="Long-term",
        en_proves=(
            "Timestamped, and the file itself carries the certificate chains and revocation "
            "answers (OCSP) of the seal, the timestamp and the BankID signatures: it can be "
            "checked offline, even after the certificates have expired."
        ),
    ),
    "B-LTA": LevelWords(
        sv="Arkivnivå",
        sv_proves=(
            "Långtidsvaliderbar, och arkivtidsstämplar över allt bevis håller det giltigt när "
            "certifikat går ut eller algoritmer åldras; de förnyas i tid."
        ),
        en="Archival",
        en_proves=(
            "Long-term, and archive timestamps over all the evidence keep it valid when "
            "certificates expire or algorithms age; they are renewed in time."
        ),
    ),
}


@dataclass(frozen=True)
class Evidence:
    """What the seal of a file that holds proves: its level, and when a TSA saw it."""

    level: str
    name: str
    proves: str
    timestamp: str | None


def evidence(report: SealedReport, locale: str = "sv") -> Evidence | None:
    """The seal's evidence level and timestamp in words (times in Swedish time), or None when
    the seal did not hold."""
    if report.level is None:
        return None
    words = LEVELS[report.level]
    english = language(locale) == "en"
    stamp = None
    if report.timestamp_time is not None:
        when = formats.datetime(report.timestamp_time, locale, zone=True)
        authority = report.timestamp_authority or "?"
        stamp = (
            f"Timestamped {when} by {authority}"
            if english
            else f"Tidsstämplad {when} av {authority}"
        )
    return Evidence(
        report.level,
        words.en if english else words.sv,
        words.en_proves if english else words.sv_proves,
        stamp,
    )


def explain(report: SealedReport, locale: str = "sv") -> Explanation | None:
    """Why `report` fails, or None when the file holds up."""
    if report.ok:
        return None
    failure = report.failure or next(c for c in report.checks if c.outcome is not Outcome.OK)
    reason = _reason(failure.name, failure.detail, failure.outcome)
    words = REASONS[reason]
    detail = f"{failure.name}: {failure.detail}".strip()
    if language(locale) == "en":
        return Explanation(reason, words.en, words.en_advice, detail)
    return Explanation(reason, words.sv, words.sv_advice, detail)


def _reason(name: str, detail: str, outcome: Outcome) -> str:
    text = detail.lower()
    if outcome is Outcome.NOT_CONFIGURED:
        return "not_configured" if name == "seal" else "unchecked"
    if name == "unexpected":
        return "unexpected"
    if name == "document":
        return "unreadable"
    if name == "signers":
        return "signers"
    if name in ("input", "seal", "pdf_seal"):
        return _seal_reason(text)
    return _signer_reason(name.rpartition(".")[2])


def _seal_reason(text: str) -> str:
    if "well-formed" in text or "neither" in text or "no attached" in text:
        return "not_intyga"
    if "expected exactly one seal" in text or "expected one seal" in text:
        return "not_intyga"
    return next((reason for words, reason in _SEAL_DETAILS if words in text), "not_intyga")


def _signer_reason(check: str) -> str:
    return {
        "digest": "signed_other",
        "personal_number": "wrong_person",
        "is_the_employee": "not_employee",
    }.get(check, "bankid")
