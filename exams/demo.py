"""The demo school's exams of the term, written through the exams services and the real score import (a workbook
built as the office would fill it):

- the entrance baseline (入学摸底考试) of each junior school's first grade, on the first day of term;
- the mid-term of every grade of every school (on the term's mid-term date once it has passed; before that, a
  grade-wide monthly test, 月考, as a unit test), every class and every academic subject the grade is taught, with
  a few absent students (缺考), and item scores for the maths papers (25 items for the largest grade);
- every teacher's quality-analysis form, most handed in (a few late), some with a leader's comment; the grade
  analyses, one presented; and a few unit-test checks of the term (one not analysed: a proposed 2-yuan fine under
  V4).

The demo school's V4 policy asks for no quality-analysis forms; like most schools that run V4, the demo's office
has added them (after mid-terms and finals, within 7 days) and the two-week grade analysis after mid-terms
(V1.11-12), edited on the policy as an office would, with history.

The large demo school's top junior grade is grown to about 1,000 students (大班额 classes of about 83), so that the
benchmark (`manage.py bench_exams`) measures a grade of 1,000 students x 9 subjects on the demo school.

Deterministic (fixed seeds) and idempotent: nothing is added once the term has an exam.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import ExamKind, Policy
from inspections.selectors import policy_for
from school.demo import names
from school.models import Grade, Role, School, SchoolClass, Staff, Student, Subject, Term, TimetableEntry
from school.selectors import current_term

from . import services
from .imports import scores_import, scores_workbook
from .models import Exam, GradeReport, Paper, QualityForm

NOT_EXAMINED = {"pe", "music", "art", "it"}
FULL_MARKS = {"chinese": Decimal("120"), "math": Decimal("120"), "english": Decimal("120")}
LARGE_GRADE_SIZE = 1000
ITEMS_LARGE = 25
ITEMS_SMALL = 12
ABSENT_SHARE = 0.008


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    term = current_term(root, today)
    if term is None or not term.contains(today):
        return None
    schools = [root, *root.village_schools.order_by("pk")]
    if Exam.objects.filter(term=term, school__in=schools).exists():
        return None
    office = _office_user(root)
    if office is None:
        return None
    if size == "large":
        grow_top_grade(root, term)
    _policy_with_forms(root, office)
    counts = {"exams": 0, "scores": 0, "items": 0, "forms": 0, "submitted": 0, "checks": 0}
    seed = f"{root.code}-{term.pk}-exams"
    for school in schools:
        grades = list(Grade.objects.filter(school=school).order_by("level"))
        if not grades:
            continue
        if school.stage in (School.Stage.JUNIOR, School.Stage.COMPLETE, School.Stage.NINE_YEAR) and grades[0].level == 7:
            _baseline(school, term, grades[0], office, counts, seed)
        _midterm(school, term, today, grades, office, counts, seed, size)
    _forms_and_reports(term, schools, today, counts, random.Random(f"{seed}-forms"))
    _unit_checks(root, schools, term, today, counts, random.Random(f"{seed}-checks"))
    return _(
        "Exams: %(exams)s exams, %(scores)s scores and %(items)s item scores imported, %(forms)s quality-analysis "
        "forms (%(submitted)s handed in), %(checks)s unit-test checks."
    ) % counts


def _office_user(root: School):
    staff = (Staff.objects.filter(school=root, is_active=True, roles__role=Role.DIRECTOR).select_related("user")
             .order_by("staff_no").first())
    return staff.user if staff else None


def _policy_with_forms(root: School, user) -> None:
    policy = policy_for(root)
    if policy is None or policy.quality_form_after:
        return
    policy = Policy.objects.get(pk=policy.pk)
    policy.quality_form_after = [ExamKind.MIDTERM, ExamKind.FINAL]
    policy.quality_form_days = 7
    if not policy.analysis_after:
        policy.analysis_after = [ExamKind.MIDTERM]
        policy.analysis_days = policy.analysis_days or 14
    policy._history_user = user
    policy._change_reason = "demo: quality-analysis forms"
    policy.save()


# --- the large grade ----------------------------------------------------------------------------------------------


def grow_top_grade(root: School, term: Term, target: int = LARGE_GRADE_SIZE) -> int:
    """Fill the root school's highest junior grade to about `target` students, spread over its classes, numbered
    as the demo numbers students (year, grade, class, seat). Returns how many were added."""
    grade = Grade.objects.filter(school=root, level__gte=7).order_by("-level").first()
    if grade is None:
        return 0
    classes = list(SchoolClass.objects.filter(grade=grade).annotate(size=Count("students")).order_by("number"))
    have = sum(c.size for c in classes)
    if have >= target or not classes:
        return 0
    rng = random.Random(f"{root.code}-grow-{grade.level}")
    taken = set(Student.objects.filter(school_class__grade=grade).values_list("name", flat=True))
    year = term.school_year.start_date.year
    new = []
    missing = target - have
    for index in range(missing):
        school_class = classes[index % len(classes)]
        school_class.size += 1
        gender = "M" if rng.random() < 0.52 else "F"
        new.append(Student(
            school_class=school_class, student_no=f"{year}{grade.level:02d}{school_class.number:02d}{school_class.size:02d}",
            name=names.unique_name(rng, gender, taken, child=True), gender=gender,
            baseline_score=Decimal(f"{min(100.0, max(8.0, rng.gauss(72, 13))):.2f}"),
            baseline_kind=Student.BaselineKind.ENTRANCE,
        ))
    existing = set(Student.objects.filter(student_no__in=[s.student_no for s in new]).values_list("student_no",
                                                                                                  flat=True))
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history([s for s in new if s.student_no not in existing], Student, batch_size=1000)
    return len(new) - len(existing)


# --- scores -------------------------------------------------------------------------------------------------------


def generate_scores(rng: np.random.Generator, ability: np.ndarray, class_codes: np.ndarray, full: float,
                    *, difficulty: float = 0.0) -> np.ndarray:
    """Scores in half marks from each student's ability (a z-score), a class effect and noise; NaN for the
    few absent."""
    class_effect = rng.normal(0, 0.25, class_codes.max() + 1 if class_codes.size else 1)[class_codes]
    z = 0.75 * ability + class_effect + rng.normal(0, 0.6, ability.size)
    share = 1 / (1 + np.exp(-(0.8 + 1.1 * z - difficulty)))
    scores = np.clip(np.round(share * full * 2) / 2, 0, full)
    scores[rng.random(ability.size) < ABSENT_SHARE] = np.nan
    return scores


def generate_items(rng: np.random.Generator, ability: np.ndarray, fulls: list[float]) -> np.ndarray:
    """Item scores (students x items) in half marks (whole marks for items of 5 or less)."""
    columns = []
    for index, full in enumerate(fulls):
        difficulty = -1 + 2 * index / max(len(fulls) - 1, 1)  # early items easy, last ones hard
        z = 1.2 * ability + rng.normal(0, 0.8, ability.size)
        share = 1 / (1 + np.exp(-(1.0 + z - 1.5 * difficulty)))
        step = 1 if full <= 5 else 2
        columns.append(np.clip(np.round(share * full * step) / step, 0, full))
    return np.column_stack(columns) if columns else np.zeros((ability.size, 0))


def item_marks(count: int, full: Decimal) -> list[tuple[str, Decimal, bool]]:
    """A paper of `count` items adding up to `full`: objective items first (choice, fill-in), then answers."""
    objective = max(1, count * 3 // 5)
    total = int(full)
    small = [3] * objective if objective * 3 <= total // 2 else [2] * objective
    rest = total - sum(small)
    answers = count - objective
    base = rest // answers if answers else 0
    big = [base] * answers
    for i in range(rest - base * answers):
        big[-1 - (i % answers)] += 1
    items = [(f"{i + 1}", Decimal(m), True) for i, m in enumerate(small)]
    items += [(f"{objective + i + 1}", Decimal(m), False) for i, m in enumerate(big)]
    if sum(m for _l, m, _o in items) != full:  # count too large for the marks: one item takes the difference
        label, marks, kind = items[-1]
        items[-1] = (label, marks + full - sum(m for _l, m, _o in items), kind)
    return items


def _abilities(students: list) -> np.ndarray:
    """z-scores of the students' baseline (entrance) scores within the grade; 0 where there is none."""
    values = np.array([float(s[4]) if s[4] is not None else np.nan for s in students])
    if np.isnan(values).all():
        return np.zeros(len(students))
    mean, sd = np.nanmean(values), np.nanstd(values) or 1.0
    return np.nan_to_num((values - mean) / sd)


