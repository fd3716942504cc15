"""The exams benchmark (issue "Speed"): each figure beside its floor measured in the same run, as the median of
repeats, with peak Python memory (tracemalloc) and the ratio to the floor.

- import: `scores_import` of a filled workbook (9 subjects, and 25 maths items per student) against the floor of
  the fastest reader here (python-calamine reading every sheet) plus a bare `bulk_create` of the same score rows;
  target within 3x;
- statistics: `grade_analysis` of the whole grade, database reads included; target under 0.3 s; its floor is
  numpy computing the class means and the grade ranks of the same score matrix;
- export: `build_workbook` (the printed layout, formats, merged headers) against the fastest writer here
  (XlsxWriter, constant memory) writing the same cells unformatted; target within 3x;
- memory: the same at 10,000 students, to show it stays flat (streaming read and write).

The 1,000-student grade is the large demo school's top junior grade (`seed_demo --size large` grows it to about
1,000); the 10,000-student grade is built for the run. Everything runs inside a transaction that is rolled back:
the database is left as it was.

Run: `manage.py bench_exams` (options: --sizes 1000 10000, --repeats N).
"""

from __future__ import annotations

import gc
import io
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from inspections.models import ExamKind
from school.models import Grade, School, SchoolClass, Student, Subject, Term

from . import services
from .analysis import grade_analysis, load_grade_data
from .bulk import insert_rows
from .demo import generate_items, generate_scores, item_marks
from .export import build_workbook
from .imports import scores_import, scores_workbook
from .models import ItemScore, Paper, Score

SUBJECTS = 9
ITEMS = 25


class _Rollback(Exception):
    pass


@dataclass
class Measure:
    seconds: float
    peak_mb: float


@dataclass
class Row:
    figure: str
    students: int
    value: Measure
    floor: Measure | None
    target: str

    @property
    def ratio(self) -> float | None:
        return self.value.seconds / self.floor.seconds if self.floor and self.floor.seconds else None


def measure(function, repeats: int, *, setup=None, teardown=None) -> Measure:
    """Median seconds of `repeats` runs, and the peak traced memory of one more run."""
    times = []
    for _ in range(repeats):
        state = setup() if setup else None
        gc.collect()
        started = time.perf_counter()
        function(state)
        times.append(time.perf_counter() - started)
        if teardown:
            teardown(state)
    state = setup() if setup else None
    gc.collect()
    tracemalloc.start()
    function(state)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if teardown:
        teardown(state)
    return Measure(statistics.median(times), peak / 1048576)


def _savepoint():
    return transaction.savepoint()


def _rollback(sid):
    transaction.savepoint_rollback(sid)


# --- the grade ------------------------------------------------------------------------------------------------


def demo_grade(minimum: int = 900) -> Grade | None:
    """The large demo school's largest junior grade, if it has about 1,000 students."""
    root = School.objects.filter(code="demo", parent=None).first()
    if root is None:
        return None
    for grade in Grade.objects.filter(school=root, level__gte=7).order_by("-level"):
        if Student.objects.filter(school_class__grade=grade, is_active=True).count() >= minimum:
            return grade
    return None


