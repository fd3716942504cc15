"""What the homework app tells the inspections app (the contract is the docstring of `inspections/evidence.py`):

- `DONE_CHECKS["homework"]`: a homework inspection of the teacher by the checker, of the round's kind (and school
  month for a monthly round), dated within the round; `DONE_CHECKS["tutoring"]`: such an inspection in which the
  checker also looked at the teacher's tutoring records;
- `six_earnests_evidence`: the term's homework checks, verdicts and gradings against what was required (HOMEWORK),
  and the tutoring records (TUTORING);
- `deadlines`: each check of the weekly homework list (V2.I), due by the Friday of its week, to its inspector.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.evidence import Deadline, Fact

from .models import HomeworkInspection, HomeworkPlanItem, Verdict
from .selectors import tutoring_counts

# The six earnests these facts belong to (`inspections.models.Earnest` values).
HOMEWORK = "homework"
TUTORING = "tutoring"
# A week's checks are due by its Friday.
DUE_WEEKDAY_OFFSET = 4


def _done(*, term, kind, month_number, start, end, pairs, tutoring=False) -> set[tuple[int, int]]:
    checkers = {checker for checker, _teacher in pairs}
    teachers = {teacher for _checker, teacher in pairs}
    found = HomeworkInspection.objects.filter(
        term=term, round_kind=kind, date__gte=start, date__lte=end, inspector_id__in=checkers,
        teacher_id__in=teachers,
    )
    if month_number is not None:
        found = found.filter(month_number=month_number)
    if tutoring:
        found = found.filter(tutoring_checked=True)
    return set(found.values_list("inspector_id", "teacher_id")) & set(pairs)


def _homework_done(**kwargs):
    return _done(**kwargs)


def _tutoring_done(**kwargs):
    return _done(tutoring=True, **kwargs)


DONE_CHECKS = {"homework": _homework_done, "tutoring": _tutoring_done}


def six_earnests_evidence(*, term, teacher_ids) -> dict[int, list[Fact]]:
    """Two queries for the checks, two for the tutoring counts."""
    teacher_ids = list(teacher_ids)
    checks = defaultdict(list)
    for inspection in HomeworkInspection.objects.filter(term=term, teacher_id__in=teacher_ids).order_by("date"):
        checks[inspection.teacher_id].append(inspection)
    tutoring = tutoring_counts(term, teacher_ids)
    labels = dict(Verdict.choices)
    facts: dict[int, list[Fact]] = {}
    for pk in teacher_ids:
        lines = []
        mine = checks.get(pk, [])
        verdicts = Counter(i.verdict for i in mine)
        summary = "、".join(f"{labels[v]} {verdicts[v]}" for v in Verdict.values if verdicts[v])
        lines.append(Fact(HOMEWORK, _("Homework checks"), f"{len(mine)}" + (f"（{summary}）" if summary else ""),
                          concern=not mine))
        counted = [i for i in mine if i.gradings_required is not None]
        if counted:
            required = sum(i.gradings_required for i in counted)
            done = sum(min(i.gradings_counted, i.gradings_required) for i in counted)
            missing = sum(i.gradings_missing for i in counted)
            lines.append(Fact(HOMEWORK, _("Gradings against the required count"),
                              _("%(done)s of %(required)s") % {"done": done, "required": required},
                              concern=missing > 0))
        missed = Counter(label for i in mine for label in i.criteria_missed)
        if missed:
            lines.append(Fact(HOMEWORK, _("Criteria not met"),
                              "、".join(f"{label} ×{n}" for label, n in missed.most_common()), concern=True))
        count = tutoring.get(pk)
        lines.append(Fact(
            TUTORING, _("Tutoring records"),
            _("%(records)s (%(struggling)s of struggling students), %(students)s students")
            % {"records": count.records, "struggling": count.struggling, "students": count.students}
            if count else "0",
            concern=count is None,
        ))
        facts[pk] = lines
    return facts


def deadlines(*, school, term, start: dt.date, end: dt.date) -> list[Deadline]:
    """Each item of the weekly lists of the central school `school` and its village schools whose Friday falls
    between `start` and `end`, to its inspector; done once its inspection is recorded. One query."""
    items = (
        HomeworkPlanItem.objects.filter(
            Q(plan__school=school) | Q(plan__school__parent=school), plan__term=term, inspector__isnull=False,
            week_start__gte=start - dt.timedelta(days=DUE_WEEKDAY_OFFSET),
            week_start__lte=end - dt.timedelta(days=DUE_WEEKDAY_OFFSET),
        ).select_related("teacher")
    )
    url = reverse("homework_checks:week")
    return [
        Deadline(
            key=f"homework_checks:weekly:{item.pk}",
            staff_id=item.inspector_id,
            title=_("Weekly homework list: check %(teacher)s's homework") % {"teacher": item.teacher.name},
            due_on=item.week_start + dt.timedelta(days=DUE_WEEKDAY_OFFSET),
            url=f"{url}?week={item.week_number}",
            done=item.inspection_id is not None,
        )
        for item in items
    ]
