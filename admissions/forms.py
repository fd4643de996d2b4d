"""Forms for staff: the admin sign-in with a one-time code, the submission page, TOTP enrolment."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions import roles
from admissions.models import Case, ContactAttempt
from admissions.pipeline import case_of
from assessment.models import ReferralSource, Submission
from programs.models import Program

TOTP_CODE = re.compile(r"^\d{6}$")


def _one_time_code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


def verify_code(user, code: str):
    """``(device, throttled)``: the user's confirmed device that accepts ``code`` (a 6-digit TOTP
    code, or a backup code from a static device) or None, and whether a device refused to check
    because of too many recent wrong codes (django-otp throttling). Only devices of the matching
    kind are tried, so a mistyped code does not count against the backup codes."""
    code = (code or "").replace(" ", "")
    if not code:
        return None, False
    wanted = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, wanted):
                continue
            allowed, _extra = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return device, False
    return None, throttled


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in. With ``STAFF_REQUIRE_2FA`` on it also asks for the 6-digit code from the
    person's authenticator app (django-otp TOTP device) and marks the session as verified.

    Password failures go through ``authenticate()``, so django-axes counts them and locks the
    account after ``AXES_FAILURE_LIMIT`` attempts; wrong codes are throttled by django-otp.
    """

    otp_token = _one_time_code_field(
        _("6-digit code from your authenticator app"),
        _("Open the authenticator app on your phone and type the code shown for IOP Finder."),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp_required": _("Enter the 6-digit code from your authenticator app."),
        "otp_invalid": _(
            "That code did not work. Codes change every 30 seconds: type the one shown now."
        ),
        "otp_throttled": _(
            "Too many wrong codes in a row. Wait a minute, then type the code shown now."
        ),
        "otp_no_device": _(
            "Your account has no authenticator app set up yet. Ask an administrator to enrol "
            "one for you (python manage.py enrol_totp)."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sets max_length after building the field, so it is never checked:
        # an overlong username would reach authenticate() and overflow the lockout log's column.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        if not settings.STAFF_REQUIRE_2FA:
            del self.fields["otp_token"]
        else:
            self.fields["otp_token"].required = False  # a missing code gets our own message

    def clean(self):
        cleaned = super().clean()
        if not settings.STAFF_REQUIRE_2FA:
            return cleaned
        user = self.get_user()
        if user is None:
            return cleaned
        if not any(devices_for_user(user, confirmed=True)):
            raise forms.ValidationError(self.error_messages["otp_no_device"], code="otp_no_device")
        code = self.cleaned_data.get("otp_token", "")
        if not code:
            raise forms.ValidationError(self.error_messages["otp_required"], code="otp_required")
        device, throttled = verify_code(user, code)
        if device is None and throttled:
            raise forms.ValidationError(self.error_messages["otp_throttled"], code="otp_throttled")
        if device is None:
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        # django_otp's user_logged_in receiver stores this device in the session (verified).
        user.otp_device = device
        return cleaned


class TOTPConfirmForm(forms.Form):
    otp_token = _one_time_code_field(
        _("6-digit code shown in the app"),
        _("After scanning, the app shows a new 6-digit code every 30 seconds."),
    )

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Replacing your authenticator app needs your password again."),
    )

    #: The password is checked first: a code is only tried (and used up) with the right one.
    field_order = ["password", "otp_token"]

    def __init__(self, *args, device=None, request=None, require_password=False, **kwargs):
        self.device = device
        self.request = request
        self.require_password = require_password
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].required = True
        if require_password:
            self.fields["password"].required = True
        else:
            del self.fields["password"]

    def clean_password(self):
        """The account's password, checked through ``authenticate()`` so django-axes counts a
        wrong one like a failed sign-in (and locks the account after too many)."""
        from django.contrib.auth import authenticate

        password = self.cleaned_data.get("password", "")
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("That is not your password."), code="password")
        return password

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"].replace(" ", "")
        if self.require_password and "password" not in self.cleaned_data:
            return code  # wrong or missing password: the code is not tried
        if not TOTP_CODE.match(code):
            raise forms.ValidationError(_("Type the 6 digits shown in the app."), code="format")
        allowed, _extra = self.device.verify_is_allowed() if self.device else (False, None)
        if self.device is not None and not allowed:
            raise forms.ValidationError(
                _("Too many tries in a row. Wait a few seconds, then type the new code."),
                code="throttled",
            )
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("That code did not match. Check the app shows IOP Finder and try the new code."),
                code="invalid",
            )
        return code


