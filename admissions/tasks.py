"""Admissions work for the task worker (Django's Tasks API, ``manage.py db_worker``)."""

from django_tasks import task


@task()
def send_follow_up_digest() -> int:
    """Queue today's follow-up digests (one outbox e-mail per owner; idempotent per day)."""
    from admissions.digest import queue_digests

    return queue_digests()
