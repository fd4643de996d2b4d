"""The one writer of directory rows: a :class:`~programs.importers.records.Batch` -> Provider,
Location, Program and Session rows, for every importer and for the demo directory.

Set-based, so a national file costs a few statements per thousand rows rather than ten per row:

* providers, locations and programs are upserted with ``bulk_create(update_conflicts=True)``
  on their source keys (``source``, ``source_id``: a plain unique index, see the models); a new
  row's slug is made in memory from its name and key, an existing row keeps its slug (public
  URLs stay stable);
* the sessions of every program written are replaced in one DELETE and bulk INSERTs;
* programs the file no longer lists are hidden (or, for demo data, deleted) in ONE statement,
  found by the run's ``imported_at`` stamp, with no ``LIKE`` scan and no long ``IN`` list;
* all of it in one transaction: a failure anywhere writes nothing. ``dry_run`` rolls back.

After a real import on PostgreSQL the tables written are ANALYZEd, so the planner has
statistics at once rather than after autovacuum (issue 11 item 10).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from programs.importers import progress as progress_display
from programs.importers.common import ImportResult, stable_slug
from programs.importers.records import Batch, Stale

#: Rows per INSERT ... ON CONFLICT statement (SQLite lowers it to its parameter limit).
CHUNK = 1000

PROVIDER_FIELDS = ["name", "website", "phone", "accreditations", "state_license", "is_demo"]
LOCATION_FIELDS = [
    "provider",
    "name",
    "street",
    "street2",
    "city",
    "state",
    "zip_code",
    "latitude",
    "longitude",
    "phone",
    "accessibility_notes",
]
PROGRAM_FIELDS = [
    "provider",
    "location",
    "name",
    "description",
    "level",
    "age_groups",
    "conditions",
    "therapies",
    "languages",
    "payment",
    "insurers",
    "modality",
    "hours_per_week",
    "length_weeks",
    "accepting_new_patients",
    "intake_phone",
    "intake_url",
    "is_active",
    "source_note",
    "source_group",
    "source_date",
    "last_verified",
    "imported_at",
    "updated_at",
]


def write(
    batch: Batch, result: ImportResult, *, dry_run: bool = False, progress=None
) -> ImportResult:
    """Store ``batch`` in one transaction; fills the counts of ``result`` and returns it."""
    with transaction.atomic():
        _write(batch, result, progress)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        result.analyzed = analyze()
    return result


def analyze() -> list[str]:
    """ANALYZE the directory tables on PostgreSQL (nothing elsewhere); returns their names."""
    if connection.vendor != "postgresql":
        return []
    from programs.models import Location, Program, Provider, Session

    tables = [model._meta.db_table for model in (Provider, Location, Program, Session)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables


def _upsert(model, source: str, objects: list, fields: list[str], progress=None) -> dict:
    """INSERT ... ON CONFLICT (source, source_id) DO UPDATE; returns {source_id: pk}."""
    for start in range(0, len(objects), CHUNK):
        part = objects[start : start + CHUNK]
        model.objects.bulk_create(
            part,
            update_conflicts=True,
            unique_fields=["source", "source_id"],
            update_fields=fields,
        )
        if progress is not None:
            progress.advance(len(part))
    return dict(model.objects.filter(source=source).values_list("source_id", "pk"))


def _existing_slugs(model, source: str) -> dict[str, str]:
    return dict(model.objects.filter(source=source).values_list("source_id", "slug"))


def _write(batch: Batch, result: ImportResult, progress=None) -> None:
    from programs.models import Location, Program, Provider, Session

    source = batch.source
    run_at = timezone.now()

    slugs = _existing_slugs(Provider, source)
    providers = [
        Provider(
            source=source,
            source_id=record.key,
            slug=slugs.get(record.key) or stable_slug(record.name, source, record.key),
            **{name: getattr(record, name) for name in PROVIDER_FIELDS},
        )
        for record in batch.providers.values()
    ]
    provider_ids = _upsert(Provider, source, providers, PROVIDER_FIELDS)

    locations = [
        Location(
            source=source,
            source_id=record.key,
            provider_id=provider_ids[record.provider_key],
            **{name: getattr(record, name) for name in LOCATION_FIELDS if name != "provider"},
        )
        for record in batch.locations.values()
    ]
    location_ids = _upsert(Location, source, locations, LOCATION_FIELDS)

    slugs = _existing_slugs(Program, source)
    programs = []
    for record in batch.programs.values():
        values = {
            name: getattr(record, name)
            for name in PROGRAM_FIELDS
            if name not in ("provider", "location", "is_active", "imported_at", "updated_at")
            and not name.startswith("source_")
        }
        programs.append(
            Program(
                source=source,
                source_id=record.key,
                slug=slugs.get(record.key) or stable_slug(record.name, source, record.key),
                provider_id=provider_ids[record.provider_key],
                location_id=location_ids[record.location_key] if record.location_key else None,
                is_active=True,
                source_note=record.source_note,
                source_group=record.group,
                source_date=batch.source_date,
                imported_at=run_at,
                **values,
            )
        )
    shown = progress_display.start(progress, "Writing programs", len(programs))
    program_ids = _upsert(Program, source, programs, PROGRAM_FIELDS, shown)
    shown.finish()

    result.providers += len(providers)
    result.locations += len(locations)
    result.created += sum(1 for key in batch.programs if key not in slugs)
    result.updated += sum(1 for key in batch.programs if key in slugs)
    result.sessions += _replace_sessions(Session, batch, program_ids, source, run_at)
    result.deactivated += _retire_stale(Program, batch, run_at)


def _replace_sessions(session_model, batch: Batch, program_ids: dict, source, run_at) -> int:
    """The sessions of every program written are exactly its record's sessions."""
    session_model.objects.filter(program__source=source, program__imported_at=run_at).delete()
    sessions = [
        session_model(
            program_id=program_ids[record.key], weekday=day, start=start, end=end, track=track
        )
        for record in batch.programs.values()
        for day, start, end, track in sorted(set(record.sessions))
    ]
    for start in range(0, len(sessions), CHUNK * 5):
        session_model.objects.bulk_create(sessions[start : start + CHUNK * 5])
    return len(sessions)


def _retire_stale(program_model, batch: Batch, run_at) -> int:
    """One statement for the source's programs this batch did not write (the run's stamp)."""
    others = program_model.objects.filter(source=batch.source).exclude(imported_at=run_at)
    if batch.stale == Stale.DELETE_SOURCE:
        _total, by_model = others.delete()
        return by_model.get(program_model._meta.label, 0)
    if batch.stale == Stale.DEACTIVATE_IN_GROUPS:
        written_groups = (
            program_model.objects.filter(source=batch.source, imported_at=run_at)
            .exclude(source_group="")
            .values("source_group")
        )
        others = others.filter(source_group__in=written_groups)
    return others.filter(is_active=True).update(is_active=False)
