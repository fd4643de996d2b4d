"""The admissions state moved from the submission to ``admissions.Case``: the data migration
copies every value, and going back puts them on the submission again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("admissions", "0002_roles"), ("assessment", "0002_matched_programs_help")]
AFTER = [("admissions", "0003_case"), ("assessment", "0003_pipeline_moves_to_admissions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_copies_each_submissions_pipeline_state_and_back():
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    Submission = apps.get_model("assessment", "Submission")
    owner = User.objects.create(username="casey")
    changed = timezone.now() - dt.timedelta(hours=3)
    follow_up = timezone.localdate() + dt.timedelta(days=2)
    common = {"level": "IOP", "ruleset_version": "x"}
    worked = Submission.objects.create(
        submit_key="a",
        token="token-a",
        status="contacting",
        status_changed_at=changed,
        owner=owner,
        owner_changed_at=changed,
        next_follow_up=follow_up,
        urgent_notice_sent_at=changed,
        **common,
    )
    untouched = Submission.objects.create(submit_key="b", token="token-b", **common)
    try:
        apps = migrate(AFTER)
        Case = apps.get_model("admissions", "Case")
        cases = {case.pk: case for case in Case.objects.all()}
        assert set(cases) == {worked.pk, untouched.pk}
        case = cases[worked.pk]
        assert (case.status, case.owner_id, case.next_follow_up) == (
            "contacting",
            owner.pk,
            follow_up,
        )
        assert case.status_changed_at == case.owner_changed_at == case.urgent_notice_sent_at
        assert case.status_changed_at == changed
        blank = cases[untouched.pk]
        assert (blank.status, blank.owner_id, blank.next_follow_up) == ("new", None, None)
        fields = {f.name for f in apps.get_model("assessment", "Submission")._meta.get_fields()}
        assert not fields & {"status", "owner", "next_follow_up", "urgent_notice_sent_at"}

        apps = migrate(BEFORE)
        back = apps.get_model("assessment", "Submission").objects.get(pk=worked.pk)
        assert (back.status, back.owner_id, back.next_follow_up) == (
            "contacting",
            owner.pk,
            follow_up,
        )
    finally:
        migrate(migrate_leaves())


def migrate_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
