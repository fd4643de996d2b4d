"""The queue's "arrived" cell says how long ago in ``naturaltime``'s own words, with its
translations looked up once (``queue_rows.natural_time``, issue 15)."""

import datetime as dt

import pytest
from django.contrib.humanize.templatetags import humanize
from django.utils import translation

from admissions import queue_rows

NOW = dt.datetime(2026, 3, 31, 14, 30, 15, 500, tzinfo=dt.UTC)

AGES = [
    dt.timedelta(0),
    dt.timedelta(seconds=1),
    dt.timedelta(seconds=59),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=59, seconds=59),
    dt.timedelta(hours=1),
    dt.timedelta(hours=23, minutes=59),
    dt.timedelta(days=1),
    dt.timedelta(days=1, hours=3),
    dt.timedelta(days=6, minutes=5),
    dt.timedelta(days=7),
    dt.timedelta(days=30),
    dt.timedelta(days=31, hours=1),
    dt.timedelta(days=45),
    dt.timedelta(days=364),
    dt.timedelta(days=365),
    dt.timedelta(days=800, hours=5),
    -dt.timedelta(minutes=5),  # a clock ahead: naturaltime's "from now"
    -dt.timedelta(days=2),
] + [dt.timedelta(minutes=37 * i) for i in range(0, 2000, 7)]


class FrozenDatetime(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW if tz else NOW.replace(tzinfo=None)


@pytest.mark.parametrize("language", ["en", "es"])
def test_natural_time_says_what_naturaltime_says(monkeypatch, language):
    monkeypatch.setattr(humanize, "datetime", FrozenDatetime)
    with translation.override(language):
        for age in AGES:
            value = NOW - age
            expected = str(humanize.naturaltime(value))
            assert queue_rows.natural_time(value, NOW) == expected, age
            assert queue_rows.natural_time(value, NOW) == expected, age  # the kept texts


def test_kept_texts_are_per_language():
    value = NOW - dt.timedelta(days=3, hours=2)
    with translation.override("en"):
        english = queue_rows.natural_time(value, NOW)
    with translation.override("es"):
        spanish = queue_rows.natural_time(value, NOW)
    assert english != spanish and "3" in english and "3" in spanish


def test_the_page_clock_is_read_once(monkeypatch):
    words = queue_rows.current_words()
    page = queue_rows.page_words(words)
    assert page["now"].tzinfo is not None and page["this_year"] >= 2026
    assert words.keys() <= page.keys() and "now" not in words
