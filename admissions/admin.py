"""The admissions admin: the submissions queue, the submission page and the audit trail.

Queue
    Open EMERGENCY submissions first, then open urgent ones, then everything else newest first.
    Badges carry words, not only colour; overdue follow-ups say "Overdue". The page costs the same
    number of SQL queries for 10 rows or 1,000 (``list_select_related``; every column reads the
    row itself).
Submission page
    Everything the person submitted in words (``admissions.readable``), read-only; the editable
    part is status, owner, next follow-up and an append-only note. Every opening, change, note and
    export is written to the audit trail (``admissions.audit``).
Audit trail
    Read-only for everyone (superusers included); only people with ``view_auditevent`` (the
    clinical lead) see it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Q, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.base import ModelState
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from admissions import audit, contact, exports, flags, notify, pipeline, queue_rows, readable
from admissions.forms import SubmissionAdminForm
from admissions.models import AuditEvent, Case
from assessment.instruments import INSTRUMENT_NAMES
from assessment.models import Submission
from programs import vocab

Status = Case.Status
#: Name of the "Assign to me" quick-action button on the submission page.
ASSIGN_TO_ME = "_assign_to_me"
#: Names of the "not the same person" and "merge" buttons of a returning person.
UNLINK = "_unlink_returning"
MERGE = "_merge_returning"

# ------------------------------------------------------------------------------------------------
# Filters
# ------------------------------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open (not closed)")), *Status.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.filter(pipeline.open_q())
        if value == Status.NEW:  # a row written without save() has no case yet: it is new
            return queryset.filter(Q(case__status=value) | Q(case__isnull=True))
        if value in Status.values:
            return queryset.filter(case__status=value)
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("mine", _("Mine")), ("unassigned", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(case__owner=request.user)
        if self.value() == "unassigned":
            return queryset.filter(case__owner__isnull=True)
        return queryset

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == _("All"):
                choice["display"] = _("Anyone")
            yield choice


class OverdueFilter(admin.SimpleListFilter):
    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [
            ("due_now", _("Due now (overdue or within the hour)")),
            ("overdue", _("Overdue")),
            ("today", _("Due later today")),
            ("none", _("No follow-up set (open)")),
        ]

    def queryset(self, request, queryset):
        # ``open_follow_up_at`` is the follow-up of open cases only, with its own index.
        now = timezone.now()
        value = self.value()
        if value == "due_now":
            return queryset.filter(case__open_follow_up_at__lt=now + dt.timedelta(hours=1))
        if value == "overdue":
            return queryset.filter(case__open_follow_up_at__lt=now)
        if value == "today":
            return queryset.filter(
                case__open_follow_up_at__gte=now,
                case__open_follow_up_at__lt=pipeline.end_of_today(now),
            )
        if value == "none":
            return queryset.filter(pipeline.open_q(), case__open_follow_up_at__isnull=True)
        return queryset


class ContactFilter(admin.SimpleListFilter):
    title = _("contact")
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [
            ("reachable", _("Has contact details")),
            ("not_reached", _("Not reached yet")),
            ("reached", _("Reached")),
            ("no_contact", _("Urgent, no contact details")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "reachable":
            return queryset.filter(case__no_contact=False)
        if value == "not_reached":
            return queryset.filter(case__first_contact_at__isnull=True)
        if value == "reached":
            return queryset.filter(case__first_contact_at__isnull=False)
        if value == "no_contact":
            return queryset.filter(case__no_contact=True)
        return queryset


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ArrivedFilter(admin.SimpleListFilter):
    title = _("arrived")
    parameter_name = "arrived"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("older", _("More than 30 days ago")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "today":
            return queryset.filter(created_at__gte=start_of_day(today))
        if value == "7d":
            return queryset.filter(created_at__gte=start_of_day(today - dt.timedelta(days=6)))
        if value == "30d":
            return queryset.filter(created_at__gte=start_of_day(today - dt.timedelta(days=29)))
        if value == "older":
            return queryset.filter(created_at__lt=start_of_day(today - dt.timedelta(days=29)))
        return queryset


class InsuranceFilter(admin.SimpleListFilter):
    title = _("insurance")
    parameter_name = "insurance"

    def lookups(self, request, model_admin):
        return vocab.INSURANCE_ANSWERS

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(insurance=self.value())
        return queryset


# ------------------------------------------------------------------------------------------------
# Small renderers (no queries: they read the row and its select_related case and owner)
# ------------------------------------------------------------------------------------------------

LEVEL_CSS = queue_rows.LEVEL_CSS


def urgency_badge(submission):
    return mark_safe(queue_rows.urgency_badge(submission, queue_rows.current_words()))  # noqa: S308


def score_cell(total, band_code, positive=False):
    """The total and its band in a word or two ("14 moderate"): compact for the queue."""
    return mark_safe(queue_rows.score_cell(total, band_code, positive))  # noqa: S308


def local_time(value, with_date=True) -> str:
    """A time in the site's time zone, with the zone named ("Nov 30, 14:00 EST")."""
    return queue_rows.local_stamp(value, with_date=with_date)


