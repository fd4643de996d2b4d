"""The Spanish catalogue is complete, compiled, and used (issue 10; docs/spanish.md).

1. every entry of locale/es/LC_MESSAGES/django.po is translated, none fuzzy or obsolete, with
   the same placeholders and markup as the English;
2. the committed django.mo says exactly what the .po says (a fresh clone serves Spanish with no
   gettext installed; a .po edited without recompiling fails here);
3. every message the patient templates and the patient Python mark has a Spanish translation
   (a string added today fails until the catalogue is refreshed);
4. no patient template shows words that are not marked for translation;
5. the instruments listed as validated keep their published Spanish wording;
6. stored English texts (reasons, programs' notes) are shown in Spanish.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from assessment import instruments
from assessment.spanish import SPANISH_SOURCES, in_current_language, not_validated_in_spanish
from tests.support.catalogue import (
    ROOT,
    patient_python,
    patient_templates,
    python_messages,
    read_mo,
    read_po,
    template_messages,
    unmarked_template_text,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>")
#: Words a patient template may show unmarked: each language's name in that language (the
#: switch), which must not be translated.
UNMARKED_ALLOWED = {"includes/language_switch.html": {"English", "Español"}}


@pytest.fixture(scope="module")
def entries():
    return read_po()[1:]


@pytest.fixture(scope="module")
def known(entries):
    """(context, msgid) -> entry, plural msgids included."""
    found = {}
    for entry in entries:
        found[entry.key] = entry
        if entry.msgid_plural:
            found[(entry.msgctxt, entry.msgid_plural)] = entry
    return found


def test_the_catalogue_is_for_spanish_with_two_plural_forms():
    header = read_po()[0].msgstr[0]
    assert "Language: es\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert "fuzzy" not in read_po()[0].flags


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(entries):
    assert len(entries) > 900
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in entries if e.obsolete]
    plural_gaps = [e.msgid for e in entries if e.msgid_plural and sorted(e.msgstr) != [0, 1]]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"
    assert not obsolete, f"obsolete entries (run makemessages --no-obsolete): {obsolete[:20]}"
    assert not plural_gaps, plural_gaps


def test_placeholders_and_markup_are_kept_in_every_translation(entries):
    wrong = []
    for entry in entries:
        for index, text in entry.msgstr.items():
            english = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            # The Crisis Text Line link carries the keyword, which is AYUDA in Spanish.
            same = sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(text))
            if not same and "741741" not in english:
                wrong.append((english, text))
    assert not wrong, "\n".join(f"{en!r} -> {es!r}" for en, es in wrong)


def test_the_compiled_catalogue_says_what_the_po_says(entries):
    compiled = read_mo()
    expected = {}
    for entry in entries:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
        else:
            expected[key] = entry.msgstr[0]
    compiled.pop("", None)  # the header
    stale = {k: (v, compiled.get(k)) for k, v in expected.items() if compiled.get(k) != v}
    extra = sorted(set(compiled) - set(expected), key=str)
    assert not stale and not extra, (
        f"locale/es/LC_MESSAGES/django.mo is out of date with django.po "
        f"({len(stale)} differ, {len(extra)} extra): run "
        "'DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages -l es' and commit the .mo"
    )


def test_every_message_a_patient_template_uses_is_in_spanish(known):
    missing = []
    templates = patient_templates()
    assert len(templates) > 20
    for path in templates:
        for key in template_messages(path):
            entry = known.get(key)
            if entry is None or not all(entry.msgstr.values()):
                missing.append(f"{path.relative_to(ROOT)}: {key[1]!r}")
    assert not missing, _refresh_hint(missing)


def test_every_message_patient_python_uses_is_in_spanish(known):
    missing = []
    for path in patient_python():
        for key in python_messages(path):
            entry = known.get(key)
            if entry is None or not all(entry.msgstr.values()):
                missing.append(f"{path.relative_to(ROOT)}: {key[1]!r}")
    assert not missing, _refresh_hint(missing)


def _refresh_hint(missing: list[str]) -> str:
    return (
        f"{len(missing)} message(s) have no Spanish yet (refresh the catalogue as docs/spanish.md "
        "says, translate, compile):\n" + "\n".join(missing[:40])
    )


def test_patient_templates_mark_every_word_they_show():
    unmarked = {}
    for path in patient_templates():
        name = str(path.relative_to(ROOT / "templates"))
        texts = [t for t in unmarked_template_text(path) if t not in UNMARKED_ALLOWED.get(name, ())]
        if texts:
            unmarked[name] = texts
    assert not unmarked, "wrap these in {% translate %} / {% blocktranslate %}: " + repr(unmarked)


def test_the_template_checker_really_finds_unmarked_words(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1><p title="Plain title">Plain words '
        "{{ name }}</p>{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}"
        '{% comment %}ignored{% endcomment %}<a href="{% url "home" %}" lang="es">Hola</a>'
    )
    assert unmarked_template_text(page) == ["Plain title", "Plain words", "Hola"]
    assert template_messages(page) == [(None, "Fine"), (None, "Also fine %(x)s")]


# --------------------------------------------------------------------------- the instruments


PUBLISHED = {
    # PHQ-9, Spanish for the USA (SPANISH_SOURCES["phq9"]).
    "phq9_1": "Poco interés o placer en hacer cosas",
    "phq9_2": "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
    "phq9_9": "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
    # AUDIT, WHO manual, Spanish edition (SPANISH_SOURCES["auditc"]).
    "auditc_1": "¿Con qué frecuencia consume alguna bebida alcohólica?",
    "auditc_3": "¿Con qué frecuencia toma 6 o más bebidas alcohólicas en un solo día?",
}


@pytest.mark.parametrize("question_id", sorted(PUBLISHED))
def test_validated_instruments_read_their_published_spanish_wording(question_id):
    question = instruments.QUESTIONS_BY_ID[question_id]
    with translation.override("es"):
        assert str(question.text) == PUBLISHED[question_id]


def test_the_phq9_options_are_the_published_ones():
    question = instruments.QUESTIONS_BY_ID["phq9_1"]
    with translation.override("es"):
        labels = [str(label) for _value, label in question.options]
    assert labels[:4] == [
        "Ningún día",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ]


def test_only_instruments_with_a_cited_spanish_version_count_as_validated():
    assert set(SPANISH_SOURCES) <= set(instruments.INSTRUMENT_NAMES)
    assert all(len(citation) > 40 for citation in SPANISH_SOURCES.values())
    assert not_validated_in_spanish(["phq9", "gad7", "cssrs", "auditc", "scoff"]) == [
        "gad7",
        "cssrs",
        "scoff",
    ]


# --------------------------------------------------------------------------- stored texts


@pytest.mark.parametrize(
    ("stored", "spanish"),
    [
        (
            "You said you drink 2 to 3 times a week.",
            "Usted dijo que bebe de 2 a 3 veces a la semana.",
        ),
        (
            "Mild low mood (your PHQ-9 score is 7 out of 27).",
            "Ánimo bajo leve (su puntuación en el PHQ-9 es 7 de 27).",
        ),
        ("accepts Medicaid", "acepta Medicaid"),
        ("A text nobody translated", "A text nobody translated"),
    ],
)
def test_stored_english_texts_are_shown_in_spanish(stored, spanish):
    with translation.override("es"):
        assert in_current_language(stored) == spanish
    with translation.override("en"):
        assert in_current_language(stored) == stored


def test_every_stored_reason_of_a_real_run_reads_in_spanish():
    from assessment import rules
    from tests.support.scenarios import SCENARIOS

    for answers in SCENARIOS.values():
        with translation.override("en"):
            recommendation = rules.recommend(answers)
            stored = [str(r) for r in recommendation.reasons]
            stored += [str(flag.text) for flag in recommendation.flags]
        with translation.override("es"):
            shown = [in_current_language(text) for text in stored]
        untouched = [en for en, es in zip(stored, shown, strict=True) if en == es]
        assert not untouched, untouched