def _grade_students(grade: Grade) -> list:
    return list(Student.objects.filter(school_class__grade=grade, is_active=True)
                .order_by("school_class__number", "student_no")
                .values_list("student_no", "name", "school_class__number", "school_class_id", "baseline_score"))


def import_generated(exam: Exam, grade: Grade, user, *, seed: str, items_per_maths: int = 0) -> tuple[int, int]:
    """Generate the grade's scores (and maths item scores), fill a workbook and import it. Returns (scores,
    item scores) written."""
    papers = list(Paper.objects.filter(exam=exam, grade=grade).select_related("subject").order_by("subject__order"))
    students = _grade_students(grade)
    if not students or not papers:
        return 0, 0
    rng = np.random.default_rng(_stable_seed(seed))
    ability = _abilities(students)
    class_codes = np.unique(np.array([s[2] for s in students]), return_inverse=True)[1]
    rows = [(s[0], s[1], str(f"{grade.name}{s[2]}班")) for s in students]
    scores, items = {}, {}
    for paper in papers:
        full = float(paper.full_marks)
        if paper.subject.code == "math" and items_per_maths:
            services.items_set(paper=paper, items=item_marks(items_per_maths, paper.full_marks), user=user)
            paper_items = list(paper.items.all())
            matrix = generate_items(rng, ability, [float(i.full_marks) for i in paper_items])
            total = matrix.sum(axis=1)
            absent = rng.random(len(students)) < ABSENT_SHARE
            scores[paper.pk] = ["缺考" if a else float(t) for a, t in zip(absent, total)]
            items[paper.pk] = [None if a else [float(v) for v in row] for a, row in zip(absent, matrix)]
        else:
            values = generate_scores(rng, ability, class_codes, full, difficulty=rng.normal(0, 0.3))
            scores[paper.pk] = ["缺考" if np.isnan(v) else float(v) for v in values]
    data = scores_workbook(papers=papers, students=rows, scores=scores, items=items)
    result = scores_import(exam=exam, grade=grade, file=data, user=user, file_name=f"{grade.name}成绩.xlsx")
    return result.created, result.item_scores


