"""Forms for the self-assessment: one form per step, built from ``instruments.QUESTIONS``, the
share (call-back) request on the result page and "Email me a link".

The questions and their validation live in :mod:`assessment.instruments`; these forms only turn
them into HTML fields (radio groups, checkboxes, a ZIP box), feed the posted values to
``instruments.validate_step`` and put its plain-words messages next to the right field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessment import instruments
from assessment.models import ReferralSource
from programs import geo

REVIEW_STEP = "review"


# ---------------------------------------------------------------------------------------------
# Skip logic as the page shows it
# ---------------------------------------------------------------------------------------------


def depends_on(question) -> tuple[str, ...]:
    """The ids of the questions whose answers decide whether ``question`` is asked."""
    gate = question.ask_if
    if gate is None:
        return ()
    ids = getattr(gate, "depends_on", None)
    if ids is None:
        single = getattr(gate, "question_id", None)
        ids = (single,) if single else ()
    return tuple(ids)


def same_step_parent(question) -> str | None:
    """The one question on the same page whose answer asks ``question`` (a follow-up the
    script shows and hides), or None."""
    ids = depends_on(question)
    if len(ids) == 1 and instruments.QUESTIONS_BY_ID[ids[0]].step == question.step:
        return ids[0]
    return None


def is_shown(question, prior_answers) -> bool:
    """Whether the step page shows ``question``.

    A question whose condition depends on one answer in the same step is always shown (with a
    plain instruction), because without JavaScript the page cannot know the answer yet. A
    question whose condition depends on earlier steps is shown only when that condition holds
    (the server decides; the question is not rendered otherwise).
    """
    if question.ask_if is None or same_step_parent(question) is not None:
        return True
    return question.is_asked(prior_answers)


def condition_note(question):
    """Plain instruction for a question asked only after a given answer in the same step."""
    parent_id = same_step_parent(question)
    if parent_id is None:
        return ""
    parent = instruments.QUESTIONS_BY_ID[parent_id]
    at_least = getattr(question.ask_if, "at_least", 1)
    # The points of the scale ("Prefer not to say" is not one, and never opens a gate).
    options = [(value, label) for value, label in parent.options if isinstance(value, int)]
    if len(options) == 2 and at_least == 1:
        return format_lazy(
            _('Answer these only if you answered "{answer}" to question {number}.'),
            answer=options[1][1],
            number=parent.number,
        )
    skipped = [label for value, label in options if isinstance(value, int) and value < at_least]
    if len(skipped) == 1:
        return format_lazy(
            _('Skip these if you answered "{answer}" to question {number}.'),
            answer=skipped[0],
            number=parent.number,
        )
    return format_lazy(
        _("Answer these only if they fit your answer to question {number}."), number=parent.number
    )


# ---------------------------------------------------------------------------------------------
# Raw values (what was typed or ticked) <-> stored answers
# ---------------------------------------------------------------------------------------------


#: The longest text kept for a free-text question (ZIP codes have their own, shorter cap).
TEXT_MAX_LENGTH = 500
_TEXT_MAX_LENGTHS = {"zip_code": 10}


def text_max_length(question) -> int:
    """The most characters a text answer may have: what the input allows, what is validated
    and what is ever kept in the session."""
    own = getattr(question, "max_length", None)
    return own or _TEXT_MAX_LENGTHS.get(question.id, TEXT_MAX_LENGTH)


def raw_from_post(step_id: str, post) -> dict:
    """The step's values as posted, unvalidated, ready to be kept in the session: str for one
    answer, list for checkboxes. Only values that are one of the question's options are kept
    (a tampered or stale value is dropped, never stored), and text is cut to its cap, so one
    request can never make the session large."""
    raw = {}
    for question in instruments.questions_for_step(step_id):
        allowed = {str(value) for value in question.values}
        if question.kind == "multi":
            chosen = _posted_list(post, question.id)
            raw[question.id] = [value for value in map(str, question.values) if value in chosen]
        elif question.kind == "text":
            raw[question.id] = str(post.get(question.id, ""))[: text_max_length(question)]
        else:
            value = str(post.get(question.id, ""))
            raw[question.id] = value if value in allowed else ""
    return raw


def _posted_list(post, name: str) -> set[str]:
    values = post.getlist(name) if hasattr(post, "getlist") else post.get(name, [])
    if isinstance(values, str):
        values = [values]
    return {str(value) for value in values}


def raw_from_answers(step_id: str, answers: dict) -> dict:
    """Stored answers of one step in the same shape as :func:`raw_from_post`."""
    raw = {}
    for question in instruments.questions_for_step(step_id):
        value = answers.get(question.id)
        if question.kind == "multi":
            raw[question.id] = [str(item) for item in (value or [])]
        else:
            raw[question.id] = "" if value is None else str(value)
    return raw


def given(raw: dict) -> dict:
    """Only the values that were actually entered (for live safety checks)."""
    return {key: value for key, value in raw.items() if not _is_blank(value)}


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


# ---------------------------------------------------------------------------------------------
# The step form
# ---------------------------------------------------------------------------------------------


@dataclass
class Block:
    """Questions shown together: either plain questions, or a group asked only after a given
    answer to an earlier question in the same step (with one instruction for the group)."""

    parent: str | None
    note: object = ""
    fields: list = field(default_factory=list)
    at_least: int = 1


class StepForm(forms.Form):
    """The questions of one step. Every field is optional at the HTML level; the messages come
    from ``instruments.validate_step`` so the web form and the scoring agree on what is needed."""

    def __init__(self, step_id: str, *args, prior_answers=None, panel_values=None, **kwargs):
        self.step = instruments.STEPS_BY_ID[step_id]
        self.prior_answers = dict(prior_answers or {})
        # {question id: option values that would call for the crisis panel} (decided by
        # rules.crisis_decision in the wizard; the page only carries the result).
        self.panel_values = dict(panel_values or {})
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.questions = [
            question
            for question in instruments.questions_for_step(step_id)
            if is_shown(question, self.prior_answers)
        ]
        for question in self.questions:
            self.fields[question.id] = self._field_for(question)
        self.answers: dict = {}

    @staticmethod
    def _field_for(question):
        """The question's form field: made once per question and shared by every form (its
        texts are lazy, so they follow the page's language; nothing changes a field once it
        is made), which saves building ~50 choices a page (issue 15)."""
        return _shared_field(question.id)

    @staticmethod
    def make_field(question):
        label = question.text
        if question.kind == "multi":
            return forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=[(str(value), text) for value, text in question.options],
                widget=forms.CheckboxSelectMultiple,
                help_text=question.help_text,
            )
        if question.kind == "text":
            max_length = text_max_length(question)
            attrs = {"class": "form-control", "maxlength": str(max_length)}
            if question.id == "zip_code":
                attrs.update(
                    {
                        "inputmode": "numeric",
                        "autocomplete": "postal-code",
                        "class": "form-control zip-input",
                        "spellcheck": "false",
                    }
                )
            return forms.CharField(
                label=label,
                required=False,
                max_length=max_length,
                widget=forms.TextInput(attrs=attrs),
                help_text=question.help_text,
                strip=True,
            )
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[(str(value), text) for value, text in question.options],
            widget=forms.RadioSelect,
            help_text=question.help_text,
            error_messages={
                "invalid_choice": format_lazy(
                    _("Please choose one of the answers shown for question {number}."),
                    number=question.number,
                )
            },
        )

    # -- rendering helpers ------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        """The bound fields grouped for the template, with the instruction for conditional
        groups (``data-ask-if`` lets optional JavaScript show or hide the group)."""
        blocks: list[Block] = []
        for question in self.questions:
            parent = same_step_parent(question)
            if not blocks or blocks[-1].parent != parent:
                blocks.append(
                    Block(
                        parent=parent,
                        note=condition_note(question) if parent else "",
                        at_least=getattr(question.ask_if, "at_least", 1) if parent else 1,
                    )
                )
            blocks[-1].fields.append(
                QuestionField(
                    self[question.id],
                    question,
                    frozenset(self.panel_values.get(question.id, ())),
                )
            )
        return blocks

    def questions_html(self):
        """Every block of questions as the page shows it (the conditional groups with their
        instruction, then each question's :attr:`QuestionField.html`), written in one pass."""
        parts = []
        for block in self.blocks():
            opening = closing = ""
            if block.parent:
                opening = format_html(
                    '<div class="conditional" data-ask-if="{}" data-ask-at-least="{}">\n'
                    '    <p class="conditional-note"><strong>{}</strong></p>',
                    block.parent,
                    block.at_least,
                    block.note,
                )
                closing = "</div>"
            questions = "".join(qf.html for qf in block.fields)
            parts.append(f"\n  {opening}\n    {questions}\n  {closing}\n  ")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped)

    def error_list(self) -> list[tuple[str, object]]:
        """(anchor id, message) pairs for the error summary, in the order of the page."""
        items = []
        for name in self.fields:
            if name in self.errors:
                anchor = self[name].auto_id
                if isinstance(
                    self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                ):
                    anchor = f"{anchor}_0"
                for message in self.errors[name]:
                    items.append((anchor, message))
        return items

    # -- validation --------------------------------------------------------------------------

    def clean(self):
        cleaned_data = super().clean()
        data = {}
        for question in self.questions:
            if question.id in self.errors:
                continue
            value = cleaned_data.get(question.id)
            data[question.id] = None if _is_blank(value) and question.kind != "multi" else value
        cleaned, errors = instruments.validate_step(self.step.id, data, self.prior_answers)
        for qid, message in errors.items():
            if qid in self.fields and qid not in self.errors:
                if qid == "zip_code":
                    message = (
                        _("Enter your 5-digit ZIP code, like 40202.")
                        if _is_blank(data.get(qid))
                        else geo.ZIP_FORMAT_MESSAGE
                    )
                self.add_error(qid, message)
        zip_code = cleaned.get("zip_code")
        if "zip_code" in self.fields and "zip_code" not in self.errors and zip_code:
            try:
                geo.clean_zip(zip_code)
            except ValidationError as error:
                self.add_error("zip_code", error)
        # Keep only what was shown and answered: an unasked question stays out of the record
        # (scoring counts it as its least severe answer), an empty checkbox list is kept.
        self.answers = {
            qid: cleaned[qid]
            for qid in (q.id for q in self.questions)
            if qid in cleaned
            and not (_is_blank(data.get(qid)) and not isinstance(data.get(qid), list))
        }
        return cleaned_data