def follow_up_cell(case):
    return mark_safe(queue_rows.follow_up(case, queue_rows.current_words()))  # noqa: S308


initials = queue_rows.initials


def staff_label(submission) -> str:
    """The submission as staff name it: reference and arrival in the site's time zone."""
    return _("submission %(ref)s, arrived %(when)s") % {
        "ref": submission.token[:8],
        "when": local_time(submission.created_at),
    }


def language_note(submission) -> dict:
    """The language the person used, and (for Spanish) the instruments they answered in our own,
    not a validated, translation."""
    from assessment.spanish import not_validated_in_spanish

    code = submission.ui_language or "en"
    names = dict(settings.LANGUAGES)
    unvalidated = []
    if code == "es":
        used = [name for name in (submission.scores or {}) if name in INSTRUMENT_NAMES]
        unvalidated = [INSTRUMENT_NAMES[name] for name in not_validated_in_spanish(used)]
    return {"code": code, "name": names.get(code, code), "unvalidated": unvalidated}


def _status_action(status_value, label):
    def action(modeladmin, request, queryset):
        modeladmin.change_many(request, queryset, status=status_value)

    action.__name__ = f"set_status_{status_value}"
    action.short_description = _("Set status: %(status)s") % {"status": label}
    action.allowed_permissions = ("change",)
    return action


# ------------------------------------------------------------------------------------------------
# Submissions
# ------------------------------------------------------------------------------------------------


class QueuePaginator(Paginator):
    """The queue's pages, at the same few queries and about the same cost at any table size.

    * ``count`` counts at most ``CAP`` + 1 primary keys (``SELECT COUNT(*) FROM (SELECT id ...
      LIMIT n)``): the page links never make the database count 100,000 wide rows.
    * In the queue's own order a page is the rows that need attention first (ranks 0-3 of
      ``pipeline.queue_rank``: a small set, sorted by rank), then the rest newest first, read
      through the index on ``Case.arrived_at``: the database never sorts the whole table,
      and both are read whole (no wide column: ``QUEUE_COLUMNS``) where they are found.
      Other orders (a column header) sort primary keys only, then load the page's rows by
      primary key, so no wide row goes through a sort.
    """

    CAP = 1_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if tuple(queryset.query.order_by[: len(QUEUE_ORDER)]) == QUEUE_ORDER:
            return self._get_page(self._queue_rows(queryset, bottom, top), number, self)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        page_rows = queryset.order_by().filter(pk__in=ids)
        if queryset.model is Submission:  # the queue (the history page pages log entries)
            rows = queue_page_rows(page_rows)
        else:
            rows = {row.pk: row for row in page_rows}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    @staticmethod
    def _queue_rows(queryset, bottom, top) -> list:
        """The rows at positions ``bottom:top`` of the queue order, read whole where they are
        found: two queries on the first page, three on any later page (it also counts the rows
        needing attention before it, at most ``bottom``, to know where the rest start).

        The first reads the rows that need attention (a small set, sorted by rank) from
        ``bottom``; the second the rest, newest first through the index on
        ``Case.arrived_at``, for what the first left of the page (it is still sent, for at
        least one row, when the first filled the page: the count never varies)."""
        now = timezone.now()
        wanted = max(top - bottom, 1)
        values = queue_values(queryset)  # the columns resolved once for both reads
        first = values.filter(pipeline.needs_attention_q(now=now))
        rows = list(rows_from_values(first[bottom : bottom + wanted], queryset.db).values())
        rest_from = 0
        if bottom:  # where the rest start: after the rows needing attention before this page
            rest_from = max(bottom - first.order_by().values("pk")[:bottom].count(), 0)
        rest = values.filter(pipeline.rest_q(now=now)).order_by("-case__arrived_at", "-pk")
        room = max(wanted - len(rows), 1)
        rows += rows_from_values(rest[rest_from : rest_from + room], queryset.db).values()
        return rows[: top - bottom]


