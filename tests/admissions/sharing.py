"""Share a run with the admissions team as the result page will (issue 10): set ``shared_at``
and send ``assessment.signals.submission_shared`` inside one transaction. Until the share flow
lands on main, tests use this helper; afterwards it can call the real service."""

from django.db import transaction
from django.utils import timezone

from assessment.models import Submission
from assessment.signals import submission_shared


def share(submission, when=None):
    with transaction.atomic():
        submission.shared_at = when or timezone.now()
        Submission.objects.filter(pk=submission.pk).update(shared_at=submission.shared_at)
        submission_shared.send(sender=Submission, submission=submission)
    return submission
