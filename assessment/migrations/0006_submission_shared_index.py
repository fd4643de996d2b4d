"""On PostgreSQL, an index of the shared submissions' ids (``WHERE shared_at IS NOT NULL``): the
admissions queue counts its rows (at most 1,001) through it alone, without reading the wide rows
(issue 15: 1.0 ms to 0.46 ms at 100,000 submissions).

PostgreSQL only, so not in ``Submission.Meta.indexes``: SQLite, without planner statistics, took
the partial index as a sign that ``shared_at IS NOT NULL`` is selective and began the queue's
"needs attention" query from every shared row instead of the few cases at risk (0.9 ms became
45 ms at 100,000 submissions).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS submission_shared ON assessment_submission (id) "
    "WHERE shared_at IS NOT NULL"
)
DROP = "DROP INDEX IF EXISTS submission_shared"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0005_resume_draft"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
