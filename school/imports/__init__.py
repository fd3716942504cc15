"""Roster import: staff, classes, students and the timetable from the teaching office's .xlsx workbooks.

`workbook` refuses unsafe or malformed uploads before and while openpyxl opens them, `sheets` describes the four
sheets and builds their templates, `rows` validates one row at a time, `importer` checks the whole file against
the database and writes it in one transaction.
"""

from .importer import ImportResult, roster_import
from .sheets import KINDS, build_template, template_filename
from .workbook import ImportRefused, Issue

__all__ = [
    "KINDS",
    "ImportRefused",
    "ImportResult",
    "Issue",
    "build_template",
    "roster_import",
    "template_filename",
]
