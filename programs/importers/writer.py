"""The one writer of directory rows: a :class:`~programs.importers.records.Batch` -> Provider,
Location, Program and Session rows, for every importer and for the demo directory.

Set-based, so a national file costs a few statements per thousand rows rather than ten per row:

* the source's stored rows are read once (a streamed SELECT per table, keeping only a
  fingerprint of each row's values); rows the file gives unchanged are not written again, so a
  re-import of the same file writes nothing;
* new and changed providers, locations and programs are upserted with
  ``bulk_create(update_conflicts=True)`` on their source keys (``source``, ``source_id``: a
  plain unique index, see the models), CHUNK rows a statement; a new row's slug is made in
  memory from its name and key, an existing row keeps its slug (public URLs stay stable);
* the sessions of programs whose sessions changed are replaced (one DELETE, bulk INSERTs);
* programs the file no longer lists are found in memory from that same SELECT and hidden (or,
  for demo data, deleted) by primary key, one UPDATE per 10,000 programs: no ``LIKE 'frid:%'``
  scan per facility (SAMHSA programs carry their facility in ``source_group``);
* all of it in one transaction: a failure anywhere writes nothing. ``dry_run`` rolls back.

After a real import on PostgreSQL the tables written are ANALYZEd, so the planner has
statistics at once rather than after autovacuum (issue 11 item 10).
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from programs.importers import progress as progress_display
from programs.importers.common import ImportResult, stable_slug
from programs.importers.records import Batch, Stale

#: Rows per INSERT ... ON CONFLICT statement (SQLite lowers it to its parameter limit).
CHUNK = 1000
#: Primary keys per UPDATE/DELETE ... WHERE id IN (...) statement (below SQLite's 32,766).
ID_CHUNK = 10_000

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


class Stored(NamedTuple):
    """What the writer keeps of a stored row: a fingerprint of its values, not the values, so
    a national re-import holds no second copy of the directory in memory."""

    pk: int
    slug: str | None
    fingerprint: int
    is_active: bool | None
    group: str | None


def _fingerprint(values) -> int:
    """A hash of a row's values as the database returns them (lists as tuples)."""
    return hash(tuple(tuple(value) if isinstance(value, list) else value for value in values))


def _existing(model, source: str, compared: list[str]) -> dict[str, Stored]:
    """{source_id: Stored} of the source's rows, one streamed SELECT."""
    names = {field.name for field in model._meta.fields}
    extra = [name if name in names else "pk" for name in ("slug", "is_active", "source_group")]
    columns = ["source_id", "pk", *extra, *compared]
    found = {}
    for row in model.objects.filter(source=source).values_list(*columns).iterator(2000):
        slug, is_active, group = (
            value if name in names else None for name, value in zip(extra, row[2:5], strict=True)
        )
        found[row[0]] = Stored(row[1], slug, _fingerprint(row[5:]), is_active, group)
    return found


def _sync(model, source: str, rows, fields: list[str], progress=None, force=frozenset()):
    """Upsert the rows that are new or differ from the stored ones (INSERT ... ON CONFLICT
    (source, source_id) DO UPDATE, CHUNK rows a statement); rows equal to the stored ones are
    not written. ``rows`` yields (key, slug name or None, {attname: value}).

    Returns ({source_id: pk} of the whole source, stored rows before the write, keys written).
    """
    attnames = [model._meta.get_field(name).attname for name in fields]
    compared = [name for name in attnames if name != "imported_at"]
    before = _existing(model, source, compared)
    written: list[str] = []
    pending: list = []

    def flush():
        model.objects.bulk_create(
            pending,
            update_conflicts=True,
            unique_fields=["source", "source_id"],
            update_fields=[*fields, "updated_at"] if _has(model, "updated_at") else fields,
        )
        if progress is not None:
            progress.advance(len(pending))
        pending.clear()

    for key, slug_name, values in rows:
        stored = before.get(key)
        if (
            stored is not None
            and key not in force
            and stored.fingerprint == _fingerprint(values[name] for name in compared)
        ):
            continue
        extra = {}
        if slug_name is not None:
            extra["slug"] = (stored and stored.slug) or stable_slug(slug_name, source, key)
        pending.append(model(source=source, source_id=key, **extra, **values))
        written.append(key)
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    ids = {key: stored.pk for key, stored in before.items()}
    if any(key not in ids for key in written):
        ids = dict(model.objects.filter(source=source).values_list("source_id", "pk"))
    return ids, before, written


def _has(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.fields)


def _provider_rows(batch: Batch):
    for record in batch.providers.values():
        yield record.key, record.name, {name: getattr(record, name) for name in PROVIDER_FIELDS}


def _location_rows(batch: Batch, provider_ids: dict):
    for record in batch.locations.values():
        values = {name: getattr(record, name) for name in LOCATION_FIELDS if name != "provider"}
        values["provider_id"] = provider_ids[record.provider_key]
        yield record.key, None, values


#: Program fields a record gives as they are (the others are set by the writer).
RECORD_FIELDS = [
    name
    for name in PROGRAM_FIELDS
    if name not in ("provider", "location", "is_active", "source_group", "source_date")
    and name not in ("imported_at", "updated_at")
]


#: What a program's listing contact (or an editor) confirms on the listing page (issue 13): a
#: re-import does not overwrite it with an older file's word.
LISTING_ANSWERS = ("accepting_new_patients", "last_verified")


