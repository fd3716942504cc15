"""The quality analysis of one grade in one exam: the database reads (a fixed number of queries, scores read as
integer hundredths straight from SQL) and the figures of `stats` assembled for the page, the teachers' forms and
the workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Round

from school.models import Grade, SchoolClass, Student, TimetableEntry

from . import stats
from .models import Exam, Item, ItemScore, Paper, Score


def fetch_ints(queryset, width: int) -> np.ndarray:
    """The rows of a `values_list` queryset of integers as an int64 array, fetched in chunks straight from the
    database cursor (no model instances, no per-value converters: a grade's scores are hundreds of thousands of
    values)."""
    sql, params = queryset.query.sql_with_params()
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            chunks.append(np.array(rows, dtype=np.int64).reshape(-1, width))
    return np.concatenate(chunks) if chunks else np.zeros((0, width), dtype=np.int64)


FETCH = 20000


def _cents_expression(name: str = "score"):
    """A score as an integer of hundredths, computed by the database; -1 for no score (absent)."""
    return Coalesce(Cast(Round(F(name) * 100), BigIntegerField()), Value(stats.ABSENT))


@dataclass
class ClassInfo:
    pk: int
    number: int
    label: str


@dataclass
class GradeData:
    """Everything the analysis of a grade needs, as arrays: students in class order, one score column per paper
    (cents, ABSENT or MISSING)."""

    exam: Exam
    grade: Grade
    classes: list[ClassInfo]
    papers: list[Paper]
    student_ids: np.ndarray
    student_numbers: np.ndarray
    student_names: list[str]
    class_codes: np.ndarray
    baseline: np.ndarray  # the students' baseline scores (float, NaN when none)
    scores: np.ndarray  # (students x papers)
    items: dict[int, list[Item]]  # paper id -> items
    item_scores: dict[int, np.ndarray]  # paper id -> (students x items) cents, MISSING where none
    compare_scores: dict[int, np.ndarray]  # subject id -> the compared exam's scores of these students (float)
    compare_total: np.ndarray | None
    teachers: dict[tuple[int, int], list[tuple[int, str]]]  # (class id, subject id) -> [(staff id, name)]
    _sorted_ids: np.ndarray = field(default=None, repr=False)


def load_grade_data(exam: Exam, grade: Grade) -> GradeData:
    """The grade's students, papers, scores, item scores, comparison scores and teachers: eight queries at most."""
    classes = [ClassInfo(c.pk, c.number, str(c)) for c in
               SchoolClass.objects.filter(grade=grade).select_related("grade").order_by("number")]
    papers = list(Paper.objects.filter(exam=exam, grade=grade).select_related("subject", "grade")
                  .order_by("subject__order", "subject_id"))
    paper_ids = [p.pk for p in papers]
    sat = Score.objects.filter(paper_id__in=paper_ids).values("student_id")
    students = list(
        Student.objects.filter(school_class__grade=grade)
        .filter(Q(is_active=True) | Q(pk__in=sat))
        .order_by("school_class__number", "student_no")
        .values_list("pk", "student_no", "name", "school_class_id", "baseline_score")
    )
    code_of_class = {c.pk: i for i, c in enumerate(classes)}
    ids = np.array([s[0] for s in students], dtype=np.int64)
    data = GradeData(
        exam=exam, grade=grade, classes=classes, papers=papers, student_ids=ids,
        student_numbers=np.array([s[1] for s in students], dtype=str),
        student_names=[s[2] for s in students],
        class_codes=np.array([code_of_class[s[3]] for s in students], dtype=np.int64),
        baseline=np.array([float(s[4]) if s[4] is not None else np.nan for s in students], dtype=np.float64),
        scores=np.full((len(students), len(papers)), stats.MISSING, dtype=np.int64),
        items={}, item_scores={}, compare_scores={}, compare_total=None, teachers={},
    )
    order = np.argsort(ids, kind="stable")
    data._sorted_ids = ids[order]

    def rows_of(student_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row indexes of `student_ids` (and a mask of those that are students of the grade)."""
        if ids.size == 0:
            return np.zeros(student_ids.shape, dtype=np.int64), np.zeros(student_ids.shape, dtype=bool)
        position = np.clip(np.searchsorted(data._sorted_ids, student_ids), 0, ids.size - 1)
        return order[position], data._sorted_ids[position] == student_ids

    if paper_ids:
        paper_order = np.argsort(np.array(paper_ids, dtype=np.int64))
        sorted_paper_ids = np.array(paper_ids, dtype=np.int64)[paper_order]
        rows = fetch_ints(Score.objects.filter(paper_id__in=paper_ids)
                          .values_list("paper_id", "student_id", _cents_expression()), 3)
        if rows.size:
            index, known = rows_of(rows[:, 1])
            columns = np.searchsorted(sorted_paper_ids, rows[:, 0])
            columns = paper_order[columns]
            data.scores[index[known], columns[known]] = rows[known, 2]
        items = list(Item.objects.filter(paper_id__in=paper_ids).order_by("paper_id", "number"))
        for item in items:
            data.items.setdefault(item.paper_id, []).append(item)
        if items:
            item_ids = np.array([i.pk for i in items], dtype=np.int64)
            item_order = np.argsort(item_ids)
            position_in_paper = {i.pk: k for paper_items in data.items.values() for k, i in enumerate(paper_items)}
            for paper_id, paper_items in data.items.items():
                data.item_scores[paper_id] = np.full((ids.size, len(paper_items)), stats.MISSING, dtype=np.int64)
            rows = fetch_ints(ItemScore.objects.filter(item_id__in=item_ids.tolist())
                              .values_list("item_id", "student_id", _cents_expression()), 3)
            if rows.size:
                index, known = rows_of(rows[:, 1])
                item_index = item_order[np.searchsorted(item_ids[item_order], rows[:, 0])]
                item_paper = np.array([items[i].paper_id for i in range(len(items))], dtype=np.int64)[item_index]
                item_column = np.array([position_in_paper[i.pk] for i in items], dtype=np.int64)[item_index]
                for paper_id, matrix in data.item_scores.items():
                    mask = known & (item_paper == paper_id)
                    matrix[index[mask], item_column[mask]] = rows[mask, 2]
        _load_comparison(data, exam, rows_of)
        for class_id, subject_id, teacher_id, name in (
            TimetableEntry.objects.filter(term_id=exam.term_id, school_class__grade=grade,
                                          subject_id__in=[p.subject_id for p in papers])
            .values_list("school_class_id", "subject_id", "teacher_id", "teacher__name")
            .distinct().order_by("teacher__staff_no")
        ):
            data.teachers.setdefault((class_id, subject_id), []).append((teacher_id, name))
    return data


def _load_comparison(data: GradeData, exam: Exam, rows_of) -> None:
    """The compared exam's scores of the same students, per subject and in total (for value-added)."""
    compare = exam.compare_with
    if compare is None:
        return
    subjects = [p.subject_id for p in data.papers]
    students = Student.objects.filter(school_class__grade=data.grade).values("pk")
    array = fetch_ints(Score.objects.filter(paper__exam=compare, student_id__in=students)
                       .values_list("paper__subject_id", "student_id", _cents_expression(), "paper_id"), 4)
    if not array.size:
        return
    index, known = rows_of(array[:, 1])
    for subject_id in subjects:
        column = np.full(data.student_ids.size, np.nan)
        mask = known & (array[:, 0] == subject_id) & (array[:, 2] >= 0)
        column[index[mask]] = array[mask, 2] / 100
        data.compare_scores[subject_id] = column
    # Totals of the compared exam: the students who sat every one of its papers.
    compare_papers = np.unique(array[:, 3])
    matrix = np.full((data.student_ids.size, compare_papers.size), stats.MISSING, dtype=np.int64)
    paper_column = np.searchsorted(compare_papers, array[:, 3])
    matrix[index[known], paper_column[known]] = array[known, 2]
    complete = (matrix >= 0).all(axis=1)
    total = np.where(complete, matrix.clip(min=0).sum(axis=1) / 100, np.nan)
    data.compare_total = total


# --- the analysis ----------------------------------------------------------------------------------------------


@dataclass
class ClassFigures:
    info: ClassInfo
    teachers: list[tuple[int, str]]
    summary: stats.Summary
    value_added: Decimal | None = None


@dataclass
class TeacherValueAdded:
    teacher_id: int
    name: str
    classes: list[str]
    students: int
    value_added: Decimal | None


@dataclass
class PaperAnalysis:
    paper: Paper
    lines: stats.Lines
    classes: list[ClassFigures]
    grade: stats.Summary
    bands: list[stats.Band]
    band_rows: list[tuple[str, list[int]]]  # class label (or the grade) -> counts per band, lowest band first
    segments: list[stats.Segment]
    teacher_value_added: list[TeacherValueAdded]
    grade_value_added_students: int
    items: stats.ItemAnalysis | None
    has_scores: bool
    value_added: np.ndarray = field(repr=False, default=None)

    @property
    def subject(self):
        return self.paper.subject


@dataclass
class TotalAnalysis:
    classes: list[ClassFigures]
    grade: stats.Summary
    segments: list[stats.Segment]
    papers: int


@dataclass
class StudentRow:
    student_id: int
    student_no: str
    name: str
    class_label: str
    cells: list[tuple[Decimal | None, bool, int | None, int | None]]  # score, absent, grade rank, class rank
    total: Decimal | None
    total_grade_rank: int | None
    total_class_rank: int | None
    value_added: Decimal | None


@dataclass
class GradeAnalysis:
    exam: Exam
    grade: Grade
    data: GradeData
    papers: list[PaperAnalysis]
    total: TotalAnalysis | None
    grade_ranks: np.ndarray  # (students x papers), 0 where no score
    class_ranks: np.ndarray
    totals: np.ndarray  # cents, -1 without a complete total
    total_grade_ranks: np.ndarray
    total_class_ranks: np.ndarray
    total_value_added: np.ndarray  # float, NaN where none

    @property
    def scored_papers(self) -> list[PaperAnalysis]:
        return [p for p in self.papers if p.has_scores]

    def student_rows(self, class_code: int | None = None) -> list[StudentRow]:
        """The student rank table (all students, or one class's), ordered by class and student number."""
        return list(self.iter_student_rows(class_code))

    def iter_student_rows(self, class_code: int | None = None):
        """The rows of `student_rows` one at a time (the workbook writes them as they come)."""
        data = self.data
        indexes = range(data.student_ids.size) if class_code is None else np.flatnonzero(data.class_codes == class_code)
        scored = [j for j, p in enumerate(self.papers) if p.has_scores]
        for i in indexes:
            cells = []
            for j in scored:
                value = int(data.scores[i, j])
                cells.append((stats.marks(value) if value >= 0 else None, value == stats.ABSENT,
                              int(self.grade_ranks[i, j]) or None, int(self.class_ranks[i, j]) or None))
            total = int(self.totals[i])
            yield StudentRow(
                student_id=int(data.student_ids[i]), student_no=str(data.student_numbers[i]),
                name=data.student_names[i], class_label=data.classes[int(data.class_codes[i])].label, cells=cells,
                total=stats.marks(total) if total >= 0 else None,
                total_grade_rank=int(self.total_grade_ranks[i]) or None,
                total_class_rank=int(self.total_class_ranks[i]) or None,
                value_added=stats.display_float(self.total_value_added[i], stats.PLACES_VALUE_ADDED),
            )


def lines_of(paper: Paper) -> stats.Lines:
    paper.fill_default_lines()
    return stats.Lines(stats.cents(paper.full_marks), stats.cents(paper.excellent_line), stats.cents(paper.pass_line),
                       stats.cents(paper.low_line))


def weights_of(exam: Exam) -> stats.Weights:
    return stats.Weights(Fraction(exam.weight_mean), Fraction(exam.weight_pass), Fraction(exam.weight_excellent),
                         Fraction(exam.weight_low))


def grade_analysis(exam: Exam, grade: Grade, data: GradeData | None = None) -> GradeAnalysis:
    """Every figure of the grade's quality analysis."""
    data = data or load_grade_data(exam, grade)
    n, papers_count = data.scores.shape
    class_count = len(data.classes)
    weights = weights_of(exam)
    width = exam.band_width * 100
    grade_ranks = np.zeros((n, papers_count), dtype=np.int64)
    class_ranks = np.zeros((n, papers_count), dtype=np.int64)
    papers = []
    for j, paper in enumerate(data.papers):
        column = data.scores[:, j]
        present = column >= 0
        values = column[present]
        lines = lines_of(paper)
        grade_ranks[present, j] = stats.min_ranks(values)
        class_ranks[present, j] = stats.min_ranks_within(values, data.class_codes[present])
        summaries, grade_summary = stats.paper_summaries(column, data.class_codes, class_count, lines, weights)
        bands = stats.bands_for(lines.full, width)
        counts = stats.band_counts(values, data.class_codes[present], class_count, lines.full, width)
        band_rows = [(c.label, counts[k].tolist()) for k, c in enumerate(data.classes)]
        band_rows.append((str(data.grade), counts.sum(axis=0).tolist()))
        # Value-added against the compared exam's same subject, else the students' baseline scores.
        baseline = data.compare_scores.get(paper.subject_id) if exam.compare_with_id else data.baseline
        now = np.where(present, column / 100, np.nan)
        added = stats.value_added(now, baseline) if baseline is not None else np.full(n, np.nan)
        class_added = stats.group_means(added, data.class_codes, class_count)
        classes = [
            ClassFigures(info, data.teachers.get((info.pk, paper.subject_id), []), summaries[k], class_added[k])
            for k, info in enumerate(data.classes)
        ]
        papers.append(PaperAnalysis(
            paper=paper, lines=lines, classes=classes, grade=grade_summary, bands=bands, band_rows=band_rows,
            segments=stats.score_segments(values),
            teacher_value_added=_teacher_value_added(data, paper, added),
            grade_value_added_students=int((~np.isnan(added)).sum()),
            items=_items(data, paper, column), has_scores=bool(present.any() or (column == stats.ABSENT).any()),
            value_added=added,
        ))
    scored = [j for j, p in enumerate(papers) if p.has_scores]
    totals = np.full(n, -1, dtype=np.int64)
    total_grade_ranks = np.zeros(n, dtype=np.int64)
    total_class_ranks = np.zeros(n, dtype=np.int64)
    total_added = np.full(n, np.nan)
    total = None
    if scored:
        matrix = data.scores[:, scored]
        complete = (matrix >= 0).all(axis=1)
        totals[complete] = matrix[complete].sum(axis=1)
        values = totals[complete]
        total_grade_ranks[complete] = stats.min_ranks(values)
        total_class_ranks[complete] = stats.min_ranks_within(values, data.class_codes[complete])
        lines = stats.Lines(*(sum(getattr(papers[j].lines, name) for j in scored)
                              for name in ("full", "excellent", "passing", "low")))
        summaries, grade_summary = stats.paper_summaries(totals.copy(), data.class_codes, class_count, lines, weights)
        baseline = data.compare_total if exam.compare_with_id else data.baseline
        now = np.where(complete, totals / 100, np.nan)
        if baseline is not None:
            total_added = stats.value_added(now, baseline)
        class_added = stats.group_means(total_added, data.class_codes, class_count)
        total = TotalAnalysis(
            classes=[ClassFigures(info, [], summaries[k], class_added[k]) for k, info in enumerate(data.classes)],
            grade=grade_summary, segments=stats.score_segments(values), papers=len(scored),
        )
    return GradeAnalysis(exam=exam, grade=grade, data=data, papers=papers, total=total, grade_ranks=grade_ranks,
                         class_ranks=class_ranks, totals=totals, total_grade_ranks=total_grade_ranks,
                         total_class_ranks=total_class_ranks, total_value_added=total_added)


def _teacher_value_added(data: GradeData, paper: Paper, added: np.ndarray) -> list[TeacherValueAdded]:
    """The mean value-added of each teacher's students in this subject (a teacher of several classes: all of
    them together)."""
    by_teacher: dict[int, tuple[str, list[int]]] = {}
    for code, info in enumerate(data.classes):
        for teacher_id, name in data.teachers.get((info.pk, paper.subject_id), []):
            by_teacher.setdefault(teacher_id, (name, []))[1].append(code)
    result = []
    for teacher_id, (name, codes) in by_teacher.items():
        mask = np.isin(data.class_codes, codes) & ~np.isnan(added)
        count = int(mask.sum())
        mean = stats.display_float(float(added[mask].mean()), stats.PLACES_VALUE_ADDED) if count else None
        result.append(TeacherValueAdded(teacher_id, name, [data.classes[c].label for c in codes], count, mean))
    return result


def _items(data: GradeData, paper: Paper, column: np.ndarray) -> stats.ItemAnalysis | None:
    items = data.items.get(paper.pk)
    matrix = data.item_scores.get(paper.pk)
    if not items or matrix is None:
        return None
    mask = (column >= 0) & (matrix >= 0).all(axis=1)
    if not mask.any():
        return None
    return stats.item_analysis(
        matrix[mask], column[mask], data.student_numbers[mask].tolist(), [stats.cents(i.full_marks) for i in items],
        [i.label for i in items], [i.number for i in items],
    )
