"""Admin for directory editors: keep programs, schedules, therapies and payment current.

Lists join their foreign keys (``list_select_related``) so a page of 100 rows costs the same
few queries as a page of 10. Vocabulary lists (therapies, payment, ...) are edited as checkboxes
so an editor cannot type a code the search does not know.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs import freshness, listing, vocab
from programs.demo import forget_demo_flag
from programs.models import (
    ListingChange,
    ListingLink,
    ListingReport,
    Location,
    Program,
    Provider,
    Session,
    StaleListing,
)


class ProgramAdminForm(forms.ModelForm):
    """Program form with each code list as a group of checkboxes."""

    intake_url = forms.URLField(label=_("Intake web page"), required=False, assume_scheme="https")

    class Meta:
        model = Program
        fields = "__all__"  # noqa: DJ007 - the admin edits every column of a program

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in vocab.CODE_LIST_FIELDS:
            model_field = Program._meta.get_field(name)
            self.fields[name] = forms.MultipleChoiceField(
                label=model_field.verbose_name.capitalize(),
                choices=vocab.vocabulary(name),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if self.instance and self.instance.pk:
                self.initial[name] = getattr(self.instance, name)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ("weekday", "start", "end", "track")
    ordering = ("weekday", "start")


class LastVerifiedFilter(admin.SimpleListFilter):
    """How long ago a program's details were last confirmed with the program."""

    title = _("last verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("90", _("In the last 3 months")),
            ("365", _("3 to 12 months ago")),
            ("old", _("More than a year ago")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "90":
            return queryset.filter(last_verified__gte=today - dt.timedelta(days=90))
        if value == "365":
            return queryset.filter(
                last_verified__lt=today - dt.timedelta(days=90),
                last_verified__gte=today - dt.timedelta(days=365),
            )
        if value == "old":
            return queryset.filter(last_verified__lt=today - dt.timedelta(days=365))
        if value == "never":
            return queryset.filter(last_verified__isnull=True)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = (
            Location.objects.exclude(state="")
            .order_by("state")
            .values_list("state", flat=True)
            .distinct()
        )
        return [(state, state) for state in states]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(location__state=self.value())
        return queryset


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    inlines = [SessionInline]
    list_display = (
        "name",
        "provider",
        "level",
        "city",
        "payment_summary",
        "accepting_new_patients",
        "modality",
        "last_verified",
        "is_active",
    )
    list_filter = (
        "level",
        StateFilter,
        "accepting_new_patients",
        "modality",
        LastVerifiedFilter,
        ("provider__is_demo", admin.BooleanFieldListFilter),
        "is_active",
    )
    search_fields = (
        "name",
        "provider__name",
        "location__city",
        "location__zip_code",
    )
    list_select_related = ("provider", "location")
    autocomplete_fields = ("provider", "location")
    readonly_fields = ("created_at", "updated_at", "reported_kind")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["mark_verified_today", "send_listing_links"]
    list_per_page = 50
    date_hierarchy = None
    fieldsets = (
        (None, {"fields": ("name", "slug", "provider", "location", "level", "description")}),
        (
            _("Who and what"),
            {
                "fields": (
                    "age_groups",
                    "conditions",
                    "therapies",
                    "languages",
                    "interpreters",
                )
            },
        ),
        (_("Payment"), {"fields": ("payment", "insurers")}),
        (
            _("How it runs"),
            {"fields": ("modality", "hours_per_week", "length_weeks")},
        ),
        (
            _("Availability"),
            {"fields": ("accepting_new_patients", "next_intake", "wait_days")},
        ),
        (_("How to start"), {"fields": ("intake_phone", "intake_url")}),
        (
            _("Status and source"),
            {
                "fields": (
                    "is_active",
                    "listing_email",
                    "last_verified",
                    "last_verified_by",
                    "reported_kind",
                    "source",
                    "source_id",
                    "source_note",
                    "source_date",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("city"), ordering="location__city")
    def city(self, obj):
        if obj.location is None:
            return _("(telehealth only)")
        return f"{obj.location.city}, {obj.location.state}"

    @admin.display(description=_("payment"))
    def payment_summary(self, obj):
        return ", ".join(str(vocab.label_of("payment", code)) for code in obj.payment) or "—"

    @admin.action(description=_("Mark selected programs as verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        count = queryset.update(
            last_verified=timezone.localdate(),
            last_verified_by=request.user.get_username(),
            updated_at=timezone.now(),  # the listings' kept cards and pages (programs.snapshot)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d program marked as verified today.",
                "%(count)d programs marked as verified today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Send the listing contact a link to check the listing"),
        permissions=["change"],
    )
    def send_listing_links(self, request, queryset):
        send_links(self, request, queryset)


def send_links(model_admin, request, queryset) -> None:
    """Send update links to the selected programs' listing contacts (through the outbox)."""
    sent = 0
    for program in queryset.select_related(None):
        try:
            listing.send_link(program, by=request.user.get_username())
        except listing.CannotSend as reason:
            model_admin.message_user(request, str(reason), messages.WARNING)
        else:
            sent += 1
    if sent:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d link will be e-mailed to its listing contact.",
                "%(count)d links will be e-mailed to their listing contacts.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    fields = (
        ("name", "phone"),
        ("street", "street2"),
        ("city", "state", "zip_code"),
        ("latitude", "longitude"),
        "accessibility_notes",
    )
    show_change_link = True


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [LocationInline]
    list_display = ("name", "phone", "program_count", "is_demo", "source")
    list_filter = ("is_demo", "source")
    search_fields = ("name", "locations__city", "locations__zip_code")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_program_count=Count("programs"))

    @admin.display(description=_("programs"), ordering="_program_count")
    def program_count(self, obj):
        return obj._program_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_demo_flag()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_demo_flag()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_demo_flag()


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "provider", "city", "state", "zip_code")
    list_filter = ("state",)
    search_fields = ("name", "provider__name", "city", "zip_code", "street")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)


# ---- keeping listings current ----------------------------------------------------------------


class ReviewPermissions:
    """Whoever may change programs may review what is said about them: the Directory editors
    role (and the clinical lead) need no extra permissions for these pages. Rows are made by
    the site (links by the send action, changes and reports by the public pages), never here."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("programs.change_program")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("programs.change_program")

    def has_module_permission(self, request):
        return request.user.has_perm("programs.change_program")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaleListing)
class StaleListingAdmin(ReviewPermissions, admin.ModelAdmin):
    """The editors' report: listings not confirmed lately, with their contact and last request."""

    list_display = ("program", "provider", "last_verified", "listing_email", "last_request")
    list_display_links = None
    list_select_related = ("provider",)
    search_fields = ("name", "provider__name")
    actions = ["send_listing_links"]
    list_per_page = 100

    def get_queryset(self, request):
        stale = timezone.localdate() - dt.timedelta(days=freshness.stale_days())
        return (
            super()
            .get_queryset(request)
            .filter(is_active=True)
            .filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=stale))
            .annotate(_last_request=Max("listing_links__created_at"))
            .order_by(models.F("last_verified").asc(nulls_first=True), "name")
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("program"), ordering="name")
    def program(self, obj):
        url = reverse("admin:programs_program_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)

    @admin.display(description=_("last link sent"), ordering="_last_request")
    def last_request(self, obj):
        return obj._last_request or "—"

    @admin.action(description=_("Send the listing contact a link to check the listing"))
    def send_listing_links(self, request, queryset):
        send_links(self, request, queryset)


@admin.register(ListingLink)
class ListingLinkAdmin(ReviewPermissions, admin.ModelAdmin):
    list_display = ("program", "sent_to", "created_at", "created_by", "expires_at", "state")
    list_select_related = ("program",)
    search_fields = ("program__name", "sent_to")
    fields = (
        "program",
        "sent_to",
        "created_at",
        "created_by",
        "expires_at",
        "used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["revoke_links"]

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("revoked")
        if obj.used_at:
            return _("used")
        if obj.expires_at <= timezone.now():
            return _("expired")
        return _("open")

    @admin.action(description=_("Revoke the selected links"))
    def revoke_links(self, request, queryset):
        count = listing.revoke(queryset)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


FIELD_LABELS = {
    "accepting_new_patients": _("Accepting new patients"),
    "next_intake": _("Next intake date"),
    "wait_days": _("Typical wait (days)"),
    "sessions": _("Session times"),
    "payment": _("Payment accepted"),
    "insurers": _("Named insurers"),
    "intake_phone": _("Intake phone"),
}


def _shown(value):
    if isinstance(value, list):
        return ", ".join(str(vocab.label_of("payment", code)) for code in value) or "—"
    return "—" if value in (None, "") else str(value)


@admin.register(ListingChange)
class ListingChangeAdmin(ReviewPermissions, admin.ModelAdmin):
    """The review list: what listing contacts changed, as a diff; approve or refuse."""

    list_display = ("program", "submitted_at", "submitted_by", "status", "decided_by")
    list_filter = ("status",)
    list_select_related = ("program", "decided_by")
    search_fields = ("program__name",)
    fields = (
        "program",
        "submitted_by",
        "submitted_at",
        "status",
        "diff",
        "decided_by",
        "decided_at",
    )
    readonly_fields = fields
    actions = ["approve", "refuse"]

    @admin.display(description=_("changes"))
    def diff(self, obj):
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td><del>{}</del></td><td><ins>{}</ins></td></tr>",
            (
                (FIELD_LABELS.get(name, name), _shown(old), _shown(new))
                for name, (old, new) in obj.changes.items()
            ),
        )
        return format_html(
            "<table class='listing-diff'><thead><tr><th scope='col'>{}</th><th scope='col'>{}"
            "</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Field"),
            _("Was"),
            _("Now"),
            rows,
        )

    def _decide(self, request, queryset, approve: bool):
        count = sum(
            listing.decide(change, approve, request.user)
            for change in queryset.filter(status=ListingChange.Status.PENDING)
        )
        self.message_user(
            request,
            ngettext("%(count)d change decided.", "%(count)d changes decided.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve the selected changes (apply them to the listing)"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Refuse the selected changes"))
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(ListingReport)
class ListingReportAdmin(ReviewPermissions, admin.ModelAdmin):
    """The queue of problem reports from the public."""

    list_display = ("program", "kind", "created_at", "status", "decided_by")
    list_filter = ("status", "kind")
    list_select_related = ("program", "decided_by")
    search_fields = ("program__name",)
    fields = (
        "program",
        "kind",
        "details",
        "email",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    )
    readonly_fields = fields
    actions = ["mark_fixed", "mark_not_a_problem"]

    def _decide(self, request, queryset, status):
        count = listing.decide_reports(queryset, status, request.user)
        self.message_user(
            request,
            ngettext("%(count)d report closed.", "%(count)d reports closed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected reports fixed"))
    def mark_fixed(self, request, queryset):
        self._decide(request, queryset, ListingReport.Status.FIXED)

    @admin.action(description=_("Mark the selected reports not a problem"))
    def mark_not_a_problem(self, request, queryset):
        self._decide(request, queryset, ListingReport.Status.NOT_A_PROBLEM)
