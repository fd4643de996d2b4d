"""The queue's count index of shared submissions exists on PostgreSQL only (migration 0006
says why SQLite goes without it)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_shared_submissions_index_is_on_postgresql_only():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "assessment_submission")
    assert ("submission_shared" in constraints) == (connection.vendor == "postgresql")
