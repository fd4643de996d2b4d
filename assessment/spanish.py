"""The Spanish assessment (issue 10; docs/spanish.md): which instruments are asked in a
published, validated Spanish version, and stored English texts shown in the person's language.

``SPANISH_SOURCES`` maps an instrument id (``assessment.instruments``) to the citation of the
validated Spanish version whose wording the Spanish catalogue (``locale/es``) uses. An
instrument not listed is asked in our own translation: the clinical docs and the staff page
(``not_validated_in_spanish``) say so. Only list an instrument here once every one of its items
and options in ``locale/es/LC_MESSAGES/django.po`` has been checked word for word against the
cited version (``tests/core/test_translations.py`` pins the items of the listed ones).
"""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language, gettext

SPANISH_SOURCES: dict[str, str] = {
    "phq9": (
        "PHQ-9, Spanish for the USA (Cuestionario sobre la salud del paciente-9), Pfizer Inc / "
        "PHQ Screeners (https://www.phqscreeners.com): items, options and the difficulty item "
        "word for word. Measures depression alike in Spanish- and English-speaking US primary "
        "care patients: Huang, Chung, Kroenke, Delucchi, Spitzer, J Gen Intern Med "
        "2006;21:547-552."
    ),
    "auditc": (
        "AUDIT items 1-3 in the WHO manual's Spanish edition: Babor, Higgins-Biddle, Saunders, "
        "Monteiro, AUDIT: Cuestionario de Identificación de los Trastornos debidos al Consumo "
        "de Alcohol. Pautas para su utilización en Atención Primaria (OMS, WHO/MSD/MSB/01.6a; "
        "Generalitat Valenciana, 2001). AUDIT-C validated in Spanish: Gual et al., Alcohol "
        "Alcohol 2002;37:591-596."
    ),
}


def not_validated_in_spanish(instrument_ids: Iterable[str]) -> list[str]:
    """The instruments among ``instrument_ids`` whose Spanish wording is our own translation."""
    return [name for name in instrument_ids if name not in SPANISH_SOURCES]


# --------------------------------------------------------------------------------------------
# Stored English texts, shown in the person's language
# --------------------------------------------------------------------------------------------
#
# A Submission keeps its reasons, flags and matched programs' notes in English, for staff
# (``services.build_fields``). The result page shows them to the person in the language they
# are reading: a plain message is looked up in the catalogue; a formatted one ("Mild low mood
# (your PHQ-9 score is 7 out of 27).") is matched against the catalogue's own messages with
# placeholders, and each value put back is itself looked up ("Mild low mood" -> "Ánimo bajo
# leve"). A text the catalogue does not know is shown as stored.

_PLACEHOLDER = re.compile(r"\{(\w+)\}|%\((\w+)\)[sd]")
_MAX_DEPTH = 3


@cache
def _formatted_messages(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern of the English message, message id) for our catalogue's formatted messages,
    the ones with the most fixed text first (the most specific wins)."""
    locale_dir = Path(settings.LOCALE_PATHS[0])
    try:
        catalogue = gettext_module.translation("django", str(locale_dir), languages=[language])
    except OSError:
        return ()
    found = []
    for msgid in getattr(catalogue, "_catalog", {}):
        if not isinstance(msgid, str) or not _PLACEHOLDER.search(msgid):
            continue
        fixed = _PLACEHOLDER.sub("", msgid)
        if sum(ch.isalpha() for ch in fixed) < 2:
            continue
        found.append((len(fixed), _pattern_for(msgid), msgid))
    found.sort(key=lambda item: -item[0])
    return tuple((pattern, msgid) for _, pattern, msgid in found)


def _pattern_for(msgid: str) -> re.Pattern:
    parts, seen, position = ["^"], set(), 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        name = match.group(1) or match.group(2)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(msgid[position:]) + "$")
    return re.compile("".join(parts), re.DOTALL)


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(
        lambda m: values.get(m.group(1) or m.group(2), m.group(0)), template.replace("%%", "%")
    )


def in_current_language(text: str, _depth: int = 0) -> str:
    """``text``, an English message as stored, in the active language (as stored if unknown)."""
    text = str(text)
    language = get_language() or settings.LANGUAGE_CODE
    if not text or language == settings.LANGUAGE_CODE:
        return text
    translated = gettext(text)
    if translated != text or _depth >= _MAX_DEPTH:
        return translated
    for pattern, msgid in _formatted_messages(language):
        match = pattern.match(text)
        if match:
            values = {
                name: in_current_language(value, _depth + 1)
                for name, value in match.groupdict().items()
            }
            return _fill(gettext(msgid), values)
    return text
