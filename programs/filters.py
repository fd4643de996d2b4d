"""The directory's search parameters, validated by one django-filter FilterSet.

The same :class:`ProgramFilter` serves the search page (``/programs/``) and the JSON API
(``/api/programs/``), so a bookmarked search URL and an API call mean the same thing:

=============  ==============================================================================
parameter      meaning
=============  ==============================================================================
zip            five-digit US ZIP code (ZIP+4 accepted); distance is measured from its centre
radius         miles from the ZIP, 1-500, default 25 (ignored without a ZIP)
level          OP, IOP, PHP, RESIDENTIAL or INPATIENT (any letter case)
insurance      payment codes (medicaid, medicare, tricare, private, sliding_scale, self_pay,
               free) or the assessment's answers (none = sliding_scale/self_pay/free;
               unsure = no filter). Repeat for OR: ``insurance=medicaid&insurance=medicare``
therapy        therapy codes; repeat for OR
condition      condition codes; repeat for OR
age            an age-group code (child, teen, adult, older)
language       a language code: programs holding groups in it or offering an interpreter
               for it (the page says which); ``en`` also matches programs that list no
               languages (SAMHSA lists only languages other than English)
telehealth     1 = offers telehealth (video); 0 = no filter
day            mon..sun; repeat for OR. A program matches when one of its sessions meets on
               one of the days (and, with ``time``, at one of the times, in the same session)
time           morning (starts before 12:00), afternoon (12:00-16:59), evening (17:00 or later)
accepting      1 = only programs that say they are taking new patients
soon           1 = only programs where a new patient can start within 2 weeks (a next
               intake date or a typical wait of 14 days or less, and not "not accepting")
=============  ==============================================================================

The distance part (``zip`` + ``radius``) is not a queryset filter here: ``programs.search`` applies
the bounding-box prefilter and the exact distance. Invalid values never filter silently:
callers check :meth:`ProgramFilter.is_valid` and show ``errors`` instead of results.
"""

from __future__ import annotations

import copy
import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import freshness, geo, levels, vocab
from programs.fields import wrap
from programs.models import Program, Session

DEFAULT_RADIUS_MILES = 25
MAX_RADIUS_MILES = 500
RADIUS_CHOICES = (5, 10, 25, 50, 100, 250)

#: Search parameter -> the registry's vocabulary (``vocab.VOCABULARIES``) it takes codes from.
PARAMETER_VOCABULARIES = {
    "therapy": "therapies",
    "condition": "conditions",
    "age": "age_groups",
    "language": "languages",
    "day": "weekday",
    "time": "time_of_day",
}


#: Every search parameter, in the order they are checked and their errors listed.
PARAMETERS = (
    "zip",
    "radius",
    "level",
    "insurance",
    "therapy",
    "condition",
    "age",
    "language",
    "telehealth",
    "day",
    "time",
    "accepting",
    "soon",
)


def insurance_choices() -> list:
    """Payment codes, plus the assessment's "No insurance" and "I'm not sure" answers."""
    return list(vocab.vocabulary("payment")) + [
        (code, label) for code, label in vocab.INSURANCE_ANSWERS if code in ("none", "unsure")
    ]


def parameter_choices(name: str) -> list:
    """The choices of a search parameter, read from the registry now."""
    if name == "insurance":
        return insurance_choices()
    return list(vocab.vocabulary(PARAMETER_VOCABULARIES[name]))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


# ---- form fields ---------------------------------------------------------------------------


class ZipCodeField(forms.CharField):
    """A five-digit ZIP code that exists; cleans to the five digits."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return geo.clean_zip(value)


class LevelField(forms.ChoiceField):
    """A program level of care, in any letter case."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        if value == levels.LevelOfCare.EMERGENCY:
            raise forms.ValidationError(
                _(
                    "Emergency care is not a program to search for. If you need help now, "
                    "call or text 988, or call 911."
                ),
                code="emergency",
            )
        super().validate(value)


