"""The score workbook of one grade of an exam: the template the office downloads and the import, all or nothing.

The template has a sheet 成绩 (学号, 姓名, 班级 and one column per subject) listing the grade's students with the
scores already recorded, a sheet "<subject>小题" for each paper that has items (one column per item), and a 说明
sheet. The upload goes through the roster import's safety checks (`school.imports.workbook.open_values`: not
.xlsx, encrypted, macros, zip bombs, formulas, merged cells, too many rows) and is read with python-calamine.

Rules (issue "Score import"):
- every error is listed with its sheet, row and column, and if there is one nothing is written;
- an unknown student number (not of this grade), a student twice, a name that does not match the number, a score
  that is not a number, negative, above the full marks or with more than two decimals, are errors;
- 缺考 marks a student absent (not zero); a subject column left entirely empty is not imported (its scores stay
  as they are), a column with values needs a score or 缺考 in every row;
- an item sheet needs every item of a row filled, no items for an absent student, and items that add up to the
  paper's score;
- importing again replaces the scores of the file's students with history kept (who, when, what before); a
  student not in the file keeps her scores.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field


import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_update_with_history

from school.excel import BOLD, HEADER_FILL, workbook_bytes, write_text
from school.imports.sheets import Column, SheetSpec
from school.imports.workbook import ImportRefused, Issue, open_values
from school.models import Grade, Student
from school.permissions import manages_school

from . import stats
from .bulk import insert_history, insert_rows
from .models import ABSENT_MARK, Exam, Item, ItemScore, Paper, Score, ScoreImport

SCORES_SHEET = "成绩"
INSTRUCTIONS_SHEET = "说明"
ITEM_SHEET_SUFFIX = "小题"
ABSENT_WORDS = frozenset({ABSENT_MARK, "缺", "缺考。"})
BATCH = 2000
CHUNK = 2000  # students written at a time

# Cell outcomes of parsing a column (vectorised checks follow).
EMPTY, VALUE, ABSENT, NOT_NUMBER = 0, 1, 2, 3


def item_sheet_title(paper: Paper) -> str:
    return f"{paper.subject.name}{ITEM_SHEET_SUFFIX}"[:31]


def _papers(exam: Exam, grade: Grade) -> list[Paper]:
    return list(exam.papers.filter(grade=grade).select_related("subject").prefetch_related("items")
                .order_by("subject__order", "subject_id"))


def _subject_key(paper: Paper) -> str:
    return f"paper_{paper.pk}"


def _item_key(item: Item) -> str:
    return f"item_{item.pk}"


def specs_for(papers: list[Paper]) -> dict[str, SheetSpec]:
    """The sheets the import reads, by title: 成绩 and one item sheet per paper with items."""
    identity = (Column("student_no", "学号", required=True, text=True), Column("name", "姓名"),
                Column("class", "班级"))
    specs = {SCORES_SHEET: SheetSpec("scores", SCORES_SHEET,
                                     identity + tuple(Column(_subject_key(p), p.subject.name) for p in papers), "")}
    for paper in papers:
        items = list(paper.items.all())
        if items:
            title = item_sheet_title(paper)
            specs[title] = SheetSpec(f"items_{paper.pk}", title,
                                     identity + tuple(Column(_item_key(i), i.label) for i in items), "")
    return specs


def template_filename(exam: Exam, grade: Grade) -> str:
    return f"{exam.name}-{grade.name}-成绩导入模板.xlsx"


def build_template(exam: Exam, grade: Grade) -> bytes:
    """The grade's score workbook: the students in class order with the scores already recorded (absent as
    缺考), ready to fill in and upload."""
    papers = _papers(exam, grade)
    students = list(Student.objects.filter(school_class__grade=grade, is_active=True)
                    .select_related("school_class", "school_class__grade")
                    .order_by("school_class__number", "student_no"))
    scores = {(paper_id, student_id): (score, absent) for paper_id, student_id, score, absent in
              Score.objects.filter(paper__in=papers).values_list("paper_id", "student_id", "score", "absent")}
    item_scores = {(item_id, student_id): score for item_id, student_id, score in
                   ItemScore.objects.filter(item__paper__in=papers).values_list("item_id", "student_id", "score")}
    book = Workbook()
    sheet = book.active
    sheet.title = SCORES_SHEET
    _write_sheet(sheet, ["学号*", "姓名", "班级"] + [p.subject.name for p in papers], students,
                 lambda s: [_score_text(scores.get((p.pk, s.pk))) for p in papers])
    for paper in papers:
        items = list(paper.items.all())
        if not items:
            continue
        item_sheet = book.create_sheet(item_sheet_title(paper))
        _write_sheet(item_sheet, ["学号*", "姓名", "班级"] + [i.label for i in items], students,
                     lambda s, items=items: [item_scores.get((i.pk, s.pk)) for i in items])
    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    lines = [
        (_("Exam"), exam.name), (_("Grade"), grade.name),
        (_("How to fill in"), _("One row per student; 学号 identifies her. Type each score as a number (at most two "
                                "decimals). Type 缺考 for a student who was absent: she is left out of the statistics, "
                                "not counted as zero. Leave a whole subject column empty to keep its scores as they "
                                "are. Do not use formulas or merged cells.")),
    ]
    for paper in papers:
        lines.append((paper.subject.name, _("Full marks %(full)s; excellent ≥ %(excellent)s, pass ≥ %(pass)s, low < "
                                            "%(low)s") % {"full": paper.full_marks, "excellent": paper.excellent_line,
                                                          "pass": paper.pass_line, "low": paper.low_line}))
        for item in paper.items.all():
            lines.append((f"{item_sheet_title(paper)} · {item.label}", _("Full marks %(full)s") % {"full": item.full_marks}))
    for row, (label, text) in enumerate(lines, start=1):
        write_text(notes.cell(row=row, column=1), label)
        notes.cell(row=row, column=1).font = BOLD
        write_text(notes.cell(row=row, column=2), text)
        notes.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    return workbook_bytes(book)


def _score_text(found):
    if found is None:
        return None
    score, absent = found
    return ABSENT_MARK if absent else score


def _write_sheet(sheet, headers, students, values_of) -> None:
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        write_text(cell, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 16
    sheet.freeze_panes = "D2"
    for row, student in enumerate(students, start=2):
        write_text(sheet.cell(row=row, column=1), student.student_no)
        write_text(sheet.cell(row=row, column=2), student.name)
        write_text(sheet.cell(row=row, column=3), str(student.school_class))
        for column, value in enumerate(values_of(student), start=4):
            if value is None:
                continue
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = float(value) if value != value.to_integral_value() else int(value)
    sheet.cell(row=1, column=1).font = Font(bold=True, color="C00000")


# --- parsing ---------------------------------------------------------------------------------------------------


def parse_column(values: list) -> tuple[np.ndarray, np.ndarray]:
    """(outcome per cell, cents per cell) of a column of raw cell values (numbers stay numbers). Cents of a
    value with more than two decimals are -1."""
    outcome = np.empty(len(values), dtype=np.int8)
    numbers = np.full(len(values), np.nan)
    for index, value in enumerate(values):
        if value is None:
            outcome[index] = EMPTY
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            outcome[index] = VALUE
            numbers[index] = value
        else:
            text = str(value).strip().replace(" ", "")
            if not text:
                outcome[index] = EMPTY
            elif text in ABSENT_WORDS:
                outcome[index] = ABSENT
            else:
                try:
                    numbers[index] = float(text.replace("，", "."))
                    outcome[index] = VALUE if np.isfinite(numbers[index]) else NOT_NUMBER
                except ValueError:
                    outcome[index] = NOT_NUMBER
    scaled = numbers * 100
    rounded = np.rint(scaled)
    cents = np.where(np.abs(scaled - rounded) < 1e-6, rounded, -1)
    cents = np.where(outcome == VALUE, cents, 0).astype(np.int64)
    return outcome, cents


@dataclass
class ParsedPaper:
    paper: Paper
    student_ids: np.ndarray
    cents: np.ndarray
    absent: np.ndarray


@dataclass
class ImportResult:
    papers: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    item_scores: int = 0
    empty_sheets: list[str] = field(default_factory=list)
    record: ScoreImport | None = None


class _Checker:
    """Collects the issues of one sheet."""

    def __init__(self, title: str):
        self.title = title
        self.issues: list[Issue] = []

    def add(self, rows: np.ndarray, header: str, message: str) -> None:
        for row in rows.tolist():
            self.issues.append(Issue(message, self.title, int(row), header))


def _identify(sheet, students: dict[str, tuple[int, str]], grade: Grade, check: _Checker) -> tuple[np.ndarray,
                                                                                                  np.ndarray]:
    """The student id of each row (-1 where the row has an error of its own) and the rows' Excel numbers."""
    rows = np.array(sheet.row_numbers, dtype=np.int64)
    numbers = ["" if v is None else stats_text(v) for v in sheet.columns["student_no"]]
    names = sheet.columns.get("name")
    ids = np.full(len(numbers), -1, dtype=np.int64)
    header_no = sheet.header("student_no")
    duplicated = pd.Series(numbers).duplicated(keep="first").to_numpy()
    first_row = {}
    for index, number in enumerate(numbers):
        if not number:
            check.issues.append(Issue(_("The student number is missing."), check.title, int(rows[index]), header_no))
            continue
        if duplicated[index]:
            check.issues.append(Issue(_("Student %(number)s appears again (first in row %(row)s).")
                                      % {"number": number, "row": first_row[number]}, check.title, int(rows[index]),
                                      header_no))
            continue
        first_row[number] = int(rows[index])
        found = students.get(number)
        if found is None:
            check.issues.append(Issue(_("No student of %(grade)s has the number %(number)s.")
                                      % {"grade": grade.name, "number": number}, check.title, int(rows[index]),
                                      header_no))
            continue
        if names is not None and names[index] is not None and stats_text(names[index]) not in ("", found[1]):
            check.issues.append(Issue(_("The name does not match student %(number)s (%(name)s).")
                                      % {"number": number, "name": found[1]}, check.title, int(rows[index]),
                                      sheet.header("name")))
            continue
        ids[index] = found[0]
    return ids, rows