#: Within "overdue" and "due today" the earliest follow-up first; otherwise newest first.
QUEUE_ORDER = ("rank", "case__open_follow_up_at", "-case__arrived_at", "-pk")
#: The submission's JSON columns the queue never reads (the submission page does).
QUEUE_DEFERRED = ("answers", "dimensions", "reasons", "rules_fired", "matched_programs", "flags")
#: The columns the queue's cells read (``admissions.queue_rows``): a page loads only these, so
#: 50 rows build three small model instances each. A cell reading another column would cost a
#: query per row; the pinned query counts in ``tests/admissions/test_queue.py`` catch that.
QUEUE_COLUMNS = (
    "token",
    "contact_name",
    "created_at",
    "level",
    "urgent",
    "phq9_total",
    "phq9_band",
    "gad7_total",
    "gad7_band",
    "cssrs_risk",
    "callback_requested",
    "case__status",
    "case__priority",
    "case__arrived_at",
    "case__open_follow_up_at",
    "case__next_follow_up_at",
    "case__follow_up_reason",
    "case__no_contact",
    "case__attempt_count",
    "case__last_attempt_at",
    "case__first_contact_at",
    "case__returning_of",
    "case__owner",
    "case__owner__username",
    "case__owner__first_name",
    "case__owner__last_name",
)


