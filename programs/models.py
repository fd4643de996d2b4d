"""The program directory: providers, their locations, their programs and weekly sessions.

Modelled after Open Referral HSDS (organization, location, service, schedule) with our own
controlled vocabularies from ``programs.vocab``; see ``shared/domain/directory-data.md`` section 6.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import levels, vocab
from programs.fields import CodeListField


class Provider(models.Model):
    """An organisation that runs programs (HSDS organization; SAMHSA ``name1``)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("main phone"), max_length=40, blank=True)
    accreditations = models.CharField(
        _("accreditations"),
        max_length=300,
        blank=True,
        help_text=_("For example: The Joint Commission; CARF."),
    )
    state_license = models.CharField(_("state licence"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(
        _("source record id"), max_length=200, blank=True, null=True, default=None
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        constraints = [
            # Not partial: the importers' upsert (INSERT ... ON CONFLICT) needs a plain unique
            # index. Rows typed in by staff have no source record id (NULL), never a clash.
            models.UniqueConstraint(fields=["source", "source_id"], name="provider_source_record")
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A site where programs meet (HSDS location + address; SAMHSA facility site)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("site name"), max_length=200, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    street2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(
        _("source record id"), max_length=200, blank=True, null=True, default=None
    )

    class Meta:
        ordering = ["provider__name", "city"]
        verbose_name = _("location")
        indexes = [
            # The bounding-box prefilter of every distance search (programs.search).
            models.Index(fields=["latitude", "longitude"], name="location_lat_lng"),
        ]
        constraints = [
            # Not partial: the importers' upsert (INSERT ... ON CONFLICT) needs a plain unique
            # index. Rows typed in by staff have no source record id (NULL), never a clash.
            models.UniqueConstraint(fields=["source", "source_id"], name="location_source_record")
        ]

    def __str__(self):
        return f"{self.name or self.provider.name}, {self.city}, {self.state}"

    @property
    def one_line_address(self):
        parts = [self.street, self.street2, self.city, f"{self.state} {self.zip_code}".strip()]
        return ", ".join(part for part in parts if part)


class Program(models.Model):
    """One level of care offered by a provider (HSDS service): what a patient joins."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        TELEHEALTH = "telehealth", _("Telehealth")
        BOTH = "both", _("In person and telehealth")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="programs")
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programs",
        help_text=_("Empty for telehealth-only programs."),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(
        _("level of care"), max_length=20, choices=levels.choices(levels.PROGRAM_LEVELS)
    )
    age_groups = CodeListField(_("age groups"), help_text=str(vocab.codes(vocab.AGE_GROUPS)))
    conditions = CodeListField(_("conditions"), help_text=str(vocab.codes(vocab.CONDITIONS)))
    therapies = CodeListField(_("therapies"), help_text=str(vocab.codes(vocab.THERAPIES)))
    languages = CodeListField(
        _("languages groups are held in"), help_text=str(vocab.codes(vocab.LANGUAGES))
    )
    interpreters = CodeListField(
        _("languages offered through an interpreter only"),
        help_text=str(vocab.codes(vocab.LANGUAGES)),
    )
    payment = CodeListField(_("payment accepted"), help_text=str(vocab.codes(vocab.PAYMENT)))
    insurers = models.CharField(
        _("named private insurers"),
        max_length=300,
        blank=True,
        help_text=_("For example: Anthem; Humana; Aetna."),
    )
    modality = models.CharField(
        _("in person or telehealth"),
        max_length=20,
        choices=Modality.choices,
        default=Modality.IN_PERSON,
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    length_weeks = models.PositiveSmallIntegerField(
        _("typical length (weeks)"), null=True, blank=True
    )
    accepting_new_patients = models.BooleanField(
        _("accepting new patients"), null=True, blank=True, default=True
    )
    next_intake = models.DateField(
        _("next intake date"),
        null=True,
        blank=True,
        help_text=_("The next day a new patient can start, when the program has set one."),
    )
    wait_days = models.PositiveSmallIntegerField(
        _("typical wait (days)"),
        null=True,
        blank=True,
        help_text=_("How many days a new patient usually waits to start."),
    )
    intake_phone = models.CharField(_("intake phone"), max_length=40, blank=True)
    intake_url = models.URLField(_("intake web page"), blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(
        _("source record id"), max_length=200, blank=True, null=True, default=None
    )
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("For example: therapies and payment are listed for the whole facility."),
    )
    source_group = models.CharField(
        _("source site id"),
        max_length=200,
        blank=True,
        help_text=_("The facility an imported program belongs to (SAMHSA frid)."),
    )
    source_date = models.DateField(
        _("source date"),
        null=True,
        blank=True,
        help_text=_("The date of the source data this listing was imported from."),
    )
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True, editable=False)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    last_verified_by = models.CharField(
        _("last verified by"),
        max_length=254,
        blank=True,
        help_text=_("Who confirmed the listing: a staff user name or the listing contact."),
    )
    listing_email = models.EmailField(
        _("listing contact e-mail"),
        blank=True,
        help_text=_("Who at the program keeps this listing current: update links go here."),
    )
    reported_kind = models.CharField(
        _("reported out of date"),
        max_length=30,
        blank=True,
        editable=False,
        help_text=_("Set when three open reports of the same kind name this listing."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        indexes = [
            models.Index(fields=["level", "is_active"], name="program_level_active"),
            # A re-import hides the levels a facility no longer lists: one UPDATE per file
            # keyed on the facility (programs.importers.writer), never a LIKE 'frid:%' scan.
            models.Index(fields=["source", "source_group"], name="program_source_group"),
            # The distance search walks the locations in its bounding box and joins their
            # programs: with the level beside the location the database skips the programs at
            # other levels without reading them (SQLite, 25,000 programs: 1.9 -> 0.3 ms).
            models.Index(fields=["location", "level", "is_active"], name="program_location_level"),
        ]
        constraints = [
            # Not partial: the importers' upsert (INSERT ... ON CONFLICT) needs a plain unique
            # index. Rows typed in by staff have no source record id (NULL), never a clash.
            models.UniqueConstraint(fields=["source", "source_id"], name="program_source_record")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.slug])

    @staticmethod
    def detail_path_maker():
        """A function slug -> the program page's path, as :meth:`get_absolute_url` but from one
        ``reverse()`` for a whole list (a reverse per card cost about 65 µs)."""
        marker = "program-slug"
        head, tail = reverse("programs:detail", args=[marker]).rsplit(marker, 1)
        return lambda slug: f"{head}{slug}{tail}"

    @property
    def source_label(self) -> str:
        """Where an imported listing comes from, for the program page ("" when typed in)."""
        if self.source == "samhsa":
            return str(_("SAMHSA treatment locator (FindTreatment.gov)"))
        if self.source.startswith("hsds:"):
            return str(_("Open Referral directory %(name)s") % {"name": self.source[5:]})
        if self.source == "demo":
            return str(_("Demo data (fictional)"))
        return ""

    @property
    def level_of_care(self) -> levels.LevelOfCare:
        return levels.LevelOfCare(self.level)

    @property
    def offers_telehealth(self) -> bool:
        return self.modality in (self.Modality.TELEHEALTH, self.Modality.BOTH)


class Session(models.Model):
    """A weekly meeting time of a program (HSDS schedule with freq=WEEKLY, one weekday)."""

    class Weekday(models.IntegerChoices):
        MON = 0, _("Monday")
        TUE = 1, _("Tuesday")
        WED = 2, _("Wednesday")
        THU = 3, _("Thursday")
        FRI = 4, _("Friday")
        SAT = 5, _("Saturday")
        SUN = 6, _("Sunday")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    track = models.CharField(
        _("track"), max_length=100, blank=True, help_text=_("For example: Evening track.")
    )

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("session")
        indexes = [models.Index(fields=["weekday", "start"], name="session_day_start")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def day_code(self) -> str:
        return vocab.codes(vocab.WEEKDAYS)[self.weekday]


class StaleListing(Program):
    """Programs not confirmed lately, for the directory editors' report (a proxy: no table)."""

    class Meta:
        proxy = True
        verbose_name = _("stale listing")
        verbose_name_plural = _("stale listings")


class ListingLink(models.Model):
    """A private link sent to a program's listing contact to confirm or change the listing.

    The link carries a signed token (``programs.listing.link_token``) naming this row and its
    program; the row decides whether it still works (not used, not revoked, not expired)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="listing_links")
    sent_to = models.EmailField(_("sent to"))
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    created_by = models.CharField(_("sent by"), max_length=150, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listing update link")

    def __str__(self):
        return f"{self.program} ({self.created_at:%Y-%m-%d})"


class ListingChange(models.Model):
    """What a listing contact changed or asked to change, and the editors' decision.

    Availability (accepting new patients, next intake, typical wait) is applied at once and
    stored as APPLIED; other fields wait as PENDING until a directory editor approves (the
    change is applied then) or refuses them. Every row is kept: the audit of the listing."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied at once (availability)")
        CONFIRMED = "confirmed", _("Confirmed unchanged")
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="listing_changes")
    link = models.ForeignKey(
        ListingLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    submitted_by = models.CharField(_("submitted by"), max_length=254)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, help_text="{field: [old, new]}")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("listing change")

    def __str__(self):
        return f"{self.program} ({self.get_status_display()})"


class ListingReport(models.Model):
    """ "Report a problem with this listing", from anyone, without an account."""

    class Kind(models.TextChoices):
        WRONG_PHONE = "wrong_phone", _("The phone number is wrong")
        CLOSED = "closed", _("The program has closed")
        NOT_ACCEPTING = "not_accepting", _("They are not taking new patients")
        WRONG_INSURANCE = "wrong_insurance", _("The insurance or payment is wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FIXED = "fixed", _("Fixed")
        NOT_A_PROBLEM = "not_a_problem", _("Not a problem")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("problem"), max_length=30, choices=Kind.choices)
    details = models.TextField(_("details"), blank=True, max_length=1000)
    email = models.EmailField(_("e-mail for questions"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listing problem report")

    def __str__(self):
        return f"{self.program}: {self.get_kind_display()}"