@cache
def _shared_field(question_id: str):
    return StepForm.make_field(instruments.QUESTIONS_BY_ID[question_id])


@lru_cache(maxsize=1024)
def _escaped_options(question_id: str, language: str | None) -> tuple[tuple[str, str], ...]:
    """A question's (value, label) pairs, escaped for HTML, in ``language``: the same for every
    page, so worked out once per question and language."""
    question = instruments.QUESTIONS_BY_ID[question_id]
    return tuple((escape(str(value)), escape(str(label))) for value, label in question.options)


#: Rendered questions without a message, by :meth:`QuestionField._cache_key`.
_QUESTION_HTML: dict = {}
_HTML_CACHE_SIZE = 4096

_ZIP_INPUT_ATTRS = ' inputmode="numeric" autocomplete="postal-code" spellcheck="false"'


@lru_cache(maxsize=256)
def live_crisis_html(question_id: str, language: str | None) -> str:
    """The hidden live crisis box under a question (``live_crisis.html``): the same for every
    page, so rendered once per question and language."""
    return render_to_string("assessment/includes/live_crisis.html", {"question_id": question_id})


@dataclass
class QuestionField:
    """A bound field with its question, for the question template.

    The options are written here in one pass (issue 15: the template loop over Django's bound
    sub-widgets cost about a millisecond per question): same markup, same ids
    (``<auto_id>_<index>``), the choice kept from the data or the initial answers.
    """

    bound: object
    question: object
    panel_values: frozenset = frozenset()

    @cached_property
    def errors(self):
        return self.bound.errors

    def _chosen(self) -> set[str]:
        value = self.bound.value()
        if isinstance(value, list | tuple):
            return {str(item) for item in value}
        return set() if value is None or value == "" else {str(value)}

    @cached_property
    def options_html(self):
        """The options' ``<input>`` and ``<label>`` pairs, ready for the page."""
        chosen = {escape(value) for value in self._chosen()}
        panel = {escape(value) for value in self.panel_values}
        kind = "checkbox" if self.question.kind == "multi" else "radio"
        name, auto_id = escape(self.bound.html_name), escape(self.bound.auto_id)
        invalid = ' aria-invalid="true"' if self.errors else ""
        rows = []
        for index, (value, label) in enumerate(
            _escaped_options(self.question.id, translation.get_language())
        ):
            checked = " checked" if value in chosen else ""
            crisis = ' data-crisis="panel"' if value in panel else ""
            rows.append(
                f'<div class="form-check option"><input class="form-check-input" type="{kind}" '
                f'name="{name}" value="{value}" id="{auto_id}_{index}"{checked}{invalid}{crisis}>'
                f'<label class="form-check-label" for="{auto_id}_{index}">{label}</label></div>'
            )
        return mark_safe("".join(rows))  # noqa: S308 (every part is escaped above)

    @cached_property
    def html(self):
        """The whole question (fieldset or text box, help, message, options, live crisis box)
        written in one pass; every value escaped (issue 15: the per-question template include
        cost about 0.8 ms under the profiler, 14 of them a step).

        Without a message, the markup depends only on the question, the language, the options
        ticked and those marked for the crisis box: it is kept (in this process, at most
        :data:`_HTML_CACHE_SIZE` versions) and reused. Typed text is never kept."""
        key = self._cache_key()
        if key is None:
            return self._html()
        html = _QUESTION_HTML.get(key)
        if html is None:
            if len(_QUESTION_HTML) >= _HTML_CACHE_SIZE:
                _QUESTION_HTML.clear()
            html = _QUESTION_HTML[key] = self._html()
        return html

    def _cache_key(self):
        if self.errors:
            return None
        chosen = self._chosen()
        if self.question.kind == "text":
            if chosen:
                return None
        elif not chosen <= set(map(str, self.question.values)):
            return None
        bound = self.bound
        return (
            self.question.id,
            translation.get_language(),
            tuple(sorted(chosen)),
            tuple(sorted(self.panel_values)),
            bound.auto_id,
            bound.html_name,
        )

    def _html(self):
        bound, question = self.bound, self.question
        auto_id = conditional_escape(bound.auto_id)
        errors = self.errors
        help_text = question.help_text
        help_html = (
            format_html('<p class="form-text" id="{}-help">{}</p>', auto_id, help_text)
            if help_text
            else ""
        )
        error_html = (
            format_html(
                '<p class="field-error" id="{}-error">'
                '<span class="visually-hidden">{}</span> {}</p>',
                auto_id,
                _("Error:"),
                errors[0],
            )
            if errors
            else ""
        )
        described = ""
        if help_text or errors:
            ids = (f"{auto_id}-help" if help_text else "") + (f" {auto_id}-error" if errors else "")
            described = f' aria-describedby="{ids}"'
        has_error = " has-error" if errors else ""
        heading = format_html(
            '<span class="q-number">{}.</span> {}', question.number, question.text
        )
        if question.kind == "text":
            body = self._text_html(auto_id, heading, has_error, described)
        else:
            multi = " options-multi" if question.kind == "multi" else ""
            crisis = live_crisis_html(question.id, translation.get_language())
            body = (
                f'<fieldset class="question{has_error}" id="{self.html_id}"{described}>\n'
                f"  <legend>{heading}</legend>\n  {help_html}\n  {error_html}\n"
                f'  <div class="options{multi}">\n    {self.options_html}\n  </div>\n'
                f"</fieldset>\n{crisis if self.panel_values else ''}"
            )
            return mark_safe(f"\n\n{body}\n\n\n")  # noqa: S308 (every part is escaped above)
        return mark_safe(  # noqa: S308 (every part is escaped above)
            f"\n\n{body[0]}  {help_html}\n  {error_html}\n{body[1]}\n\n\n"
        )

    def _text_html(self, auto_id, heading, has_error, described) -> tuple[str, str]:
        """The text box's opening (container and label) and closing (input) parts."""
        bound, question = self.bound, self.question
        value = bound.value()
        zip_code = question.id == "zip_code"
        invalid = " is-invalid" if self.errors else ""
        extra = _ZIP_INPUT_ATTRS if zip_code else ""
        opening = (
            f'<div class="question text-question{has_error}" id="{self.html_id}">\n'
            f'  <label class="form-label question-label" for="{auto_id}">{heading}</label>\n'
        )
        closing = format_html(
            '  <input type="text" name="{}" id="{}" value="{}" maxlength="{}"'
            ' class="form-control{}{}"',
            bound.html_name,
            auto_id,
            "" if value is None else value,
            self.max_length,
            " zip-input" if zip_code else "",
            invalid,
        )
        aria_invalid = ' aria-invalid="true"' if self.errors else ""
        return opening, f"{closing}{extra}{described}{aria_invalid}>\n</div>"

    @property
    def max_length(self) -> int:
        return text_max_length(self.question)

    @property
    def number(self):
        return self.question.number

    @property
    def kind(self):
        return self.question.kind

    @property
    def html_id(self):
        return f"q-{self.question.id}"


