"""factory_boy factories for the directory (Provider, Location, Program, Session).

Locations default to real ZIP centroids (``zipcodes``), so distance tests are meaningful:
``LocationFactory(zip_code="40507")`` is placed at Lexington, KY. Other helpers may import these.

    program = ProgramFactory(level="IOP", payment=["medicaid"], location__zip_code="40202")
    SessionFactory(program=program, weekday=0, start=time(18), end=time(21))
    evening_iop(zip_code="40202", days=(0, 2, 3))
"""

import datetime as dt

import factory
from django.utils.text import slugify

from programs import geo
from programs.models import Location, Program, Provider, Session


def _place(zip_code, attribute, default=None):
    try:
        return getattr(geo.zip_place(zip_code), attribute)
    except geo.InvalidZipError:
        return default


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Riverbend Behavioral Health {n}")
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name)}-{n}")
    phone = "502-555-0100"
    accreditations = "The Joint Commission"
    is_demo = False


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    provider = factory.SubFactory(ProviderFactory)
    name = "Main clinic"
    street = factory.Sequence(lambda n: f"{100 + n} Main Street")
    zip_code = "40202"
    city = factory.LazyAttribute(lambda o: _place(o.zip_code, "city", "Louisville").title())
    state = factory.LazyAttribute(lambda o: _place(o.zip_code, "state", "KY"))
    latitude = factory.LazyAttribute(lambda o: _place(o.zip_code, "latitude"))
    longitude = factory.LazyAttribute(lambda o: _place(o.zip_code, "longitude"))
    phone = "502-555-0101"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    location = factory.SubFactory(LocationFactory)
    provider = factory.LazyAttribute(
        lambda o: o.location.provider if o.location else ProviderFactory()
    )
    name = factory.Sequence(lambda n: f"Program {n:03d}")
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name)}-{n}")
    description = "Group and individual therapy several days a week."
    level = "IOP"
    age_groups = factory.LazyFunction(lambda: ["adult"])
    conditions = factory.LazyFunction(lambda: ["depression", "anxiety"])
    therapies = factory.LazyFunction(lambda: ["cbt", "group"])
    languages = factory.LazyFunction(list)
    payment = factory.LazyFunction(lambda: ["private"])
    modality = Program.Modality.IN_PERSON
    accepting_new_patients = True
    intake_phone = "502-555-0199"
    intake_url = "https://example.org/intake"
    last_verified = factory.LazyFunction(dt.date.today)


class TelehealthProgramFactory(ProgramFactory):
    """A telehealth-only program with no address."""

    location = None
    modality = Program.Modality.TELEHEALTH


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    weekday = 0
    start = dt.time(18, 0)
    end = dt.time(21, 0)
    track = ""


def add_sessions(program, days=(0, 2, 3), start=dt.time(18, 0), end=dt.time(21, 0), track=""):
    """Weekly sessions for ``program`` on ``days`` (0 = Monday)."""
    for day in days:
        SessionFactory(program=program, weekday=day, start=start, end=end, track=track)
    return program


def evening_iop(zip_code="40202", days=(0, 2, 3), **fields):
    """An IOP with evening sessions (6-9 pm) on ``days``, at ``zip_code``."""
    program = ProgramFactory(level="IOP", location__zip_code=zip_code, **fields)
    return add_sessions(program, days=days)


def morning_iop(zip_code="40202", days=(0, 1, 2, 3, 4), **fields):
    """An IOP with morning sessions (9 am - noon) on ``days``."""
    program = ProgramFactory(level="IOP", location__zip_code=zip_code, **fields)
    return add_sessions(program, days=days, start=dt.time(9, 0), end=dt.time(12, 0))