class YesNoField(forms.Field):
    """1/true/yes/on -> True, 0/false/no/off -> False, empty -> None; anything else is an error."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value or "").strip().lower()
        if not text:
            return None
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise forms.ValidationError(
            _("Use 1 for yes or 0 for no, not “%(value)s”."),
            code="invalid",
            params={"value": value},
        )


def _invalid_choice(what):
    return {"invalid_choice": what}


class LevelFilter(django_filters.ChoiceFilter):
    field_class = LevelField


class YesNoFilter(django_filters.Filter):
    field_class = YesNoField


class YesNoCheckbox(forms.CheckboxInput):
    """A tick box for a :class:`YesNoField`: sends "1" when ticked and hands the raw text to
    the field (so ``?telehealth=0`` still means "no filter" and a bad word is still an error)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: str(value).strip().lower() in TRUE_WORDS)

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def format_value(self, value):
        return "1"


#: How the search page shows each filter (labels and hints for people; the filters' own labels
#: name the parameters in error messages and the API).
_PAGE_LABELS = {
    "radius": _("Distance in miles"),
    "insurance": _("Insurance or payment"),
    "day": _("Days you can go"),
    "time": _("Times you can go"),
    "therapy": _("Therapies offered"),
    "accepting": _("Only programs taking new patients"),
    "soon": _("Can start within 2 weeks"),
}
_PAGE_HINTS = {
    "zip": _("5 digits, for example 40202."),
    "radius": _("From your ZIP code, in a straight line. 25 if left empty."),
    "insurance": _("Pick all that apply."),
    "therapy": _("Programs offering any of these."),
    "condition": _("Programs treating any of these."),
    "language": _(
        "Programs holding groups in the language, and those that only offer an interpreter: "
        "each result says which."
    ),
    "soon": _("The program gave a next intake date or a typical wait of 2 weeks or less."),
}
_ANY = {"level": _("Any level"), "age": _("Any age"), "language": _("Any language")}


def _choice_list_field(parameter: str, label, message) -> forms.MultipleChoiceField:
    """An optional pick-any-of field over the parameter's vocabulary."""
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=parameter_choices(parameter),
        error_messages=_invalid_choice(message),
    )


