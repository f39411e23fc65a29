"""What e-mails and SMS say, in Swedish and English, per template and audience.

The texts say only that there is something to read and where: never a name, a personnummer, an
employer or an amount (`lifecycle.md`, "Notifications"). Anyone who sees the message on a lock
screen or in a shared mailbox learns nothing about the person. The link is the only variable.
Kept here rather than in the gettext catalogue because the worker renders for the recipient's
language outside any request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# "invitee": someone invited to a company's account, known only by the invitation's address.
Audience = Literal["person", "company", "invitee"]
Language = Literal["sv", "en"]

PERSON_PATH = "/arbetstagare"
COMPANY_PATH = "/arbetsgivare/intyg/{certificate_id}"
# Messages about something other than a certificate link to where it is answered or read.
TEMPLATE_PATHS = {
    "certificate_requested": "/arbetsgivare/",
    "certificate_request_declined": "/arbetstagare/begar-intyg",
    "invitation": "/logga-in",
}

SIGNATURE = {
    "sv": "Det här meddelandet kommer från Intyga och går inte att svara på.",
    "en": "This message comes from Intyga; replies are not read.",
}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str  # e-mail; "{link}" is replaced by the link
    sms: str  # short enough for one or two SMS; "{link}" likewise


def _texts(subject: str, lead: str, sms: str) -> Text:
    return Text(subject=subject, body=f"{lead}\n\n{{link}}", sms=f"{sms} {{link}}")


TEXTS: dict[tuple[str, Audience], dict[Language, Text]] = {
    ("certificate_delivered", "person"): {
        "sv": _texts(
            "Du har fått ett arbetsgivarintyg",
            "Du har fått ett arbetsgivarintyg att granska. Logga in för att läsa det och skicka "
            "det till din a-kassa, eller be om en komplettering. Du har sex veckor på dig.",
            "Du har fått ett arbetsgivarintyg att granska. Logga in:",
        ),
        "en": _texts(
            "You have received an employer certificate",
            "You have received an employer certificate to review. Log in to read it and send it "
            "to your unemployment fund, or ask for a completion. You have six weeks.",
            "You have received an employer certificate to review. Log in:",
        ),
    },
    ("certificate_new_version", "person"): {
        "sv": _texts(
            "Ditt arbetsgivarintyg har kompletterats",
            "Arbetsgivaren har skickat en ny version av ditt arbetsgivarintyg. Logga in för att "
            "läsa den. Du har sex veckor på dig att svara.",
            "Ditt arbetsgivarintyg har kompletterats. Logga in:",
        ),
        "en": _texts(
            "Your employer certificate has been completed",
            "The employer has sent a new version of your employer certificate. Log in to read "
            "it. You have six weeks to answer.",
            "Your employer certificate has been completed. Log in:",
        ),
    },
    ("certificate_withdrawn", "person"): {
        "sv": _texts(
            "Ett arbetsgivarintyg har dragits tillbaka",
            "Arbetsgivaren har dragit tillbaka ett arbetsgivarintyg som skickats till dig. "
            "Logga in för att se vilket.",
            "Ett arbetsgivarintyg till dig har dragits tillbaka. Logga in:",
        ),
        "en": _texts(
            "An employer certificate has been withdrawn",
            "The employer has withdrawn an employer certificate sent to you. Log in to see "
            "which one.",
            "An employer certificate sent to you has been withdrawn. Log in:",
        ),
    },
    ("certificate_expired", "person"): {
        "sv": _texts(
            "Tiden för att svara på ett arbetsgivarintyg har gått ut",
            "Sex veckor har gått utan att du svarat på ett arbetsgivarintyg, och det kan inte "
            "längre skickas till a-kassan. Be arbetsgivaren om ett nytt intyg om du behöver det.",
            "Tiden för att svara på ett arbetsgivarintyg har gått ut. Logga in:",
        ),
        "en": _texts(
            "The time to answer an employer certificate has run out",
            "Six weeks have passed without an answer to an employer certificate, and it can no "
            "longer be sent to the unemployment fund. Ask the employer for a new one if you "
            "need it.",
            "The time to answer an employer certificate has run out. Log in:",
        ),
    },
    ("reminder_14", "person"): {
        "sv": _texts(
            "Påminnelse: ett arbetsgivarintyg väntar på dig",
            "Ett arbetsgivarintyg väntar fortfarande på ditt svar. Logga in för att skicka det "
            "till din a-kassa eller be om en komplettering.",
            "Påminnelse: ett arbetsgivarintyg väntar på ditt svar. Logga in:",
        ),
        "en": _texts(
            "Reminder: an employer certificate is waiting for you",
            "An employer certificate is still waiting for your answer. Log in to send it to "
            "your unemployment fund or ask for a completion.",
            "Reminder: an employer certificate is waiting for your answer. Log in:",
        ),
    },
    ("reminder_35", "person"): {
        "sv": _texts(
            "En vecka kvar att svara på ett arbetsgivarintyg",
            "Du har en vecka kvar att svara på ett arbetsgivarintyg. Efter det kan det inte "
            "längre skickas till a-kassan.",
            "En vecka kvar att svara på ett arbetsgivarintyg. Logga in:",
        ),
        "en": _texts(
            "One week left to answer an employer certificate",
            "You have one week left to answer an employer certificate. After that it can no "
            "longer be sent to the unemployment fund.",
            "One week left to answer an employer certificate. Log in:",
        ),
    },
    ("certificate_expired", "company"): {
        "sv": _texts(
            "Ett arbetsgivarintyg besvarades inte i tid",
            "Ett arbetsgivarintyg som ni skickat har inte besvarats inom sex veckor och har "
            "gått ut. Logga in för att se vilket.",
            "Ett arbetsgivarintyg har gått ut. Logga in:",
        ),
        "en": _texts(
            "An employer certificate was not answered in time",
            "An employer certificate you sent was not answered within six weeks and has "
            "expired. Log in to see which one.",
            "An employer certificate has expired. Log in:",
        ),
    },
    ("certificate_approved", "company"): {
        "sv": _texts(
            "Ett arbetsgivarintyg har godkänts",
            "Ett arbetsgivarintyg som ni skickat har godkänts och skickats till a-kassan.",
            "Ett arbetsgivarintyg har godkänts. Logga in:",
        ),
        "en": _texts(
            "An employer certificate has been approved",
            "An employer certificate you sent has been approved and sent to the unemployment fund.",
            "An employer certificate has been approved. Log in:",
        ),
    },
    ("completion_requested", "company"): {
        "sv": _texts(
            "Begäran om komplettering av ett arbetsgivarintyg",
            "Ni har fått en begäran om att komplettera ett arbetsgivarintyg. Logga in för att "
            "läsa den och skicka en ny version.",
            "Begäran om komplettering av ett arbetsgivarintyg. Logga in:",
        ),
        "en": _texts(
            "Request to complete an employer certificate",
            "You have been asked to complete an employer certificate. Log in to read the "
            "request and send a new version.",
            "Request to complete an employer certificate. Log in:",
        ),
    },
    ("draft_removal_warning", "company"): {
        "sv": _texts(
            "Ett utkast tas bort om en vecka",
            "Ett utkast till arbetsgivarintyg har inte ändrats på fem veckor och tas bort om en "
            "vecka. Öppna och spara det om ni vill behålla det.",
            "Ett utkast tas bort om en vecka. Logga in:",
        ),
        "en": _texts(
            "A draft will be removed in a week",
            "A draft employer certificate has not been changed for five weeks and will be "
            "removed in a week. Open and save it if you want to keep it.",
            "A draft will be removed in a week. Log in:",
        ),
    },
    ("certificate_requested", "company"): {
        "sv": _texts(
            "En arbetstagare ber om ett arbetsgivarintyg",
            "Ni har fått en begäran om ett arbetsgivarintyg. Logga in för att läsa den och "
            "skapa intyget.",
            "Ni har fått en begäran om ett arbetsgivarintyg. Logga in:",
        ),
        "en": _texts(
            "An employee asks for an employer certificate",
            "You have received a request for an employer certificate. Log in to read it and "
            "create the certificate.",
            "You have received a request for an employer certificate. Log in:",
        ),
    },
    ("certificate_request_declined", "person"): {
        "sv": _texts(
            "Svar på din begäran om arbetsgivarintyg",
            "Arbetsgivaren har svarat på din begäran om ett arbetsgivarintyg. Logga in för att "
            "läsa svaret.",
            "Arbetsgivaren har svarat på din begäran om intyg. Logga in:",
        ),
        "en": _texts(
            "Answer to your request for an employer certificate",
            "The employer has answered your request for an employer certificate. Log in to "
            "read the answer.",
            "The employer has answered your request for a certificate. Log in:",
        ),
    },
    ("invitation", "invitee"): {
        "sv": _texts(
            "Du har bjudits in till Intyga",
            "Du har bjudits in till ett företags konto på Intyga, tjänsten för "
            "arbetsgivarintyg. Logga in med BankID för att gå med:",
            "Du har bjudits in till ett företags konto på Intyga. Logga in med BankID:",
        ),
        "en": _texts(
            "You have been invited to Intyga",
            "You have been invited to a company's account on Intyga, the service for employer "
            "certificates. Log in with BankID to join:",
            "You have been invited to a company's account on Intyga. Log in with BankID:",
        ),
    },
}


def text_for(template: str, audience: Audience, language: str) -> Text:
    """The text of `template` for `audience` in `language` (Swedish when unknown)."""
    versions = TEXTS[template, audience]
    return versions["en"] if language == "en" else versions["sv"]


def path_for(audience: Audience, certificate_id: str | None, template: str = "") -> str:
    """Where the link goes: the employee's inbox, or the company's page of the certificate, or
    where a message about something else is answered."""
    if template in TEMPLATE_PATHS:
        return TEMPLATE_PATHS[template]
    if audience == "company" and certificate_id:
        return COMPANY_PATH.format(certificate_id=certificate_id)
    return PERSON_PATH if audience == "person" else "/arbetsgivare"
