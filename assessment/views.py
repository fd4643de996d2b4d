"""The self-assessment pages: the steps, the result and the call-back request.

Thin: questions and validation come from ``instruments`` (through ``forms``), the state of the
run from ``wizard``, the recommendation from ``rules`` and the write from ``services``.
Everything works with plain HTML forms (no JavaScript needed).
"""

from __future__ import annotations

import functools
import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from assessment import first_visit, forms, instruments, links, services, spanish
from assessment.models import Submission
from assessment.wizard import REVIEW, SESSION_KEY, STEP_IDS, Kind, Outcome, Wizard
from iop_finder.core.ratelimit import hit, rate_limit, too_many_requests
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


def patient_session(request) -> None:
    """An anonymous person's session ends when the browser closes (a shared device keeps
    nothing of the run); staff sessions keep their own rules (``admissions.middleware``)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated) and request.session.get("_session_expiry") != 0:
        request.session.set_expiry(0)


def clear_run(request) -> None:
    """Forget this browser's run: the answers, the result token and any resumed drafts. An
    anonymous session is flushed whole (a new, empty one replaces it)."""
    user = getattr(request, "user", None)
    if user and user.is_authenticated:
        for key in (SESSION_KEY, links.OPENED_KEY):
            request.session.pop(key, None)
    else:
        request.session.flush()


#: Where "Leave this site" goes: a neutral page that says nothing about why the person was here.
QUICK_EXIT_DEFAULT = "https://www.weather.gov/"


def quick_exit_url() -> str:
    return getattr(settings, "QUICK_EXIT_URL", QUICK_EXIT_DEFAULT)


@csrf_exempt  # a link or a beacon: it only ever forgets the caller's own run
@never_cache
@require_http_methods(["GET", "POST"])
def leave(request):
    """Quick exit: forget this browser's run, then go to a neutral site.

    The "Leave this site" link on every page leads here (works without JavaScript): the run is
    cleared and the browser is sent on. With JavaScript the page hides itself and comes here with
    ``location.replace`` (Back does not return). A POST (a beacon) clears and gets an empty 204.
    """
    clear_run(request)
    if request.method == "POST":
        return HttpResponse(status=204)
    # No Clear-Site-Data: browsers can take seconds to honour it, and a quick exit must be quick
    # (the assessment pages are never cached anyway).
    return redirect(quick_exit_url())


@never_cache
@require_http_methods(["GET", "HEAD"])
def start(request):
    """Begin or continue the assessment at the first step not yet done. After the answers were
    sent this page never shows the result's link (the next person on a shared device must not
    find it): it offers a fresh start."""
    patient_session(request)
    wizard = Wizard(request.session)
    if wizard.token:
        return render(request, "assessment/finished.html")
    return redirect(step_url(wizard.first_open_step()))


@require_POST
def restart(request):
    """Forget this browser's answers and start a new assessment."""
    Wizard(request.session).reset()
    return redirect("assessment:start")


@require_POST
def finish(request):
    """ "Finish and clear" on the result page: end the run in this browser."""
    clear_run(request)
    messages.success(
        request,
        _(
            "Done. This browser no longer holds your answers or your result. Your private "
            "link still works if you saved it or e-mailed it to yourself."
        ),
    )
    return redirect("home")


@never_cache
@rate_limit("assessment_submit")
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, step_id: str):
    """One step: the wizard decides (``wizard.Wizard``), this renders what it decided."""
    if step_id not in STEP_IDS:
        raise Http404
    patient_session(request)
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


def render_step(request, wizard: Wizard, outcome: Outcome, link_form=None, status=200):
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
        "link_form": link_form or forms.EmailLinkForm(),
        "RESUME_LINK_HOURS": links.resume_link_hours(),
    }
    if step_id == REVIEW:
        context["summary"] = review_summary(wizard)
    return render(request, "assessment/step.html", context, status=status)


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


def shown_in_language(text):
    """A lazy text renders in the active language by itself; a stored English one is looked up
    (``assessment.spanish.in_current_language``)."""
    return text if isinstance(text, Promise) else spanish.in_current_language(text)


