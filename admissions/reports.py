"""The admissions reports: the funnel by week and by level, time to first contact against the
clinic's target, referral sources and overdue follow-ups by owner.

Every figure is an aggregate (no row of a person is shown). Counts of shared runs come from the
admissions cases (one per shared run); the first stage, "assessments completed", counts every
stored run as a number only, so the share of people who chose to share is visible. Five
queries whatever the size of the tables. Charts are drawn on the server (:func:`bars`), as the
dashboard's are: inline SVG with a title and description, classes instead of styles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions import targets
from admissions.models import Case
from assessment.models import ReferralSource, Submission
from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS

STAGES = (
    ("submissions", _("Assessments completed")),
    ("shared", _("Shared with admissions")),
    ("callback", _("Asked for a call back")),
    ("contacted", _("Contacted")),
    ("booked", _("Assessment booked")),
    ("admitted", _("Admitted")),
)
DEFAULT_WEEKS = 8
MAX_WEEKS = 52


def period_start(weeks: int, now: dt.datetime | None = None) -> dt.datetime:
    """Midnight, local time, on the Monday ``weeks - 1`` weeks before this week's."""
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    return timezone.make_aware(dt.datetime.combine(monday, dt.time.min))


@dataclass
class Row:
    label: object
    key: str = ""
    counts: dict = field(default_factory=dict)

    def values(self) -> list[int]:
        return [self.counts.get(code, 0) for code, _label in STAGES]


def _add(rows: dict, key, label, counts: dict) -> None:
    row = rows.setdefault(key, Row(label=label, key=str(key)))
    for name, value in counts.items():
        row.counts[name] = row.counts.get(name, 0) + value


def _week_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def funnel(since: dt.datetime) -> dict:
    """Stage counts by week, by level and in total (two queries)."""
    runs = (
        Submission.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values("week", "level")
        .annotate(n=Count("pk"))
    )
    shared = (
        Case.objects.filter(arrived_at__gte=since)
        .annotate(week=TruncWeek("arrived_at"))
        .order_by()
        .values("week", "submission__level")
        .annotate(
            shared=Count("pk"),
            callback=Count("pk", filter=Q(submission__callback_requested=True)),
            contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
            booked=Count(
                "pk",
                filter=Q(assessment_on__isnull=False) | Q(outcome=Case.Outcome.ASSESSMENT_BOOKED),
            ),
            admitted=Count("pk", filter=Q(outcome=Case.Outcome.ADMITTED)),
        )
    )
    by_week, by_level, total = {}, {}, Row(label=_("Total"), key="total")
    names = {level.value: LEVEL_INFO[level].short for level in RECOMMENDABLE_LEVELS}
    for item in runs:
        counts = {"submissions": item["n"]}
        week = _week_key(item["week"])
        _add(by_week, week, week, counts)
        _add(by_level, item["level"], names.get(item["level"], item["level"]), counts)
        _add({"t": total}, "t", total.label, counts)
    for item in shared:
        counts = {name: item[name] for name in ("shared", "callback", "contacted", "booked")}
        counts["admitted"] = item["admitted"]
        week = _week_key(item["week"])
        level = item["submission__level"]
        _add(by_week, week, week, counts)
        _add(by_level, level, names.get(level, level), counts)
        _add({"t": total}, "t", total.label, counts)
    level_order = {level.value: index for index, level in enumerate(RECOMMENDABLE_LEVELS)}
    return {
        "by_week": [by_week[key] for key in sorted(by_week)],
        "by_level": sorted(by_level.values(), key=lambda row: level_order.get(row.key, 99)),
        "total": total,
    }


def contact_time_report(since: dt.datetime) -> list[tuple[object, targets.ContactTimes]]:
    """Median and 90th percentile time to first contact, urgent and not (one query)."""
    rows = Case.objects.filter(arrived_at__gte=since, first_contact_at__isnull=False).values_list(
        "arrived_at", "first_contact_at", "submission__urgent", "submission__level"
    )
    urgent, routine = [], []
    for arrived, reached, is_urgent, level in rows:
        (urgent if is_urgent or level == "EMERGENCY" else routine).append((arrived, reached))
    return [
        (_("Urgent and EMERGENCY"), targets.contact_times(urgent, urgent=True)),
        (_("Everyone else"), targets.contact_times(routine, urgent=False)),
    ]


