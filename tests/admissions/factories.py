"""Submissions made directly (not through the web flow), with realistic answers and scores."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from admissions import pipeline
from admissions.models import Case
from assessment import instruments
from assessment.models import Submission
from tests.admissions.sharing import share

PASSWORD = "correct horse battery staple 42"

#: Keyword arguments the factory writes to the submission's admissions case, not to the row.
CASE_FIELDS = (
    "status",
    "status_changed_at",
    "owner",
    "owner_changed_at",
    "next_follow_up_at",
    "follow_up_reason",
    "urgent_notice_sent_at",
)


def make_answers(level: int = 1, *, suicidal: bool = False) -> dict:
    """Every question answered: ordered items at ``level`` (capped at each question's maximum),
    C-SSRS all "No" unless ``suicidal``, and plain "About you" preferences."""
    answers = {
        "age_group": "adult",
        "zip_code": "10001",
        "respondent": "self",
        "modality": "both",
        "days": ["mon", "wed"],
        "times": ["evening"],
        "hours_available": "9to19",
        "language": "en",
        "insurance": "medicaid",
        "sex_at_birth": "female",
        "transport": "easy",
    }
    for question in instruments.QUESTIONS:
        if question.id in answers or not question.ordered:
            continue
        values = question.scale  # never "Prefer not to say": it is not a point on the scale
        if len(values) == 2:  # yes/no items: "yes" only from level 2 up
            answers[question.id] = values[1] if level >= 2 else values[0]
        else:
            answers[question.id] = values[min(level, len(values) - 1)]
    for number in range(1, 7):
        answers[f"cssrs_{number}"] = 0
    if suicidal:
        answers.update({"cssrs_1": 1, "cssrs_2": 1, "cssrs_3": 1, "cssrs_4": 1, "phq9_9": 3})
    return answers


def scores_for(answers: dict) -> dict:
    return {
        instrument: score.to_dict() for instrument, score in instruments.score_all(answers).items()
    }


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    class Params:
        severity = 1
        suicidal = False

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("shared", None)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The submission, shared with the admissions team unless ``shared=False`` (sharing
        opens its case), then any pipeline values given (``status=``, ``owner=``,
        ``next_follow_up_at=``...) on its case."""
        pipeline_values = {name: kwargs.pop(name) for name in CASE_FIELDS if name in kwargs}
        shared = kwargs.pop("shared", True)
        submission = super()._create(model_class, *args, **kwargs)
        if not shared:
            return submission
        share(submission)
        case = Case.objects.get(pk=submission.pk)
        if pipeline_values:
            for name, value in pipeline_values.items():
                setattr(case, name, value)
            pipeline.refresh(case, submission)
            case.save()
        submission.case = case
        return submission

    shared = True

    submit_key = factory.Sequence(lambda n: f"test-submit-key-{n}")
    answers = factory.LazyAttribute(lambda o: make_answers(o.severity, suicidal=o.suicidal))
    scores = factory.LazyAttribute(lambda o: scores_for(o.answers))
    level = "IOP"
    urgent = False
    dimensions = factory.LazyFunction(
        lambda: {
            "risk_of_harm": 2,
            "functional_status": 3,
            "co_occurring": 2,
            "recovery_environment": 2,
            "treatment_history": 2,
            "engagement": 2,
        }
    )
    reasons = factory.LazyFunction(
        lambda: ["You said these problems have made daily life very difficult."]
    )
    flags = factory.LazyFunction(list)
    rules_fired = factory.LazyFunction(lambda: ["iop_composite"])
    ruleset_version = "2026.11.1"
    phq9_total = factory.LazyAttribute(lambda o: o.scores.get("phq9", {}).get("total", None))
    phq9_band = factory.LazyAttribute(lambda o: o.scores.get("phq9", {}).get("band", ""))
    gad7_total = factory.LazyAttribute(lambda o: o.scores.get("gad7", {}).get("total", None))
    gad7_band = factory.LazyAttribute(lambda o: o.scores.get("gad7", {}).get("band", ""))
    cssrs_risk = factory.LazyAttribute(lambda o: o.scores.get("cssrs", {}).get("band", ""))
    zip_code = "10001"
    age_group = "adult"
    insurance = "medicaid"
    days = factory.LazyFunction(lambda: ["mon", "wed"])
    times = factory.LazyFunction(lambda: ["evening"])
    hours_available = "9to19"
    modality = "both"
    language = "en"
    consent_to_store = True
    matched_programs = factory.LazyFunction(
        lambda: [
            {
                "id": 1,
                "name": "Evening IOP at Riverside",
                "slug": "evening-iop-riverside",
                "level": "IOP",
                "distance_miles": 3.2,
                "fits": ["Meets on Monday and Wednesday evenings", "Takes Medicaid"],
                "misses": [],
                "is_alternative": False,
            }
        ]
    )


def emergency(**kwargs):
    """An EMERGENCY submission with a positive suicide screen, as the rules would store it."""
    defaults = {
        "level": "EMERGENCY",
        "urgent": True,
        "suicidal": True,
        "severity": 3,
        "flags": [{"code": "suicide_risk_review", "text": "Same-day review by a clinician."}],
        "reasons": ["You said you have had thoughts of killing yourself in the past month."],
        "matched_programs": [],
    }
    defaults.update(kwargs)
    return SubmissionFactory(**defaults)


def emergency_reachable(**kwargs):
    """An EMERGENCY submission whose person asked for a call back (phone and e-mail)."""
    return with_callback(
        **{
            "level": "EMERGENCY",
            "urgent": True,
            "suicidal": True,
            "severity": 3,
            "flags": [{"code": "suicide_risk_review", "text": "Same-day review by a clinician."}],
            "matched_programs": [],
            **kwargs,
        }
    )


def with_callback(**kwargs):
    from django.utils import timezone

    defaults = {
        "callback_requested": True,
        "callback_requested_at": timezone.now(),
        "contact_name": "Jordan Avery",
        "contact_phone": "502-555-0142",
        "contact_email": "jordan@example.org",
        "best_time": "After 5 pm",
        "contact_consent": True,
        "contact_consent_at": timezone.now(),
    }
    defaults.update(kwargs)
    return SubmissionFactory(**defaults)


def staff_user(username, *groups, superuser=False, **extra):
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        user = User.objects.create_user(
            username, f"{username}@example.org", PASSWORD, is_staff=True, **extra
        )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user