# ---------------------------------------------------------------------------------------------
# Call back
# ---------------------------------------------------------------------------------------------

_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")

PHONE_MESSAGE = _("Enter a US phone number with 10 digits, like (502) 555-0142.")


def normalise_us_phone(value: str) -> str:
    """A US (NANP) phone number as ``+1XXXXXXXXXX``, or ValidationError.

    Accepts 10 digits with optional +1 or 1 in front and the usual punctuation: (502) 555-0142,
    502-555-0142, 502.555.0142, 5025550142, +1 502 555 0142. NANP rules: the area code and the
    exchange cannot start with 0 or 1, and N11 codes (211, 911 ...) are service codes, not area
    codes.
    """
    text = _PHONE_PUNCTUATION.sub("", value.strip())
    # Digits typed on another keyboard ("５０２") are stored as ASCII, so the tel: link, the CSV
    # export and the search all see the same number.
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    if text.startswith("+"):
        if not text.startswith("+1"):
            raise ValidationError(PHONE_MESSAGE, code="invalid")
        text = text[2:]
    elif len(text) == 11 and text.startswith("1"):
        text = text[1:]
    if not re.fullmatch(r"[0-9]{10}", text):
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    area, exchange = text[:3], text[3:6]
    if area[0] in "01" or exchange[0] in "01":
        raise ValidationError(
            _(
                "That number doesn't look right: a US area code and the next 3 digits can't "
                "start with 0 or 1. Check it and try again."
            ),
            code="invalid",
        )
    if area[1:] == "11":
        raise ValidationError(
            format_lazy(
                _(
                    "That number doesn't look right: {code} isn't an area code. Check it and try "
                    "again."
                ),
                code=area,
            ),
            code="invalid",
        )
    return f"+1{text}"