def stats_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_scores(outcome, cents, full: int, rows, header: str, check: _Checker, *, allow_empty: bool) -> None:
    check.add(rows[outcome == NOT_NUMBER], header, _("Not a number: type the score, or 缺考 for an absent student."))
    value = outcome == VALUE
    check.add(rows[value & (cents < 0)], header, _("A score has at most two decimals."))
    check.add(rows[value & (cents > full)], header,
              _("The score is above the full marks (%(full)s).") % {"full": stats.marks(full)})
    if not allow_empty:
        check.add(rows[outcome == EMPTY], header, _("Enter the score, or 缺考 for an absent student."))


def _negative_rows(values: list, outcome: np.ndarray) -> np.ndarray:
    numbers = np.array([v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in values])
    return (outcome == VALUE) & (numbers < 0)


def scores_import(*, exam: Exam, grade: Grade, file, user, file_name: str = "") -> ImportResult:
    """Import a filled score workbook of `grade` in `exam`, all or nothing (the module's rules)."""
    if not manages_school(user, exam.school):
        raise PermissionDenied(_("Only the teaching office may import scores."))
    papers = _papers(exam, grade)
    if not papers:
        raise ImportRefused(_("This grade has no papers in the exam."))
    specs = specs_for(papers)
    book = open_values(file)
    sheets, empty = book.read(specs)
    students = {no: (pk, name) for pk, no, name in
                Student.objects.filter(school_class__grade=grade).values_list("pk", "student_no", "name")}
    issues: list[Issue] = []
    parsed: list[ParsedPaper] = []
    by_paper = {p.pk: p for p in papers}
    main = sheets.get("scores")
    file_scores: dict[int, dict[int, int]] = {}  # paper -> student -> cents (-1 absent)
    if main is not None:
        check = _Checker(main.spec.title)
        ids, rows = _identify(main, students, grade, check)
        for paper in papers:
            key = _subject_key(paper)
            if key not in main.present:
                continue
            values = main.columns[key]
            outcome, cents = parse_column(values)
            if not (outcome != EMPTY).any():
                continue  # an empty column: this subject is not imported
            header = main.header(key)
            full = stats.cents(paper.full_marks)
            negative = _negative_rows(values, outcome)
            check.add(rows[negative], header, _("A score cannot be negative."))
            outcome = np.where(negative, EMPTY + 10, outcome)  # reported: no other message for these cells
            _check_scores(outcome, cents, full, rows, header, check, allow_empty=False)
            ok = ids >= 0
            absent = outcome == ABSENT
            parsed.append(ParsedPaper(paper, ids[ok], np.where(absent[ok], -1, cents[ok]), absent[ok]))
            if f"items_{paper.pk}" in sheets:  # kept only where an item sheet is checked against it
                file_scores[paper.pk] = dict(zip(ids[ok].tolist(), np.where(absent[ok], -1, cents[ok]).tolist()))
        issues.extend(check.issues)
    item_rows: list[tuple[Paper, list[Item], np.ndarray, np.ndarray]] = []
    item_papers = [p for p in papers if f"items_{p.pk}" in sheets]
    stored = {}
    if item_papers:
        stored = {(paper_id, student_id): (-1 if absent else stats.cents(score)) for paper_id, student_id, score, absent
                  in Score.objects.filter(paper__in=item_papers).values_list("paper_id", "student_id", "score",
                                                                               "absent")}
    for paper in item_papers:
        sheet = sheets[f"items_{paper.pk}"]
        check = _Checker(sheet.spec.title)
        ids, rows = _identify(sheet, students, grade, check)
        items = list(paper.items.all())
        matrix = np.zeros((len(rows), len(items)), dtype=np.int64)
        filled = np.zeros((len(rows), len(items)), dtype=bool)
        for j, item in enumerate(items):
            key = _item_key(item)
            header = sheet.header(key)
            if key not in sheet.present:
                check.issues.append(Issue(_("The column of item %(item)s is missing.") % {"item": item.label},
                                          sheet.spec.title, 1))
                continue
            values = sheet.columns[key]
            outcome, cents = parse_column(values)
            negative = _negative_rows(values, outcome)
            check.add(rows[negative], header, _("A score cannot be negative."))
            check.add(rows[outcome == ABSENT], header, _("Mark an absent student on the 成绩 sheet, not per item."))
            outcome = np.where(negative | (outcome == ABSENT), EMPTY + 10, outcome)
            _check_scores(outcome, cents, stats.cents(item.full_marks), rows, header, check, allow_empty=True)
            matrix[:, j] = cents
            filled[:, j] = outcome == VALUE
        any_filled = filled.any(axis=1)
        partial = any_filled & ~filled.all(axis=1)
        for index in np.flatnonzero(partial).tolist():
            check.issues.append(Issue(_("Fill in every item of this student (0 for no marks)."), sheet.spec.title,
                                      int(rows[index])))
        complete = any_filled & ~partial & (ids >= 0)
        in_file = file_scores.get(paper.pk, {})
        sums = matrix.sum(axis=1)
        for index in np.flatnonzero(complete).tolist():
            student_id = int(ids[index])
            score = in_file.get(student_id, stored.get((paper.pk, student_id)))
            if score is None:
                check.issues.append(Issue(_("This student has no score on %(subject)s: enter it on the 成绩 sheet.")
                                          % {"subject": paper.subject.name}, sheet.spec.title, int(rows[index])))
            elif score == -1:
                check.issues.append(Issue(_("This student was absent from %(subject)s but has item scores.")
                                          % {"subject": paper.subject.name}, sheet.spec.title, int(rows[index])))
            elif int(sums[index]) != score:
                check.issues.append(Issue(_("The items add up to %(sum)s but the score on %(subject)s is %(score)s.")
                                          % {"sum": stats.marks(int(sums[index])), "subject": paper.subject.name,
                                             "score": stats.marks(score)}, sheet.spec.title, int(rows[index])))
        issues.extend(check.issues)
        item_rows.append((paper, items, ids[complete], matrix[complete]))
    if issues:
        raise ImportRefused(_("The workbook cannot be imported as it is."), issues=issues)
    if not parsed and not any(len(ids) for _p, _i, ids, _m in item_rows):
        raise ImportRefused(_("The workbook has no scores: fill in at least one subject column."))
    # The cells as read are no longer needed: free them before writing (memory stays bounded by the arrays).
    book = sheets = main = sheet = stored = file_scores = None  # noqa: F841
    return _write(exam=exam, grade=grade, parsed=parsed, item_rows=item_rows, user=user, file_name=file_name,
                  empty=empty, by_paper=by_paper)


