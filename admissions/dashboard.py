"""The admissions summary on the admin home page: what needs attention now, at a glance.

* new today, urgent and still open, overdue follow-ups (each a link to the filtered queue);
* the urgent notices: how many wait to be sent or are failing, and an alarm for every notice not
  sent 15 minutes (``OUTBOX_ALARM_MINUTES``) after its submission arrived;
* submissions per level over the last 30 days, as a small bar chart drawn on the server (inline
  SVG with <title>/<desc>, classes instead of style attributes for the CSP) plus a table.

Seven queries, whatever the size of the tables. Only shared submissions are counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from admissions import notify, pipeline
from assessment.models import Submission
from iop_finder.outbox.models import OutboxEmail, alarm_after
from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS

CHART_DAYS = 30
LABEL_WIDTH = 150
BAR_AREA = 220
ROW_HEIGHT = 30
BAR_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    level: str
    name: str
    count: int
    url: str
    y: int
    width: int
    text_y: int
    value_x: int
    css: str


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def queue_url(query: str = "") -> str:
    url = reverse("admin:assessment_submission_changelist")
    return f"{url}?{query}" if query else url


def level_bars(counts: dict[str, int]) -> list[Bar]:
    """Geometry of one horizontal bar per recommendable level, most intensive first."""
    biggest = max(counts.values(), default=0) or 1
    bars = []
    for index, level in enumerate(RECOMMENDABLE_LEVELS):
        count = counts.get(level.value, 0)
        width = round(BAR_AREA * count / biggest) if count else 0
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            Bar(
                level=level.value,
                name=str(LEVEL_INFO[level].short),
                count=count,
                url=queue_url(f"level__exact={level.value}&arrived=30d"),
                y=y,
                width=max(width, 2) if count else 0,
                text_y=y + BAR_HEIGHT - 5,
                value_x=LABEL_WIDTH + max(width, 2) + 6 if count else LABEL_WIDTH + 6,
                css=level.value.lower(),
            )
        )
    return bars


@dataclass(frozen=True)
class NoticeAlarm:
    submission_id: int | None
    url: str
    state: str
    attempts: int
    last_error: str
    minutes: int


#: At most this many alarms are listed one by one (the count says how many there are).
ALARM_ROWS = 10


def notice_summary(now: dt.datetime | None = None) -> dict:
    """Urgent notices not sent yet, and the alarms (not sent ``OUTBOX_ALARM_MINUTES`` after they
    were written). Two queries."""
    now = now or timezone.now()
    unsent = OutboxEmail.objects.filter(kind=notify.KIND).exclude(status=OutboxEmail.Status.SENT)
    pending = unsent.count()
    alarms_qs = unsent.filter(created_at__lte=now - alarm_after()).order_by("created_at")
    alarms = []
    for email in alarms_qs[:ALARM_ROWS]:
        submission_id = notify.submission_id_from_key(email.key or "")
        url = (
            reverse("admin:assessment_submission_change", args=[submission_id])
            if submission_id
            else ""
        )
        if email.status == OutboxEmail.Status.FAILED:
            state = str(notify.STATE_LABELS["failed"])
        elif email.is_failing:
            state = str(notify.STATE_LABELS["failing"])
        else:
            state = str(notify.STATE_LABELS["pending"])
        alarms.append(
            NoticeAlarm(
                submission_id=submission_id,
                url=url,
                state=state,
                attempts=email.attempts,
                last_error=email.last_error,
                minutes=int((now - email.created_at).total_seconds() // 60),
            )
        )
    return {
        "notices_unsent": pending,
        "notice_alarms": alarms,
        "notice_alarm_count": alarms_qs.count() if len(alarms) == ALARM_ROWS else len(alarms),
        "alarm_minutes": int(alarm_after().total_seconds() // 60),
    }


def summary(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    # Staff see only runs the person shared (each has its case).
    submissions = Submission.objects.shared()
    open_submissions = submissions.filter(pipeline.open_q(), case__isnull=False)
    since = start_of_day(today - dt.timedelta(days=CHART_DAYS - 1))
    per_level = dict(
        submissions.filter(created_at__gte=since)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    bars = level_bars(per_level)
    return {
        "new_today": submissions.filter(created_at__gte=start_of_day(today)).count(),
        "new_today_url": queue_url("arrived=today"),
        # "To act on": urgent and open, with a way to reach the person.
        "urgent_open": open_submissions.filter(urgent=True, case__no_contact=False).count(),
        "urgent_open_url": queue_url("urgent__exact=1&status=open&contact=reachable"),
        "no_contact": open_submissions.filter(case__no_contact=True).count(),
        "no_contact_url": queue_url("contact=no_contact&status=open"),
        "overdue": submissions.filter(case__open_follow_up_at__lt=timezone.now()).count(),
        "overdue_url": queue_url("follow_up=overdue"),
        "bars": bars,
        "chart_total": sum(bar.count for bar in bars),
        "chart_days": CHART_DAYS,
        "chart_width": LABEL_WIDTH + BAR_AREA + 50,
        "chart_height": ROW_HEIGHT * len(bars),
        "label_width": LABEL_WIDTH,
        "queue_url": queue_url(),
        "mine_url": queue_url("owner=mine&status=open"),
        **notice_summary(),
    }
