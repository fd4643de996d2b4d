"""A re-import does not undo what a program's listing contact confirmed (issue 13): the contact's
answer on "accepting new patients" and its "last verified" stamp stay when they are newer than
the file; a file newer than the answer wins, and a listing nobody confirmed follows the file."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from programs.models import Program

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"


def import_file(tmp_path, name):
    path = tmp_path / name
    path.write_text(json.dumps({"rows": json.loads(FIXTURE.read_text())["rows"][:3]}))
    call_command("import_programs", str(path), "--format", "samhsa", stdout=StringIO())
    return Program.objects.filter(source="samhsa").order_by("pk")


def confirm(program, day, accepting=False):
    Program.objects.filter(pk=program.pk).update(
        accepting_new_patients=accepting,
        last_verified=day,
        last_verified_by="listing contact intake@example.org",
    )


def test_a_contact_answer_newer_than_the_file_survives_a_reimport(tmp_path):
    confirmed, untouched, *_ = import_file(tmp_path, "locator-2019-06-01.json")
    # The locator file does not say whether a program takes new patients (unknown).
    assert confirmed.accepting_new_patients is None and untouched.accepting_new_patients is None
    confirm(confirmed, dt.date(2026, 11, 2))
    Program.objects.filter(pk=untouched.pk).update(accepting_new_patients=False)
    import_file(tmp_path, "locator-2019-06-01.json")
    confirmed.refresh_from_db()
    untouched.refresh_from_db()
    assert confirmed.accepting_new_patients is False
    assert confirmed.last_verified == dt.date(2026, 11, 2)
    # Nobody confirmed the other listing: the file's word stands.
    assert untouched.accepting_new_patients is None


def test_a_file_newer_than_the_answer_wins(tmp_path):
    confirmed, *_ = import_file(tmp_path, "locator-2019-06-01.json")
    confirm(confirmed, dt.date(2019, 1, 5))
    import_file(tmp_path, "locator-2019-06-01.json")
    confirmed.refresh_from_db()
    assert confirmed.accepting_new_patients is None
    assert confirmed.last_verified != dt.date(2019, 1, 5)
