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

from assessment import forms, instruments, services
from assessment.models import Submission
from assessment.wizard import REVIEW, SESSION_KEY, STEP_IDS, Kind, Outcome, Wizard
from iop_finder.core.ratelimit import rate_limit
from programs import vocab
from programs.levels import LevelOfCare


def step_url(step_id: str, return_to_review: bool = False) -> str:
    url = reverse("assessment:step", args=[step_id])
    return f"{url}?return=review" if return_to_review else url


def outcome_url(outcome: Outcome) -> str:
    """The address an Outcome that moves the person on leads to."""
    if outcome.kind == Kind.RESULT:
        return reverse("assessment:result", args=[outcome.token])
    if outcome.kind == Kind.CRISIS:
        return reverse("assessment:crisis_panel")
    if outcome.kind == Kind.STEP:
        return step_url(outcome.step_id, outcome.return_to_review)
    return reverse("assessment:start")


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
    """One step: the wizard decides (``wizard.Wizard``), this renders what it decided."""
    if step_id not in STEP_IDS:
        raise Http404
    wizard = Wizard(request.session)
    return_to_review = (request.POST or request.GET).get("return") == "review"
    if request.method == "POST":
        outcome = wizard.post(step_id, request.POST, return_to_review)
    else:
        outcome = wizard.get(step_id, return_to_review)
    if outcome.kind in (Kind.SHOW, Kind.ERRORS):
        return render_step(request, wizard, outcome)
    if outcome.message:
        messages.error(request, outcome.message)
    return redirect(outcome_url(outcome))


@never_cache
@require_http_methods(["GET", "HEAD"])
def crisis_panel(request):
    """Crisis help first, reached by a redirect after a crisis answer (so Back and reload never
    post the answers again); "keep going" leads where the person was going."""
    # Anyone may open this page; only a run in progress has somewhere to keep going to (and a
    # visitor without one gets no session made for them).
    onward = Wizard(request.session).after_panel() if SESSION_KEY in request.session else None
    return render(
        request,
        "assessment/crisis_panel.html",
        {"next_url": outcome_url(onward or Outcome(Kind.START))},
    )


def render_step(request, wizard: Wizard, outcome: Outcome):
    form = outcome.form
    step_id = form.step.id
    context = {
        "form": form,
        "step": form.step,
        "number": wizard.number(step_id),
        "total": wizard.total(),
        "is_first": wizard.previous(step_id) is None,
        "return_to_review": outcome.return_to_review,
        "show_resources": wizard.take_pending_resources(),
        "resources_reminder": wizard.shows_reminder(),
        "is_review": step_id == REVIEW,
        "RESULT_LINK_DAYS": settings.RESULT_LINK_DAYS,
    }
    if step_id == REVIEW:
        context["summary"] = review_summary(wizard)
    return render(request, "assessment/step.html", context)


def _answer_text(question, value) -> str:
    if question.kind == "multi":
        return ", ".join(str(question.label_for(v)) for v in value or [])
    if value is None or value == "":
        return ""
    return str(question.label_for(value))


def review_summary(wizard: Wizard) -> list[dict]:
    """The answers of every step that was asked, grouped per topic, with a Change link for the
    topic and for each answer (the page shows each topic collapsed)."""
    answers = wizard.answers
    summary = []
    for step_id in wizard.active_steps():
        if step_id == REVIEW:
            continue
        step_obj = instruments.STEPS_BY_ID[step_id]
        prior = wizard.answers_before(step_id)
        rows = []
        for question in instruments.questions_for_step(step_id):
            if not forms.is_shown(question, prior):
                continue
            shown = _answer_text(question, answers.get(question.id))
            if not shown and question.ask_if is not None and not question.is_asked(answers):
                continue  # a follow-up question that did not apply
            rows.append(
                {
                    "question": question,
                    "answer": shown,
                    "change_url": step_url(step_id, True) + f"#q-{question.id}",
                }
            )
        summary.append(
            {
                "step": step_obj,
                "rows": rows,
                "answered": sum(1 for row in rows if row["answer"]),
                "change_url": step_url(step_id, True),
            }
        )
    return summary


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
    """The result as the person was told it when they sent their answers: the level, the
    reasons and the programs stored with the Submission (never matched again; "Search again"
    leads to the directory for what is open now)."""
    level = submission.level_of_care
    emergency = level == LevelOfCare.EMERGENCY
    matches = [] if emergency else services.told_programs(submission.matched_programs)
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
