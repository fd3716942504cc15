"""The term's evaluation results as the teaching office prints and archives them (issue 7.6): one sheet per
round with a row per group shown (teacher and class) and a column per rated question, a sheet of the class
questions, and a sheet of the comments let through. Withheld groups are listed as withheld, with no figure.

Only what the person downloading may see is written; the layout is `school.excel`'s."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from school.excel import AVERAGE, INTEGER, Column, build_sheet, workbook_bytes

from .models import MIN_RESPONSES

WRAP = Alignment(wrap_text=True, vertical="top")


def workbook_name(term) -> str:
    return _("%(term)s evaluation of teaching results.xlsx") % {"term": term}


def _sheet_title(text: str, taken: set[str]) -> str:
    base = "".join(c for c in text if c not in "[]:*?/\\")[:28] or "Sheet"
    title, number = base, 2
    while title in taken:
        title = f"{base[:25]} {number}"
        number += 1
    taken.add(title)
    return title


def _info(round_) -> str:
    return _("%(kind)s · %(start)s – %(end)s · groups of fewer than %(min)s responses are withheld · printed on "
             "%(date)s") % {"kind": round_.get_kind_display(), "start": round_.opens_on, "end": round_.closes_on,
                           "min": MIN_RESPONSES, "date": timezone.localdate().isoformat()}


def _withheld() -> str:
    return _("withheld (fewer than %(min)s responses)") % {"min": MIN_RESPONSES}


def results_workbook(term, results) -> bytes:
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    comment_rows = []
    for result in results:
        round_ = result.round
        questions = result.rating_questions_per_teacher
        columns = [Column(_("No."), 6, INTEGER), Column(_("Class"), 14), Column(_("Subject"), 12),
                   Column(_("Teacher"), 12), Column(_("Responses"), 10, INTEGER)]
        columns += [Column(q.text, 14, AVERAGE, group=_("Average rating (1-5)")) for q in questions]
        columns.append(Column(_("Overall"), 10, AVERAGE, group=_("Average rating (1-5)")))
        rows = []
        for index, cell in enumerate(result.teacher_cells, start=1):
            averages = {item.question.pk: item.average for item in cell.items}
            if cell.shown:
                rows.append([index, str(cell.school_class), cell.subjects, cell.teacher_name, cell.responses,
                             *[averages.get(q.pk) for q in questions], cell.overall])
            else:
                rows.append([index, str(cell.school_class), cell.subjects, cell.teacher_name, _withheld(),
                             *[None for _q in questions], None])
            for question, text in cell.comments:
                comment_rows.append([round_.name, str(cell.school_class), cell.teacher_name, question.text, text])
        sheet = book.create_sheet(_sheet_title(round_.name, taken))
        build_sheet(sheet, title=_("%(round)s: results by teacher and class") % {"round": round_.name},
                    info=_info(round_), columns=columns, rows=rows, total=None, frozen_columns=4, landscape=True)

        class_questions = result.rating_questions_per_class
        if class_questions and result.class_cells:
            columns = [Column(_("No."), 6, INTEGER), Column(_("Class"), 14), Column(_("Responses"), 10, INTEGER)]
            columns += [Column(q.text, 16, AVERAGE, group=_("Average rating (1-5)")) for q in class_questions]
            rows = []
            for index, cell in enumerate(result.class_cells, start=1):
                averages = {item.question.pk: item.average for item in cell.items}
                if cell.shown:
                    rows.append([index, str(cell.school_class), cell.responses,
                                 *[averages.get(q.pk) for q in class_questions]])
                else:
                    rows.append([index, str(cell.school_class), _withheld(), *[None for _q in class_questions]])
                for question, text in cell.comments:
                    comment_rows.append([round_.name, str(cell.school_class), "", question.text, text])
            sheet = book.create_sheet(_sheet_title(_("%(round)s classes") % {"round": round_.name}, taken))
            build_sheet(sheet, title=_("%(round)s: results by class") % {"round": round_.name}, info=_info(round_),
                        columns=columns, rows=rows, total=None, frozen_columns=2, landscape=True)

    columns = [Column(_("Round"), 22), Column(_("Class"), 14), Column(_("Teacher"), 12), Column(_("Question"), 28),
               Column(_("Comment"), 60)]
    sheet = book.create_sheet(_sheet_title(_("Comments"), taken))
    build_sheet(sheet, title=_("%(term)s: comments shown after moderation") % {"term": term},
                info=_("printed on %(date)s") % {"date": timezone.localdate().isoformat()}, columns=columns,
                rows=comment_rows, total=None, landscape=True)
    for row in sheet.iter_rows(min_row=4, max_row=3 + len(comment_rows)):
        for cell in row:
            cell.alignment = WRAP
    return workbook_bytes(book)
