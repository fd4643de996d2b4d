"""Signals the assessment sends, so other apps can react without assessment importing them.

``submission_stored`` is sent once per new Submission *inside* the transaction that writes it
(a replayed submit sends nothing). Receivers' database writes are stored with the Submission or
not at all, which is how a notice that must never be lost is written (the admissions app puts an
outbox row for the urgent notice). Receivers must be quick and do no network I/O: the person is
waiting. Arguments: ``sender=Submission``, ``submission=<the Submission>``.

``submission_created`` is sent once per stored Submission, after the transaction that wrote it
has committed, and only when a new row was written (a replayed submit sends nothing). Arguments:
``sender=Submission``, ``submission=<the Submission>``.

``submission_shared`` is sent once per Submission when the person chooses to share it with the
admissions team (``shared_at`` set), *inside* the transaction that sets it: the admissions app
opens the case and writes the urgent notice's outbox row then, never before. Arguments:
``sender=Submission``, ``submission=<the Submission>``.
"""

from django.dispatch import Signal

submission_stored = Signal()
submission_created = Signal()
submission_shared = Signal()
