"""Whether the directory holds demo rows, so every page can say so.

Every page asks, so the answer is kept: in this process for :data:`LOCAL_SECONDS` (no cache
round trip: with Redis that was one per page), then in the shared cache for a minute, so the
database is asked at most once a minute. :func:`forget_demo_flag` (after adding or removing demo
rows) clears both here; other processes see the change within :data:`LOCAL_SECONDS` plus the
shared minute at most.
"""

import time

from django.core.cache import cache
from django.db import DatabaseError

CACHE_KEY = "programs:demo_data_present"
#: Seconds a process trusts its own copy before it asks the shared cache again.
LOCAL_SECONDS = 10
_clock = time.monotonic
_local: dict[str, tuple[float, bool]] = {}


def demo_data_present() -> bool:
    kept = _local.get(CACHE_KEY)
    if kept is not None and _clock() < kept[0]:
        return kept[1]
    value = cache.get(CACHE_KEY)
    if value is None:
        try:
            from programs.models import Provider

            value = Provider.objects.filter(is_demo=True).exists()
        except (DatabaseError, ImportError, AttributeError):
            return False
        cache.set(CACHE_KEY, value, 60)
    _local[CACHE_KEY] = (_clock() + LOCAL_SECONDS, value)
    return value


def forget_demo_flag() -> None:
    """Call after adding or removing demo rows."""
    _local.clear()
    cache.delete(CACHE_KEY)
