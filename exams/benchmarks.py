"""The exam pages of `make bench` (benchmarks/registry.py), and the analysis workbook of the demo's largest graded
exam. The import, statistics and export beside their floors at 1,000 and 10,000 students are `manage.py
bench_exams` (exams/bench.py)."""

from __future__ import annotations

from benchmarks.registry import Operation, Page


def largest_exam(demo):
    """(exam, grade) of the root school's exam grade with the most scores."""
    from django.db.models import Count

    from exams.models import Paper

    paper = (Paper.objects.filter(exam__school=demo.root).annotate(n=Count("scores")).filter(n__gt=0)
             .order_by("-n", "-exam__held_on", "pk").select_related("exam", "grade").first())
    if paper is None:
        raise SystemExit("The demo school has no exam with scores: run `manage.py seed_demo` first.")
    return paper.exam, paper.grade


def _analysis_args(demo):
    exam, grade = largest_exam(demo)
    return (exam.pk, grade.pk)


def _export(demo, _):
    from exams.analysis import grade_analysis
    from exams.export import build_workbook

    exam, grade = largest_exam(demo)
    build_workbook(grade_analysis(exam, grade))


def _analysis(demo, _):
    from exams.analysis import grade_analysis

    exam, grade = largest_exam(demo)
    grade_analysis(exam, grade)


BENCHMARKS = [
    Page("teacher", "exams:exam-list"),
    Page("teacher", "exams:form-list"),
    Page("office", "exams:exam-list"),
    Page("office", "exams:unit-check-list"),
    Page("office", "exams:analysis", args=_analysis_args, label="exams:analysis (the largest graded exam)"),
    Page("office", "exams:analysis", args=_analysis_args, query="tab=students",
         label="exams:analysis, students tab"),
    Page("principal", "exams:exam-list"),
    Operation("statistics", "exam: grade analysis of the largest graded exam", _analysis, repeat=5),
    Operation("export", "exam: quality-analysis workbook of the largest graded exam", _export, repeat=3),
]
