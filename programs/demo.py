"""Whether the directory holds demo rows, so every page can say so (cached briefly: one query a
minute at most, not one per page)."""

from django.core.cache import cache
from django.db import DatabaseError

CACHE_KEY = "programs:demo_data_present"


def demo_data_present() -> bool:
    value = cache.get(CACHE_KEY)
    if value is None:
        try:
            from programs.models import Provider

            value = Provider.objects.filter(is_demo=True).exists()
        except (DatabaseError, ImportError, AttributeError):
            return False
        cache.set(CACHE_KEY, value, 60)
    return value


def forget_demo_flag() -> None:
    """Call after adding or removing demo rows."""
    cache.delete(CACHE_KEY)