def _stable_seed(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode())


def _subjects_of(term: Term, grade: Grade) -> list[Subject]:
    ids = set(TimetableEntry.objects.filter(term=term, school_class__grade=grade).values_list("subject_id", flat=True))
    return list(Subject.objects.filter(pk__in=ids).exclude(code__in=NOT_EXAMINED).order_by("order", "pk"))


def _baseline(school, term, grade, user, counts, seed) -> None:
    subjects = [s for s in _subjects_of(term, grade) if s.code in FULL_MARKS]
    if not subjects:
        return
    exam = services.exam_create(school=school, term=term, kind=ExamKind.BASELINE, name="七年级入学摸底考试",
                                held_on=term.start_date, grades=[grade], subjects=subjects,
                                baseline_kind=Exam.BaselineKind.ENTRANCE, user=user)
    created, _items = import_generated(exam, grade, user, seed=f"{seed}-baseline-{grade.pk}")
    counts["exams"] += 1
    counts["scores"] += created


def _midterm(school, term, today, grades, user, counts, seed, size) -> None:
    if term.midterm_date and term.midterm_date < today:
        kind, name, day = ExamKind.MIDTERM, "期中考试", term.midterm_date
    else:
        day = today - dt.timedelta(days=2)
        if day < term.start_date + dt.timedelta(days=14):
            return
        while day.isoweekday() > 5:
            day -= dt.timedelta(days=1)
        kind, name = ExamKind.UNIT, "第一次月考"
    subjects = {grade.pk: _subjects_of(term, grade) for grade in grades}
    grades = [g for g in grades if subjects[g.pk]]
    if not grades:
        return
    every = sorted({s for group in subjects.values() for s in group}, key=lambda s: (s.order, s.pk))
    exam = services.exam_create(school=school, term=term, kind=kind, name=name, held_on=day, grades=grades,
                                subjects=every, user=user)
    for grade in grades:
        # Papers of subjects the grade is not taught (chemistry in grade 7) are dropped.
        Paper.objects.filter(exam=exam, grade=grade).exclude(subject__in=subjects[grade.pk]).delete()
        for paper in Paper.objects.filter(exam=exam, grade=grade, subject__code__in=FULL_MARKS):
            services.paper_update(paper=paper, user=user, full_marks=FULL_MARKS[paper.subject.code],
                                  excellent_line=FULL_MARKS[paper.subject.code] * Decimal("0.85"),
                                  pass_line=FULL_MARKS[paper.subject.code] * Decimal("0.6"),
                                  low_line=FULL_MARKS[paper.subject.code] * Decimal("0.4"))
    largest = max(grades, key=lambda g: Student.objects.filter(school_class__grade=g).count())
    for grade in grades:
        items = 0
        if school.parent_id is None and grade.level >= 7:
            items = ITEMS_LARGE if (size == "large" and grade == largest) else ITEMS_SMALL
        created, item_scores = import_generated(exam, grade, user, seed=f"{seed}-midterm-{grade.pk}",
                                                items_per_maths=items)
        counts["scores"] += created
        counts["items"] += item_scores
    counts["exams"] += 1