@transaction.atomic
def _write(*, exam, grade, parsed, item_rows, user, file_name, empty, by_paper) -> ImportResult:
    """Write the checked scores, a chunk of students at a time (what is held in memory stays bounded however
    large the grade): new rows inserted with their history, changed rows updated with theirs, the rest left."""
    result = ImportResult(empty_sheets=list(empty))
    touched = set()
    for entry in parsed:
        touched.add(entry.paper.pk)
        for start in range(0, len(entry.student_ids), CHUNK):
            chunk = slice(start, start + CHUNK)
            _write_scores(entry.paper, entry.student_ids[chunk], entry.cents[chunk], entry.absent[chunk], user,
                          result)
    for paper, items, ids, matrix in item_rows:
        if not len(ids):
            continue
        touched.add(paper.pk)
        for start in range(0, len(ids), CHUNK):
            _write_item_scores(paper, items, ids[start:start + CHUNK], matrix[start:start + CHUNK], user, result)
    result.papers = len(touched)
    result.record = ScoreImport.objects.create(
        exam=exam, grade=grade, file_name=file_name[:200], imported_by=_user(user), papers=result.papers,
        created=result.created, updated=result.updated, unchanged=result.unchanged, item_scores=result.item_scores,
    )
    from .services import grade_reports_create, quality_forms_create

    quality_forms_create(exam=exam, papers=[by_paper[pk] for pk in touched])
    grade_reports_create(exam=exam)
    return result


