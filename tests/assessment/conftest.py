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
