"""The demo directory as a mapping: ``programs.demo_data`` -> a Batch (no database).

``seed_demo`` stores it with the same writer as every importer. Rows are keyed
``source="demo"`` and a stable id, so a second run updates them and adds nothing; a program
dropped from ``demo_data`` is deleted (fiction has no history to keep).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from programs import demo_data
from programs.importers import common
from programs.importers.records import Batch, LocationRecord, ProgramRecord, ProviderRecord, Stale

SOURCE = "demo"
SOURCE_NOTE = "Demo data: a fictional program, not a real provider."
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


def _site(entry, site) -> LocationRecord:
    key = f"{entry.key}:{site.key}"
    latitude = longitude = None
    centroid = common.zip_centroid(site.zip_code)
    if centroid is not None:
        d_lat, d_lng = jitter(key)
        latitude = round(centroid[0] + d_lat, 6)
        longitude = round(centroid[1] + d_lng, 6)
    return LocationRecord(
        key=key,
        provider_key=entry.key,
        name=site.name,
        street=site.street,
        street2=site.street2,
        city=site.city,
        state=site.state,
        zip_code=site.zip_code,
        latitude=latitude,
        longitude=longitude,
        phone=phone(entry.area_code, entry.phone_suffix),
        accessibility_notes=site.accessibility,
    )


def _program(entry, index: int, item, today: dt.date) -> ProgramRecord:
    website = f"https://{entry.domain}/"
    site_key = None if item.site is None else (item.site or entry.sites[0].key)
    location_key = None if site_key is None else f"{entry.key}:{site_key}"
    return ProgramRecord(
        key=f"{entry.key}:{item.key}",
        provider_key=entry.key,
        location_key=location_key,
        name=item.name,
        description=item.description,
        level=item.level.value,
        age_groups=list(item.ages),
        conditions=list(item.conditions),
        therapies=list(item.therapies),
        languages=list(item.languages),
        payment=list(item.payment),
        insurers=item.insurers,
        modality=item.modality,
        hours_per_week=item.hours_per_week,
        length_weeks=item.length_weeks,
        accepting_new_patients=item.accepting,
        intake_phone=phone(entry.area_code, entry.phone_suffix + 1 + index),
        intake_url=f"{website}intake/{item.key}/",
        source_note=SOURCE_NOTE,
        last_verified=today - dt.timedelta(days=item.verified_days_ago),
        sessions=[
            (day, start, end, track) for track, days, start, end in item.tracks for day in days
        ],
    )


def demo_batch(today: dt.date, providers=None) -> Batch:
    """Every demo provider, site and program as plain records."""
    batch = Batch(source=SOURCE, stale=Stale.DELETE_SOURCE)
    for entry in demo_data.PROVIDERS if providers is None else providers:
        batch.add_provider(
            ProviderRecord(
                key=entry.key,
                name=entry.name,
                website=f"https://{entry.domain}/",
                phone=phone(entry.area_code, entry.phone_suffix),
                accreditations=entry.accreditations,
                state_license=entry.license,
                is_demo=True,
            )
        )
        for site in entry.sites:
            batch.add_location(_site(entry, site))
        for index, item in enumerate(entry.programs):
            batch.add_program(_program(entry, index, item, today))
    return batch
