"""The demo school's fines: a few findings in every school month of the term so far, most confirmed, one under
appeal, one waived, and the months that ended more than a week ago closed (V4 preset; under a policy without
fines the same findings are recorded without money)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils.translation import gettext as _

from school.models import Role, School, Staff
from school.permissions import MANAGER_ROLES
from school.selectors import current_term

from . import services
from .models import LedgerMonth, Violation

# Findings a term of checks typically produces, with how often each is drawn and its usual quantity.
FINDINGS = [
    ("late_to_class", 6, (1, 1)),
    ("homework_grading_short", 5, (1, 4)),
    ("preparation_short", 4, (1, 5)),
    ("unit_test_no_analysis", 3, (1, 1)),
    ("left_early", 2, (1, 1)),
    ("lab_not_done", 2, (1, 2)),
    ("lab_untidy", 1, (1, 1)),
    ("unit_test_unmarked", 1, (1, 1)),
    ("absent", 1, (1, 1)),
]
REASONS = {
    "late_to_class": "巡课记录：上课铃响后到岗",
    "left_early": "巡课记录：下课前离开教室",
    "absent": "巡课记录：未到岗且未调课",
    "homework_grading_short": "学月检查：作业批改次数不足",
    "preparation_short": "学月检查：备课节数不足",
    "unit_test_no_analysis": "学月检查：单元检测无成绩分析",
    "unit_test_unmarked": "学月检查：单元检测试卷未批改",
    "lab_not_done": "学月检查：实验未按计划开设",
    "lab_untidy": "实验室检查：器材未归位",
}


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    schools = [root, *root.village_schools.all()]
    # Its own findings are the hand-entered ones; fines other apps record (patrol marks…) do not count here.
    if Violation.objects.filter(school__in=schools, source_type__isnull=True).exists():
        return None
    term = current_term(root, today)
    office = (
        Staff.objects.filter(school=root, roles__role__in=MANAGER_ROLES, is_active=True)
        .select_related("user").order_by("staff_no").first()
    )
    if term is None or not term.contains(today) or office is None:
        return None
    rng = random.Random(f"{root.code}-{term.pk}-fines")
    teachers = list(
        Staff.objects.filter(school__in=schools, roles__role=Role.TEACHER, is_active=True)
        .select_related("school").order_by("staff_no")
    )
    codes = [code for code, weight, _q in FINDINGS for _ in range(weight)]
    quantities = {code: q for code, _w, q in FINDINGS}
    months = [m for m in term.school_months() if m.start <= today]
    recorded = []
    for month in months:
        last = min(month.end, today - dt.timedelta(days=1))
        weekdays = [month.start + dt.timedelta(days=i) for i in range((last - month.start).days + 1)]
        weekdays = [d for d in weekdays if d.isoweekday() <= 5]
        if not weekdays:
            continue
        for teacher in rng.sample(teachers, max(2, len(teachers) // 8)):
            code = rng.choice(codes)
            recorded.append(services.violation_record(
                teacher=teacher, code=code, occurred_on=rng.choice(weekdays), quantity=rng.randint(*quantities[code]),
                reason=REASONS[code], user=office.user,
            ))
    # The office has gone through all but the latest findings.
    recorded.sort(key=lambda v: (v.occurred_on, v.pk))
    pending = max(1, len(recorded) // 6)
    for violation in recorded[:-pending]:
        services.violation_confirm(violation=violation, user=office.user)
    confirmed = [v for v in recorded[:-pending] if v.amount > 0]
    if len(confirmed) >= 2:
        waived, appealed = confirmed[-1], confirmed[-2]
        services.violation_appeal(violation=waived, user=waived.teacher.user, reason="当天在外参加区教研活动，有通知")
        services.violation_decide(violation=waived, user=office.user, waive=True, reason="核实属实，予以撤销")
        services.violation_appeal(violation=appealed, user=appealed.teacher.user, reason="已按时补交，请核查")
    for month in months:
        if month.end < today - dt.timedelta(days=7):
            ledger = services.ledger_month_get(school=root, term=term, number=month.number)
            if not LedgerMonth.objects.filter(pk=ledger.pk, closed_at__isnull=False).exists():
                services.ledger_month_close(month=ledger, user=office.user)
    return _("Fines: %(count)s findings recorded over %(months)s school months.") % {
        "count": len(recorded), "months": len(months),
    }
