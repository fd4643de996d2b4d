"""Fixtures for the assessment tests: a moderate profile and a Submission stored through the
service. The answer sets themselves live in ``tests/support/answers.py``; walking the wizard as a
browser does lives in ``tests/support/wizard_walk.py``.
"""

from __future__ import annotations

import pytest

from tests.support.answers import MODERATE, complete_answers


@pytest.fixture
def moderate_answers():
    return dict(MODERATE)


@pytest.fixture
def make_submission(db):
    """Store a Submission through the service, as the wizard does."""
    import secrets

    from assessment import services

    def make(**overrides):
        submission, _created = services.create_submission(
            secrets.token_urlsafe(16), complete_answers(**overrides), consent_to_store=True
        )
        return submission

    return make


@pytest.fixture(autouse=True)
def _english_in_the_test_thread():
    """A request under /es/ leaves Spanish active in the test's thread (LocaleMiddleware
    activates and never deactivates), so a later test's reverse() would make /es/ URLs: every
    test here starts and ends in the site's default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
