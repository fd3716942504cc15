"""Reads of the exams app: who sees which exams, forms and reports, the classes a teacher may see student by
student, the latest ranks of a class (for student evaluation) and a student's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db.models import (Avg, Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q,
                              QuerySet)

from inspections.models import ExamKind
from school.models import SchoolClass, Staff, Student, Term, TimetableEntry
from school.permissions import manages_school, restrict, scope_for
from school.selectors import today

from . import stats
from .analysis import _cents_expression
from .models import Exam, ExportJob, GradeReport, Paper, QualityForm, Score, UnitTestCheck


def exams_visible(user, *, day: dt.date | None = None) -> QuerySet:
    """Exams the user may open: the school-wide roles their schools' exams; everyone else her own school's, a
    spot test only from the day it is held (V1.9, V6.8: unannounced)."""
    scope = scope_for(user)
    exams = Exam.objects.select_related("school", "term", "term__school_year")
    if scope.everything:
        return exams
    if scope.staff is None:
        return exams.none()
    day = day or today()
    condition = Q(school_id__in=scope.school_ids) | (
        Q(school_id=scope.staff.school_id) & (~Q(kind=ExamKind.SPOT) | Q(held_on__lte=day))
    )
    return exams.filter(condition)


def exam_list(user, *, term: Term | None = None) -> QuerySet:
    exams = exams_visible(user).prefetch_related("grades").annotate(
        scored=Exists(Score.objects.filter(paper__exam=OuterRef("pk"))),
        paper_count=Count("papers", distinct=True),
    )
    if term is not None:
        exams = exams.filter(term=term)
    return exams.order_by("-held_on", "-pk")


def can_manage(user, exam: Exam) -> bool:
    return manages_school(user, exam.school)


def sees_whole_exam(user, exam: Exam) -> bool:
    """The school-wide roles see every class's students; teachers only their own classes'."""
    scope = scope_for(user)
    return scope.everything or exam.school_id in scope.school_ids


def own_class_ids(user, term: Term) -> set[int]:
    """The classes a teacher teaches this term (the timetable) or is head teacher of."""
    staff = scope_for(user).staff
    if staff is None:
        return set()
    taught = set(TimetableEntry.objects.filter(term=term, teacher=staff).values_list("school_class_id", flat=True))
    return taught | set(SchoolClass.objects.filter(head_teacher=staff).values_list("pk", flat=True))


def papers_of(exam: Exam, grade) -> QuerySet:
    return (Paper.objects.filter(exam=exam, grade=grade).select_related("subject", "grade")
            .annotate(score_count=Count("scores", distinct=True), item_count=Count("items", distinct=True))
            .order_by("subject__order", "subject_id"))


# --- forms and reports ------------------------------------------------------------------------------------------


def forms_visible(user) -> QuerySet:
    """Quality-analysis forms the user may read: her own, her group's (a group leader), her schools' (the
    school-wide roles)."""
    forms = QualityForm.objects.select_related(
        "paper", "paper__exam", "paper__exam__school", "paper__grade", "paper__subject", "teacher", "commented_by")
    classes = Prefetch("classes", queryset=SchoolClass.objects.select_related("grade").order_by("number"))
    return restrict(forms, user, school="paper__exam__school", teacher="teacher").prefetch_related(classes)


def forms_due(staff: Staff) -> QuerySet:
    """The teacher's forms not handed in yet, earliest first."""
    return (QualityForm.objects.filter(teacher=staff, submitted_at__isnull=True)
            .select_related("paper", "paper__exam", "paper__subject", "paper__grade").order_by("due_on"))


def reports_visible(user) -> QuerySet:
    scope = scope_for(user)
    reports = GradeReport.objects.select_related("exam", "exam__school", "grade", "prepared_by")
    if scope.everything:
        return reports
    exams = exams_visible(user)
    return reports.filter(exam__in=exams)


def unit_checks_visible(user) -> QuerySet:
    checks = UnitTestCheck.objects.select_related("teacher", "checked_by", "school_class", "school_class__grade",
                                                  "subject", "school")
    return restrict(checks, user, school="school", teacher="teacher")


# --- for other apps -------------------------------------------------------------------------------------------


def latest_exam_with_scores(grade, *, term: Term) -> Exam | None:
    """The latest exam of the term that the grade sat, has scores and counts toward records (not a spot test)."""
    return (
        Exam.objects.filter(term=term, grades=grade)
        .exclude(kind=ExamKind.SPOT)
        .filter(Exists(Score.objects.filter(paper__exam=OuterRef("pk"), paper__grade=grade)))
        .order_by("-held_on", "-pk")
        .first()
    )


def latest_class_ranks(school_class: SchoolClass, *, term: Term) -> dict[int, int]:
    """Student id -> rank in the class by total score in the latest exam of `term` that has scores and counts
    toward records (not a spot test); ties share the best rank (1, 1, 3). A student who missed a paper (缺考 or
    no score) has no total and no rank. {} when there is no such exam. Three queries."""
    exam = latest_exam_with_scores(school_class.grade_id, term=term)
    if exam is None:
        return {}
    papers = list(Paper.objects.filter(exam=exam, grade_id=school_class.grade_id)
                  .filter(Exists(Score.objects.filter(paper=OuterRef("pk")))).values_list("pk", flat=True))
    rows = np.array(list(
        Score.objects.filter(paper_id__in=papers, student__school_class=school_class)
        .values_list("student_id", "paper_id", _cents_expression())
    ), dtype=np.int64).reshape(-1, 3)
    if rows.size == 0:
        return {}
    students, student_index = np.unique(rows[:, 0], return_inverse=True)
    paper_index = np.searchsorted(np.array(sorted(papers)), rows[:, 1])
    matrix = np.full((students.size, len(papers)), stats.MISSING, dtype=np.int64)
    matrix[student_index, paper_index] = rows[:, 2]
    complete = (matrix >= 0).all(axis=1)
    totals = matrix[complete].sum(axis=1)
    ranks = stats.min_ranks(totals)
    return dict(zip(students[complete].tolist(), ranks.tolist()))


