"""The self-assessment pages: the steps, the result and the call-back request.

Thin: questions and validation come from ``instruments`` (through ``forms``), the state of the
run from ``wizard``, the recommendation from ``rules`` and the write from ``services``.
Everything works with plain HTML forms (no JavaScript needed).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment import forms, instruments, rules, services
from assessment.models import Submission
from assessment.wizard import REVIEW, STEP_IDS, Wizard
from iop_finder.core.ratelimit import rate_limit
from programs import vocab
from programs.levels import LevelOfCare

SAFETY = "safety"


def step_url(step_id: str, return_to_review: bool = False) -> str:
    url = reverse("assessment:step", args=[step_id])
    return f"{url}?return=review" if return_to_review else url


@never_cache
@require_http_methods(["GET", "HEAD"])
def start(request):
    """Begin or continue the assessment at the first step not yet done."""
    wizard = Wizard(request.session)
    if wizard.token:
        return render(request, "assessment/finished.html", {"token": wizard.token})
    return redirect(step_url(wizard.first_open_step()))


@require_POST
def restart(request):
    """Forget this browser's answers and start a new assessment."""
    Wizard(request.session).reset()
    return redirect("assessment:start")


@never_cache
@rate_limit("assessment_submit")
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, step_id: str):
    if step_id not in STEP_IDS:
        raise Http404
    wizard = Wizard(request.session)
    if wizard.token:
        # Already sent: a replayed or late POST finds the stored result, never a second row.
        if request.method == "POST" and step_id == REVIEW:
            return redirect("assessment:result", token=wizard.token)
        return unstorable_post(request, wizard, step_id, reverse("assessment:start"))
    if not wizard.can_enter(step_id):
        return unstorable_post(request, wizard, step_id, step_url(wizard.first_open_step()))
    return_to_review = (request.POST or request.GET).get("return") == "review"
    prior = wizard.answers_before(step_id)

    if request.method == "POST":
        if request.POST.get("action") == "back":
            raw = forms.raw_from_post(step_id, request.POST)
            wizard.keep_raw(step_id, raw)
            back_to = wizard.previous(step_id) or step_id
            back_url = step_url(back_to, return_to_review)
            # Safety first, on Back too: a crisis answer shows the crisis panel at once, and a
            # positive item 9 (or any risk answer) puts crisis help at the top of the next page.
            so_far = {**prior, **forms.given(raw)}
            if rules.needs_crisis_panel(so_far) and (step_id == SAFETY or not wizard.crisis):
                wizard.mark_crisis()
                return render(
                    request,
                    "assessment/crisis_panel.html",
                    {"step": instruments.STEPS_BY_ID[step_id], "next_url": back_url},
                )
            wizard.note_crisis_resources(rules.shows_crisis_resources(so_far))
            return redirect(back_url)
        form = forms.StepForm(step_id, request.POST, prior_answers=prior)
        if not form.is_valid():
            raw = forms.raw_from_post(step_id, request.POST)
            wizard.keep_raw(step_id, raw)
            # Safety first: an answer of intent, a plan or recent behaviour shows the crisis
            # panel at once, even when other answers on the step still need fixing.
            crisis_now = rules.needs_crisis_panel({**prior, **forms.given(raw)})
            if crisis_now:
                wizard.mark_crisis()
            return render_step(request, wizard, form, return_to_review, crisis_now=crisis_now)
        wizard.save_step(step_id, form.answers)
        if step_id == REVIEW:
            return submit(request, wizard)
        answers = wizard.answers
        next_step = wizard.first_open_step() if return_to_review else wizard.following(step_id)
        if rules.needs_crisis_panel(answers) and (step_id == SAFETY or not wizard.crisis):
            wizard.mark_crisis()
            return render(
                request,
                "assessment/crisis_panel.html",
                {
                    "step": instruments.STEPS_BY_ID[step_id],
                    "next_url": step_url(next_step, return_to_review and next_step != REVIEW),
                },
            )
        wizard.note_crisis_resources(rules.shows_crisis_resources(answers))
        return redirect(step_url(next_step, return_to_review and next_step != REVIEW))

    form = forms.StepForm(step_id, initial=wizard.initial_for(step_id), prior_answers=prior)
    return render_step(request, wizard, form, return_to_review)


def unstorable_post(request, wizard: Wizard, step_id: str, next_url: str):
    """A step this session cannot take now (answers already sent from another tab, an expired
    session, a step not reached yet): go to ``next_url``. A crisis answer in the POST cannot be
    stored, but it still gets the crisis panel first, never a silent redirect."""
    if request.method == "POST":  # Next or Back alike
        posted = forms.given(forms.raw_from_post(step_id, request.POST))
        if rules.needs_crisis_panel(posted):
            if not wizard.token:
                wizard.mark_crisis()
            return render(
                request,
                "assessment/crisis_panel.html",
                {"step": instruments.STEPS_BY_ID[step_id], "next_url": next_url},
            )
    return redirect(next_url)


