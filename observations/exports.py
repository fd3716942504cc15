"""The term report as the teaching office prints it for the administrative meeting (V2.II.4): one workbook, four
sheets (按教研组, 按教师, 巡课与调课, 实验), each a printed table.

The layout is the printed table of `school.excel`, as for the fines statements: a merged title row (school, term,
"听课及教学常规情况汇总表"), a merged information line, bold headers on a coloured fill, thin borders, a bold total
row, a line for signatures, frozen panes below the headers, A4 landscape fitted to the page width with the title and
header rows repeated on every page. Where columns form a group the header takes two rows: the group's name merged
across its columns above, each column's name below; a column of its own is merged down both rows.

The sheet names and the title are the form's fixed Chinese names; the column headers go through gettext like every
other label. User text (names, groups, rooms) is written as text cells: a name such as `=1+1` or `@SUM(A1)` is
shown as typed, never evaluated as a formula by Excel or WPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from school.excel import (
    AVERAGE,
    BOLD,
    INTEGER,
    PERCENT,
    Column,
    build_sheet,
    workbook_bytes,
    write_header,
    write_rows,
    write_text,
)

from .selectors.report import Figures, PersonRow, TermReport

REPORT_TITLE = "听课及教学常规情况汇总表"
SHEET_GROUPS, SHEET_PEOPLE, SHEET_PATROL, SHEET_LABS = "按教研组", "按教师", "巡课与调课", "实验"


# --- the report's columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureColumn:
    column: Column
    value: Callable[[Figures], Any]


def figure_columns() -> list[FigureColumn]:
    """The columns every row of people or groups has, in print order (the page shows the same ones)."""
    observed, reviews = _("Observations"), _("Reviews of observation notes")
    patrol, swaps, labs, rooms = _("Patrol findings"), _("Lesson swaps"), _("Lab sessions"), _("Lab-room checks")
    return [
        FigureColumn(Column(_("Lessons observed"), 9, INTEGER, observed), lambda f: f.written),
        FigureColumn(Column(_("Average score given"), 9, AVERAGE, observed), lambda f: f.written_average),
        FigureColumn(Column(_("Times observed"), 9, INTEGER, observed), lambda f: f.received),
        FigureColumn(Column(_("Average score received"), 9, AVERAGE, observed), lambda f: f.received_average),
        FigureColumn(Column(_("Made"), 7, INTEGER, reviews), lambda f: f.reviews_given),
        FigureColumn(Column(_("Received"), 7, INTEGER, reviews), lambda f: f.reviews_received),
        FigureColumn(Column(_("Late"), 6, INTEGER, patrol), lambda f: f.late),
        FigureColumn(Column(_("Left early"), 6, INTEGER, patrol), lambda f: f.left_early),
        FigureColumn(Column(_("Absent"), 6, INTEGER, patrol), lambda f: f.absent),
        FigureColumn(Column(_("Swap not approved"), 8, INTEGER, patrol), lambda f: f.unapproved_swap),
        FigureColumn(Column(_("Other issues"), 7, INTEGER, patrol), lambda f: f.other_issues),
        FigureColumn(Column(pgettext("swap requests", "Requested"), 7, INTEGER, swaps), lambda f: f.swaps_requested),
        FigureColumn(Column(_("Approved"), 7, INTEGER, swaps), lambda f: f.swaps_approved),
        FigureColumn(Column(pgettext("lab sessions", "Required"), 7, INTEGER, labs), lambda f: f.labs_required),
        FigureColumn(Column(_("Done"), 7, INTEGER, labs), lambda f: f.labs_done),
        FigureColumn(Column(_("Done (%)"), 8, PERCENT, labs), lambda f: f.labs_rate),
        FigureColumn(Column(_("Not done"), 7, INTEGER, labs), lambda f: f.shortfalls),
        FigureColumn(Column(_("Checks"), 7, INTEGER, rooms), lambda f: f.tidiness_checks),
        FigureColumn(Column(_("Untidy"), 7, INTEGER, rooms), lambda f: f.untidy),
    ]


def patrol_columns() -> list[FigureColumn]:
    patrol, swaps = _("Patrol findings"), _("Lesson swaps")
    return [
        FigureColumn(Column(_("Late"), 8, INTEGER, patrol), lambda f: f.late),
        FigureColumn(Column(_("Left early"), 8, INTEGER, patrol), lambda f: f.left_early),
        FigureColumn(Column(_("Absent"), 8, INTEGER, patrol), lambda f: f.absent),
        FigureColumn(Column(_("Swap not approved"), 10, INTEGER, patrol), lambda f: f.unapproved_swap),
        FigureColumn(Column(_("Other issues"), 8, INTEGER, patrol), lambda f: f.other_issues),
        FigureColumn(Column(_("Subtotal"), 8, INTEGER, patrol), lambda f: f.findings),
        FigureColumn(Column(pgettext("swap requests", "Requested"), 8, INTEGER, swaps), lambda f: f.swaps_requested),
        FigureColumn(Column(_("Approved"), 8, INTEGER, swaps), lambda f: f.swaps_approved),
    ]


def report_title(report: TermReport) -> str:
    return f"{report.school.name} {report.term} {REPORT_TITLE}"


def report_filename(report: TermReport) -> str:
    return f"{report.school.name}{report.term}{REPORT_TITLE}.xlsx".replace(" ", "")


def _info(report: TermReport) -> str:
    return _("Term %(start)s to %(end)s · printed on %(date)s") % {
        "start": report.term.start_date.isoformat(), "end": report.term.end_date.isoformat(),
        "date": timezone.localdate().isoformat(),
    }


def _person_labels(report: TermReport, row: PersonRow) -> list:
    labels = [row.staff.staff_no, row.staff.name]
    if report.show_school:
        labels.append(row.staff.school.name)
    labels.append("、".join(row.group_names))
    return labels


def _person_label_columns(report: TermReport) -> list[Column]:
    columns = [Column(_("Staff number"), 10), Column(_("Name"), 12)]
    if report.show_school:
        columns.append(Column(_("School"), 14))
    columns.append(Column(_("Groups"), 14))
    return columns


def report_workbook(report: TermReport) -> bytes:
    """The report as an .xlsx workbook whose numbers are the page's."""
    book = Workbook()
    book.remove(book.active)
    # Every sheet: the report's title and information line, A4 landscape.
    table = partial(build_sheet, title=report_title(report), info=_info(report), landscape=True)
    figures = figure_columns()

    sheet = book.create_sheet(SHEET_GROUPS)
    columns = [Column(_("Teaching-research group"), 16), Column(_("Members"), 7, INTEGER)] + [
        c.column for c in figures]
    rows = [[g.name or _("No group"), g.members] + [c.value(g.figures) for c in figures] for g in report.groups]
    total = [_("Whole school"), len(report.people)] + [c.value(report.total) for c in figures]
    table(sheet, columns=columns, rows=rows, total=total, frozen_columns=1)

    sheet = book.create_sheet(SHEET_PEOPLE)
    labels = _person_label_columns(report)
    columns = labels + [c.column for c in figures]
    rows = [_person_labels(report, p) + [c.value(p.figures) for c in figures] for p in report.people]
    total = [_("Total")] + [None] * (len(labels) - 1) + [c.value(report.total) for c in figures]
    table(sheet, columns=columns, rows=rows, total=total, frozen_columns=2)

    sheet = book.create_sheet(SHEET_PATROL)
    patrol = patrol_columns()
    columns = labels + [c.column for c in patrol]
    rows = [_person_labels(report, p) + [c.value(p.figures) for c in patrol]
            for p in report.people_with_patrol_or_swaps]
    total = [_("Total")] + [None] * (len(labels) - 1) + [c.value(report.total) for c in patrol]
    after = table(sheet, columns=columns, rows=rows, total=total, frozen_columns=2)
    write_text(sheet.cell(row=after, column=1), _(
        "Patrols this term: %(patrols)s; classrooms checked: %(marks)s."
    ) % {"patrols": report.patrols, "marks": report.patrol_marks})

    sheet = book.create_sheet(SHEET_LABS)
    lab_group = _("Lab sessions")
    columns = [
        Column(_("Subject"), 10), Column(_("Grade"), 10),
        Column(_("Experiments"), 9, INTEGER, lab_group), Column(_("Classes"), 8, INTEGER, lab_group),
        Column(pgettext("lab sessions", "Required"), 9, INTEGER, lab_group), Column(_("Done"), 9, INTEGER, lab_group),
        Column(_("Done (%)"), 9, PERCENT, lab_group), Column(_("Not done (recorded)"), 10, INTEGER, lab_group),
    ]
    rows = [[r.subject, r.grade, r.experiments, r.classes, r.required, r.done, r.rate,
             r.shortfalls] for r in report.labs]
    t = report.lab_total
    total = [_("Total"), None, t.experiments, None, t.required, t.done, t.rate, t.shortfalls]
    after = table(sheet, columns=columns, rows=rows, total=total, frozen_columns=2)
    _rooms_block(sheet, report, after)

    book.active = 0
    return workbook_bytes(book)


def _rooms_block(sheet: Worksheet, report: TermReport, top: int) -> None:
    """The lab-room checks under the experiments table: a caption, a header row, a row per room, a total."""
    columns = [Column(_("Room"), 10), Column(_("Teacher in charge"), 10), Column(_("Checks"), 9, INTEGER),
               Column(_("Untidy"), 9, INTEGER)]
    caption = sheet.cell(row=top, column=1)
    write_text(caption, _("Lab and store-room tidiness checks"))
    caption.font = BOLD
    write_header(sheet, columns, top + 1)
    rows = [[r.room, r.teacher, r.checks, r.untidy] for r in report.rooms]
    number = write_rows(sheet, columns, rows, top + 2)
    write_rows(sheet, columns, [[_("Total"), None, sum(r.checks for r in report.rooms),
                                 sum(r.untidy for r in report.rooms)]], number, total=True)