class ProgramFilterForm(forms.Form):
    """The filter form; all fields optional. Field names are the query-string parameters.

    The parameters that are not a queryset filter of their own are declared here: ``zip`` and
    ``radius`` (the distance, applied by :mod:`programs.search.queries`) and ``day`` and
    ``time`` (applied together by :meth:`ProgramFilter.filter_queryset`, so that one session
    has to match both). The rest come from :class:`ProgramFilter`'s filters.

    Rendered on the search page by :mod:`programs.filter_form` (plain HTML written in Python,
    Bootstrap 5 classes): checkbox groups are fieldsets with a legend, the less-used filters sit
    in a <details>, and an invalid input has aria-invalid and aria-describedby."""

    zip = ZipCodeField(label=_("ZIP code"), max_length=10, required=False)
    radius = forms.IntegerField(
        label=_("Distance (miles)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_MILES,
        error_messages={
            "invalid": _("Enter the distance as a whole number of miles, for example 25."),
            "min_value": _("Enter a distance of at least %(limit_value)s mile."),
            "max_value": _("Enter a distance of %(limit_value)s miles or less."),
        },
    )
    day = _choice_list_field(
        "day",
        _("Days"),
        _("“%(value)s” is not a day of the week. Use mon, tue, wed, thu, fri, sat or sun."),
    )
    time = _choice_list_field(
        "time",
        _("Time of day"),
        _("“%(value)s” is not a time of day we know. Use morning, afternoon or evening."),
    )
    #: The order parameters are checked in, and their errors listed.
    field_order = PARAMETERS

    #: True on the classes :meth:`ProgramFilter.get_form_class` prepares: their fields already
    #: carry the registry's choices and the page's widgets and words, and are shared by every
    #: instance (nothing changes a field after the class is made).
    prepared = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        if not self.prepared:
            super().__init__(*args, **kwargs)
            self._read_vocabularies()
            self._use_page_widgets_and_words()
            return
        # Django deep-copies every field for every form (some 700 copies for this one); the
        # prepared fields are never changed, so the instances share them.
        self.base_fields = {}
        super().__init__(*args, **kwargs)
        del self.base_fields
        self.fields = dict(type(self).base_fields)

    @classmethod
    def prepare(cls) -> None:
        """Give the class's own fields the registry's choices and the page's widgets and words
        (once, when the class is made)."""
        ordered = {
            name: cls.base_fields[name] for name in cls.field_order if name in cls.base_fields
        }
        cls.base_fields = copy.deepcopy({**ordered, **cls.base_fields})  # not the parent's
        cls.fields = cls.base_fields
        try:
            cls._read_vocabularies(cls)
            cls._use_page_widgets_and_words(cls)
        finally:
            del cls.fields
        cls.prepared = True

    @classmethod
    def parameter_labels(cls) -> dict[str, str]:
        """The labels of the parameters declared here, as errors name them."""
        return {name: str(field.label) for name, field in cls.base_fields.items()}

    def _read_vocabularies(self) -> None:
        for name in ("insurance", *PARAMETER_VOCABULARIES):
            if name in self.fields:
                self.fields[name].choices = parameter_choices(name)

    def _use_page_widgets_and_words(self) -> None:
        for form_field in self.fields.values():
            if isinstance(form_field, forms.MultipleChoiceField):
                form_field.widget = forms.CheckboxSelectMultiple(choices=form_field.choices)
            elif isinstance(form_field, YesNoField):
                form_field.widget = YesNoCheckbox()
        for name, label in _PAGE_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        for name, hint in _PAGE_HINTS.items():
            if name in self.fields:
                self.fields[name].help_text = hint
        for name, empty in _ANY.items():
            if name in self.fields:
                field = self.fields[name]
                if hasattr(field, "empty_label"):  # django-filter's ChoiceField adds its own
                    field.empty_label = empty
                else:
                    field.choices = [("", empty)] + [c for c in field.choices if c[0] != ""]


# ---- the filter set ------------------------------------------------------------------------


def _code_list_filter(parameter: str, label, message, many: bool = True):
    """A filter on one of a program's code lists (the field the registry names for
    ``parameter``): any of the chosen codes matches."""
    kind = django_filters.MultipleChoiceFilter if many else django_filters.ChoiceFilter
    return kind(
        method="filter_code_list",
        choices=parameter_choices(parameter),
        label=label,
        error_messages=_invalid_choice(message),
    )


class ProgramFilter(django_filters.FilterSet):
    """Search filters for active programs; see the module docstring for each parameter."""

    level = LevelFilter(
        field_name="level",
        choices=levels.choices(levels.PROGRAM_LEVELS),
        label=_("Level of care"),
        error_messages=_invalid_choice(
            _(
                "“%(value)s” is not a level of care we list. Choose OP, IOP, PHP, "
                "residential or inpatient."
            )
        ),
    )
    insurance = django_filters.MultipleChoiceFilter(
        method="filter_insurance",
        choices=insurance_choices(),
        label=_("Insurance or payment"),
        error_messages=_invalid_choice(
            _("“%(value)s” is not an insurance or payment option we know.")
        ),
    )
    therapy = _code_list_filter(
        "therapy", _("Therapies"), _("“%(value)s” is not a therapy we list.")
    )
    condition = _code_list_filter(
        "condition", _("Conditions treated"), _("“%(value)s” is not a condition we list.")
    )
    age = _code_list_filter(
        "age", _("Age group"), _("“%(value)s” is not an age group we list."), many=False
    )
    language = django_filters.ChoiceFilter(
        method="filter_language",
        choices=parameter_choices("language"),
        label=_("Language"),
        error_messages=_invalid_choice(_("“%(value)s” is not a language we list.")),
    )
    telehealth = YesNoFilter(method="filter_telehealth", label=_("Offers telehealth (video)"))
    accepting = YesNoFilter(method="filter_accepting", label=_("Taking new patients"))
    soon = YesNoFilter(method="filter_soon", label=_("Can start within 2 weeks"))

    class Meta:
        model = Program
        fields: list[str] = []
        form = ProgramFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        """As django-filter's, but each filter is copied shallowly (django-filter deep-copies
        them all, with their form fields, on every request): a filter keeps no state of its own
        beyond its parent, which is set here."""
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: self._own(f, queryset.model) for name, f in self.base_filters.items()}

    def _own(self, base_filter, model):
        own = copy.copy(base_filter)
        own.model = model
        own.parent = self
        if base_filter.method is not None:
            own.method = base_filter.method  # a FilterMethod calling this instance's method
        return own

    def get_form_class(self):
        """The form class, made once for each state of the vocabulary registry."""
        key = registry_key()
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            fields = {name: copy.deepcopy(f.field) for name, f in self.base_filters.items()}
            form_class = type("ProgramFilterForm", (self._meta.form,), fields)
            form_class.prepare()
            _FORM_CLASSES.clear()  # the registry changed (tests extend it): keep only this one
            _FORM_CLASSES[key] = form_class
        return form_class

    def filter_insurance(self, queryset, name, value):
        codes = vocab.payment_codes_for(value)
        if not codes:
            return queryset
        return queryset.filter(_any_code("payment", codes))

    def filter_code_list(self, queryset, name, value):
        """Programs listing any of the chosen codes in the parameter's field."""
        if not value:
            return queryset
        codes = [value] if isinstance(value, str) else value
        return queryset.filter(_any_code(PARAMETER_VOCABULARIES[name], codes))

    def filter_language(self, queryset, name, value):
        if not value:
            return queryset
        matches = Q(languages__contains=wrap(value)) | Q(interpreters__contains=wrap(value))
        if value == "en":
            matches |= Q(languages="")
        return queryset.filter(matches)

    def filter_telehealth(self, queryset, name, value):
        if value:
            return queryset.filter(
                modality__in=[Program.Modality.TELEHEALTH, Program.Modality.BOTH]
            )
        return queryset

    def filter_accepting(self, queryset, name, value):
        return queryset.filter(accepting_new_patients=True) if value else queryset

    def filter_soon(self, queryset, name, value):
        """A known wait of at most two weeks, as :func:`programs.freshness.starts_soon`."""
        if not value:
            return queryset
        today = timezone.localdate()
        latest = today + dt.timedelta(days=freshness.SHORT_WAIT_DAYS)
        intake_soon = Q(next_intake__gte=today, next_intake__lte=latest)
        no_intake_date = Q(next_intake__isnull=True) | Q(next_intake__lt=today)
        short_wait = no_intake_date & Q(wait_days__lte=freshness.SHORT_WAIT_DAYS)
        return queryset.filter(intake_soon | short_wait).exclude(accepting_new_patients=False)

    def filter_queryset(self, queryset):
        """Each filter, then day and time together (the form's own parameters)."""
        for name, parameter_filter in self.filters.items():
            queryset = parameter_filter.filter(queryset, self.form.cleaned_data.get(name))
        days = self.form.cleaned_data.get("day") or []
        times = self.form.cleaned_data.get("time") or []
        if days or times:
            sessions = Session.objects.filter(program=OuterRef("pk"))
            if days:
                day_codes = vocab.codes(vocab.vocabulary("weekday"))
                sessions = sessions.filter(weekday__in=[day_codes.index(day) for day in days])
            if times:
                sessions = sessions.filter(_times_q(times))
            queryset = queryset.filter(Exists(sessions))
        return queryset

    # Convenience for callers -------------------------------------------------------------

    @property
    def cleaned(self) -> dict:
        """The cleaned values (call after is_valid())."""
        return self.form.cleaned_data

    def parameter_labels(self) -> dict[str, str]:
        """{"parameter": "label"} for every parameter, as the error summary names them."""
        labels = {name: str(f.label) for name, f in self.filters.items()}
        return {**labels, **ProgramFilterForm.parameter_labels()}

    def error_dict(self) -> dict[str, list[str]]:
        """{"parameter": ["message", ...]} for every invalid parameter."""
        return {
            name: [str(message) for message in messages] for name, messages in self.errors.items()
        }


#: registry key -> prepared form class (see :meth:`ProgramFilter.get_form_class`).
_FORM_CLASSES: dict[tuple, type] = {}


def registry_key() -> tuple:
    """The codes of every vocabulary the filters offer: a new code makes a new form class."""
    names = ("payment", *PARAMETER_VOCABULARIES.values())
    return tuple((name, tuple(code for code, _label in vocab.vocabulary(name))) for name in names)


def _any_code(field: str, codes) -> Q:
    query = Q()
    for code in sorted(set(codes)):
        query |= Q(**{f"{field}__contains": wrap(code)})
    return query


def _times_q(times) -> Q:
    query = Q()
    for code in times:
        start, end = vocab.TIME_RANGES[code]
        part = Q(start__gte=start)
        if end is not None:
            part &= Q(start__lt=end)
        query |= part
    return query
