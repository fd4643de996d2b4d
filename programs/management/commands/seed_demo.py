"""``python manage.py seed_demo [--clear]``

Fills the directory with a clearly fictional demo directory around Louisville, Kentucky
(``programs.demo_data``). Safe to run on every start: rows are keyed ``source="demo"`` and a
stable id, so a second run updates them and adds nothing. ``--clear`` removes every demo row.
"""

import datetime as dt
import hashlib

from django.core.management.base import BaseCommand
from django.db import transaction

from programs import demo, demo_data
from programs.importers import common
from programs.models import Location, Program, Provider

SOURCE = "demo"
#: How far (degrees, about 0.7 miles) a site may move from its ZIP centroid.
JITTER_DEGREES = 0.01


def jitter(key: str) -> tuple[float, float]:
    """A small offset that depends only on ``key``, so every run places a site identically."""
    digest = hashlib.sha256(key.encode()).digest()
    return (
        (digest[0] / 255 - 0.5) * 2 * JITTER_DEGREES,
        (digest[1] / 255 - 0.5) * 2 * JITTER_DEGREES,
    )


def phone(area_code: str, suffix: int) -> str:
    """A number in the 555-0100..0199 range reserved for fiction."""
    return f"({area_code}) 555-01{suffix % 100:02d}"


def seed(today: dt.date | None = None) -> dict:
    """Write the demo directory; returns counts of rows created and updated."""
    today = today or dt.date.today()
    counts = {"created": 0, "updated": 0, "sessions": 0}
    keep_programs = []
    with transaction.atomic():
        for entry in demo_data.PROVIDERS:
            website = f"https://{entry.domain}/"
            provider, _created = common.upsert(
                Provider,
                SOURCE,
                entry.key,
                {
                    "name": entry.name,
                    "website": website,
                    "phone": phone(entry.area_code, entry.phone_suffix),
                    "accreditations": entry.accreditations,
                    "state_license": entry.license,
                    "is_demo": True,
                },
                slug_name=entry.name,
            )
            sites = {}
            for site in entry.sites:
                key = f"{entry.key}:{site.key}"
                centroid = common.zip_centroid(site.zip_code)
                latitude = longitude = None
                if centroid is not None:
                    d_lat, d_lng = jitter(key)
                    latitude = round(centroid[0] + d_lat, 6)
                    longitude = round(centroid[1] + d_lng, 6)
                sites[site.key], _created = common.upsert(
                    Location,
                    SOURCE,
                    key,
                    {
                        "provider": provider,
                        "name": site.name,
                        "street": site.street,
                        "street2": site.street2,
                        "city": site.city,
                        "state": site.state,
                        "zip_code": site.zip_code,
                        "latitude": latitude,
                        "longitude": longitude,
                        "phone": phone(entry.area_code, entry.phone_suffix),
                        "accessibility_notes": site.accessibility,
                    },
                )
            for item in entry.programs:
                key = f"{entry.key}:{item.key}"
                keep_programs.append(key)
                if item.site is None:
                    location = None
                else:
                    location = sites[item.site] if item.site else sites[entry.sites[0].key]
                intake_suffix = entry.phone_suffix + 1 + entry.programs.index(item)
                program, created = common.upsert(
                    Program,
                    SOURCE,
                    key,
                    {
                        "provider": provider,
                        "location": location,
                        "name": item.name,
                        "description": item.description,
                        "level": item.level.value,
                        "age_groups": list(item.ages),
                        "conditions": list(item.conditions),
                        "therapies": list(item.therapies),
                        "languages": list(item.languages),
                        "payment": list(item.payment),
                        "insurers": item.insurers,
                        "modality": item.modality,
                        "hours_per_week": item.hours_per_week,
                        "length_weeks": item.length_weeks,
                        "accepting_new_patients": item.accepting,
                        "intake_phone": phone(entry.area_code, intake_suffix),
                        "intake_url": f"{website}intake/{item.key}/",
                        "is_active": True,
                        "source_note": "Demo data: a fictional program, not a real provider.",
                        "last_verified": today - dt.timedelta(days=item.verified_days_ago),
                    },
                    slug_name=item.name,
                )
                counts["created" if created else "updated"] += 1
                sessions = [
                    (day, start, end, track)
                    for track, days, start, end in item.tracks
                    for day in days
                ]
                counts["sessions"] += common.replace_sessions(program, sessions)
        # Programs dropped from demo_data since the last run.
        Program.objects.filter(source=SOURCE).exclude(source_id__in=keep_programs).delete()
    demo.forget_demo_flag()
    return counts


def clear() -> int:
    """Delete every demo provider (with its locations, programs and sessions)."""
    with transaction.atomic():
        programs, _by_model = Program.objects.filter(source=SOURCE).delete()
        providers, _by_model = Provider.objects.filter(is_demo=True).delete()
        deleted = programs + providers
    demo.forget_demo_flag()
    return deleted


class Command(BaseCommand):
    help = "Add (or refresh) the fictional demo directory around Louisville, KY. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clear", action="store_true", help="Remove every demo row instead of adding them."
        )

    def handle(self, *args, **options):
        if options["clear"]:
            deleted = clear()
            self.stdout.write(self.style.SUCCESS(f"Removed the demo directory ({deleted} rows)."))
            return
        counts = seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory: {counts['created']} programs created, {counts['updated']} "
                f"updated, {counts['sessions']} sessions. Every demo provider is fictional."
            )
        )
