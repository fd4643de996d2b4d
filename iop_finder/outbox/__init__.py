"""A small outbox for e-mail that must not be lost: any app writes a row in its own transaction,
a task of Django's Tasks API (django-tasks, database backend) sends it outside the request.

Use::

    from iop_finder import outbox

    with transaction.atomic():
        thing = Thing.objects.create(...)
        outbox.enqueue_email(
            kind="thing_created",
            key=f"thing-created:{thing.pk}",   # optional: at most one row per key
            subject=..., body=..., to=["someone@example.org"],
        )

The row commits or rolls back with the caller's data; the send is scheduled on commit. The task
claims the row, sends it with Django's mail backend (a timeout from ``EMAIL_TIMEOUT``), marks it
sent only after the server accepted it, and otherwise records the attempt and the error class and
retries with backoff. ``manage.py outbox_sweep`` re-schedules rows whose task was lost. States and
the worker are described in docs/deployment.md ("Outgoing e-mail"). See ``service`` for details.
"""


def enqueue_email(**kwargs):
    """Write an e-mail to the outbox (see :func:`iop_finder.outbox.service.enqueue_email`)."""
    from iop_finder.outbox.service import enqueue_email as enqueue

    return enqueue(**kwargs)


def email_for_key(key: str):
    """The outbox row written with ``key``, or None."""
    from iop_finder.outbox.models import OutboxEmail

    return OutboxEmail.objects.filter(key=key).first()
