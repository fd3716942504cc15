"""The required experiments import (必做实验): one sheet, 实验, from the downloadable template, all or nothing.

The upload goes through the roster import's safe opening (`school.imports.workbook`: size, file type, zip-bomb and
row limits, formulas and merged cells refused) and its way of describing a sheet (`SheetSpec`) and of checking
one row (a form per row). Rules:
- every row is checked and every error is reported with its row and column; one error and nothing is written;
- the subject must be one of the central school's subjects (name or code); the grade 七年级, 初一, 7 or the name of
  one of its schools' grades; the term 第一学期/第二学期 or 1/2; the type 演示/分组; the school month a whole
  number (empty: due by the end of term);
- an experiment is keyed by subject, grade, term and name: importing again updates its type and month and never
  duplicates it; the same experiment twice in one file is an error; an empty month never erases one already set;
- the experiments belong to the central school, so only its teaching office may import them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from school.excel import BOLD, HEADER_FILL, workbook_bytes
from school.imports.rows import ParsedField, chinese_number, grade_field, parse_grade_level
from school.imports.sheets import INSTRUCTIONS_SHEET, Column, SheetSpec, add_data_sheet
from school.imports.workbook import ImportRefused, Issue, open_workbook, read_sheets
from school.models import Grade, School, Subject
from school.permissions import manages_school

from .models import Experiment

EXPERIMENTS = "experiments"
TEMPLATE_FILENAME = "必做实验导入模板.xlsx"
KIND_NAMES = ("演示", "分组")
MAX_MONTH = 12

SPEC = SheetSpec(
    EXPERIMENTS,
    "实验",
    (
        Column("subject", "学科", required=True, example="物理", width=10,
               format=gettext_lazy("A subject of the central school (name or code)")),
        Column("grade", "年级", required=True, example="八年级", width=10, format=gettext_lazy("七年级, 初一 or 7")),
        Column("term", "学期", required=True, example="第一学期", width=10,
               format=gettext_lazy("第一学期 or 第二学期 (or 1 or 2)")),
        Column("name", "实验名称", required=True, example="探究平面镜成像的特点", width=36,
               format=gettext_lazy("At most 120 characters")),
        Column("kind", "类型", required=True, example="分组", width=8, choices=KIND_NAMES,
               format=gettext_lazy("演示 (demonstration) or 分组 (group)")),
        Column("month", "完成学月", example="2", width=10,
               format=gettext_lazy("The school month it is due by (1, 2, …); empty: by the end of term")),
    ),
    TEMPLATE_FILENAME,
)
SPECS = {SPEC.title: SPEC}

_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
TERMS = {"第一学期": 1, "上学期": 1, "第1学期": 1, "一": 1, "1": 1, "第二学期": 2, "下学期": 2, "第2学期": 2, "二": 2, "2": 2}
KINDS = {
    "演示": Experiment.Kind.DEMONSTRATION, "演示实验": Experiment.Kind.DEMONSTRATION,
    "demonstration": Experiment.Kind.DEMONSTRATION,
    "分组": Experiment.Kind.GROUP, "分组实验": Experiment.Kind.GROUP, "学生分组实验": Experiment.Kind.GROUP,
    "group": Experiment.Kind.GROUP,
}


def parse_term(text: str) -> int | None:
    return TERMS.get("".join(text.split()).translate(_FULL_WIDTH))


def parse_kind(text: str) -> str | None:
    return KINDS.get("".join(text.split()).lower())


def parse_month(text: str) -> int | None:
    """2, 第2学月, 第二学月, 2月 -> 2 (1 to 12)."""
    text = "".join(text.split()).removeprefix("第").removesuffix("学月").removesuffix("月")
    number = chinese_number(text)
    return number if number is not None and 1 <= number <= MAX_MONTH else None


class ExperimentRowForm(forms.Form):
    subject = forms.CharField(max_length=30)
    grade = grade_field()
    term = ParsedField(parse=parse_term, invalid=gettext_lazy("Write 第一学期 or 第二学期 (or 1 or 2), not “%(value)s”."))
    name = forms.CharField(max_length=120)
    kind = ParsedField(parse=parse_kind, invalid=gettext_lazy("Write 演示 or 分组, not “%(value)s”."))
    month = ParsedField(
        required=False, parse=parse_month,
        invalid=gettext_lazy("Write the school month as a whole number from 1 to 12, not “%(value)s”."),
    )


@dataclass
class ExperimentImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def experiments_import(*, file, school: School, user) -> ExperimentImportResult:
    """Import the experiments workbook `file` for `school`'s central school as `user`, all or nothing.

    Raises ImportRefused (with every problem found) and writes nothing if the file is unsafe or malformed or any
    row is wrong; raises PermissionDenied if the user does not manage the central school."""
    root = school.root
    if not manages_school(user, root):
        raise PermissionDenied
    book = open_workbook(file)
    sheets, _empty = read_sheets(book, SPECS)
    sheet = sheets[EXPERIMENTS]
    issues: list[Issue] = []

    def error(number: int, key: str | None, message: str) -> None:
        issues.append(Issue(message, SPEC.title, number, SPEC.column(key).header if key else ""))

    subjects: dict[str, Subject] = {}
    for subject in Subject.objects.filter(school=root):
        subjects.setdefault(subject.code.lower(), subject)
        subjects[subject.name] = subject
    subject_names = "、".join(s.name for s in sorted(set(subjects.values()), key=lambda s: (s.order, s.pk)))
    grade_names: dict[str, int] = {}
    # The central school's own grade names win over a village school's of the same name.
    for school_id, name, level in sorted(
        Grade.objects.filter(Q(school=root) | Q(school__parent=root)).values_list("school_id", "name", "level"),
        key=lambda row: row[0] == root.pk,
    ):
        grade_names[name] = level
    existing = {
        (e.subject_id, e.grade_level, e.term_number, e.name): e for e in Experiment.objects.filter(school=root)
    }
    seen: dict[tuple, int] = {}
    plans: list[tuple[tuple, dict]] = []
    for number, values in sheet.rows:
        form = ExperimentRowForm(data=values)
        form.is_valid()
        for key, messages in form.errors.items():
            for message in messages:
                error(number, key if key in form.fields else None, message)
        data = form.cleaned_data
        subject = None
        if data.get("subject"):
            text = data["subject"]
            subject = subjects.get(text) or subjects.get(text.lower())
            if subject is None:
                error(number, "subject", _("Unknown subject “%(subject)s” of %(school)s. The subjects are: "
                                           "%(subjects)s.") % {"subject": text, "school": root,
                                                                "subjects": subject_names or "—"})
        level = None
        if data.get("grade"):
            text = "".join(data["grade"].split())
            level = grade_names.get(text) or parse_grade_level(text)
            if level is None:
                error(number, "grade", _("Unknown grade “%(grade)s”: write 七年级, 初一 or 7.") % {"grade": text})
        if form.errors or subject is None or level is None:
            continue
        key = (subject.pk, level, data["term"], data["name"])
        if key in seen:
            error(number, "name", _("This experiment is already on row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = number
        plans.append((key, data))
    if issues:
        raise ImportRefused(
            ngettext(
                "Nothing was imported: the file has %(count)s error. Correct it and upload the file again.",
                "Nothing was imported: the file has %(count)s errors. Correct them and upload the file again.",
                len(issues),
            ) % {"count": len(issues)},
            issues=sorted(issues, key=lambda i: i.row or 0),
        )
    result = ExperimentImportResult()
    new, changed = [], []
    for key, data in plans:
        subject_id, level, term_number, name = key
        experiment = existing.get(key)
        if experiment is None:
            new.append(Experiment(school=root, subject_id=subject_id, grade_level=level, term_number=term_number,
                                  name=name, kind=data["kind"], month_number=data["month"]))
            continue
        month = data["month"] if data["month"] is not None else experiment.month_number
        if (experiment.kind, experiment.month_number) == (data["kind"], month):
            result.unchanged += 1
            continue
        experiment.kind, experiment.month_number = data["kind"], month
        changed.append(experiment)
    try:
        with transaction.atomic():
            Experiment.objects.bulk_create(new)
            Experiment.objects.bulk_update(changed, ["kind", "month_number"])
    except IntegrityError:
        raise ImportRefused(_("Another import added the same experiments at the same moment. Upload the file "
                              "again.")) from None
    result.created, result.updated = len(new), len(changed)
    return result


# --- the template ---------------------------------------------------------------------------------------------

def experiments_template() -> bytes:
    """The empty workbook the office fills: the 实验 sheet (as the roster templates are made) and 说明."""
    book = Workbook()
    book.remove(book.active)
    add_data_sheet(book, SPEC)
    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    headers = (_("Column"), _("Required"), _("Format"), _("Example"))
    for index, (header, width) in enumerate(zip(headers, (12, 8, 60, 24)), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = 2
    for column in SPEC.columns:
        values = (column.label, _("Yes") if column.required else _("No"), str(column.format), column.example)
        for index, value in enumerate(values, start=1):
            sheet.cell(row=row, column=index, value=value).number_format = "@"
        row += 1
    row += 1
    notes = (
        _("Fill one row per required experiment below the header row. Keep the sheet name and the header row."),
        _("Columns marked * are required. Rows left entirely empty are skipped."),
        _("Type values, not formulas, and do not merge cells: such files are refused."),
        _("Importing again updates the experiment with the same subject, grade, term and name; an empty school "
          "month keeps the month already set. Nothing is deleted."),
        _("If any row has an error, nothing is imported: the page lists every error with its row and column."),
    )
    for note in notes:
        sheet.cell(row=row, column=1, value=note)
        row += 1
    sheet.freeze_panes = "A2"
    book.active = 0
    return workbook_bytes(book)
