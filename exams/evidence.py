"""What the exams app tells the inspections app (the contract is the docstring of `inspections/evidence.py`):
which unit-test checks of a round are done, the assessment facts of each teacher's term (V4.III "six earnests":
unit tests marked and analysed, quality-analysis forms on time), and the deadlines of the teachers' forms and the
office's grade analyses."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.evidence import Deadline, Fact
from school.models import Role, School, Staff

from .models import GradeReport, QualityForm, UnitTestCheck

# inspections.models.Earnest.ASSESSMENT ("考核/单元检测", V4): the value, so that this module loads before the
# inspections app grows the choices class.
ASSESSMENT = "assessment"
OFFICE_ROLES = (Role.DIRECTOR, Role.OFFICE_STAFF)


def unit_tests_done(*, term, kind, month_number, start, end, pairs) -> set[tuple[int, int]]:
    """The (checker, teacher) pairs with a unit-test check by that checker of that teacher between `start` and
    `end`. One query."""
    checkers = {checker for checker, _teacher in pairs}
    teachers = {teacher for _checker, teacher in pairs}
    found = UnitTestCheck.objects.filter(
        term=term, checked_on__gte=start, checked_on__lte=end, checked_by_id__in=checkers, teacher_id__in=teachers
    ).values_list("checked_by_id", "teacher_id").distinct()
    return {pair for pair in found if pair in pairs}


DONE_CHECKS = {"unit_tests": unit_tests_done}


def six_earnests_evidence(*, term, teacher_ids) -> dict[int, list[Fact]]:
    """ASSESSMENT facts of each teacher: her unit tests checked (how many not marked, not analysed: V4.IV.5) and
    her quality-analysis forms of the term's exams (handed in on time, late, or missing after the due day).
    Spot tests never count (V1.9, V6.8): they have no forms. Two queries."""
    teacher_ids = list(teacher_ids)
    facts: dict[int, list[Fact]] = {pk: [] for pk in teacher_ids}
    checks = UnitTestCheck.objects.filter(term=term, teacher_id__in=teacher_ids).values("teacher_id").annotate(
        total=Count("pk"), unmarked=Count("pk", filter=Q(marked=False)),
        unanalysed=Count("pk", filter=Q(analysed=False)))
    for row in checks:
        concern = bool(row["unmarked"] or row["unanalysed"])
        facts[row["teacher_id"]].append(Fact(
            ASSESSMENT, _("Unit tests checked"),
            _("%(total)s (not marked: %(unmarked)s; no score analysis: %(unanalysed)s)") % row, concern))
    today = timezone.localdate()
    forms: dict[int, list[QualityForm]] = {}
    for form in QualityForm.objects.filter(paper__exam__term=term, teacher_id__in=teacher_ids).only(
            "teacher_id", "due_on", "submitted_at"):
        forms.setdefault(form.teacher_id, []).append(form)
    for teacher_id, mine in forms.items():
        on_time = sum(1 for f in mine if f.on_time)
        late = sum(1 for f in mine if f.on_time is False)
        missing = sum(1 for f in mine if f.submitted_at is None and f.due_on < today)
        facts[teacher_id].append(Fact(
            ASSESSMENT, _("Quality-analysis forms"),
            _("%(total)s: %(on_time)s on time, %(late)s late, %(missing)s missing")
            % {"total": len(mine), "on_time": on_time, "late": late, "missing": missing},
            bool(late or missing)))
    return facts


def deadlines(*, school: School, term, start: dt.date, end: dt.date) -> list[Deadline]:
    """Each teacher's quality-analysis form (`policy.quality_form_days` after the exam) and each grade analysis
    the office presents (`policy.analysis_days`, two weeks: V1.12, V3.9, V6.11), for every director and office
    member of the exam's school. Three queries."""
    schools = Q(paper__exam__school=school) | Q(paper__exam__school__parent=school)
    found = []
    for form in (QualityForm.objects.filter(schools, paper__exam__term=term, due_on__gte=start, due_on__lte=end)
                 .select_related("paper__exam", "paper__subject", "paper__grade")):
        found.append(Deadline(
            key=f"exams:quality-form:{form.pk}", staff_id=form.teacher_id,
            title=_("Quality-analysis form: %(exam)s %(grade)s %(subject)s") % {
                "exam": form.paper.exam.name, "grade": form.paper.grade.name, "subject": form.paper.subject.name},
            due_on=form.due_on, url=reverse("exams:form-detail", args=[form.pk]), done=form.submitted_at is not None,
        ))
    reports = list(GradeReport.objects.filter(Q(exam__school=school) | Q(exam__school__parent=school),
                                              exam__term=term, due_on__gte=start, due_on__lte=end)
                   .select_related("exam", "grade"))
    if reports:
        office: dict[int, list[int]] = {}
        for staff_id, school_id in (Staff.objects.filter(is_active=True, roles__role__in=OFFICE_ROLES,
                                                         school_id__in={r.exam.school_id for r in reports})
                                    .values_list("pk", "school_id").distinct()):
            office.setdefault(school_id, []).append(staff_id)
        for report in reports:
            for staff_id in office.get(report.exam.school_id, []):
                found.append(Deadline(
                    key=f"exams:grade-report:{report.pk}:{staff_id}", staff_id=staff_id,
                    title=_("Grade analysis to present: %(exam)s %(grade)s") % {
                        "exam": report.exam.name, "grade": report.grade.name},
                    due_on=report.due_on, url=reverse("exams:report-detail", args=[report.pk]),
                    done=report.presented_on is not None,
                ))
    return found