#: The scores cell's "positive screen" marks, worked out by the database from the ``scores`` JSON:
#: a row's ``scores`` is about 2 kB, and fetching and decoding 50 of them was a fifth of the
#: queue page on PostgreSQL. Set on each row as ``queue_<instrument>_positive`` (read by
#: ``queue_rows.scores``).
QUEUE_MARKS = {
    f"queue_{name}_positive": CaseWhen(
        When(**{f"scores__{name}__positive": True}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    for name in queue_rows.POSITIVE_MARKED
}


def _column_targets(model, columns) -> list[tuple[str, str]]:
    """For each ``columns`` path (``"case__owner__username"``): the related path it belongs to
    (``"case__owner"``, ``""`` for the row itself) and the attribute it sets there."""
    targets = []
    for column in columns:
        *path, name = column.split("__")
        owner = model
        for step in path:
            owner = owner._meta.get_field(step).related_model
        field = owner._meta.pk if name == "pk" else owner._meta.get_field(name)
        if not field.concrete:  # a reverse relation is not a column
            raise ValueError(column)
        targets.append(("__".join(path), field.attname))
    return targets


@functools.cache
def _queue_targets() -> list[tuple[str, str]]:
    return _column_targets(Submission, QUEUE_NAMES)


def _loaded(model, values: dict, db: str):
    """An instance of ``model`` as the database gave it, with only ``values`` loaded (the rest
    deferred, as ``.only()`` leaves them: reading one costs a query)."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    return instance


#: What a queue row reads: its key, its case's key and ``QUEUE_COLUMNS``.
QUEUE_NAMES = ("pk", "case__pk", *QUEUE_COLUMNS)


def queue_values(queryset):
    """``queryset``'s rows as the queue reads them (``values_list`` of ``QUEUE_NAMES`` and the
    marks): filter, order and slice it, then :func:`rows_from_values`."""
    return queryset.annotate(**QUEUE_MARKS).values_list(*QUEUE_NAMES, *QUEUE_MARKS)


def queue_page_rows(queryset) -> dict:
    """The queue page's submissions by primary key (see :func:`rows_from_values`)."""
    return rows_from_values(queue_values(queryset), queryset.db)


def rows_from_values(found, db: str) -> dict:
    """The submissions of ``found`` (:func:`queue_values`) by primary key, each with its case
    and the case's owner attached as ``select_related`` attaches them, with only
    ``QUEUE_COLUMNS`` loaded.

    Read with ``values_list`` and put straight into the instances: the same values (the
    database's converters apply) without the model machinery that built each of the 100
    instances of a page column by column (a fifth of the page). Any other column read from
    a row is deferred and costs a query, which the pinned query counts catch."""
    names = QUEUE_NAMES
    targets = _queue_targets()
    case_field = Case._meta.get_field("submission")
    owner_field = Case._meta.get_field("owner")
    user_model = owner_field.related_model
    rows = {}
    for row in found:
        parts = {"": dict(zip(QUEUE_MARKS, row[len(names) :], strict=True)), "case": {}}
        parts["case__owner"] = {}
        for (path, attname), value in zip(targets, row[: len(names)], strict=True):
            parts[path][attname] = value
        submission = _loaded(Submission, parts[""], db)
        case = _loaded(Case, parts["case"], db)
        owner = None
        if case.owner_id is not None:
            values = {user_model._meta.pk.attname: case.owner_id, **parts["case__owner"]}
            owner = _loaded(user_model, values, db)
        owner_field.set_cached_value(case, owner)
        case_field.set_cached_value(case, submission)
        case_field.remote_field.set_cached_value(submission, case)
        rows[submission.pk] = submission
    return rows


#: Drill-down lookups still answered (old bookmarks) though the queue has no date hierarchy.
DATE_LOOKUPS = ("created_at__year", "created_at__month", "created_at__day")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionAdminForm
    # At 1280 px the columns that matter come first and stay visible; scores share one cell.
    list_display = (
        "reference",
        "urgency",
        "status_badge",
        "owner_name",
        "follow_up",
        "attempts",
        "arrived",
        "scores",
        "callback",
    )
    list_display_links = ("reference",)
    list_filter = (
        StatusFilter,
        OverdueFilter,
        OwnerFilter,
        ContactFilter,
        "level",
        "urgent",
        "callback_requested",
        ArrivedFilter,
        InsuranceFilter,
    )
    search_fields = ("^token", "contact_name", "=zip_code")
    search_help_text = _(
        "Search by the start of the reference, name, exact ZIP code, a phone number written any "
        'way ("(502) 555-0142", "502-555-0142") or an e-mail address.'
    )
    list_select_related = ("case", "case__owner")
    list_per_page = 50
    list_max_show_all = 1000
    show_full_result_count = False
    paginator = QueuePaginator
    save_on_top = True
    view_on_site = False
    actions = ["assign_to_me", "export_csv", "export_fhir"] + [
        _status_action(value, label) for value, label in Status.choices
    ]

    # --- permissions ----------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # submissions come only from the public self-assessment

    def has_export_permission(self, request):
        return request.user.has_perm("assessment.export_submission")

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in DATE_LOOKUPS or super().lookup_allowed(lookup, value, request)

    def get_actions(self, request):
        """Django's actions for this person, worked out once per request: the queue page asks
        three times, and each time checked every action's permissions (about 25 checks)."""
        kept = getattr(request, "_adm_submission_actions", None)
        if kept is None:
            kept = request._adm_submission_actions = super().get_actions(request)
        return dict(kept)

    # --- queue ----------------------------------------------------------------------------------

    def get_queryset(self, request):
        """Shared submissions only (a run the person did not share has no case and no page),
        with the case and its owner on the row, in the queue's order."""
        queryset = (
            self.model._default_manager.shared()
            .filter(case__isnull=False)
            .select_related("case", "case__owner")
            .annotate(rank=pipeline.queue_rank())
        )
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "assessment_submission_changelist":
            queryset = queryset.defer(*QUEUE_DEFERRED)
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return QUEUE_ORDER

    def get_search_results(self, request, queryset, search_term):
        """A phone number in any common format or an e-mail address is compared normalised
        with the normalised copies on the case; anything else goes to the usual search."""
        term = search_term.strip()
        if contact.looks_like_phone(term):
            digits = contact.phone_digits(term)
            wanted = (
                Q(case__phone_digits=digits)
                if len(digits) >= 10
                else Q(case__phone_digits__endswith=digits)
            )
            return queryset.filter(wanted), False
        if contact.looks_like_email(term):
            return queryset.filter(case__email_normalised=contact.email_key(term)), False
        return super().get_search_results(request, queryset, search_term)

    def queue_row(self, changelist, obj, words=None):
        """One row of the queue in one pass (``admissions_tags.queue_results``), the same cells
        and classes Django's changelist writes; the cells come from ``admissions.queue_rows``
        (the fixed words translated once per language)."""
        words = self._page_words(changelist, words or queue_rows.current_words())
        link = queue_rows.change_url(changelist, obj.pk)
        cells = []
        for name in changelist.list_display:
            writer = queue_rows.CELLS.get(name)
            value = writer(obj, words) if writer else conditional_escape(getattr(self, name)(obj))
            if name == "action_checkbox":
                cells.append(f'<td class="action-checkbox">{value}</td>')
            elif name in self.list_display_links:
                cells.append(f'<th class="field-{name}"><a href="{link}">{value}</a></th>')
            else:
                cells.append(f'<td class="field-{name}">{value}</td>')
        return mark_safe("".join(cells))  # noqa: S308 - every value is escaped by its writer

    @staticmethod
    def _page_words(changelist, words):
        """``words`` with the page's clock (``queue_rows.page_words``), made for the first row
        of a page and kept on its changelist."""
        kept = getattr(changelist, "_adm_page_words", None)
        if kept is None or kept[0] is not words:
            kept = changelist._adm_page_words = (words, queue_rows.page_words(words))
        return kept[1]

    def newest_view(self, request):
        """For the queue's quiet check: the newest shared submission's id (no personal data;
        the check does not count as activity for the idle sign-out)."""
        from django.http import JsonResponse

        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        newest = Case.objects.order_by("-arrived_at", "-pk").values_list("pk", flat=True).first()
        return JsonResponse({"newest": newest or 0})

    def action_checkbox(self, obj):
        """Django's row checkbox, written directly (no widget template per row) and named by
        the reference, not by ``str()`` (which shows the arrival in UTC)."""
        return self._cell("action_checkbox", obj)

    def _cell(self, name, obj):
        return mark_safe(queue_rows.CELLS[name](obj, queue_rows.current_words()))  # noqa: S308

    @admin.display(description=_("reference"), ordering="token")
    def reference(self, obj):
        return self._cell("reference", obj)

    @admin.display(description=_("arrived"), ordering="created_at")
    def arrived(self, obj):
        return self._cell("arrived", obj)

    @admin.display(description=_("urgency and level"), ordering="-urgent")
    def urgency(self, obj):
        return self._cell("urgency", obj)

    @admin.display(description=_("scores"))
    def scores(self, obj):
        return self._cell("scores", obj)

    @admin.display(description=_("call back"), ordering="-callback_requested")
    def callback(self, obj):
        return self._cell("callback", obj)

    @admin.display(description=_("status"), ordering="case__status")
    def status_badge(self, obj):
        return self._cell("status_badge", obj)

    @admin.display(description=_("owner"), ordering="case__owner__username")
    def owner_name(self, obj):
        return self._cell("owner_name", obj)

    @admin.display(description=_("next follow-up"), ordering="case__next_follow_up_at")
    def follow_up(self, obj):
        return self._cell("follow_up", obj)

    @admin.display(description=_("attempts"), ordering="case__attempt_count")
    def attempts(self, obj):
        return self._cell("attempts", obj)

    # --- actions --------------------------------------------------------------------------------

    def change_many(self, request, queryset, **values):
        changed = 0
        for submission in queryset.select_related("case", "case__owner"):
            case = pipeline.case_for(submission)
            before = pipeline.snapshot(case)
            for name, value in values.items():
                setattr(case, name, value)
            if pipeline.save_changes(case, request.user, before):
                changed += 1
                self.log_change(request, submission, [{"changed": {"fields": list(values)}}])
        self.message_user(
            request,
            ngettext("%(count)d submission updated.", "%(count)d submissions updated.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self.change_many(request, queryset, owner=request.user)

    def _export_queryset(self, queryset):
        return (
            queryset.defer(None)
            .select_related("case", "case__owner", "case__outcome_program")
            .order_by("-created_at")
        )

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        rows = list(self._export_queryset(queryset))
        reveal = request.user.has_perm("admissions.reveal_member_id")
        audit.record_many(
            audit.Action.EXPORTED_CSV,
            user=request.user,
            submissions=rows,
            changes={"member_id": "shown" if reveal else "masked"},
        )
        response = HttpResponse(exports.submissions_csv(rows, reveal), content_type="text/csv")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(
        description=_("Export selected as FHIR R4 (QuestionnaireResponse)"),
        permissions=["export"],
    )
    def export_fhir(self, request, queryset):
        rows = list(self._export_queryset(queryset))
        audit.record_many(audit.Action.EXPORTED_FHIR, user=request.user, submissions=rows)
        bundle = exports.fhir_bundle(rows)
        response = HttpResponse(
            json.dumps(bundle, indent=2, ensure_ascii=False),
            content_type="application/fhir+json; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.fhir.json"'
        response["Cache-Control"] = "no-store"
        return response

    # --- the submission page ----------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                _("Pipeline"),
                {
                    "fields": (
                        "status",
                        "owner",
                        ("next_follow_up", "follow_up_reason"),
                        ("referral_source", "referral_source_other"),
                    )
                },
            )
        ]
        fieldsets.append(
            (
                _("Outcome"),
                {
                    "fields": (
                        "outcome",
                        ("outcome_program", "outcome_service"),
                        ("assessment_on", "admitted_on", "not_admitted_reason"),
                    ),
                    "classes": ("adm-outcome",),
                },
            )
        )
        fieldsets.append(
            (
                _("Insurance benefits check"),
                {"fields": ("benefits_status", "benefits_notes"), "classes": ("adm-benefits",)},
            )
        )
        can_change = self.has_change_permission(request, obj)
        if can_change and request.user.has_perm("admissions.add_contactattempt"):
            fieldsets.append(
                (
                    _("Log a contact attempt"),
                    {
                        "fields": (
                            ("attempt_outcome", "attempt_channel", "attempt_direction"),
                            ("attempt_minutes", "attempt_note"),
                        ),
                        "classes": ("adm-log-call",),
                    },
                )
            )
        if can_change and request.user.has_perm("admissions.add_note"):
            fieldsets.append((None, {"fields": ("new_note",), "classes": ("adm-add-note",)}))
        return fieldsets

    def changelist_view(self, request, extra_context=None):
        newest = Case.objects.order_by("-arrived_at", "-pk").values_list("pk", flat=True).first()
        extra_context = {
            "title": _("Admissions queue"),
            "queue_newest": newest or 0,
            "queue_loaded_at": local_time(timezone.now(), with_date=False),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        if submission is None:
            raise Http404  # unknown, or never shared with the admissions team
        extra_context = dict(extra_context or {})
        if submission is not None and self.has_view_or_change_permission(request, submission):
            extra_context.update(self.page_context(request, submission))
            extra_context["title"] = _("Submission %(ref)s") % {"ref": submission.token[:8]}
            extra_context["subtitle"] = None
        response = super().change_view(request, object_id, form_url, extra_context)
        if submission is not None and getattr(response, "status_code", None) == 200:
            # Every page that shows the submission is a read, whatever the method: GET, and a
            # POST whose form was invalid and is shown again (the site refuses other methods).
            audit.record(audit.Action.VIEWED, user=request.user, submission=submission)
        return response

    def page_context(self, request, submission):
        case = pipeline.case_for(submission)
        return {
            "case": case,
            "report": readable.report(submission),
            "staff_flags": flags.staff_flags(submission.flags),
            "language": language_note(submission),
            "contact_attempts": list(submission.contact_attempts.all()),
            "member_id_masked": contact.mask_member_id(submission.insurance_member_id),
            "can_reveal_member_id": request.user.has_perm("admissions.reveal_member_id"),
            "member_id_url": reverse("admin:assessment_submission_member_id", args=[submission.pk]),
            "notes": list(submission.notes.all()),
            "pipeline_changes": list(submission.pipeline_changes.all()),
            "urgency": urgency_badge(submission),
            "level_css": LEVEL_CSS.get(submission.level, "x"),
            "follow_up": follow_up_cell(case),
            "notice": notify.notice_state(submission),
            "can_see_audit": request.user.has_perm("admissions.view_auditevent"),
            "can_change": self.has_change_permission(request, submission),
            "is_mine": case.owner_id == request.user.pk,
            "assign_to_me": ASSIGN_TO_ME,
            "unlink": UNLINK,
            "merge": MERGE,
            "returning_url": reverse(
                "admin:assessment_submission_change", args=[case.returning_of_id]
            )
            if case.returning_of_id
            else "",
            "merged_url": reverse("admin:assessment_submission_change", args=[case.merged_into_id])
            if case.merged_into_id
            else "",
            "audit_url": reverse("admin:admissions_auditevent_changelist")
            + f"?submission_id={submission.pk}",
        }

    def save_model(self, request, obj, form, change):
        if not change:  # pragma: no cover - adding is switched off
            return super().save_model(request, obj, form, change)
        case = pipeline.case_for(obj)
        before = pipeline.snapshot(case)
        for name, value in form.pipeline_values().items():
            setattr(case, name, value)
        if ASSIGN_TO_ME in request.POST and self.has_change_permission(request, obj):
            case.owner = request.user
        pipeline.save_changes(case, request.user, before)
        if UNLINK in request.POST:
            pipeline.unlink(case, request.user)
        elif MERGE in request.POST:
            pipeline.merge(case, request.user)
        attempt = form.contact_attempt()
        if attempt and request.user.has_perm("admissions.add_contactattempt"):
            pipeline.log_contact(case, request.user, **attempt)
        text = (form.cleaned_data.get("new_note") or "").strip()
        if text and request.user.has_perm("admissions.add_note"):
            obj.notes.create(
                author=request.user, author_name=request.user.get_username(), text=text
            )
            audit.record(
                audit.Action.NOTE_ADDED,
                user=request.user,
                submission=obj,
                changes={"note": {"characters": len(text)}},
            )

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "newest/",
                self.admin_site.admin_view(self.newest_view),
                name="assessment_submission_newest",
            ),
            path(
                "<path:object_id>/member-id/",
                self.admin_site.admin_view(self.member_id_view),
                name="assessment_submission_member_id",
            ),
            *super().get_urls(),
        ]

    def member_id_view(self, request, object_id):
        """The full insurance member ID, for people who may see it; every opening is audited."""
        submission = self.get_object(request, object_id)
        if submission is None:
            raise Http404
        if not (
            self.has_view_or_change_permission(request, submission)
            and request.user.has_perm("admissions.reveal_member_id")
        ):
            raise PermissionDenied
        audit.record(audit.Action.MEMBER_ID_REVEALED, user=request.user, submission=submission)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Insurance member ID"),
            "subtitle": None,
            "original": submission,
            "consented": bool(submission.contact_consent),
            "opts": self.opts,
            "back": reverse("admin:assessment_submission_change", args=[submission.pk]),
        }
        return TemplateResponse(request, "admissions/submission/member_id.html", context)

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, object_id) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def message_user(self, request, message, *args, **kwargs):
        """Django names the submission by ``str()`` (arrival in UTC); say it in local time."""
        obj = getattr(request, "_adm_submission", None)
        if obj is not None and isinstance(message, SafeString):
            message = mark_safe(  # noqa: S308 - both parts are escaped
                message.replace(escape(str(obj)), escape(staff_label(obj)))
            )
        elif obj is not None:
            message = str(message).replace(str(obj), staff_label(obj))
        return super().message_user(request, message, *args, **kwargs)

    def response_change(self, request, obj):
        request._adm_submission = obj
        quick = {
            ASSIGN_TO_ME: _("Assigned to you."),
            UNLINK: _("Unlinked: this is now a separate person."),
            MERGE: _("Merged into the same person's earlier case; this one is closed."),
        }
        for name, text in quick.items():
            if name in request.POST:  # the quick actions stay on the page
                self.message_user(request, text, messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        audit.record(audit.Action.DELETED, user=request.user, submission=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        audit.record_many(audit.Action.DELETED, user=request.user, submissions=list(queryset))
        super().delete_queryset(request, queryset)


# ------------------------------------------------------------------------------------------------
# Audit trail
# ------------------------------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "submission_link", "token_prefix", "details")
    list_filter = ("action", ("at", admin.DateFieldListFilter), "actor_username")
    search_fields = ("actor_username", "^token_prefix")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False
    fields = ("at", "actor_username", "action", "submission_id", "token_prefix", "details")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description=_("submission"), ordering="submission_id")
    def submission_link(self, obj):
        if obj.submission_id is None:
            return "—"
        url = reverse("admin:assessment_submission_change", args=[obj.submission_id])
        return format_html('<a href="{}">#{}</a>', url, obj.submission_id)

    @admin.display(description=_("details"))
    def details(self, obj):
        if not obj.changes:
            return "—"
        return json.dumps(obj.changes, ensure_ascii=False, sort_keys=True)
