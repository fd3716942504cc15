"""The term's homework checks as the teaching office prints them (作业检查记录表): one printed table of `school.excel`
(title, information line, two-row header with the gradings grouped, a total row, signatures, A4 landscape).
User text (names, findings) is written as text cells, never as formulas."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from school.excel import DATE, INTEGER, MONEY, Column, build_sheet, workbook_bytes

TITLE = "作业检查记录表"
SHEET = "作业检查"


def columns() -> list[Column]:
    gradings = _("Gradings")
    return [
        Column(_("Date"), 11, DATE),
        Column(_("Teacher"), 10),
        Column(_("Class"), 12),
        Column(_("Subject"), 8),
        Column(_("Inspector"), 10),
        Column(_("Round"), 10),
        Column(_("Notebooks sampled"), 8, INTEGER),
        Column(_("Required"), 8, INTEGER, gradings),
        Column(_("Counted"), 8, INTEGER, gradings),
        Column(_("Missing"), 8, INTEGER, gradings),
        Column(_("Fine (yuan)"), 9, MONEY),
        Column(_("Criteria not met"), 28),
        Column(_("Verdict"), 6),
        Column(_("Talked it over"), 11),
        Column(_("Findings and suggestions"), 36),
    ]


def inspections_workbook(*, term, school, inspections, fines) -> tuple[bytes, str]:
    """The workbook and its file name (school, term, title)."""
    rows, total_missing, total_fine = [], 0, Decimal("0.00")
    for i in inspections:
        fine = fines.get(i.pk)
        amount = fine.amount if fine is not None else None
        total_missing += i.gradings_missing
        total_fine += amount or Decimal("0.00")
        remarks = "；".join(part for part in (i.findings, i.suggestions) if part)
        rows.append([
            i.date, i.teacher.name, str(i.school_class), i.subject.name, i.inspector.name, i.get_round_kind_display(),
            i.notebooks_sampled, i.gradings_required, i.gradings_counted,
            i.gradings_missing if i.gradings_required is not None else None, amount,
            "、".join(i.criteria_missed), i.get_verdict_display(),
            (i.discussed_on.isoformat() if i.discussed_on else _("Yes")) if i.discussed else _("No"), remarks,
        ])
    total = [_("Total"), None, None, None, None, None, sum(i.notebooks_sampled for i in inspections), None, None,
             total_missing, total_fine, None, None, None, None]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    name = school.name if school is not None else ""
    build_sheet(
        sheet, title=f"{name} {term} {TITLE}",
        info=_("%(count)s checks · printed %(day)s") % {"count": len(inspections), "day": timezone.localdate()},
        columns=columns(), rows=rows, total=total, frozen_columns=2, landscape=True,
    )
    return workbook_bytes(book), f"{name}{term}{TITLE}.xlsx"