def _write_scores(paper, student_ids, cents, absents, user, result) -> None:
    student_ids = student_ids.tolist()
    existing = {student_id: (pk, score, absent) for pk, student_id, score, absent in
                Score.objects.filter(paper=paper, student_id__in=student_ids)
                .values_list("pk", "student_id", "score", "absent")}
    new, changed = [], []
    for student_id, value, absent in zip(student_ids, cents.tolist(), absents.tolist()):
        score = None if absent else stats.marks(value)
        found = existing.get(student_id)
        if found is None:
            new.append((paper.pk, student_id, score, absent))
        elif found[2] != absent or (not absent and found[1] != score):
            changed.append(Score(pk=found[0], paper=paper, student_id=student_id, score=score, absent=absent))
        else:
            result.unchanged += 1
    if new:
        _insert_new(Score, ["paper_id", "student_id", "score", "absent"], new,
                    lambda: Score.objects.filter(paper=paper, student_id__in=student_ids)
                    .values_list("student_id", "pk"),
                    key=lambda row: row[1], user=user)
    if changed:
        bulk_update_with_history(changed, Score, ["score", "absent"], batch_size=BATCH, default_user=_user(user),
                                 default_change_reason="re-import")
    result.created += len(new)
    result.updated += len(changed)


def _write_item_scores(paper, items, ids, matrix, user, result) -> None:
    ids = ids.tolist()
    existing = {(item_id, student_id): (pk, score) for pk, item_id, student_id, score in
                ItemScore.objects.filter(item__paper=paper, student_id__in=ids)
                .values_list("pk", "item_id", "student_id", "score")}
    new, changed = [], []
    for row, student_id in enumerate(ids):
        for j, item in enumerate(items):
            score = stats.marks(int(matrix[row, j]))
            found = existing.get((item.pk, student_id))
            if found is None:
                new.append((item.pk, student_id, score))
            elif found[1] != score:
                changed.append(ItemScore(pk=found[0], item=item, student_id=student_id, score=score))
    if new:
        _insert_new(ItemScore, ["item_id", "student_id", "score"], new,
                    lambda: (((item_id, student_id), pk) for item_id, student_id, pk in
                             ItemScore.objects.filter(item__paper=paper, student_id__in=ids)
                             .values_list("item_id", "student_id", "pk")),
                    key=lambda row: (row[0], row[1]), user=user)
    if changed:
        bulk_update_with_history(changed, ItemScore, ["score"], batch_size=BATCH, default_user=_user(user),
                                 default_change_reason="re-import")
    result.item_scores += len(new) + len(changed)


