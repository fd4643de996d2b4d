"""Controlled vocabularies shared by the assessment's preference questions and the directory.

Pure Python. Codes are stable identifiers stored in the database and used in query strings
(``/programs/?insurance=medicaid&day=mon&time=evening``); labels are translated for display.
Payment codes follow SAMHSA's payment categories (MD Medicaid, MC Medicare, MI TRICARE, PI private,
SF self-pay, SS sliding fee, NP free), see ``shared/domain/directory-data.md`` section 1.3.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

AGE_GROUPS = [
    ("child", _("Child (under 13)")),
    ("teen", _("Teen (13 to 17)")),
    ("adult", _("Adult (18 to 64)")),
    ("older", _("Older adult (65 and over)")),
]

PAYMENT = [
    ("medicaid", _("Medicaid")),
    ("medicare", _("Medicare")),
    ("tricare", _("TRICARE (military)")),
    ("private", _("Private insurance")),
    ("sliding_scale", _("Sliding-scale fees")),
    ("self_pay", _("Self-pay")),
    ("free", _("Free of charge")),
]

#: What a person can say about their own coverage (assessment); maps onto PAYMENT codes.
INSURANCE_ANSWERS = [
    ("medicaid", _("Medicaid")),
    ("medicare", _("Medicare")),
    ("tricare", _("TRICARE or other military coverage")),
    ("private", _("Private insurance (through work or bought myself)")),
    ("none", _("No insurance")),
    ("unsure", _("I'm not sure")),
]

WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]

#: Times of day, by the hour a session starts: morning before 12:00, afternoon 12:00-16:59,
#: evening 17:00 or later.
TIMES_OF_DAY = [
    ("morning", _("Morning (before noon)")),
    ("afternoon", _("Afternoon (noon to 5 pm)")),
    ("evening", _("Evening (5 pm or later)")),
]

MODALITIES = [
    ("in_person", _("In person")),
    ("telehealth", _("Telehealth (video)")),
    ("both", _("In person or telehealth")),
]

LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
    ("ko", _("Korean")),
    ("ru", _("Russian")),
    ("so", _("Somali")),
    ("sw", _("Swahili")),
    ("vi", _("Vietnamese")),
    ("asl", _("American Sign Language")),
]

CONDITIONS = [
    ("depression", _("Depression")),
    ("anxiety", _("Anxiety")),
    ("trauma", _("Trauma and PTSD")),
    ("bipolar", _("Bipolar disorder")),
    ("psychosis", _("Psychosis")),
    ("substance_use", _("Substance use")),
    ("dual_diagnosis", _("Co-occurring mental health and substance use")),
    ("eating_disorders", _("Eating disorders")),
    ("ocd", _("OCD")),
    ("self_harm", _("Self-harm")),
]

THERAPIES = [
    ("cbt", _("Cognitive behavioral therapy (CBT)")),
    ("dbt", _("Dialectical behavior therapy (DBT)")),
    ("emdr", _("EMDR")),
    ("trauma_focused", _("Trauma-focused therapy")),
    ("family", _("Family therapy")),
    ("group", _("Group therapy")),
    ("individual", _("Individual therapy")),
    ("medication_management", _("Medication management")),
    ("mat", _("Medication for addiction treatment")),
    ("motivational", _("Motivational interviewing")),
    ("relapse_prevention", _("Relapse prevention")),
    ("twelve_step", _("12-step facilitation")),
]


#: THE registry: each coded field of a program (and of its sessions) -> its vocabulary. The
#: admin's checkboxes, the search filters, the API's parameters and the page labels all read it
#: here at the time they are used, so a new therapy or payment type is one line in its list.
VOCABULARIES: dict[str, list[tuple[str, object]]] = {
    "age_groups": AGE_GROUPS,
    "conditions": CONDITIONS,
    "therapies": THERAPIES,
    "languages": LANGUAGES,
    "interpreters": LANGUAGES,
    "payment": PAYMENT,
    "modality": MODALITIES,
    "weekday": WEEKDAYS,
    "time_of_day": TIMES_OF_DAY,
}
#: The program fields edited as a list of codes (``CodeListField``).
CODE_LIST_FIELDS = (
    "age_groups",
    "conditions",
    "therapies",
    "languages",
    "interpreters",
    "payment",
)


def vocabulary(name: str) -> list[tuple[str, object]]:
    """The (code, label) pairs of a field's vocabulary: ``vocabulary("therapies")``."""
    return VOCABULARIES[name]


def choices_of(name: str):
    """A callable for a form field's ``choices``: read from the registry whenever the form is
    built, not once at import."""
    return lambda: vocabulary(name)


def label_of(name: str, code: str):
    """The label of ``code`` in a field's vocabulary, or the code itself if unknown."""
    return label_for(vocabulary(name), code)


def label_for(vocab, code):
    """The display label of ``code`` in ``vocab``, or the code itself if unknown."""
    return dict(vocab).get(code, code)


def codes(vocab):
    return [code for code, _label in vocab]


#: Insurance answers that are not payment codes themselves -> the payment codes they match.
INSURANCE_ANSWER_PAYMENTS: dict[str, tuple[str, ...]] = {
    "none": ("sliding_scale", "self_pay", "free"),
    "unsure": (),
}


def is_payment_code(code: str) -> bool:
    return code in codes(vocabulary("payment"))


def payments_matching(code: str) -> tuple[str, ...]:
    """The payment codes an insurance answer or a payment code matches (itself for a code)."""
    if code in INSURANCE_ANSWER_PAYMENTS:
        return INSURANCE_ANSWER_PAYMENTS[code]
    return (code,) if is_payment_code(code) else ()


def payment_codes_for(insurance_codes) -> set[str]:
    """The payment codes any of ``insurance_codes`` matches; empty set means "no filter"."""
    found: set[str] = set()
    for code in insurance_codes:
        if not payments_matching(code):
            return set()  # "unsure" (or an empty answer) means any payment
        found.update(payments_matching(code))
    return found


#: Session start hours for each time of day (TIMES_OF_DAY), as half-open [start, end) ranges.
TIME_RANGES: dict[str, tuple[dt.time, dt.time | None]] = {
    "morning": (dt.time(0, 0), dt.time(12, 0)),
    "afternoon": (dt.time(12, 0), dt.time(17, 0)),
    "evening": (dt.time(17, 0), None),
}


def time_of_day(start: dt.time) -> str:
    """morning, afternoon or evening for a session starting at ``start``."""
    for code, (_first, end) in TIME_RANGES.items():
        if end is None or start < end:
            return code
    return "evening"
