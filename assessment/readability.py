"""Reading grade of English text: the Flesch-Kincaid grade level, in a small pure function.

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

(Kincaid, Fishburne, Rogers & Chissom, 1975, "Derivation of new readability formulas ... for
Navy enlisted personnel", Research Branch Report 8-75.) Syllables are counted with the usual
vowel-group rule and a few English endings; good enough to keep patient texts at grade 8 or
lower (it errs a little high on long words, never low on short ones).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[0-9]+")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SOUNDED_ENDINGS = ("ted", "ded", "ses", "zes", "ches", "shes")


def syllables(word: str) -> int:
    """Syllables in one English word (a number counts as one)."""
    word = word.lower()
    if word.isdigit():
        return 1
    word = word.split("'")[0]
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "care"
    silent_ending = word.endswith(("ed", "es")) and not word.endswith(_SOUNDED_ENDINGS)
    if silent_ending and count > 1:
        count -= 1  # "asked", "takes"
    return max(count, 1)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade level of ``text`` (0.0 for text without words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(len(_SENTENCE_END.findall(text)), 1)
    total_syllables = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * total_syllables / len(words) - 15.59