def referral_report(since: dt.datetime) -> list[Row]:
    """Shared, contacted and admitted by how the person heard about us (one query)."""
    labels = dict(ReferralSource.choices)
    rows = (
        Case.objects.filter(arrived_at__gte=since)
        .order_by()
        .values("referral_source")
        .annotate(
            shared=Count("pk"),
            contacted=Count("pk", filter=Q(first_contact_at__isnull=False)),
            admitted=Count("pk", filter=Q(outcome=Case.Outcome.ADMITTED)),
        )
        .order_by("-shared", "referral_source")
    )
    return [
        Row(
            label=labels.get(item["referral_source"]) or _("Not said"),
            key=item["referral_source"] or "none",
            counts={name: item[name] for name in ("shared", "contacted", "admitted")},
        )
        for item in rows
    ]


def overdue_by_owner(now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """Open follow-ups already due, per owner (one query; not limited to the period)."""
    rows = (
        Case.objects.filter(open_follow_up_at__lt=now or timezone.now())
        .order_by()
        .values("owner__username", "owner__first_name", "owner__last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__username")
    )
    result = []
    for item in rows:
        name = " ".join(filter(None, (item["owner__first_name"], item["owner__last_name"])))
        result.append((name or item["owner__username"] or str(_("Unassigned")), item["n"]))
    return result


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int
    text_y: int
    value_x: int


LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, BAR_HEIGHT = 190, 300, 30, 20


def bars(items: list[tuple[object, int]]) -> dict:
    """Geometry of a horizontal bar chart drawn on the server."""
    biggest = max((count for _label, count in items), default=0) or 1
    result = []
    for index, (label, count) in enumerate(items):
        width = max(round(BAR_AREA * count / biggest), 2) if count else 0
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        result.append(Bar(str(label), count, y, width, y + BAR_HEIGHT - 5, LABEL_WIDTH + width + 6))
    return {
        "bars": result,
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "height": ROW_HEIGHT * max(len(result), 1),
        "label_width": LABEL_WIDTH,
    }


def build(weeks: int = DEFAULT_WEEKS, now: dt.datetime | None = None) -> dict:
    since = period_start(weeks, now)
    data = funnel(since)
    total = data["total"]
    return {
        "weeks": weeks,
        "since": since,
        "stages": STAGES,
        **data,
        "funnel_chart": bars([(label, total.counts.get(code, 0)) for code, label in STAGES]),
        "contact_times": contact_time_report(since),
        "referrals": (referrals := referral_report(since)),
        "referral_chart": bars([(row.label, row.counts["shared"]) for row in referrals]),
        "overdue": overdue_by_owner(now),
    }


def csv_rows(report: dict) -> list[list]:
    """The report as rows for a CSV: a section name first in every row."""
    stage_names = [str(label) for _code, label in STAGES]
    rows = [["section", "group", *stage_names]]
    for row in report["by_week"]:
        rows.append(["by week", row.key, *row.values()])
    for row in report["by_level"]:
        rows.append(["by level", row.key, *row.values()])
    rows.append(["total", "", *report["total"].values()])
    rows.append(["time to first contact", "group", "people", "median minutes", "p90 minutes",
                 "target minutes", "within target"])  # fmt: skip
    for label, times in report["contact_times"]:
        rows.append(["time to first contact", str(label), times.count, times.median_minutes,
                     times.p90_minutes, times.target_minutes, times.within_target])  # fmt: skip
    rows.append(["referral source", "source", "shared", "contacted", "admitted"])
    for row in report["referrals"]:
        rows.append(["referral source", row.key, *(row.counts[n] for n in
                     ("shared", "contacted", "admitted"))])  # fmt: skip
    rows.append(["overdue follow-ups", "owner", "count"])
    for name, count in report["overdue"]:
        rows.append(["overdue follow-ups", name, count])
    return rows
