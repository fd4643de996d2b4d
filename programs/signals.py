"""A program's ``updated_at`` moves whenever anything its listing shows changes.

The kept snapshots of :mod:`programs.snapshot` (cards, API results, the program page) are
checked against ``Program.updated_at``. Saving a program moves it (``auto_now``); this module
moves it for what a listing shows of other rows: its provider (name, phones, website, ...), its
site (address, coordinates, phone, ...) and its sessions, when they are saved or deleted one by
one (the admin, its inlines, a listing contact's update). Bulk writers that bypass signals
(``QuerySet.update``, ``bulk_create``) call :func:`bump` themselves: the importer
(:mod:`programs.importers.writer`), problem reports and the admin's bulk action
(:mod:`programs.listing`, :mod:`programs.admin`).

A deletion that starts from a program or a provider (a cascade) bumps nothing: those programs
are going away.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from programs.models import Location, Program, Provider, Session

#: How many ids one bump statement names.
CHUNK = 500


def bump(programs: QuerySet | Iterable[int]) -> int:
    """Move ``updated_at`` of these programs (a queryset, or ids) to now; how many moved."""
    now = timezone.now()
    if isinstance(programs, QuerySet):
        return programs.update(updated_at=now)
    ids = list(programs)
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += Program.objects.filter(pk__in=ids[start : start + CHUNK]).update(updated_at=now)
    return done


def _cascade(origin, *models) -> bool:
    """Whether a deletion started from one of ``models`` (an instance or a queryset)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is not None and issubclass(model, models)


@receiver(post_save, sender=Provider, dispatch_uid="programs-bump-provider")
def provider_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(Program.objects.filter(provider_id=instance.pk))


@receiver(post_save, sender=Location, dispatch_uid="programs-bump-location")
def location_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(Program.objects.filter(location_id=instance.pk))


@receiver(pre_delete, sender=Location, dispatch_uid="programs-bump-location-delete")
def location_deleted(sender, instance, origin=None, **kwargs):
    """Its programs lose their site (SET_NULL, a bulk update): bumped before, in the same
    transaction."""
    if origin is not None and _cascade(origin, Provider, Program):
        return
    bump(Program.objects.filter(location_id=instance.pk))


@receiver(post_save, sender=Session, dispatch_uid="programs-bump-session")
def session_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bump([instance.program_id])


@receiver(pre_delete, sender=Session, dispatch_uid="programs-bump-session-delete")
def session_deleted(sender, instance, origin=None, **kwargs):
    """One bump for a deleted session; one for all the programs of a deleted queryset."""
    if origin is not None and _cascade(origin, Provider, Program):
        return
    if isinstance(origin, QuerySet):
        if getattr(origin, "_programs_bumped", False):
            return
        origin._programs_bumped = True
        bump(Program.objects.filter(pk__in=origin.values("program_id")))
        return
    bump([instance.program_id])
