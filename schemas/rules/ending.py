"""The form of employment, why it ended, and what the ending brought (severance, an offer)."""

import calendar
import datetime as dt
from collections.abc import Iterator

from schemas.codes import FIXED_TERM, OTHER_REASON, PROBATION
from schemas.rules.engine import ERROR, WARNING, Facts, Finding, check, rule

FORM = "IAF:s blankett Arbetsgivarintyg, avsnitten Anställningsform och Orsak till upphörande"
OFFER = "IAF:s blankett Arbetsgivarintyg, avsnittet Erbjudande om fortsatt arbete"
LAS = "Lag (1982:80) om anställningsskydd, 5-6 §§ (anställningsformer) och 6 § (provanställning)"

rule("required_for_probation", ERROR, FORM, in_drafts=False)
rule("only_for_probation", ERROR, FORM)
rule("required_for_fixed_term", ERROR, FORM, in_drafts=False)
rule("only_for_fixed_term", ERROR, FORM)
rule("required_when_ended", ERROR, FORM, in_drafts=False)
rule("forbidden_while_employed", ERROR, FORM)
rule("required_for_other_reason", ERROR, FORM, in_drafts=False)
rule("only_for_other_reason", ERROR, FORM)
rule("reason_needs_fixed_term", ERROR, LAS)
rule("reason_needs_probation", ERROR, LAS)
rule("only_for_fixed_term_reason", ERROR, FORM)
rule("on_call_full_time", ERROR, LAS)
# LAS 6 §: a probation becomes permanent unless notice is given before it runs out, and it may
# last at most six months (longer only when extended for absence, hence a warning).
rule("probation_ended_after_its_end", ERROR, LAS)
rule("probation_over_six_months", WARNING, LAS)
rule("severance_after_own_decision", WARNING, "IAF:s anvisningar om avgångsvederlag")
rule("offer_after_own_decision", WARNING, OFFER)
rule("offer_in_bankruptcy", WARNING, OFFER)
rule("only_with_offer", ERROR, OFFER)
rule("only_when_declined", ERROR, OFFER)
rule("sms_needs_phone", ERROR, "Intyga: sms kräver ett mobilnummer", in_drafts=False)

# A fixed-term ending fits fixed-term employment; on-call work is a chain of short fixed terms.
FIXED_TERM_FORMS = (FIXED_TERM, "Behovsanstalld")
PROBATION_REASONS = ("SlutProvanstallningAnstalldBeslut", "SlutProvanstallningArbetsgivareBeslut")
# Endings the employee chose: severance and an offer to stay are unusual after them.
OWN_DECISION = ("EgenBegaran", "SlutProvanstallningAnstalldBeslut")

OFFER_DETAILS = (
    "period",
    "permanent",
    "full_time_hours",
    "part_time_hours",
    "percent_of_full_time",
    "working_time_type",
    "accepted",
    "declined_date",
)

_END_DATES = (
    (PROBATION, "probation_end_date", "required_for_probation", "only_for_probation"),
    (FIXED_TERM, "fixed_term_end_date", "required_for_fixed_term", "only_for_fixed_term"),
)


@check
def end_date_matches_form(facts: Facts) -> Iterator[Finding]:
    kind = facts.get("employment_form", "type")
    if kind is None:
        return
    for code, name, required, only in _END_DATES:
        if kind == code and not facts.given("employment_form", name):
            yield facts.finding(required, "employment_form", name)
        if kind != code and facts.get("employment_form", name) is not None:
            yield facts.finding(only, "employment_form", name)
    if kind == "Behovsanstalld" and facts.get("working_time", "type") == "Heltid":
        yield facts.finding("on_call_full_time", "working_time", "type")


def six_months_on(start: dt.date) -> dt.date:
    """The same date six months after `start` (the month's last day where it has no such date),
    as lag (1930:173) om beräkning av lagstadgad tid counts months; a day generous."""
    year, month = divmod(start.year * 12 + start.month - 1 + 6, 12)
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


@check
def probation_as_the_law_has_it(facts: Facts) -> Iterator[Finding]:
    if facts.get("employment_form", "type") != PROBATION:
        return
    planned = facts.get("employment_form", "probation_end_date")
    start = facts.get("employment", "period", "start")
    end = facts.get("employment", "period", "end")
    if planned is None:
        return
    if start is not None and planned > six_months_on(start):
        yield facts.finding(
            "probation_over_six_months",
            "employment_form",
            "probation_end_date",
            params=[six_months_on(start)],
        )
    if (
        facts.get("termination", "reason") in PROBATION_REASONS
        and end is not None
        and end > planned
    ):
        yield facts.finding(
            "probation_ended_after_its_end", "termination", "reason", params=[planned]
        )


@check
def reason_given_when_ended(facts: Facts) -> Iterator[Finding]:
    still_employed = facts.get("employment", "still_employed")
    if still_employed is True and facts.get("termination", "reason") is not None:
        yield facts.finding("forbidden_while_employed", "termination", "reason")
    if still_employed is False and not facts.given("termination", "reason"):
        yield facts.finding("required_when_ended", "termination", "reason")


@check
def reason_fits_the_form(facts: Facts) -> Iterator[Finding]:
    reason = facts.get("termination", "reason")
    kind = facts.get("employment_form", "type")
    if reason == OTHER_REASON and not facts.given("termination", "other_reason"):
        yield facts.finding("required_for_other_reason", "termination", "other_reason")
    if reason not in (None, OTHER_REASON) and facts.get("termination", "other_reason"):
        yield facts.finding("only_for_other_reason", "termination", "other_reason")
    if kind is not None and reason == "TidsbegransadAnstallning" and kind not in FIXED_TERM_FORMS:
        yield facts.finding("reason_needs_fixed_term", "termination", "reason")
    if kind is not None and reason in PROBATION_REASONS and kind != PROBATION:
        yield facts.finding("reason_needs_probation", "termination", "reason")
    if (
        reason not in (None, "TidsbegransadAnstallning")
        and facts.get("termination", "fixed_term_notice_date") is not None
    ):
        yield facts.finding("only_for_fixed_term_reason", "termination", "fixed_term_notice_date")


@check
def what_the_ending_brought(facts: Facts) -> Iterator[Finding]:
    reason = facts.get("termination", "reason")
    if facts.get("severance", "agreement") is True and reason in OWN_DECISION:
        yield facts.finding("severance_after_own_decision", "severance", "agreement")
    if facts.get("continued_work_offer", "offer_exists") is True:
        if reason in OWN_DECISION:
            yield facts.finding("offer_after_own_decision", "continued_work_offer", "offer_exists")
        if reason == "Konkurs":
            yield facts.finding("offer_in_bankruptcy", "continued_work_offer", "offer_exists")


@check
def offer_details(facts: Facts) -> Iterator[Finding]:
    offer = facts.get("continued_work_offer")
    if not offer:
        return
    if offer.get("offer_exists") is False:
        for name in OFFER_DETAILS:
            if facts.given("continued_work_offer", name):
                yield facts.finding("only_with_offer", "continued_work_offer", name)
    if offer.get("accepted") is True and facts.given("continued_work_offer", "declined_date"):
        yield facts.finding("only_when_declined", "continued_work_offer", "declined_date")


@check
def sms_needs_phone(facts: Facts) -> Iterator[Finding]:
    if facts.get("employee", "notify_by_sms") and not facts.given("employee", "phone"):
        yield facts.finding("sms_needs_phone", "employee", "phone")
