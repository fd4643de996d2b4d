"""The two public forms about a listing: the listing contact's update form (opened by a private
link) and "Report a problem with this listing". Rendered with Django's own field templates
(label, help and errors tied to the input with ``aria-describedby``), no crispy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs import freshness, vocab
from programs.models import ListingReport

ACCEPTING_CHOICES = [
    ("yes", _("Yes, we are taking new patients")),
    ("no", _("No, we are not taking new patients right now")),
    ("unknown", _("We would rather not say: people should call")),
]
_ACCEPTING_VALUES = {"yes": True, "no": False, "unknown": None}


def accepting_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")


class PlainForm(forms.Form):
    """Bootstrap's classes on the inputs Django renders itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control")


class ListingUpdateForm(PlainForm):
    """What a listing contact may change. Availability goes live at once; the rest is reviewed."""

    accepting_new_patients = forms.ChoiceField(
        label=_("Are you taking new patients?"),
        choices=ACCEPTING_CHOICES,
        widget=forms.RadioSelect,
    )
    next_intake = forms.DateField(
        label=_("Next intake date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The next day a new patient can start, if you have one set."),
        error_messages={"invalid": _("Enter a date such as 2026-12-07.")},
    )
    wait_days = forms.IntegerField(
        label=_("Typical wait in days (optional)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("How long a new patient usually waits to start. 0 means no wait."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sessions = forms.CharField(
        label=_("Session times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: day, start and end (24-hour), then the track if any. "
            'For example: "Mon 18:00-21:00 Evening track".'
        ),
    )
    payment = forms.MultipleChoiceField(
        label=_("Insurance and payment you accept"),
        required=False,
        choices=vocab.choices_of("payment"),
        widget=forms.CheckboxSelectMultiple,
    )
    insurers = forms.CharField(
        label=_("Insurance plans you name (optional)"), required=False, max_length=300
    )
    intake_phone = forms.CharField(label=_("Intake phone"), required=False, max_length=40)

    def clean_accepting_new_patients(self):
        return _ACCEPTING_VALUES[self.cleaned_data["accepting_new_patients"]]

    def clean_sessions(self):
        lines, errors = freshness.parse_schedule(self.cleaned_data["sessions"])
        if errors:
            raise forms.ValidationError(errors)
        return freshness.schedule_text(lines)

    def values(self) -> dict:
        """The cleaned values in the shape of :func:`programs.listing.current_values`."""
        data = dict(self.cleaned_data)
        data["next_intake"] = data["next_intake"].isoformat() if data["next_intake"] else None
        return data

    @classmethod
    def initial_for(cls, values: dict) -> dict:
        return {
            **values,
            "accepting_new_patients": accepting_choice(values["accepting_new_patients"]),
        }


class ListingReportForm(PlainForm):
    kind = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ListingReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this listing.")},
    )
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the right phone number. Please do not write about your health."),
    )
    email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_(
            "Only if you are happy for a directory editor to ask you about this report. "
            "We use it for nothing else."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ListingReport.Kind.OTHER and not cleaned.get("details"):
            self.add_error("details", _("Tell us what is wrong, in a few words."))
        return cleaned