def in_language(told: list[dict]) -> list[dict]:
    """The stored program notes (why it may fit, what to check) in the page's language."""
    for program in told:
        program["fits"] = [spanish.in_current_language(text) for text in program["fits"]]
        program["misses"] = [spanish.in_current_language(text) for text in program["misses"]]
        program["alternative_note"] = spanish.in_current_language(program["alternative_note"])
    return told


#: The told-programs section already rendered, by :func:`_told_key`; at most
#: :data:`_TOLD_CACHE_SIZE` of them in this process (issue 15).
_TOLD_HTML: dict = {}
_TOLD_CACHE_SIZE = 1024


def _told_key(submission: Submission, programs_url: str) -> str:
    """What the section depends on: the stored snapshot, the search link, the language and the
    day (a next intake is worded as of today). A digest, so no answer is kept as a key."""
    snapshot = json.dumps(submission.matched_programs, sort_keys=True, default=str)
    parts = (snapshot, programs_url, get_language() or "", timezone.localdate().isoformat())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def told_programs_section(submission: Submission, programs_url: str) -> tuple[bool, str]:
    """(whether any program was told, the ``told_programs.html`` section), rendered once per
    snapshot, language and day."""
    key = _told_key(submission, programs_url)
    found = _TOLD_HTML.get(key)
    if found is None:
        matches = in_language(services.told_programs(submission.matched_programs))
        html = render_to_string(
            "assessment/includes/told_programs.html",
            {"matches": matches, "search_url": programs_url},
        )
        if len(_TOLD_HTML) >= _TOLD_CACHE_SIZE:
            _TOLD_HTML.clear()
        found = _TOLD_HTML[key] = (bool(matches), html)
    return found


@functools.lru_cache(maxsize=64)
def first_visit_section(level: str, language: str | None) -> str:
    """The "What happens at the first visit" section for a level, in a language ("" when the
    level has none): the same for everybody, so rendered once."""
    visit = first_visit.for_level(level)
    if not visit:
        return ""
    return render_to_string("assessment/includes/first_visit.html", {"first_visit": visit})


def render_result(request, submission: Submission, share_form=None, link_form=None, status=200):
    """The result as the person was told it when they sent their answers: the level, the
    reasons (in the active language, ``services.patient_texts``), the programs stored with the
    Submission (never matched again; "Search again" leads to the directory for what is open
    now), then the share (call-back) form and the ways to keep the link."""
    level = submission.level_of_care
    emergency = level == LevelOfCare.EMERGENCY
    programs_url = programs_link(submission)
    any_told, told_html = (
        (False, "") if emergency else told_programs_section(submission, programs_url)
    )
    reasons, flags = services.patient_texts(submission)
    # Texts shown as stored (an older ruleset) are English: shown in the page's language.
    reasons = [shown_in_language(reason) for reason in reasons]
    flags = [{**flag, "text": shown_in_language(flag["text"])} for flag in flags]
    context = {
        "submission": submission,
        "level": level,
        "info": level.info,
        "emergency": emergency,
        "urgent": submission.urgent or emergency,
        "reasons": reasons,
        "flags": flags,
        "matches": any_told,
        "told_programs": mark_safe(told_html),  # noqa: S308 (a rendered template)
        "programs_url": programs_url,
        "form": share_form or forms.CallbackForm(),
        "link_form": link_form or forms.EmailLinkForm(),
        "zip_code": submission.zip_code,
        "insurance_label": vocab.label_for(vocab.INSURANCE_ANSWERS, submission.insurance),
        "first_visit": mark_safe(  # noqa: S308 (a rendered template)
            first_visit_section(str(level.value), get_language())
        ),
        "result_url": request.build_absolute_uri(submission.get_absolute_url()),
        "RESULT_LINK_DAYS": settings.RESULT_LINK_DAYS,
    }
    return render(request, "assessment/result.html", context, status=status)


def _expired(request):
    return render(
        request,
        "assessment/expired.html",
        {"RESULT_LINK_DAYS": settings.RESULT_LINK_DAYS},
        status=410,
    )


