"""Blocks G–I: why the employment ended, severance, and any offer to go on working."""

from schemas import fields as f
from schemas.base import ContentSchema, PeriodSchema
from schemas.codes import TERMINATION_REASONS, WORKING_TIME_TYPES


class TerminationSchema(ContentSchema):
    """G. Why the employment ended (`Upphorandeorsak`).

    Whether a reason is required at all depends on block C, so that rule lives on the certificate.
    """

    reason = f.choice("Orsak", TERMINATION_REASONS)
    # Free text for AnnanOrsak; dismissal for misconduct is described here.
    other_reason = f.text("AnnanOrsak", 256)
    notice_date = f.date("Beskedsdatum")
    fixed_term_notice_date = f.date("TidsbegransadAnstallningDatumBesked")


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
