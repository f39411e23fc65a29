"""Blocks G–I: why the employment ended, severance, and any offer to go on working."""

from collections.abc import Mapping
from typing import Any

from marshmallow import validates_schema

from schemas import fields as f
from schemas.base import ContentSchema, PeriodSchema, Problems, given
from schemas.codes import OTHER_REASON, TERMINATION_REASONS, WORKING_TIME_TYPES
from schemas.messages import msg


class TerminationSchema(ContentSchema):
    """G. Why the employment ended (`Upphorandeorsak`).

    Whether a reason is required at all depends on block C, so that rule lives on the certificate.
    """

    reason = f.choice("Orsak", TERMINATION_REASONS)
    # Free text for AnnanOrsak; dismissal for misconduct is described here.
    other_reason = f.text("AnnanOrsak", 256)
    notice_date = f.date("Beskedsdatum")
    fixed_term_notice_date = f.date("TidsbegransadAnstallningDatumBesked")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _other_reason_explained(
        self, data: Mapping[str, Any], original: Any, *, partial: bool | None, **_: Any
    ) -> None:
        reason = data.get("reason")
        problems = Problems()
        if reason == OTHER_REASON and not partial and not given(data, original, "other_reason"):
            problems.add(msg("required_for_other_reason"), "other_reason")
        if reason not in (None, OTHER_REASON) and "other_reason" in data:
            problems.add(msg("only_for_other_reason"), "other_reason")
        problems.raise_any()


class SeveranceSchema(ContentSchema):
    """H. Severance (`Avgangsvederlag`): only whether an agreement exists, never an amount."""

    agreement = f.flag("IngattAvtal", required=True)


class ContinuedWorkOfferSchema(ContentSchema):
    """I. Offer of continued work (`ErbjudandeOmFortsattArbete`)."""

    offer_exists = f.flag("FinnsErbjudande", required=True)
    period = f.block(PeriodSchema, "FinnsErbjudandeOmfattning")
    permanent = f.flag("TillsvidareAnstallning")
    full_time_hours = f.number("TimmarPerVeckaHeltid", 0, 168)
    part_time_hours = f.number("TimmarPerVeckaDeltid", 0, 168)
    percent_of_full_time = f.number("ProcentAvHeltid", 0, 100)
    working_time_type = f.choice("Arbetstid", WORKING_TIME_TYPES)
    accepted = f.flag("AccepteratErbjudande")
    declined_date = f.date("DatumAvbojtErbjudande")

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _details_follow_the_offer(self, data: Mapping[str, Any], original: Any, **_: Any) -> None:
        problems = Problems()
        if data.get("offer_exists") is False:
            for name in self.load_fields:
                if name != "offer_exists" and given(data, original, name):
                    problems.add(msg("only_with_offer"), name)
        if data.get("accepted") is True and given(data, original, "declined_date"):
            problems.add(msg("only_when_declined"), "declined_date")
        problems.raise_any()