class TelInput(forms.TextInput):
    input_type = "tel"


class CallbackForm(forms.Form):
    """Contact details, asked only when the person asks for a call back, with consent.

    Written by hand by ``{% field_html %}`` (``assessment/templatetags/assessment_fields.py``,
    no widget templates, issue 15): an invalid input has aria-invalid and aria-describedby
    pointing at its help text and its message; the page's error summary links to each input."""

    contact_name = forms.CharField(
        label=_("Your first name, or what we should call you"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Optional."),
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        widget=TelInput(attrs={"autocomplete": "tel"}),
        help_text=_("A US number, like (502) 555-0142."),
    )
    contact_email = forms.CharField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text=_("Optional if you gave a phone number."),
    )
    best_time = forms.CharField(
        label=_("Best time to reach you"),
        required=False,
        max_length=120,
        help_text=_("Optional. For example: weekday evenings after 6 pm."),
    )
    referral_source = forms.ChoiceField(
        label=_("How did you hear about us?"),
        required=False,
        choices=[("", _("I'd rather not say")), *ReferralSource.choices],
        help_text=_("Optional. It helps us reach more people who need care."),
    )
    referral_source_other = forms.CharField(
        label=_("If other, where?"),
        required=False,
        max_length=120,
        help_text=_("Optional."),
    )
    insurance_payer = forms.CharField(
        label=_("Insurance company"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Optional. If you tell us, the team can check what your plan covers before they "
            "call you."
        ),
    )
    insurance_member_id = forms.CharField(
        label=_("Member ID"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Optional. It is on your insurance card."),
    )
    # Checked in clean_contact_consent (not required=True): the box is the one thing to agree
    # to, and a required field would get the browser's own message before ours.
    contact_consent = forms.BooleanField(
        label=_(
            "I agree that the admissions team can see my answers, contact me by phone or "
            "email about care, and store the details I gave here with my answers."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)

    def clean_contact_consent(self):
        if not self.cleaned_data.get("contact_consent"):
            raise ValidationError(
                _("Please tick the box to agree, so we can contact you."), code="required"
            )
        return True

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "").strip()
        return normalise_us_phone(value) if value else ""

    def clean_contact_email(self):
        value = self.cleaned_data.get("contact_email", "").strip()
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Enter an email address like name@example.com."), code="invalid"
                ) from None
        return value

    def clean(self):
        cleaned_data = super().clean()
        phone_ok = "contact_phone" not in self.errors
        email_ok = "contact_email" not in self.errors
        if (
            phone_ok
            and email_ok
            and not cleaned_data.get("contact_phone")
            and not cleaned_data.get("contact_email")
        ):
            self.add_error(
                "contact_phone",
                _("Give us a phone number or an email address, so we can reach you."),
            )
        if cleaned_data.get("referral_source_other") and not cleaned_data.get("referral_source"):
            cleaned_data["referral_source"] = ReferralSource.OTHER
        if cleaned_data.get("referral_source") != ReferralSource.OTHER:
            cleaned_data["referral_source_other"] = ""
        if cleaned_data.get("insurance_member_id") and not cleaned_data.get("insurance_payer"):
            self.add_error(
                "insurance_payer",
                _("Tell us the insurance company too, or leave the member ID empty."),
            )
        return cleaned_data

    def error_list(self) -> list[tuple[str, object]]:
        return [
            (self[name].auto_id, message)
            for name in self.fields
            if name in self.errors
            for message in self.errors[name]
        ]


class EmailLinkForm(forms.Form):
    """ "Email me a link": an address used once, to send the link, and not stored."""

    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text=_(
            "We use it only to send this link. We don't keep it (unless you also ask us to "
            "call you back)."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_link_%s")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        value = self.cleaned_data.get("email", "").strip()
        if not value:
            raise ValidationError(
                _("Enter your email address, so we can send you the link."), code="required"
            )
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an email address like name@example.com."), code="invalid"
            ) from None
        return value

    def error_list(self) -> list[tuple[str, object]]:
        return [(self["email"].auto_id, message) for message in self.errors.get("email", [])]