def render_step(request, wizard: Wizard, form, return_to_review: bool, crisis_now=False):
    step_id = form.step.id
    answers = wizard.answers
    context = {
        "form": form,
        "step": form.step,
        "number": wizard.number(step_id),
        "total": len(STEP_IDS),
        "is_first": wizard.previous(step_id) is None,
        "return_to_review": return_to_review,
        "crisis_now": crisis_now,
        "show_resources": wizard.take_pending_resources() and not crisis_now,
        "crisis": wizard.crisis,
        "resources_reminder": rules.shows_crisis_resources(answers),
        "is_review": step_id == REVIEW,
        "RESULT_LINK_DAYS": settings.RESULT_LINK_DAYS,
    }
    if step_id == REVIEW:
        context["summary"] = review_summary(answers)
    return render(request, "assessment/step.html", context)


def review_summary(answers: dict) -> list[dict]:
    """Every step's questions and answers for the review page, with a Change link for each."""
    summary = []
    for step_obj in instruments.STEPS:
        if step_obj.id == REVIEW:
            continue
        rows = []
        for question in instruments.questions_for_step(step_obj.id):
            if not forms.is_shown(question, answers):
                continue
            value = answers.get(question.id)
            if question.kind == "multi":
                shown = ", ".join(str(question.label_for(v)) for v in value or [])
            elif value is None or value == "":
                shown = ""
            else:
                shown = str(question.label_for(value))
            if not shown and question.ask_if is not None and not question.is_asked(answers):
                continue  # a follow-up question that did not apply
            rows.append(
                {
                    "question": question,
                    "answer": shown,
                    "change_url": step_url(step_obj.id, True) + f"#q-{question.id}",
                }
            )
        summary.append({"step": step_obj, "rows": rows, "change_url": step_url(step_obj.id, True)})
    return summary


def submit(request, wizard: Wizard):
    """The review step passed: store the answers once and show the result."""
    try:
        submission, _created = services.create_submission(
            wizard.key, wizard.answers, consent_to_store=wizard.consent
        )
    except instruments.AnswerError as error:
        question = instruments.QUESTIONS_BY_ID.get(error.question_id)
        step_id = question.step if question else STEP_IDS[0]
        wizard.reopen(step_id)
        wizard.reopen(REVIEW)
        messages.error(request, error.user_message)
        return redirect(step_url(step_id, True))
    wizard.mark_submitted(submission.token)
    return redirect(submission.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# Result and call back
# ---------------------------------------------------------------------------------------------


def programs_link(submission: Submission) -> str:
    """The directory search for programs at the recommended level near the person."""
    params = []
    if submission.level != LevelOfCare.EMERGENCY:
        params.append(("level", submission.level))
    if submission.zip_code:
        params.append(("zip", submission.zip_code))
    if submission.insurance and submission.insurance != "unsure":
        params.append(("insurance", submission.insurance))
    params += [("day", day) for day in submission.days]
    params += [("time", time) for time in submission.times]
    if submission.language:
        params.append(("language", submission.language))
    if submission.age_group:
        params.append(("age", submission.age_group))
    if submission.modality == "telehealth":
        params.append(("telehealth", "1"))
    url = reverse("programs:search")
    return f"{url}?{urlencode(params)}" if params else url


def render_result(request, submission: Submission, callback_form, status=200):
    level = submission.level_of_care
    emergency = level == LevelOfCare.EMERGENCY
    flag_codes = [flag.get("code", "") for flag in submission.flags]
    matches = (
        []
        if emergency
        else services.matches_for(
            level,
            {name: getattr(submission, name) for name in services.PREFERENCE_FIELDS},
            flags=flag_codes,
        )
    )
    context = {
        "submission": submission,
        "level": level,
        "info": level.info,
        "emergency": emergency,
        "urgent": submission.urgent or emergency,
        "reasons": submission.reasons,
        "flags": submission.flags,
        "matches": matches,
        "programs_url": programs_link(submission),
        "form": callback_form,
        "zip_code": submission.zip_code,
        "insurance_label": vocab.label_for(vocab.INSURANCE_ANSWERS, submission.insurance),
    }
    return render(request, "assessment/result.html", context, status=status)


def _expired(request):
    return render(
        request,
        "assessment/expired.html",
        {"RESULT_LINK_DAYS": settings.RESULT_LINK_DAYS},
        status=410,
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def result(request, token: str):
    submission = get_object_or_404(Submission, token=token)
    if submission.is_expired:
        return _expired(request)
    return render_result(request, submission, forms.CallbackForm())


@never_cache
@rate_limit("callback")
@require_http_methods(["GET", "HEAD", "POST"])
def callback(request, token: str):
    submission = get_object_or_404(Submission, token=token)
    if submission.is_expired:
        return _expired(request)
    result_url = submission.get_absolute_url() + "#call-back"
    if request.method != "POST" or submission.callback_requested:
        return redirect(result_url)
    form = forms.CallbackForm(request.POST)
    if not form.is_valid():
        return render_result(request, submission, form)
    services.request_callback(submission, form.cleaned_data)
    return redirect(result_url)
