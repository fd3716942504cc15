"""The four roster sheets (their Chinese headers are the file format) and the templates the office downloads.

A template is what a person fills in Excel or WPS: a bold, coloured, frozen header row (required columns end
in "*"), text-formatted number columns so that staff and student numbers keep their leading zeros, drop-down
lists where the values are few, and a "说明" sheet that lists every column with its format and an example.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..excel import BOLD, HEADER_FILL, workbook_bytes

STAFF, CLASSES, STUDENTS, TIMETABLE = "staff", "classes", "students", "timetable"
KINDS = (STAFF, CLASSES, STUDENTS, TIMETABLE)
ALL = "all"

INSTRUCTIONS_SHEET = "说明"
REQUIRED_MARK = "*"
LAST_ROW = 1048576  # Excel's last row: drop-down lists cover the whole column below the header

ROLE_NAMES = ("校长", "副校长", "教导主任", "教导干事", "行政干部", "教研组长", "教师")
WEEKDAY_NAMES = ("一", "二", "三", "四", "五", "六", "日")
BASELINE_NAMES = ("入学摸底", "中考")


@dataclass(frozen=True)
class Column:
    key: str  # the row form's field name
    header: str  # the header as the template writes it (without the required mark)
    required: bool = False
    format: str = ""  # for the instructions sheet
    example: str = ""
    width: int = 12
    choices: tuple[str, ...] = ()  # a drop-down list in the template
    text: bool = False  # formatted as text so that Excel keeps leading zeros and long digits

    @property
    def label(self) -> str:
        return f"{self.header}{REQUIRED_MARK}" if self.required else self.header


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str  # the sheet's name in the workbook
    columns: tuple[Column, ...]
    filename: str  # the per-kind template's download name

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


_YES_NO_FORMAT = gettext_lazy("是 or 否; empty: 否 for a new member of staff")


def _school_column() -> Column:
    return Column(
        "school", "所在学校", format=gettext_lazy("School code or name; empty: your own school"),
        example="示范镇中心学校", width=14,
    )


def _grade_column() -> Column:
    return Column(
        "grade", "年级", required=True,
        format=gettext_lazy("七年级, 初一 or 7 (a missing grade is created)"), example="七年级", width=10,
    )


def _class_column() -> Column:
    return Column("number", "班级", required=True, format=gettext_lazy("1, 1班 or (1)班"), example="1班", width=8)


def _gender_column() -> Column:
    return Column("gender", "性别", format=gettext_lazy("男 or 女"), example="女", width=8, choices=("男", "女"))


SPECS: dict[str, SheetSpec] = {
    STAFF: SheetSpec(
        STAFF,
        "教职工",
        (
            Column("staff_no", "工号", required=True, text=True, example="T1001",
                   format=gettext_lazy("Letters, digits and @ . + - _; also the login name")),
            Column("name", "姓名", required=True, example="张丽", format=gettext_lazy("At most 40 characters")),
            _gender_column(),
            Column("phone", "手机", text=True, example="13800138000", width=14,
                   format=gettext_lazy("Mobile phone number")),
            Column("email", "邮箱", example="zhangli@example.com", width=22, format=gettext_lazy("Email address")),
            _school_column(),
            Column("roles", "角色", example="教师、教研组长", width=18,
                   format=format_lazy(gettext_lazy("Separated by 、: {roles}; empty: 教师 for a new member of staff"),
                                      roles="、".join(ROLE_NAMES))),
            Column("groups", "教研组", example="语文组", width=14,
                   format=gettext_lazy("Teaching-research groups of the school or its central school, separated "
                                       "by 、")),
            Column("leads", "担任组长", example="语文组", width=12,
                   format=gettext_lazy("The group she leads: she becomes its leader (in place of the previous one) "
                                       "and a group leader")),
            Column("is_young", "青年教师", format=_YES_NO_FORMAT, example="是", width=10, choices=("是", "否")),
            Column("is_new", "新教师", format=_YES_NO_FORMAT, example="否", width=10, choices=("是", "否")),
        ),
        "教职工导入模板.xlsx",
    ),
    CLASSES: SheetSpec(
        CLASSES,
        "班级",
        (
            _school_column(),
            _grade_column(),
            _class_column(),
            Column("head_teacher", "班主任工号", text=True, example="T1001", width=12,
                   format=gettext_lazy("Staff number, from the system or this file's 教职工 sheet")),
        ),
        "班级导入模板.xlsx",
    ),
    STUDENTS: SheetSpec(
        STUDENTS,
        "学生",
        (
            Column("student_no", "学号", required=True, text=True, example="20260001", width=14,
                   format=gettext_lazy("Unique student number")),
            Column("name", "姓名", required=True, example="王小明", format=gettext_lazy("At most 40 characters")),
            _gender_column(),
            _school_column(),
            _grade_column(),
            _class_column(),
            Column("baseline_score", "基线成绩", example="86.5", width=10,
                   format=gettext_lazy("A number, 0 or more")),
            Column("baseline_kind", "基线类型", example="入学摸底", width=10, choices=BASELINE_NAMES,
                   format=gettext_lazy("入学摸底 or 中考")),
        ),
        "学生导入模板.xlsx",
    ),
    TIMETABLE: SheetSpec(
        TIMETABLE,
        "课程表",
        (
            _school_column(),
            _grade_column(),
            _class_column(),
            Column("weekday", "星期", required=True, example="一", width=8, choices=WEEKDAY_NAMES,
                   format=gettext_lazy("一 to 日, 周一, 星期一 or 1 to 7")),
            Column("period", "节次", required=True, example="1", width=8,
                   format=gettext_lazy("Lesson period, 1 or more")),
            Column("subject", "学科", required=True, example="语文", width=10,
                   format=gettext_lazy("A subject of the central school")),
            Column("teacher", "教师工号", required=True, text=True, example="T1001", width=12,
                   format=gettext_lazy("Staff number, from the system or this file's 教职工 sheet")),
        ),
        "课程表导入模板.xlsx",
    ),
}
SPEC_BY_TITLE = {spec.title: spec for spec in SPECS.values()}
ROSTER_FILENAME = "花名册导入模板.xlsx"

_REQUIRED_FONT = Font(bold=True, color="C00000")


def template_filename(kind: str) -> str:
    return ROSTER_FILENAME if kind == ALL else SPECS[kind].filename


def kinds_for(kind: str) -> tuple[str, ...]:
    """The sheet kinds of a download choice ("all" or one kind); KeyError for anything else."""
    if kind == ALL:
        return KINDS
    return (SPECS[kind].kind,)


def build_template(kinds=KINDS) -> bytes:
    """An empty workbook with one sheet per kind (in the standard order) and the instructions sheet."""
    wanted = [SPECS[k] for k in KINDS if k in set(kinds)]
    if not wanted:
        raise ValueError("No sheet kinds given")
    book = Workbook()
    book.remove(book.active)
    for spec in wanted:
        add_data_sheet(book, spec)
    _add_instructions(book, wanted)
    book.active = 0
    return workbook_bytes(book)


def add_data_sheet(book: Workbook, spec: SheetSpec) -> None:
    """A data sheet of the template: the header row, column formats and drop-down lists (any import's spec)."""
    sheet = book.create_sheet(spec.title)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = _REQUIRED_FONT if column.required else BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.text:
            # A column style, not styled cells: the sheet keeps no empty rows for the importer to skip.
            dimension.number_format = "@"
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"{}"'.format(",".join(column.choices)),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=_("Choose one of: %(choices)s") % {"choices": "、".join(column.choices)},
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
        elif column.key == "period":
            validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1", allow_blank=True,
                                        showErrorMessage=True, error=_("A whole number, 1 or more"))
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
        elif column.key == "baseline_score":
            validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                        allow_blank=True, showErrorMessage=True, error=_("A number, 0 or more"))
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 20


