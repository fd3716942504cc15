"""`python -m benchmarks.plan FILE`: who the load test's simulated staff are, and which lessons each teacher may log
(colleagues' past lessons of the current term in periods she does not teach, none she has logged), as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import defaultdict

LESSONS_PER_TEACHER = 60
URL_NAMES = [
    "home", "login", "observations:observation-list", "observations:observation-create", "school:timetable",
    "deductions:violation-list", "observations:lab-session-list", "school:staff-list", "school:student-list",
    "observations:report", "observations:report-export", "deductions:conduct-points-export",
    "observations:patrol-summary", "observations:quota-list", "deductions:ledger-month-list",
    "school:roster-import", "inspections:six-earnests", "inspections:six-earnests-export", "lesson_plans:my-work",
    "lesson_plans:plan-missing", "homework_checks:inspection-list", "homework_checks:inspection-export",
    "feedback:results", "feedback:results-export", "exams:exam-list", "exams:form-list",
    "inspections:dashboard-principal", "inspections:dashboard-office",
]


def roster_workbook(root) -> bytes:
    """The central school's staff as the office uploads them again (the roster template's 教职工 sheet, every
    row already in the database: the import checks them all and changes none)."""
    import io

    from openpyxl import load_workbook

    from school.imports.sheets import build_template
    from school.models import Staff

    book = load_workbook(io.BytesIO(build_template(("staff",))))
    sheet = book["教职工"]
    headers = [c.value.rstrip("*") for c in sheet[1]]
    for staff in Staff.objects.filter(school=root).order_by("staff_no"):
        row = {"工号": staff.staff_no, "姓名": staff.name}
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_plan(roster_path=None) -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from deductions.models import LedgerMonth
    from observations.models import Observation
    from school.demo.plan import DEMO_PASSWORD
    from school.models import Role, Staff, TimetableEntry

    from .people import Demo

    demo = Demo.find()
    root, term = demo.root, demo.term
    today = timezone.localdate()
    days = [term.start_date + dt.timedelta(n) for n in range((min(today, term.end_date) - term.start_date).days)]
    days = [d for d in days if d < today][-40:]
    lessons, busy = defaultdict(list), set()
    for entry in TimetableEntry.objects.filter(term=term, school_class__grade__school=root):
        lessons[entry.weekday].append((entry.period, entry.school_class_id, entry.teacher_id))
        busy.add((entry.teacher_id, entry.weekday, entry.period))
    taken = set(Observation.objects.values_list("observer_id", "date", "period"))
    teachers = []
    staff = Staff.objects.filter(school=root, is_active=True, roles__role=Role.TEACHER).select_related("user")
    for person in staff.distinct().order_by("staff_no"):
        mine, used = [], set()
        for day in days:
            for period, class_id, teacher_id in lessons[day.isoweekday()]:
                if (teacher_id == person.pk or (person.pk, day.isoweekday(), period) in busy
                        or (person.pk, day, period) in taken or (day, period) in used):
                    continue
                used.add((day, period))
                mine.append({"date": day.isoformat(), "period": period, "class": class_id})
        teachers.append({"username": person.user.username, "lessons": mine[-LESSONS_PER_TEACHER:]})

    def having(*roles):
        people = Staff.objects.filter(school=root, is_active=True, roles__role__in=roles).select_related("user")
        return [{"username": s.user.username} for s in people.distinct().order_by("staff_no")]

    months = LedgerMonth.objects.filter(term=term, school=root).values_list("pk", flat=True)
    if roster_path is not None:
        with open(roster_path, "wb") as out:
            out.write(roster_workbook(root))
    return {
        "password": DEMO_PASSWORD,
        "term": term.pk,
        "teachers": teachers,
        "office": having(Role.DIRECTOR, Role.OFFICE_STAFF, Role.VICE_PRINCIPAL),
        "principals": having(Role.PRINCIPAL),
        "urls": {name: reverse(name) for name in URL_NAMES},
        "month_exports": [reverse("deductions:ledger-month-export", args=[pk]) for pk in months],
        "roster_file": str(roster_path) if roster_path is not None else "",
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_site.settings")
    import django

    django.setup()
    from pathlib import Path

    plan = make_plan(Path(argv[0]).with_name("roster.xlsx"))
    with open(argv[0], "w", encoding="utf-8") as out:
        json.dump(plan, out, ensure_ascii=False)
    lessons = sum(len(t["lessons"]) for t in plan["teachers"])
    print(f"Plan: {len(plan['teachers'])} teachers with {lessons} lessons to log, {len(plan['office'])} in the "
          f"office, {len(plan['principals'])} principals.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
