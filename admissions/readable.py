"""A submission in words, for the staff page: every question with the answer's label, each
instrument's total and band, the six dimension ratings, reasons, flags, preferences and the
programs the person was shown. Plain Python over the stored JSON (no queries), so it is tested
without a database and keeps working for submissions made under older question sets.

Each instrument also says whether it was scored in full, prorated (a few items declined),
skipped after a negative short screen (which screen, its score, and why the rest was not asked),
or incomplete (too many items declined to score; never read as negative).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessment import instruments
from assessment.services import told_programs
from programs import levels, vocab

NOT_ASKED = _("Not asked (skipped by an earlier answer)")
NO_ANSWER = _("No answer")


@dataclass
class AnswerRow:
    id: str
    number: int | None
    text: Any
    answer: Any
    answered: bool
    raw: Any = None
    severe: bool = False  # the most severe option of an ordered question, or a "yes" to risk


@dataclass
class InstrumentSection:
    id: str
    name: str
    rows: list[AnswerRow]
    total: int | None = None
    max_total: int | None = None
    band: str = ""
    band_label: Any = ""
    positive: bool = False
    status: str = "complete"  # complete | prorated | screened_negative | incomplete
    note: Any = ""  # the status in words: which screen, its score and why; or what is missing

    @property
    def skipped(self) -> bool:
        return self.status == "screened_negative"

    @property
    def incomplete(self) -> bool:
        return self.status == "incomplete"


@dataclass
class QuestionGroup:
    id: str
    title: Any
    rows: list[AnswerRow] = field(default_factory=list)


def _normalise(question, value):
    """The stored value as the option key it stands for (ints may be stored as strings)."""
    options = dict(question.options)
    if value in options:
        return value
    try:
        as_int = int(str(value).strip())
    except (TypeError, ValueError):
        return value
    return as_int if as_int in options else value


def answer_label(question, value):
    """The words of the answer given (the option label, never the raw code)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list | tuple):
        labels = [str(answer_label(question, item)) for item in value]
        return ", ".join(labels)
    if not question.options:
        return value
    return question.label_for(_normalise(question, value))


def answer_row(question, answers) -> AnswerRow:
    value = answers.get(question.id)
    label = answer_label(question, value)
    answered = label is not None
    if not answered:
        label = NO_ANSWER if question.is_asked(answers) else NOT_ASKED
    severe = False
    if answered and question.ordered and question.options:
        key = _normalise(question, value)
        values = question.values
        severe = key == values[-1] and len(values) > 1 and key != values[0]
    return AnswerRow(
        id=question.id,
        number=instruments.QUESTION_NUMBERS.get(question.id),
        text=question.text,
        answer=label,
        answered=answered,
        raw=value,
        severe=severe,
    )


def _item_order(question) -> tuple:
    """Gate questions first, then the items by their number (not the order they were asked)."""
    suffix = question.id.rsplit("_", 1)[-1]
    return (1, int(suffix)) if suffix.isdigit() else (0, 0)


def _current_score(instrument: str, answers: dict):
    """The instrument's score under the current question set, or None if the stored answers
    cannot be scored any more (an older question set)."""
    try:
        return instruments.SCORERS[instrument](answers)
    except (instruments.AnswerError, KeyError, TypeError, ValueError):
        return None


def instrument_status(instrument: str, answers: dict, stored: dict) -> tuple[str, Any]:
    """(status, note in words) of one instrument: stored with the submission when it was made
    under this question set, else worked out from the stored answers. A "screened negative"
    is reported only when the skipped items really are missing from the answers (a submission
    from before the gates answered them all)."""
    score = _current_score(instrument, answers)
    status = stored.get("status") or (score.status if score else "complete")
    scale = instruments.SCALES.get(instrument)
    if status == "screened_negative" and scale is not None and scale.screen is not None:
        screen = scale.screen
        skipped = [qid for qid in scale.item_ids if qid not in screen.asked_anyway]
        if any(qid in answers for qid in skipped):
            return "complete", ""
        screen_total = stored.get("screen_total")
        if screen_total is None:
            screen_total = score.screen_total if score else None
        return status, format_lazy(
            _("Skipped: screened negative on the {screen} (score {total} of {max}). {why}"),
            screen=screen.name,
            total="—" if screen_total is None else screen_total,
            max=screen.max_total,
            why=screen.why,
        )
    missing = stored.get("missing") or (list(score.missing) if score else [])
    if status == "prorated":
        return status, format_lazy(
            _('Prorated: {count} item(s) answered "Prefer not to say" (our written rule).'),
            count=len(missing),
        )
    if status == "incomplete":
        at_least = stored.get("at_least", score.at_least if score else 0)
        if (
            scale is not None
            and scale.screen is not None
            and set(missing) & set(scale.screen.item_ids)
        ):
            return status, format_lazy(
                _(
                    'Incomplete: the {screen} was answered "Prefer not to say", so the rest was '
                    "not asked. Not a negative screen: ask about it."
                ),
                screen=scale.screen.name,
            )
        return status, format_lazy(
            _(
                'Incomplete: {count} item(s) answered "Prefer not to say", too many to score. '
                "Not a negative screen: ask about it. Score from the answers given: at least "
                "{at_least}."
            ),
            count=len(missing),
            at_least=at_least,
        )
    return status, ""