def _add_instructions(book: Workbook, specs: list[SheetSpec]) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    headers = (_("Sheet"), _("Column"), _("Required"), _("Format"), _("Example"))
    for index, (header, width) in enumerate(zip(headers, (10, 12, 8, 60, 22)), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = 2
    for spec in specs:
        for column in spec.columns:
            values = (spec.title, column.label, _("Yes") if column.required else _("No"), str(column.format),
                      column.example)
            for index, value in enumerate(values, start=1):
                # Examples are data, not formulas: kept as text even when they look like numbers.
                cell = sheet.cell(row=row, column=index, value=value)
                cell.number_format = "@"
            row += 1
    row += 1
    notes = (
        _("Fill one row per record below the header row. Keep the sheet names and the header row as they are."),
        _("Columns marked * are required. Rows left entirely empty are skipped."),
        _("An empty cell of an optional column never erases anything: the record keeps what the system has."),
        _("Type values, not formulas, and do not merge cells: such files are refused."),
        _("Importing again updates the records with the same staff number, student number or class; "
          "nothing is deleted, except that a class's timetable for the chosen term is replaced."),
        _("If any row has an error, nothing is imported: the page lists every error with its sheet, row "
          "and column."),
    )
    for note in notes:
        sheet.cell(row=row, column=1, value=note)
        row += 1
    sheet.freeze_panes = "A2"
