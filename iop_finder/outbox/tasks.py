"""The task that sends one outbox e-mail (Django's Tasks API; run by ``manage.py db_worker``)."""

from django_tasks import task


@task()
def send_outbox_email(email_id: int) -> str:
    """One attempt to send outbox row ``email_id``; see ``iop_finder.outbox.service.deliver``."""
    from iop_finder.outbox.service import deliver

    return deliver(email_id)
