"""The score import, for the bad-input suite (inspection_site/tests/test_bad_input.py): a mid-term of grade 7 with
语文 and 数学 (数学 with its five items, so the item sheet is read too), the world's student 学生甲 and three more per
class."""

from django.db.models import Count, Sum

from exams.imports import ITEM_SHEET_SUFFIX, SCORES_SHEET, scores_import, template_bytes_filled
from exams.models import ItemScore, Score, ScoreImport
from exams.services import exam_create, items_set
from inspection_site.tests.registries import ImportCase
from school.imports.sheets import Column, SheetSpec

from .helpers import MATHS_ITEMS, add_students

SUBJECTS = ("语文", "数学")
ITEMS_SHEET = f"数学{ITEM_SHEET_SUFFIX}"
ITEM_LABELS = [label for label, _full, _objective in MATHS_ITEMS]
IDENTITY = (Column("student_no", "学号", required=True, text=True), Column("name", "姓名"), Column("class", "班级"))
SPECS = {
    SCORES_SHEET: SheetSpec("scores", SCORES_SHEET, (
        *IDENTITY, *(Column(f"subject_{index}", subject) for index, subject in enumerate(SUBJECTS))), ""),
    ITEMS_SHEET: SheetSpec("items", ITEMS_SHEET, (
        *IDENTITY, *(Column(f"item_{index}", label) for index, label in enumerate(ITEM_LABELS))), ""),
}
STUDENTS = (("S0001", "学生甲"), ("701002", "学生1-2"), ("702001", "学生2-1"))
# Per student: 语文, 数学, and 数学's items (adding up to its score); 缺考 in 语文 for the second.
SCORES = ((91, 88.5, (27, 18, 13.5, 14, 16)), ("缺考", 70, (20, 15, 10, 10, 15)), (64, 59.25, (18, 12.25, 9, 10, 10)))
OTHERS = (75, 75, (25, 15, 10, 10, 15))  # the template's other students
ROWS = {
    SCORES_SHEET: [{"学号": no, "姓名": name, "语文": chinese, "数学": maths}
                   for (no, name), (chinese, maths, _items) in zip(STUDENTS, SCORES)],
    ITEMS_SHEET: [{"学号": no, "姓名": name, **dict(zip(ITEM_LABELS, items))}
                  for (no, name), (_chinese, _maths, items) in zip(STUDENTS, SCORES)],
}


def import_exam(w):
    """The exam the import writes to, made once per world."""
    if not hasattr(w, "import_exam"):
        add_students(w, per_class=3)
        w.import_exam = exam_create(school=w.school, term=w.term, kind="midterm", name="期中考试",
                                    held_on=w.term.midterm_date, grades=[w.class_1.grade],
                                    subjects=[w.chinese, w.maths], user=w.director.user)
        items_set(paper=w.import_exam.papers.get(subject=w.maths), items=list(MATHS_ITEMS), user=w.director.user)
        assert sorted(w.import_exam.papers.values_list("subject__name", flat=True)) == sorted(SUBJECTS)
    return w.import_exam


def _valid(w) -> bytes:
    by_sheet = {title: {row["学号"]: row for row in rows} for title, rows in ROWS.items()}
    others = {"语文": OTHERS[0], "数学": OTHERS[1], **dict(zip(ITEM_LABELS, OTHERS[2]))}

    def fill(sheet, number, header):
        # A column with values needs one in every row: the template's other students get OTHERS.
        return by_sheet[sheet].get(number, others).get(header)

    return template_bytes_filled(import_exam(w), w.class_1.grade, fill)


def snapshot():
    return (Score.objects.aggregate(n=Count("pk"), total=Sum("score")),
            ItemScore.objects.count(), ScoreImport.objects.count(), Score.history.count())


IMPORTS = [
    ImportCase(
        name="exam scores",
        specs=SPECS,
        rows=ROWS,
        valid=_valid,
        run=lambda w, file: scores_import(exam=import_exam(w), grade=w.class_1.grade, file=file,
                                          user=w.director.user, file_name=getattr(file, "name", "")),
        written=snapshot,
        url_name="exams:score-import",
        role="director",
        url_args=lambda w: (import_exam(w).pk, w.class_1.grade.pk),
    ),
]
