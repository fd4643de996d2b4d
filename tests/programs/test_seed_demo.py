"""``seed_demo``: a fictional Louisville directory, safe to run on every start."""

import datetime as dt
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from programs import demo
from programs.levels import PROGRAM_LEVELS
from programs.models import Location, Program, Provider, Session


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (
        Provider.objects.count(),
        Location.objects.count(),
        Program.objects.count(),
        Session.objects.count(),
    )


@pytest.mark.django_db
def test_running_twice_gives_the_same_rows():
    first = seed()
    after_first = counts()
    slugs = set(Program.objects.values_list("slug", flat=True))
    second = seed()
    assert counts() == after_first
    assert set(Program.objects.values_list("slug", flat=True)) == slugs
    assert "0 updated" in first and "0 programs created" in second
    providers, locations, programs, sessions = after_first
    assert 30 <= programs <= 60
    assert sessions > programs


@pytest.mark.django_db
def test_every_level_and_evening_iop_tracks():
    seed()
    levels = set(Program.objects.values_list("level", flat=True))
    assert levels == {level.value for level in PROGRAM_LEVELS}
    evening_iop = Session.objects.filter(program__level="IOP", start__gte=dt.time(17))
    assert evening_iop.values("program").distinct().count() >= 5
    assert Session.objects.filter(program__level="IOP", start__lt=dt.time(12)).exists()
    assert Program.objects.filter(level="IOP", age_groups__contains=",teen,").exists()
    assert Program.objects.filter(age_groups__contains=",older,").exists()
    for code in ("medicaid", "medicare", "tricare", "private", "sliding_scale", "self_pay", "free"):
        assert Program.objects.filter(payment__contains=f",{code},").exists(), code
    for code in ("es", "ar", "vi", "sw", "asl"):
        assert Program.objects.filter(languages__contains=f",{code},").exists(), code
    assert set(Program.objects.values_list("modality", flat=True)) == {
        "in_person", "telehealth", "both",
    }  # fmt: skip
    assert set(Program.objects.values_list("accepting_new_patients", flat=True)) >= {True, False}
    assert Program.objects.filter(insurers__icontains="Passport").exists()


@pytest.mark.django_db
def test_demo_rows_are_marked_and_clearly_fictional():
    seed()
    assert not Provider.objects.filter(is_demo=False).exists()
    assert set(Provider.objects.values_list("source", flat=True)) == {"demo"}
    phone = re.compile(r"^\(\d{3}\) 555-01\d\d$")
    for program in Program.objects.select_related("location", "provider"):
        assert phone.match(program.intake_phone), program.intake_phone
        assert ".example.org/" in program.intake_url
        assert program.last_verified is not None
        if program.location is not None:
            assert program.location.latitude is not None
            assert program.location.zip_code[:3] in ("402", "403", "405", "427", "471")
    assert demo.demo_data_present()


@pytest.mark.django_db
def test_clear_removes_only_demo_rows():
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"
    call_command("import_programs", str(fixture), stdout=StringIO())
    real = Program.objects.count()
    seed()
    assert demo.demo_data_present()
    output = seed("--clear")
    assert "Removed the demo directory" in output
    assert Program.objects.count() == real
    assert not Provider.objects.filter(is_demo=True).exists()
    assert not demo.demo_data_present()


@pytest.mark.django_db
def test_a_program_dropped_from_the_demo_data_is_deleted_on_the_next_run():
    """seed_demo goes through the importers' writer (Stale.DELETE_SOURCE)."""
    seed()
    kept = Program.objects.first()
    gone = Program.objects.create(
        provider=kept.provider, name="Old demo program", slug="old-demo", level="OP",
        source="demo", source_id="no-longer-in-demo-data",
    )  # fmt: skip
    seed()
    assert not Program.objects.filter(pk=gone.pk).exists()
    assert Program.objects.filter(pk=kept.pk).exists()


@pytest.mark.django_db
def test_the_demo_flag_is_kept_in_the_process_briefly_then_asked_again(monkeypatch):
    """Every page asks: the answer is kept in this process for LOCAL_SECONDS (no shared-cache
    round trip per page), then the shared cache and the database are asked again."""
    assert not demo.demo_data_present()
    seed()  # forgets the flag here, as the admin's demo actions do
    assert demo.demo_data_present()
    Provider.objects.filter(is_demo=True).update(is_demo=False)  # bypasses forget_demo_flag
    cache.delete(demo.CACHE_KEY)
    assert demo.demo_data_present()  # still the process's copy
    later = time.monotonic() + demo.LOCAL_SECONDS + 1
    monkeypatch.setattr(demo, "_clock", lambda: later)
    assert not demo.demo_data_present()  # the copy ran out: the database is asked again
