"""The key pages of every role that exist today, and the imports and exports of the large demo school.
Apps that land later add theirs in `<app>/benchmarks.py` (see registry.py)."""

from __future__ import annotations

import io

from .registry import Operation, Page

TEACHER = ["home", "observations:observation-list", "observations:observation-create",
           "observations:lab-session-list", "deductions:violation-list", "deductions:conduct-points",
           "school:timetable", "inspections:policy-detail"]
GROUP_LEADER = ["home", "observations:quota-list", "observations:review-list", "school:staff-list",
                "observations:observation-list"]
OFFICE = ["home", "school:staff-list", "school:student-list", "school:class-list", "school:roster-import",
          "observations:patrol", "observations:patrol-summary", "observations:quota-list", "observations:report",
          "observations:experiment-list", "observations:lab-shortfalls", "deductions:violation-list",
          "deductions:ledger-month-list", "deductions:conduct-points", "inspections:policy-detail"]
PRINCIPAL = ["home", "observations:report", "observations:patrol-summary", "observations:quota-list",
             "deductions:ledger-month-list"]
VILLAGE_DIRECTOR = ["home", "school:staff-list", "observations:patrol-summary"]


def _query(url_name):
    if url_name == "observations:patrol":
        return lambda demo: f"date={demo.last_monday}&period=1"
    if url_name == "observations:observation-list":
        return "tab=all"
    return ""


def _pages(role, names):
    return [Page(role, name, query=_query(name)) for name in names]


# --- the roster import of the whole large school, beside python-calamine reading the same workbook -------------


def _roster_workbook(demo) -> bytes:
    """The large school's students and staff as the roster workbook the office would upload (every row already
    in the database: the import checks all and updates none)."""
    from openpyxl import load_workbook

    from school.imports.sheets import build_template
    from school.models import Staff, Student

    book = load_workbook(io.BytesIO(build_template(("staff", "students"))))
    staff_sheet, student_sheet = book["教职工"], book["学生"]
    headers = {ws.title: [c.value.rstrip("*") for c in ws[1]] for ws in (staff_sheet, student_sheet)}
    for staff in Staff.objects.filter(school=demo.root).order_by("staff_no"):
        row = {"工号": staff.staff_no, "姓名": staff.name}
        staff_sheet.append([row.get(h) for h in headers["教职工"]])
    students = Student.objects.filter(school_class__grade__school=demo.root).select_related("school_class__grade")
    for student in students.order_by("student_no"):
        row = {"学号": student.student_no, "姓名": student.name, "年级": student.school_class.grade.name,
               "班级": student.school_class.number}
        student_sheet.append([row.get(h) for h in headers["学生"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_cache: dict = {}


def _roster_setup(demo):
    if "roster" not in _cache:
        _cache["roster"] = _roster_workbook(demo)
    return _cache["roster"]


def _roster_import(demo, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from school.imports import roster_import

    office = demo.person("office")
    roster_import(file=SimpleUploadedFile("花名册.xlsx", data), school=office.school, user=office.user)


def _calamine_read(demo, data):
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


# --- the term report workbook, beside XlsxWriter writing as many cells ----------------------------------------


def _report_export(demo, _):
    from observations.exports import report_workbook
    from observations.selectors.report import term_report
    from school.models import School

    schools = [demo.root.pk, *School.objects.filter(parent=demo.root).values_list("pk", flat=True)]
    report_workbook(term_report(root=demo.root, school_ids=schools, term=demo.term))


def _xlsxwriter_floor(demo, _):
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("报告")
    for row in range(400):
        for column in range(20):
            sheet.write(row, column, f"单元格{row}-{column}" if column < 3 else row * column)
    book.close()


BENCHMARKS = [
    *_pages("teacher", TEACHER),
    *_pages("group_leader", GROUP_LEADER),
    *_pages("office", OFFICE),
    *_pages("principal", PRINCIPAL),
    *_pages("village_director", VILLAGE_DIRECTOR),
    Operation("import", "roster: 200 staff and 3,000 students (checked, none changed)", _roster_import,
              floor=_calamine_read, floor_label="python-calamine reads the same workbook", setup=_roster_setup,
              repeat=5),
    Operation("export", "term report workbook", _report_export, floor=_xlsxwriter_floor,
              floor_label="XlsxWriter writes 8,000 cells (constant memory)", repeat=5),
]