def staff_owner_queryset(include=None):
    """Who a submission can be assigned to: active members of the Admissions group and the
    clinical lead (and ``include``, the current owner's id, so an old assignment still saves)."""
    wanted = Q(is_active=True, is_staff=True, groups__name__in=roles.SUBMISSION_ROLES)
    if include:
        wanted |= Q(pk=include)
    return get_user_model().objects.filter(wanted).distinct().order_by("username")


class SubmissionAdminForm(forms.ModelForm):
    """The editable part of the submission page: the pipeline (status, owner, next follow-up
    with its time and reason, referral source), a contact attempt for the call log and a new
    note. Everything the person submitted is read-only (integrity of the record)."""

    new_note = forms.CharField(
        label=_("Add a note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "Saved with your name and the time. Notes cannot be edited or deleted later, so "
            "write only what the admissions team needs."
        ),
    )

    # The pipeline fields are the submission's admissions case (admissions.models.Case), not
    # fields of the submission itself: ``SubmissionAdmin.save_model`` writes them to the case.
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    next_follow_up = forms.DateTimeField(
        label=_("Next follow-up"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time, in the clinic's time zone (%(zone)s)."),
    )
    follow_up_reason = forms.CharField(
        label=_("Reason"), required=False, max_length=200, help_text=_("e.g. “Call back at 2 pm”")
    )
    referral_source = forms.ChoiceField(
        label=_("How they heard about us"),
        choices=[("", "—"), *ReferralSource.choices],
        required=False,
    )
    referral_source_other = forms.CharField(
        label=_("Other (say where)"), required=False, max_length=120
    )

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("— none yet —")), *Case.Outcome.choices],
        required=False,
        help_text=_("An outcome moves the status (admitted, referred, intake scheduled, closed)."),
    )
    outcome_program = forms.ModelChoiceField(
        label=_("Program from the directory"),
        queryset=Program.objects.none(),
        required=False,
        help_text=_("The programs the person was shown."),
    )
    outcome_service = forms.CharField(
        label=_("or an outside service"), required=False, max_length=200
    )
    assessment_on = forms.DateField(
        label=_("Assessment date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    admitted_on = forms.DateField(
        label=_("Admission date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    not_admitted_reason = forms.ChoiceField(
        label=_("Reason not admitted"),
        choices=[("", "—"), *Case.NotAdmittedReason.choices],
        required=False,
    )
    benefits_status = forms.ChoiceField(
        label=_("Benefits check"), choices=Case.Benefits.choices, required=False
    )
    benefits_notes = forms.CharField(
        label=_("Benefits notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    attempt_outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("— no contact attempt to log —")), *ContactAttempt.Outcome.choices],
        required=False,
    )
    attempt_channel = forms.ChoiceField(
        label=_("Channel"), choices=ContactAttempt.Channel.choices, required=False
    )
    attempt_direction = forms.ChoiceField(
        label=_("Direction"), choices=ContactAttempt.Direction.choices, required=False
    )
    attempt_minutes = forms.IntegerField(
        label=_("Minutes"), required=False, min_value=0, max_value=600
    )
    attempt_note = forms.CharField(label=_("What happened"), required=False, max_length=500)

    PIPELINE_FIELDS = {
        "status": "status",
        "owner": "owner",
        "next_follow_up": "next_follow_up_at",
        "follow_up_reason": "follow_up_reason",
        "referral_source": "referral_source",
        "referral_source_other": "referral_source_other",
        "outcome": "outcome",
        "outcome_program": "outcome_program",
        "outcome_service": "outcome_service",
        "assessment_on": "assessment_on",
        "admitted_on": "admitted_on",
        "not_admitted_reason": "not_admitted_reason",
        "benefits_status": "benefits_status",
        "benefits_notes": "benefits_notes",
    }
    #: What each outcome needs, and the message when it is missing.
    OUTCOME_NEEDS = {
        Case.Outcome.ASSESSMENT_BOOKED: (("assessment_on",), _("Give the assessment date.")),
        Case.Outcome.ADMITTED: (("admitted_on",), _("Give the admission date.")),
        Case.Outcome.NOT_ADMITTED: (("not_admitted_reason",), _("Choose why.")),
        Case.Outcome.REFERRED: (
            ("outcome_program", "outcome_service"),
            _("Choose a program or name the outside service."),
        ),
    }

    class Meta:
        model = Submission
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = case_of(self.instance) if self.instance.pk else Case()
        for field, attribute in self.PIPELINE_FIELDS.items():
            if field in self.fields:
                value = getattr(case, Case._meta.get_field(attribute).attname)
                if field == "next_follow_up" and value is not None:
                    value = timezone.localtime(value)
                self.initial.setdefault(field, value)
        if "benefits_status" in self.fields and not self.initial.get("benefits_status"):
            self.initial["benefits_status"] = Case.Benefits.NOT_STARTED
        if "next_follow_up" in self.fields:
            zone = timezone.localtime().strftime("%Z")
            self.fields["next_follow_up"].help_text = self.fields["next_follow_up"].help_text % {
                "zone": zone
            }
        if "outcome_program" in self.fields:
            shown = [
                item.get("id")
                for item in (self.instance.matched_programs or [])
                if isinstance(item, dict)
            ]
            wanted = Q(pk__in=[pk for pk in shown if pk]) | Q(pk=case.outcome_program_id)
            self.fields["outcome_program"].queryset = Program.objects.filter(wanted).order_by(
                "name"
            )
        if "owner" in self.fields:
            self.fields["owner"].queryset = staff_owner_queryset(include=case.owner_id)
            self.fields["owner"].label_from_instance = lambda user: (
                user.get_full_name() or user.get_username()
            )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("referral_source") == ReferralSource.OTHER
            and not (cleaned.get("referral_source_other") or "").strip()
        ):
            self.add_error("referral_source_other", _("Say where they heard about us."))
        self._check_outcome(cleaned)
        if not cleaned.get("attempt_outcome") and (
            cleaned.get("attempt_note") or cleaned.get("attempt_minutes") is not None
        ):
            self.add_error(
                "attempt_outcome", _("Choose the outcome of the contact attempt to log it.")
            )
        return cleaned

    def _check_outcome(self, cleaned):
        needs = self.OUTCOME_NEEDS.get(cleaned.get("outcome") or "")
        if needs is None:
            return
        fields, message = needs
        if not any(cleaned.get(name) not in (None, "") for name in fields):
            self.add_error(fields[0], message)

    def pipeline_values(self) -> dict:
        """The case's fields as the form sets them: only fields the page sent (a form that
        posts a few fields leaves the others as they are)."""
        values = {
            attribute: self.cleaned_data[field]
            for field, attribute in self.PIPELINE_FIELDS.items()
            if field in self.cleaned_data and field in self.data
        }
        if values.get("benefits_status") == "":
            values["benefits_status"] = Case.Benefits.NOT_STARTED
        return values

    def contact_attempt(self) -> dict | None:
        outcome = self.cleaned_data.get("attempt_outcome")
        if not outcome:
            return None
        return {
            "outcome": outcome,
            "channel": self.cleaned_data.get("attempt_channel") or ContactAttempt.Channel.PHONE,
            "direction": self.cleaned_data.get("attempt_direction")
            or ContactAttempt.Direction.OUTBOUND,
            "duration_minutes": self.cleaned_data.get("attempt_minutes"),
            "note": (self.cleaned_data.get("attempt_note") or "").strip(),
        }