def synthetic_grade(students: int, term: Term) -> Grade:
    """A grade of `students` in classes of 50, in a school of its own under the term's calendar's school."""
    root = term.school_year.school
    school = School.objects.create(name=f"基准测试学校{students}", code=f"bench-{students}", parent=root)
    grade = Grade.objects.create(school=school, level=9, name="九年级")
    classes = SchoolClass.objects.bulk_create(
        [SchoolClass(grade=grade, number=n) for n in range(1, students // 50 + 1)])
    rng = np.random.default_rng(students)
    baseline = np.clip(rng.normal(72, 13, students), 8, 100).round(2)
    Student.objects.bulk_create([
        Student(school_class=classes[i // 50], student_no=f"B{students}{i:06d}", name=f"学生{i:05d}",
                baseline_score=Decimal(f"{baseline[i]:.2f}"), baseline_kind="entrance")
        for i in range(students)
    ], batch_size=2000)
    return grade


def _subjects(root: School) -> list[Subject]:
    found = list(Subject.objects.filter(school=root).exclude(code__in=["pe", "music", "art", "it"])
                 .order_by("order")[:SUBJECTS])
    return found


def _exam_for(grade: Grade, term: Term, user):
    subjects = _subjects(grade.school.root)
    exam = services.exam_create(school=grade.school, term=term, kind=ExamKind.MIDTERM, name="基准测试考试",
                                held_on=term.start_date, grades=[grade], subjects=subjects,
                                full_marks=Decimal("100"), user=user)
    maths = Paper.objects.get(exam=exam, grade=grade, subject=subjects[1])
    services.items_set(paper=maths, items=item_marks(ITEMS, maths.full_marks), user=user)
    return exam


def _workbook(exam, grade) -> bytes:
    papers = list(Paper.objects.filter(exam=exam, grade=grade).select_related("subject").order_by("subject__order"))
    students = list(Student.objects.filter(school_class__grade=grade, is_active=True)
                    .order_by("school_class__number", "student_no")
                    .values_list("student_no", "name", "school_class__number", "baseline_score"))
    rng = np.random.default_rng(len(students))
    values = np.array([float(s[3]) if s[3] is not None else 72.0 for s in students])
    ability = (values - values.mean()) / (values.std() or 1)
    codes = np.array([s[2] for s in students]) - 1
    scores, items = {}, {}
    for paper in papers:
        paper_items = list(paper.items.all())
        if paper_items:
            matrix = generate_items(rng, ability, [float(i.full_marks) for i in paper_items])
            scores[paper.pk] = matrix.sum(axis=1).tolist()
            items[paper.pk] = matrix.tolist()
        else:
            column = generate_scores(rng, ability, codes, float(paper.full_marks))
            scores[paper.pk] = ["缺考" if np.isnan(v) else float(v) for v in column]
    rows = [(s[0], s[1], f"{grade.name}{s[2]}班") for s in students]
    return scores_workbook(papers=papers, students=rows, scores=scores, items=items)


# --- floors ---------------------------------------------------------------------------------------------------


def calamine_read(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = 0
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).iter_rows():
            cells += len(row)
    return cells


def bare_insert(exam, grade, data: bytes) -> None:
    """The same score rows as the import writes, inserted the fastest way here (the driver's executemany, as the
    import does) with nothing else: no checks, no history, no ids read back."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    students = dict(Student.objects.filter(school_class__grade=grade).values_list("student_no", "pk"))
    papers = list(Paper.objects.filter(exam=exam, grade=grade).select_related("subject").order_by("subject__order"))
    rows = []
    for row in list(book.get_sheet_by_name("成绩").iter_rows())[1:]:
        student = students[row[0]]
        for paper, value in zip(papers, row[3:]):
            absent = value == "缺考"
            rows.append((paper.pk, student, None if absent else Decimal(str(value)), absent))
    insert_rows(Score, ["paper_id", "student_id", "score", "absent"], rows)
    items = []
    for paper in papers:
        paper_items = list(paper.items.all())
        if not paper_items:
            continue
        for row in list(book.get_sheet_by_name(f"{paper.subject.name}小题").iter_rows())[1:]:
            student = students[row[0]]
            items += [(item.pk, student, Decimal(str(v))) for item, v in zip(paper_items, row[3:])]
    insert_rows(ItemScore, ["item_id", "student_id", "score"], items)


def numpy_floor(scores: np.ndarray, class_codes: np.ndarray) -> None:
    """Class means and grade ranks of every paper, the least any statistics must do."""
    classes = int(class_codes.max()) + 1
    for j in range(scores.shape[1]):
        column = scores[:, j].astype(np.float64)
        np.bincount(class_codes, weights=column, minlength=classes) / np.bincount(class_codes, minlength=classes)
        ordered = np.sort(column)
        column.size - np.searchsorted(ordered, column, side="right") + 1


def plain_workbook(values: list[tuple[str, list[list]]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    for name, rows in values:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return out.getvalue()


def workbook_values(data: bytes) -> list[tuple[str, list[list]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [(name, [list(row) for row in book.get_sheet_by_name(name).iter_rows()]) for name in book.sheet_names]


# --- the run --------------------------------------------------------------------------------------------------


def run_size(students: int, *, repeats: int, term: Term, user, out) -> list[Row]:
    grade = demo_grade() if students <= 1500 else None
    source = "demo"
    if grade is None or abs(Student.objects.filter(school_class__grade=grade).count() - students) > students // 5:
        grade = synthetic_grade(students, term)
        source = "synthetic"
    count = Student.objects.filter(school_class__grade=grade, is_active=True).count()
    out(f"  grade: {grade.school.name} {grade.name}, {count} students ({source})")
    exam = _exam_for(grade, term, user)
    data = _workbook(exam, grade)
    out(f"  workbook: {len(data) / 1048576:.1f} MB, {SUBJECTS} subjects + {ITEMS} maths items a student")
    rows = []

    importing = measure(lambda sid: scores_import(exam=exam, grade=grade, file=data, user=user), repeats,
                        setup=_savepoint, teardown=_rollback)
    read = measure(lambda _s: calamine_read(data), repeats)
    insert = measure(lambda _s: bare_insert(exam, grade, data), repeats, setup=_savepoint, teardown=_rollback)
    floor = Measure(read.seconds + insert.seconds, max(read.peak_mb, insert.peak_mb))
    rows.append(Row("import", count, importing, floor, "≤ 3x floor"))

    scores_import(exam=exam, grade=grade, file=data, user=user)
    analysing = measure(lambda _s: grade_analysis(exam, grade), repeats)
    data_arrays = load_grade_data(exam, grade)
    matrix = np.where(data_arrays.scores < 0, 0, data_arrays.scores)
    numpy = measure(lambda _s: numpy_floor(matrix, data_arrays.class_codes), repeats)
    rows.append(Row("statistics (with database reads)", count, analysing, numpy, "< 0.3 s"))

    analysis = grade_analysis(exam, grade)
    exporting = measure(lambda _s: build_workbook(analysis), repeats)
    values = workbook_values(build_workbook(analysis))
    plain = measure(lambda _s: plain_workbook(values), repeats)
    rows.append(Row("export workbook", count, exporting, plain, "≤ 3x floor"))
    return rows


def run(*, sizes=(1000, 10000), repeats: int = 5, out=print) -> list[Row]:
    user = get_user_model().objects.filter(is_superuser=True).first()
    root = School.objects.filter(code="demo", parent=None).first()
    if root is None or user is None:
        raise RuntimeError("Run `manage.py seed_demo --size large` first: the benchmark measures the demo school.")
    from school.selectors import current_term

    term = current_term(root)
    results: list[Row] = []
    try:
        with transaction.atomic():
            for size in sizes:
                out(f"{size} students:")
                results += run_size(size, repeats=repeats if size <= 1500 else max(1, repeats // 2), term=term,
                                    user=user, out=out)
            raise _Rollback
    except _Rollback:
        pass
    out("")
    out(table(results))
    by_size = {}
    for row in results:
        by_size.setdefault(row.figure, {})[row.students] = row
    out("")
    for figure, sizes_seen in by_size.items():
        if len(sizes_seen) > 1:
            small, large = (sizes_seen[k] for k in sorted(sizes_seen)[:: len(sizes_seen) - 1])
            out(f"memory, {figure}: {small.value.peak_mb:.1f} MB at {small.students} students, "
                f"{large.value.peak_mb:.1f} MB at {large.students} "
                f"({large.value.peak_mb / max(small.value.peak_mb, 0.01):.1f}x for "
                f"{large.students / small.students:.0f}x the students)")
    return results


def table(rows: list[Row]) -> str:
    header = ("figure", "students", "median s", "floor s", "ratio", "target", "peak MB", "floor peak MB")
    lines = [header]
    for row in rows:
        lines.append((
            row.figure, str(row.students), f"{row.value.seconds:.3f}",
            f"{row.floor.seconds:.3f}" if row.floor else "—",
            f"{row.ratio:.2f}x" if row.ratio else "—", row.target, f"{row.value.peak_mb:.1f}",
            f"{row.floor.peak_mb:.1f}" if row.floor else "—",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) for line in lines)