FORM_TEXT = (
    ("基础知识掌握较好，字词、计算类题目得分率高。", "综合运用题失分较多，审题不清。", "加强变式训练，每周一次限时练习并讲评。"),
    ("大部分学生能完成基本题型，书写较规范。", "阅读理解和表达题失分多，两极分化明显。", "分层布置作业，课后辅导后进生。"),
    ("概念理解到位，实验题得分较高。", "计算能力薄弱，部分学生粗心。", "每日一练计算，建立错题本。"),
)


def _forms_and_reports(term, schools, today, counts, rng: random.Random) -> None:
    forms = list(QualityForm.objects.filter(paper__exam__term=term, paper__exam__school__in=schools)
                 .select_related("teacher", "teacher__user", "paper__exam").order_by("pk"))
    counts["forms"] = len(forms)
    for index, form in enumerate(forms):
        if form.due_on > today and rng.random() < 0.4:
            continue  # still open
        if rng.random() < 0.15:
            continue  # not handed in
        mastered, problems, measures = FORM_TEXT[index % len(FORM_TEXT)]
        services.quality_form_submit(form=form, user=form.teacher.user, mastered=mastered, problems=problems,
                                     measures=measures, student_opinions="希望多讲练习题。" if index % 3 == 0 else "")
        # Handed in on its day or, for a few, late (the history keeps the real moment; the date shown is this).
        late = rng.random() < 0.15
        day = form.due_on + dt.timedelta(days=rng.randint(1, 3)) if late else form.due_on - dt.timedelta(
            days=rng.randint(0, 4))
        day = min(day, today)
        QualityForm.objects.filter(pk=form.pk).update(submitted_at=timezone.make_aware(
            dt.datetime.combine(day, dt.time(17, 30))))
        counts["submitted"] += 1
        leader = form.teacher.groups.exclude(leader=None).select_related("leader__user").first()
        if leader is not None and leader.leader_id != form.teacher_id and rng.random() < 0.5:
            form.refresh_from_db()
            services.quality_form_comment(form=form, user=leader.leader.user, comment="分析具体，措施可行，请落实到位。")
    report = (GradeReport.objects.filter(exam__term=term, exam__school__in=schools, due_on__lte=today)
              .select_related("exam", "grade").order_by("pk").first())
    if report is not None:
        user = _office_user(report.exam.school.root)
        services.grade_report_update(report=report, user=user, summary="本次考试年级整体情况平稳，各班差距不大。",
                                     trends="教师普遍反映阅读与综合运用题失分较多。", measures="各教研组针对薄弱题型开展专题研讨。",
                                     presented_on=min(report.due_on, today))


def _unit_checks(root, schools, term, today, counts, rng: random.Random) -> None:
    checker = Staff.objects.filter(school=root, is_active=True, roles__role=Role.DIRECTOR).first()
    if checker is None:
        return
    entries = list(TimetableEntry.objects.filter(term=term, school_class__grade__school=root)
                   .exclude(subject__code__in=NOT_EXAMINED).select_related("teacher", "school_class", "subject")
                   .order_by("pk")[:200])
    if not entries:
        return
    day = max(term.start_date, min(today - dt.timedelta(days=3), term.start_date + dt.timedelta(days=30)))
    while day.isoweekday() > 5 and day > term.start_date:
        day -= dt.timedelta(days=1)
    picked = rng.sample(entries, min(6, len(entries)))
    for index, entry in enumerate(picked):
        if entry.teacher_id == checker.pk:
            continue
        services.unit_test_check_record(
            teacher=entry.teacher, school_class=entry.school_class, subject=entry.subject,
            unit=f"第{index + 1}单元检测", checked_on=day, marked=True, analysed=index != 0,
            note="" if index else "试卷已批改，未见成绩分析。", user=checker.user)
        counts["checks"] += 1