def _listing_answers(program_model, source: str, file_date) -> dict[str, dict]:
    """{source_id: {field: value}} of the source's programs whose listing was confirmed by a
    person (``last_verified_by`` set) on or after the file's own date (or the file has none):
    their answer is newer than the file's, so it stays."""
    confirmed = program_model.objects.filter(source=source, last_verified__isnull=False).exclude(
        last_verified_by=""
    )
    if file_date is not None:
        confirmed = confirmed.filter(last_verified__gte=file_date)
    return {
        key: dict(zip(LISTING_ANSWERS, values, strict=True))
        for key, *values in confirmed.values_list("source_id", *LISTING_ANSWERS).iterator(5000)
    }


def _program_rows(batch: Batch, provider_ids, location_ids, run_at, kept=None):
    kept = kept or {}
    for record in batch.programs.values():
        values = {name: getattr(record, name) for name in RECORD_FIELDS}
        values.update(kept.get(record.key, {}))
        values.update(
            provider_id=provider_ids[record.provider_key],
            location_id=location_ids[record.location_key] if record.location_key else None,
            is_active=True,
            source_group=record.group,
            source_date=batch.source_date,
            imported_at=run_at,
        )
        yield record.key, record.name, values


def _stored_sessions(session_model, source: str) -> dict[int, set]:
    found: dict[int, set] = {}
    rows = session_model.objects.filter(program__source=source).values_list(
        "program_id", "weekday", "start", "end", "track"
    )
    for program_id, *session in rows.iterator(5000):
        found.setdefault(program_id, set()).add(tuple(session))
    return found


def _write(batch: Batch, result: ImportResult, progress=None) -> None:
    from programs.models import Location, Program, Provider, Session

    source = batch.source
    run_at = timezone.now()
    provider_ids, providers_before, providers_written = _sync(
        Provider, source, _provider_rows(batch), PROVIDER_FIELDS
    )
    location_ids, locations_before, locations_written = _sync(
        Location, source, _location_rows(batch, provider_ids), LOCATION_FIELDS
    )

    # A program whose sessions changed is written even when its own fields did not.
    stored_sessions = _stored_sessions(Session, source)
    stored_ids = dict(Program.objects.filter(source=source).values_list("source_id", "pk"))
    dirty_sessions = {
        key
        for key, record in batch.programs.items()
        if set(record.sessions) != stored_sessions.get(stored_ids.get(key), set())
    }
    fields = [name for name in PROGRAM_FIELDS if name != "updated_at"]
    shown = progress_display.start(progress, "Writing programs", len(batch.programs))
    program_ids, before, written = _sync(
        Program,
        source,
        _program_rows(
            batch,
            provider_ids,
            location_ids,
            run_at,
            _listing_answers(Program, source, batch.source_date),
        ),
        fields,
        shown,
        force=dirty_sessions,
    )
    shown.finish()
    # A changed provider or site changes its programs' listings: their updated_at moves
    # (the kept cards and pages of programs.snapshot), one statement per chunk.
    _bump_changed(Program, "provider_id", providers_before, providers_written, provider_ids)
    _bump_changed(Program, "location_id", locations_before, locations_written, location_ids)

    result.providers += len(batch.providers)
    result.locations += len(batch.locations)
    result.created += sum(1 for key in batch.programs if key not in before)
    result.updated += sum(1 for key in batch.programs if key in before)
    _replace_sessions(Session, batch, program_ids, sorted(dirty_sessions), set(stored_sessions))
    result.sessions += sum(len(set(record.sessions)) for record in batch.programs.values())
    result.deactivated += _retire_stale(Program, batch, before)


def _bump_changed(program_model, column: str, before: dict, written, ids: dict) -> None:
    """Move updated_at of the programs of the rows rewritten (not new) by this import."""
    changed = [ids[key] for key in written if key in before]
    now = timezone.now()
    for start in range(0, len(changed), ID_CHUNK):
        part = changed[start : start + ID_CHUNK]
        program_model.objects.filter(**{f"{column}__in": part}).update(updated_at=now)


def _replace_sessions(session_model, batch, program_ids: dict, keys, with_sessions) -> None:
    """The sessions of the programs in ``keys`` become exactly their records' sessions."""
    stale = [program_ids[key] for key in keys if program_ids[key] in with_sessions]
    for start in range(0, len(stale), ID_CHUNK):
        session_model.objects.filter(program_id__in=stale[start : start + ID_CHUNK]).delete()
    sessions = [
        session_model(program_id=program_ids[key], weekday=day, start=start, end=end, track=track)
        for key in keys
        for day, start, end, track in sorted(set(batch.programs[key].sessions))
    ]
    session_model.objects.bulk_create(sessions, batch_size=CHUNK * 5)


def _retire_stale(program_model, batch: Batch, before: dict) -> int:
    """The source's stored programs this batch does not list: hidden (or deleted, for demo
    data) by primary key, one statement per ID_CHUNK programs, with no LIKE scan."""
    groups = {record.group for record in batch.programs.values() if record.group}
    stale = []
    for key, stored in before.items():
        if key in batch.programs:
            continue
        hidden_now = stored.is_active and (
            batch.stale == Stale.DEACTIVATE_SOURCE or stored.group in groups
        )
        if batch.stale == Stale.DELETE_SOURCE or hidden_now:
            stale.append(stored.pk)
    done = 0
    for start in range(0, len(stale), ID_CHUNK):
        part = program_model.objects.filter(pk__in=stale[start : start + ID_CHUNK])
        if batch.stale == Stale.DELETE_SOURCE:
            _total, by_model = part.delete()
            done += by_model.get(program_model._meta.label, 0)
        else:
            done += part.update(is_active=False, updated_at=timezone.now())
    return done
