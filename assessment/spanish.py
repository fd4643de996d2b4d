"""Which instruments are asked in a published, validated Spanish version (issue 10).

``SPANISH_SOURCES`` maps an instrument id (``assessment.instruments``) to the citation of the
validated Spanish version whose wording the Spanish catalogue uses. An instrument not listed is
asked in our own translation: the clinical docs and the staff page say so.
"""

from __future__ import annotations

from collections.abc import Iterable

SPANISH_SOURCES: dict[str, str] = {}


def not_validated_in_spanish(instrument_ids: Iterable[str]) -> list[str]:
    """The instruments among ``instrument_ids`` whose Spanish wording is our own translation."""
    return [name for name in instrument_ids if name not in SPANISH_SOURCES]