def instrument_sections(answers: dict, scores: dict) -> list[InstrumentSection]:
    sections = []
    for instrument, name in instruments.INSTRUMENT_NAMES.items():
        questions = [q for q in instruments.QUESTIONS if q.instrument == instrument]
        questions.sort(key=_item_order)
        score = (scores or {}).get(instrument) or {}
        status, note = instrument_status(instrument, answers or {}, score)
        total = score.get("total")
        sections.append(
            InstrumentSection(
                id=instrument,
                name=name,
                rows=[answer_row(q, answers) for q in questions],
                total=None if status in ("screened_negative", "incomplete") else total,
                max_total=score.get("max_total"),
                band=score.get("band", ""),
                band_label=score.get("band_label", "") or score.get("band", ""),
                positive=bool(score.get("positive")),
                status=status,
                note=note,
            )
        )
    return sections


def skipped_instruments(sections: list[InstrumentSection]) -> list[InstrumentSection]:
    """The instruments skipped after a negative screen or left incomplete, for a summary."""
    return [section for section in sections if section.status != "complete"]


def other_answers(answers: dict) -> list[QuestionGroup]:
    """Questions outside the scored instruments, grouped by the step they were asked in."""
    groups = []
    for step in instruments.STEPS:
        questions = [q for q in instruments.QUESTIONS if q.step == step.id and not q.instrument]
        if questions:
            groups.append(
                QuestionGroup(step.id, step.title, [answer_row(q, answers) for q in questions])
            )
    known = set(instruments.QUESTIONS_BY_ID)
    extra = [key for key in answers if key not in known]
    if extra:  # answers to questions that no longer exist (an older question set)
        groups.append(
            QuestionGroup(
                "retired",
                _("Questions no longer asked"),
                [AnswerRow(key, None, key, str(answers[key]), True, answers[key]) for key in extra],
            )
        )
    return groups


def dimension_rows(dimensions: dict) -> list[dict]:
    """The six dimension ratings (1 least concern .. 5 most) with their words."""
    from assessment import rules

    rows = []
    seen = set()
    for dimension in rules.DIMENSIONS:
        rating = (dimensions or {}).get(dimension.key)
        seen.add(dimension.key)
        anchor = ""
        if isinstance(rating, int) and 1 <= rating <= len(dimension.anchors):
            anchor = dimension.anchor(rating)
        rows.append(
            {
                "key": dimension.key,
                "name": dimension.name,
                "asks": dimension.asks,
                "rating": rating,
                "anchor": anchor,
                "high": isinstance(rating, int) and rating >= 4,
            }
        )
    for key, rating in (dimensions or {}).items():
        if key not in seen:
            rows.append(
                {
                    "key": key,
                    "name": key.replace("_", " ").capitalize(),
                    "asks": "",
                    "rating": rating,
                    "anchor": "",
                    "high": False,
                }
            )
    return rows


def texts(items) -> list[str]:
    """Reasons or flags as plain sentences (stored as strings or {code, text} dicts)."""
    result = []
    for item in items or []:
        if isinstance(item, dict):
            result.append(str(item.get("text") or item.get("code") or ""))
        else:
            result.append(str(item))
    return [text for text in result if text]


def preferences(submission) -> list[tuple[Any, Any]]:
    """(label, value in words) for the person's stated preferences."""

    def words(vocabulary, codes):
        if not codes:
            return "—"
        if isinstance(codes, str):
            codes = [codes]
        return ", ".join(str(vocab.label_for(vocabulary, code)) for code in codes)

    return [
        (_("Age group"), words(vocab.AGE_GROUPS, submission.age_group)),
        (_("ZIP code"), submission.zip_code or "—"),
        (_("Insurance"), words(vocab.INSURANCE_ANSWERS, submission.insurance)),
        (_("In person or telehealth"), words(vocab.MODALITIES, submission.modality)),
        (_("Days they can attend"), words(vocab.WEEKDAYS, submission.days)),
        (_("Times they can attend"), words(vocab.TIMES_OF_DAY, submission.times)),
        (
            _("Hours a week available"),
            words(instruments.HOURS_AVAILABLE, submission.hours_available),
        ),
        (_("Language"), words(vocab.LANGUAGES, submission.language)),
    ]


def matched_programs(snapshot) -> list[dict]:
    """The programs the person was shown, as staff read them: the same stored snapshot the
    result page shows (:func:`assessment.services.told_programs`), with the level named and the
    distance rounded."""
    return [
        {
            "name": told["name"],
            "url": told["url"],
            "level": told["level_info"].name if told["level_info"] else "",
            "distance": (
                round(told["distance_miles"], 1) if told["distance_miles"] is not None else None
            ),
            "fits": told["fits"],
            "misses": told["misses"],
            "is_alternative": told["is_alternative"],
        }
        for told in told_programs(snapshot)
    ]


def level_info(level: str):
    try:
        return levels.LEVEL_INFO[levels.parse_level(level)]
    except ValueError:
        return None


def report(submission) -> dict:
    """Everything the staff page shows about what the person submitted."""
    answers = submission.answers or {}
    sections = instrument_sections(answers, submission.scores or {})
    return {
        "instruments": sections,
        "not_scored": skipped_instruments(sections),
        "other_answers": other_answers(answers),
        "dimensions": dimension_rows(submission.dimensions or {}),
        "reasons": texts(submission.reasons),
        "flags": texts(submission.flags),
        "preferences": preferences(submission),
        "programs": matched_programs(submission.matched_programs),
        "level_info": level_info(submission.level),
    }
