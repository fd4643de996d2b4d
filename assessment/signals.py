"""Signals the assessment sends, so other apps can react without assessment importing them.

``submission_created`` is sent once per stored Submission, after the transaction that wrote it
has committed, and only when a new row was written (a replayed submit sends nothing). Arguments:
``sender=Submission``, ``submission=<the Submission>``. The admissions app connects a receiver
that emails the on-call address about urgent submissions.

``callback_requested`` is sent after a person asked for a call back on their result page and the
request was stored (once per submission). Arguments: ``sender=Submission``,
``submission=<the Submission>``.
"""

from django.dispatch import Signal

submission_created = Signal()
callback_requested = Signal()
