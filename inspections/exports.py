"""The six-earnests evaluation as a printed workbook (school/excel.py's layout): one row per teacher, for each
earnest the evidence gathered, the grade and the comment; then the fines, the overall grade and comment."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment

from school.excel import INTEGER, Column, build_sheet, workbook_bytes


def _facts(facts) -> str:
    return "；".join(f"{fact.label}：{fact.value}" for fact in facts)


def six_earnests_workbook(term, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Six earnests")
    columns = [Column(_("No."), 5, INTEGER), Column(_("Staff no."), 9), Column(_("Name"), 10),
               Column(_("School"), 12)]
    labels = [line.label for line in rows[0].earnests] if rows else []
    if not labels:
        from ..models import Earnest

        labels = [str(label) for _code, label in Earnest.choices]
    for label in labels:
        columns += [Column(_("Evidence"), 28, group=label), Column(pgettext("evaluation", "Grade"), 7, group=label),
                    Column(_("Comment"), 20, group=label)]
    columns += [Column(_("Fines and other findings"), 20), Column(_("Overall grade"), 8),
                Column(_("Overall comment"), 24)]
    data = []
    for number, row in enumerate(rows, start=1):
        values = [number, row.teacher.staff_no, row.teacher.name, row.teacher.school.name]
        for line in row.earnests:
            values += [_facts(line.facts), line.grade_label, line.comment]
        evaluation = row.evaluation
        values += [_facts(row.other_facts), row.overall_grade, evaluation.overall_comment if evaluation else ""]
        data.append(values)
    info = _("%(term)s · printed %(date)s") % {"term": term, "date": timezone.localdate().isoformat()}
    build_sheet(sheet, title=_("Six earnests evaluation of teachers"), info=info, columns=columns, rows=data,
                total=None, frozen_columns=3, landscape=True)
    for row in sheet.iter_rows(min_row=5, max_row=4 + len(data)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
    return workbook_bytes(book)