def _insert_new(model, columns: list[str], rows: list[tuple], ids, *, key, user) -> None:
    """Insert new rows (tuples in `columns` order) and their "+" history. `ids()` yields (key, pk) of the
    table's rows of this paper after the insert; `key(row)` is a row's key in it."""
    insert_rows(model, columns, rows)
    pk_of = dict(ids())
    insert_history(model, ["id", *columns], [(pk_of[key(row)], *row) for row in rows], user=_user(user),
                   reason="import")


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def template_bytes_filled(exam: Exam, grade: Grade, fill) -> bytes:
    """The template with `fill(sheet_title, student_no, header) -> value` written in (tests and the demo)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(build_template(exam, grade)))
    for sheet in book.worksheets:
        if sheet.title == INSTRUCTIONS_SHEET:
            continue
        headers = [c.value.rstrip("*") if c.value else "" for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            number = row[0].value
            for index, header in enumerate(headers[3:], start=3):
                value = fill(sheet.title, number, header)
                if value is not None:
                    row[index].value = value
    return workbook_bytes(book)


def scores_workbook(*, papers: list[Paper], students: list[tuple[str, str, str]], scores: dict[int, list],
                    items: dict[int, list] | None = None) -> bytes:
    """A filled score workbook in the template's layout, written with XlsxWriter (the demo and the benchmark
    upload it as the office would). `students`: (student number, name, class) per row; `scores[paper id]`: a
    value per row (a number, 缺考, or None); `items[paper id]`: per row a list of item scores or None."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    sheets = [(SCORES_SHEET, [p.subject.name for p in papers], lambda i: [scores.get(p.pk, [None] * len(students))[i]
                                                                          for p in papers])]
    for paper in papers:
        if items and paper.pk in items:
            labels = [item.label for item in paper.items.all()]
            rows = items[paper.pk]
            sheets.append((item_sheet_title(paper), labels,
                           lambda i, rows=rows, width=len(labels): rows[i] if rows[i] is not None else [None] * width))
    for title, headers, values_of in sheets:
        sheet = book.add_worksheet(title)
        for column, header in enumerate(["学号", "姓名", "班级", *headers]):
            sheet.write_string(0, column, header)
        for index, (number, name, class_label) in enumerate(students):
            row = index + 1
            sheet.write_string(row, 0, number)
            sheet.write_string(row, 1, name)
            sheet.write_string(row, 2, class_label)
            for column, value in enumerate(values_of(index), start=3):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row, column, value)
                else:
                    sheet.write_number(row, column, float(value))
    book.close()
    return out.getvalue()
