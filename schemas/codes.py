"""The official code values of the certificate's choices, as the SOAP service spells them.

Forms and adapters offer these; the schemas accept nothing else. Vikariat, säsong and allmän or
särskild visstid are all `Tidsbegransad`.
"""

EMPLOYMENT_TYPES = ("Tillsvidare", "Provanstallning", "Tidsbegransad", "Behovsanstalld")
PROBATION = "Provanstallning"
FIXED_TERM = "Tidsbegransad"

WORKING_TIME_TYPES = ("Heltid", "Deltid", "VarierandeArbetstid")
PART_TIME = "Deltid"

TERMINATION_REASONS = (
    "UppsagdArbetsbrist",
    "TidsbegransadAnstallning",
    "EgenBegaran",
    "SlutProvanstallningAnstalldBeslut",
    "SlutProvanstallningArbetsgivareBeslut",
    "Konkurs",
    "AnnanOrsak",
)
OTHER_REASON = "AnnanOrsak"

SALARY_TYPES = ("Manadslon", "Veckolon", "Daglon", "Timlon")

SUPPLEMENT_TYPES = (
    "Sjuklon",
    "Overtidstillagg",
    "Mertid",
    "Jour",
    "OB",
    "AndraFormaner",
    "Semesterersattning",
    "Lonetillagg",
)

INCOME_SOURCES = ("agi", "payroll", "manual")
SKIP_REASONS = (
    "sickness",
    "child_care",
    "parental_benefit",
    "full_time_study",
    "business",
    "none",
)
