"""A generated exam on the test world (school/tests/world.py): the grade's two classes filled with students,
a mid-term with Chinese (120 marks) and maths (100 marks, five items), scores in half marks with many ties, a few
absences (缺考), and baseline scores. Deterministic."""

from __future__ import annotations

import random
from decimal import Decimal

from inspections.models import ExamKind, Policy
from school.models import Student
from school.tests.factories import StudentFactory

from ..models import Exam, ItemScore, Paper, Score
from ..services import exam_create, items_set, quality_forms_create, grade_reports_create

MATHS_ITEMS = (("一、选择题", Decimal("30"), True), ("二、填空题", Decimal("20"), True), ("三、17", Decimal("15"), False),
               ("三、18", Decimal("15"), False), ("三、19", Decimal("20"), False))


def add_students(w, per_class: int = 40, seed: int = 7) -> list[Student]:
    rng = random.Random(seed)
    made = []
    for school_class in (w.class_1, w.class_2):
        start = Student.objects.filter(school_class=school_class).count()
        for seat in range(start + 1, per_class + 1):
            made.append(StudentFactory(
                school_class=school_class, student_no=f"7{school_class.number:02d}{seat:03d}",
                name=f"学生{school_class.number}-{seat}",
                baseline_score=Decimal(rng.randrange(80, 200)) / 2,
            ))
    return made


def _half(rng, low, high) -> Decimal:
    return Decimal(rng.randrange(int(low * 2), int(high * 2) + 1)) / 2


def generated_exam(w, *, per_class: int = 40, seed: int = 11, kind=ExamKind.MIDTERM, name="期中考试",
                   held_on=None) -> Exam:
    """The mid-term of grade 7 with scores written straight to the database (the import has its own tests). The
    world's V4 policy is edited as an office would: quality-analysis forms after mid-terms and finals (7 days), the
    grade analysis after mid-terms (14 days), spot tests held; V4's fines stay."""
    Policy.objects.filter(school=w.school).update(
        quality_form_after=[ExamKind.MIDTERM, ExamKind.FINAL], quality_form_days=7, analysis_after=[ExamKind.MIDTERM],
        analysis_days=14, spot_tests=True)
    add_students(w, per_class)
    grade = w.class_1.grade
    exam = exam_create(school=w.school, term=w.term, kind=kind, name=name, held_on=held_on or w.term.midterm_date,
                       grades=[grade], subjects=[w.chinese, w.maths], user=w.director.user)
    chinese = exam.papers.get(subject=w.chinese)
    chinese.full_marks = Decimal("120")
    chinese.excellent_line = chinese.pass_line = chinese.low_line = None
    chinese.fill_default_lines()
    chinese.save()
    maths = exam.papers.get(subject=w.maths)
    items = items_set(paper=maths, items=list(MATHS_ITEMS), user=w.director.user)
    rng = random.Random(seed)
    students = list(Student.objects.filter(school_class__grade=grade).order_by("student_no"))
    scores, item_scores = [], []
    for index, student in enumerate(students):
        bias = 8 if student.school_class_id == w.class_1.pk else -4
        if index % 17 == 3:
            scores.append(Score(paper=chinese, student=student, absent=True))
        else:
            value = min(Decimal("120"), max(Decimal("0"), _half(rng, 30, 110) + bias))
            if index % 9 == 0:
                value = Decimal("102")  # exactly the excellent line: ties and the >= edge
            scores.append(Score(paper=chinese, student=student, score=value))
        if index % 23 == 5:
            scores.append(Score(paper=maths, student=student, absent=True))
            continue
        parts = []
        for label, full, _objective in MATHS_ITEMS:
            parts.append(min(full, max(Decimal("0"), _half(rng, 0, float(full)) + (2 if bias > 0 else 0))))
        if index % 13 == 0:
            parts = [full for _l, full, _o in MATHS_ITEMS]  # full marks: the top band closed at W
        total = sum(parts, Decimal("0"))
        scores.append(Score(paper=maths, student=student, score=total))
        if index % 11 != 7:  # some students have no item scores
            item_scores += [ItemScore(item=item, student=student, score=part) for item, part in zip(items, parts)]
    Score.objects.bulk_create(scores)
    ItemScore.objects.bulk_create(item_scores)
    quality_forms_create(exam=exam)
    grade_reports_create(exam=exam)
    return exam


def papers_of(exam: Exam) -> dict[str, Paper]:
    return {p.subject.code: p for p in exam.papers.select_related("subject")}

