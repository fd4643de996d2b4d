"""Signals of the outbox.

``email_sent`` is sent inside the transaction that marks an outbox row sent, after the mail server
accepted the message. Arguments: ``sender=OutboxEmail``, ``email=<the OutboxEmail>``. A receiver's
database writes commit with the "sent" mark (or neither does); receivers must be quick and must
not send mail themselves.
"""

from django.dispatch import Signal

email_sent = Signal()
