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
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs import vocab
from programs.demo import forget_demo_flag
from programs.models import Location, Program, Provider, Session


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
    readonly_fields = ("created_at", "updated_at")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["mark_verified_today"]
    list_per_page = 50
    date_hierarchy = None
    fieldsets = (
        (None, {"fields": ("name", "slug", "provider", "location", "level", "description")}),
        (
            _("Who and what"),
            {"fields": ("age_groups", "conditions", "therapies", "languages")},
        ),
        (_("Payment"), {"fields": ("payment", "insurers")}),
        (
            _("How it runs"),
            {"fields": ("modality", "hours_per_week", "length_weeks", "accepting_new_patients")},
        ),
        (_("How to start"), {"fields": ("intake_phone", "intake_url")}),
        (
            _("Status and source"),
            {
                "fields": (
                    "is_active",
                    "last_verified",
                    "source",
                    "source_id",
                    "source_note",
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
        count = queryset.update(last_verified=timezone.localdate())
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