def _live_submission(token: str):
    submission = get_object_or_404(Submission, token=token)
    return None if submission.is_expired else submission


@never_cache
@require_http_methods(["GET", "HEAD"])
def result(request, token: str):
    submission = _live_submission(token)
    if submission is None:
        return _expired(request)
    return render_result(request, submission)


@never_cache
@rate_limit("callback")
@require_http_methods(["GET", "HEAD", "POST"])
def callback(request, token: str):
    """ "Let the admissions team see my answers and call me": the share action."""
    submission = _live_submission(token)
    if submission is None:
        return _expired(request)
    result_url = submission.get_absolute_url() + "#call-back"
    if request.method != "POST" or submission.shared_at is not None:
        return redirect(result_url)
    form = forms.CallbackForm(request.POST)
    if not form.is_valid():
        return render_result(request, submission, share_form=form)
    services.share_submission(submission, form.cleaned_data)
    return redirect(result_url)


def email_rate_limit(view):
    """Rate limit "Email me a link" (it sends mail to any address typed): the ``email_link``
    scope of ``settings.RATE_LIMITS`` when it is set, else the call-back's."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = "email_link" if settings.RATE_LIMITS.get("email_link") else "callback"
        if request.method == "POST" and not hit(request, scope):
            return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapped


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


@never_cache
@email_rate_limit
@require_POST
def email_result(request, token: str):
    """ "Email me this link" on the result page."""
    submission = _live_submission(token)
    if submission is None:
        return _expired(request)
    form = forms.EmailLinkForm(request.POST)
    if not form.is_valid():
        return render_result(request, submission, link_form=form)
    with transaction.atomic():
        links.email_result_link(
            form.cleaned_data["email"], _absolute(request, links.result_link_url(submission))
        )
    messages.success(request, _("We are sending the link to your email address now."))
    return redirect(submission.get_absolute_url() + "#keep")


@never_cache
@require_http_methods(["GET", "HEAD"])
def result_link(request, signed: str):
    """The signed result link from an e-mail: leads to the result page while it lives."""
    submission = links.submission_for_link(signed)
    if submission is None or submission.is_expired:
        return _expired(request)
    return redirect(submission.get_absolute_url())


@never_cache
@email_rate_limit
@require_POST
def email_resume(request, step_id: str):
    """ "Email me a link to finish later" on a step: save the run so far, send the link."""
    if step_id not in STEP_IDS:
        raise Http404
    patient_session(request)
    wizard = Wizard(request.session)
    if wizard.token:
        return redirect("assessment:start")
    form = forms.EmailLinkForm(request.POST)
    if not form.is_valid():
        outcome = wizard.get(step_id)
        if outcome.kind not in (Kind.SHOW, Kind.ERRORS):
            return redirect(outcome_url(outcome))
        return render_step(request, wizard, outcome, link_form=form, status=200)
    with transaction.atomic():
        draft = links.save_draft(wizard.snapshot(), step_id)
        url = _absolute(request, links.resume_url(draft))
        links.email_resume_link(form.cleaned_data["email"], url)
    messages.success(
        request,
        _("We are sending the link to your email address now. It works once, for %(hours)d hours.")
        % {"hours": links.resume_link_hours()},
    )
    return redirect(step_url(step_id) + "#email-link")


def _resume_refused(request):
    return render(
        request,
        "assessment/resume_refused.html",
        {"RESUME_LINK_HOURS": links.resume_link_hours()},
        status=410,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resume(request, signed: str):
    """A resume link (see ``links``). GET shows a "Continue" button and uses nothing up (mail
    scanners and link previews open links); its POST restores the answers and the step in this
    browser."""
    if request.method != "POST":
        if not links.may_open(signed, request.session):
            return _resume_refused(request)
        return render(request, "assessment/resume.html", {"signed": signed})
    try:
        draft = links.open_draft(signed, request.session)
    except links.DraftRefused:
        return _resume_refused(request)
    patient_session(request)
    wizard = Wizard(request.session)
    if draft is not None:
        wizard.restore(draft.state)
        if wizard.can_enter(draft.step):
            return redirect(step_url(draft.step))
    return redirect("assessment:start")