def student_history(student: Student) -> list[dict]:
    """The student's scores and ranks across the exams that count toward records (spot tests never do,
    V1.9, V6.8), oldest first: per exam, each subject's score (or 缺考), and her total with its ranks in class and
    grade (computed as the analysis computes them). Two queries per exam plus two."""
    from .analysis import grade_analysis

    exams = list(
        Exam.objects.exclude(kind=ExamKind.SPOT)
        .filter(papers__scores__student=student).distinct().select_related("school", "term")
        .order_by("held_on", "pk")
    )
    history = []
    for exam in exams:
        grade = Paper.objects.filter(exam=exam, scores__student=student).values_list("grade", flat=True).first()
        analysis = grade_analysis(exam, exam.grades.get(pk=grade))
        code = np.flatnonzero(analysis.data.student_ids == student.pk)
        if code.size == 0:
            continue
        row = analysis.student_rows(class_code=int(analysis.data.class_codes[code[0]]))
        mine = next(r for r in row if r.student_id == student.pk)
        history.append({
            "exam": exam,
            "subjects": [(p.paper.subject.name, *cell) for p, cell in zip(analysis.scored_papers, mine.cells)],
            "total": mine.total,
            "class_rank": mine.total_class_rank,
            "grade_rank": mine.total_grade_rank,
            "grade_size": int((analysis.totals >= 0).sum()),
            "value_added": mine.value_added,
        })
    return history


def students_visible(user) -> QuerySet:
    """Students whose history the user may open: the school-wide roles their schools'; a teacher those of the
    classes she teaches this term or heads."""
    scope = scope_for(user)
    students = Student.objects.select_related("school_class", "school_class__grade", "school_class__grade__school")
    if scope.everything:
        return students
    condition = Q(school_class__grade__school_id__in=scope.school_ids)
    if scope.staff is not None:
        taught = TimetableEntry.objects.filter(teacher=scope.staff).values("school_class_id")
        condition |= Q(school_class__in=taught) | Q(school_class__head_teacher=scope.staff)
    return students.filter(condition)


def class_quality(exams: QuerySet, *, school_ids=None, grade_id=None, subject_id=None) -> list[dict]:
    """三率一分 of every class in each of `exams` (dashboards): the scores sat (absent students left out), the
    mean as a percentage of full marks, and how many reached the excellent and pass lines or fell below the
    low-score line (the paper's lines). Pooled over the subjects unless
    `subject_id` names one; spot tests never count (V1.9). Three queries: the scores grouped by exam and class,
    then the exams and classes (`exam`, `school_class` of each row)."""
    def line(name):
        return F(f"paper__{name}")  # never empty in the database: a paper saved without lines gets the defaults

    scores = Score.objects.filter(paper__exam__in=exams.exclude(kind=ExamKind.SPOT), absent=False,
                                  score__isnull=False)
    if school_ids is not None:
        scores = scores.filter(paper__exam__school_id__in=school_ids)
    if grade_id:
        scores = scores.filter(paper__grade_id=grade_id)
    if subject_id:
        scores = scores.filter(paper__subject_id=subject_id)
    percent = ExpressionWrapper(F("score") * Decimal(100) / F("paper__full_marks"),
                                output_field=DecimalField(max_digits=12, decimal_places=4))
    # Grouped on ids only (grouping on names is slower), the names read after in two small queries.
    rows = list(
        scores.values(exam_id=F("paper__exam_id"), class_id=F("student__school_class_id"))
        .annotate(
            sat=Count("pk"), mean=Avg(percent),
            excellent=Count("pk", filter=Q(score__gte=line("excellent_line"))),
            passed=Count("pk", filter=Q(score__gte=line("pass_line"))),
            low=Count("pk", filter=Q(score__lt=line("low_line"))),
        )
        .order_by()
    )
    exams_of = {e.pk: e for e in Exam.objects.filter(pk__in={r["exam_id"] for r in rows}).only("name", "held_on")}
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in={r["class_id"] for r in rows})
               .select_related("grade", "grade__school")}
    for row in rows:
        row["exam"], row["school_class"] = exams_of[row["exam_id"]], classes[row["class_id"]]
    rows.sort(key=lambda r: (r["exam"].held_on, r["exam_id"], r["school_class"].grade.school_id,
                             r["school_class"].grade.level, r["school_class"].number))
    return rows


def class_baselines(class_ids) -> dict[int, tuple[float, int]]:
    """Class id -> (the mean baseline score of its students who have one, how many): the start line that
    value-added compares with (dashboards). ONE query."""
    rows = (Student.objects.filter(school_class_id__in=class_ids, baseline_score__isnull=False)
            .values("school_class_id").annotate(mean=Avg("baseline_score"), n=Count("pk")).order_by())
    return {row["school_class_id"]: (float(row["mean"]), row["n"]) for row in rows}


def exports_in_progress(user) -> QuerySet:
    """The workbooks still being built for the exams the user sees whole (the office's dashboard)."""
    scope = scope_for(user)
    jobs = ExportJob.objects.filter(status__in=(ExportJob.Status.PENDING, ExportJob.Status.RUNNING))
    if not scope.everything:
        jobs = jobs.filter(exam__school_id__in=scope.school_ids)
    return jobs.select_related("exam", "grade").order_by("requested_at")
