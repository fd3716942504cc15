"""The roster import: staff, classes, students and the timetable of one workbook, all or nothing.

Rules (DESIGN.md "How data flows" 1; the teaching office's roster sheets):
- every row is checked and every error is reported with its sheet, row and column; one error and nothing is
  written;
- staff are keyed by staff number, students by student number, classes by school, grade and number: importing the
  same file again updates and never duplicates; a number twice in one sheet is an error;
- an empty optional cell (or a missing optional column) never erases: the record keeps what it has, a new one
  gets the default (no 角色: 教师), so that a partly filled sheet cannot demote a principal or drop a head
  teacher; leading a group (担任组长) makes her its leader, replacing the previous one, and a group leader;
- references (classes, head teachers, teachers, subjects, groups, schools) may name rows of the database or of the
  same file;
- a class's timetable for the chosen term is replaced by the file's lessons; a teacher or a class booked twice in
  one period (in the file, or against the lessons that stay) is an error;
- only the schools the user manages may be imported into (a superuser: any).
Lookups are fetched once into dicts and writes are bulk, so the work does not grow by a query per row (staff go
through `staff_upsert` one by one: a school has a few hundred at most, and unchanged ones are skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import (
    Grade,
    Period,
    Role,
    School,
    SchoolClass,
    Staff,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)
from ..permissions import scope_for
from ..selectors import current_term
from ..services import office_admin_group, staff_upsert
from .rows import GRADE_NAMES, ROW_FORMS, parse_grade_level
from .sheets import CLASSES, KINDS, SPECS, STAFF, STUDENTS, TIMETABLE
from .workbook import ImportRefused, Issue, SheetRows, open_workbook, read_sheets

CHUNK = 2000  # values per `__in` lookup, well under every database's parameter limit
BROKEN = object()  # a row of the file that has its own error: references to it raise no more errors
STUDENT_FIELDS = ("name", "gender", "school_class", "baseline_score", "baseline_kind")


@dataclass
class KindCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced: int = 0  # timetable lessons removed before the file's were written


@dataclass
class ImportResult:
    counts: dict[str, KindCount]
    empty_sheets: list[str] = field(default_factory=list)
    term: Term | None = None

    def for_display(self) -> list[tuple[str, KindCount]]:
        return [(SPECS[kind].title, count) for kind, count in self.counts.items()]


@dataclass
class Row:
    kind: str
    number: int
    data: dict[str, Any]
    present: frozenset[str]
    valid: bool
    school: School | None = None


def roster_import(*, file, school: School | None, user, term: Term | None = None) -> ImportResult:
    """Import the roster workbook `file` for `school` (the school empty 所在学校 cells mean) as `user`.

    Raises ImportRefused (with every problem found) and writes nothing if the file is unsafe or malformed or any
    row is wrong; raises PermissionDenied if the user does not manage `school`."""
    scope = scope_for(user)
    allowed = None if scope.everything else frozenset(scope.managed_school_ids)
    if allowed is not None and (not allowed or (school is not None and school.pk not in allowed)):
        raise PermissionDenied
    book = open_workbook(file)
    sheets, empty = read_sheets(book)
    with transaction.atomic():
        if term is None and TIMETABLE in sheets:
            term = current_term(school)
        run = _RosterImport(sheets=sheets, school=school, term=term, user=user, allowed=allowed)
        run.check()
        if run.issues:
            raise ImportRefused(
                ngettext(
                    "Nothing was imported: the file has %(count)s error. Correct it and upload the file again.",
                    "Nothing was imported: the file has %(count)s errors. Correct them and upload the file again.",
                    len(run.issues),
                ) % {"count": len(run.issues)},
                issues=sorted(run.issues, key=_issue_order),
            )
        counts = run.write()
    return ImportResult(counts=counts, empty_sheets=empty, term=term if TIMETABLE in sheets else None)


_SHEET_ORDER = {SPECS[kind].title: index for index, kind in enumerate(KINDS)}


def _issue_order(issue: Issue):
    return _SHEET_ORDER.get(issue.sheet, -1), issue.row or 0


def _in_chunks(queryset, lookup: str, values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield from queryset.filter(**{f"{lookup}__in": values[start:start + CHUNK]})


def given(row: Row, key: str) -> bool:
    """Whether the row says something about `key`: its column is there and the cell is not empty."""
    return key in row.present and row.data.get(key) not in (None, "", [])


@dataclass
class _StaffPlan:
    row: Row
    existing: Staff | None
    school: School
    groups: list[TeachingGroup]  # empty: memberships stay
    leads: list[TeachingGroup]  # empty: leadership stays


class _RosterImport:
    """One import: the rows, the lookups fetched for them, the errors found, and then the writes."""

    def __init__(self, *, sheets: dict[str, SheetRows], school, term, user, allowed):
        self.sheets = sheets
        self.default_school = school
        self.term = term
        self.user = user
        self.allowed = allowed
        self.issues: list[Issue] = []
        self.rows: dict[str, list[Row]] = {kind: [] for kind in KINDS}
        self.staff_plans: dict[str, _StaffPlan] = {}
        self.broken_staff: set[str] = set()
        self.class_plans: dict[tuple, Row] = {}
        self.broken_classes: set[tuple] = set()
        self.new_grades: dict[tuple[int, int], str] = {}
        self.student_plans: list[Row] = []
        self.lesson_plans: list[tuple[Row, tuple, Subject]] = []

    # --- errors -------------------------------------------------------------------------------

    def error(self, row: Row, key: str | None, message: str) -> None:
        spec = SPECS[row.kind]
        self.issues.append(Issue(message, spec.title, row.number, spec.column(key).header if key else ""))

    def may_manage(self, school_id: int) -> bool:
        return self.allowed is None or school_id in self.allowed

    # --- checks -------------------------------------------------------------------------------

    def check(self) -> None:
        self.clean_rows()
        self.resolve_schools()
        self.load()
        self.check_staff()
        self.check_classes()
        self.check_students()
        self.check_timetable()

    def clean_rows(self) -> None:
        """Each row through its sheet's form; a row with errors keeps what was valid for cross-references."""
        for kind, sheet in self.sheets.items():
            form_class = ROW_FORMS[kind]
            for number, values in sheet.rows:
                form = form_class(data=values)
                valid = form.is_valid()
                row = Row(kind, number, form.cleaned_data, sheet.present, valid)
                for key, errors in form.errors.items():
                    for message in errors:
                        self.error(row, key if key in form.fields else None, message)
                self.rows[kind].append(row)

    def resolve_schools(self) -> None:
        texts = {row.data["school"] for rows in self.rows.values() for row in rows if row.data.get("school")}
        found = School.objects.filter(Q(code__in=texts | {t.lower() for t in texts}) | Q(name__in=texts))
        by_text = {}
        for school in found.select_related("parent"):
            by_text[school.code.lower()] = school
            by_text[school.name] = school
        for rows in self.rows.values():
            for row in rows:
                if "school" not in row.data:
                    continue  # the school cell has its own error
                text = row.data["school"]
                if not text:
                    row.school = self.default_school
                    if row.school is None:
                        self.error(row, "school", _("Fill in the school: your account belongs to no school."))
                    continue
                school = by_text.get(text) or by_text.get(text.lower())
                if school is None:
                    self.error(row, "school", _("Unknown school “%(school)s”: write its code or full name.")
                               % {"school": text})
                elif not self.may_manage(school.pk):
                    self.error(row, "school", _("You do not manage the school “%(school)s”.") % {"school": text})
                else:
                    row.school = school
        schools = {row.school.pk: row.school for rows in self.rows.values() for row in rows if row.school}
        self.root_of = {pk: school.root_id for pk, school in schools.items()}
        self.school_ids = set(schools)
        self.root_ids = set(self.root_of.values())

    def load(self) -> None:
        """Every lookup the checks need, one query (or one per chunk of numbers) each."""
        staff_nos = {r.data["staff_no"] for r in self.rows[STAFF] if r.data.get("staff_no")}
        staff_nos |= {r.data["head_teacher"] for r in self.rows[CLASSES] if r.data.get("head_teacher")}
        staff_nos |= {r.data["teacher"] for r in self.rows[TIMETABLE] if r.data.get("teacher")}
        self.db_staff = {
            s.staff_no: s
            for s in _in_chunks(
                Staff.objects.select_related("user", "school").prefetch_related("roles", "groups", "led_groups"),
                "staff_no",
                staff_nos,
            )
        }
        for staff in self.db_staff.values():
            self.root_of.setdefault(staff.school_id, staff.school.root_id)
        new_nos = {r.data["staff_no"] for r in self.rows[STAFF] if r.data.get("staff_no")} - set(self.db_staff)
        self.taken_usernames = set(
            _in_chunks(get_user_model().objects.values_list("username", flat=True), "username", new_nos)
        )
        self.groups = {
            (g.school_id, g.name): g
            for g in TeachingGroup.objects.filter(school_id__in=self.school_ids | self.root_ids)
        }
        self.grade_by_level, self.grade_by_name = {}, {}
        for grade in Grade.objects.filter(school_id__in=self.school_ids):
            self.grade_by_level[(grade.school_id, grade.level)] = grade
            self.grade_by_name[(grade.school_id, grade.name)] = grade
        self.db_classes = {
            (c.grade.school_id, c.grade.level, c.number): c
            for c in SchoolClass.objects.filter(grade__school_id__in=self.school_ids).select_related("grade")
        }
        self.subjects, self.subject_names = {}, {}
        for subject in Subject.objects.filter(school_id__in=self.root_ids):
            self.subjects[(subject.school_id, subject.name)] = subject
            self.subject_names.setdefault(subject.school_id, []).append(subject.name)
            self.subjects.setdefault((subject.school_id, subject.code.lower()), subject)
        self.periods: dict[int, set[int]] = {}
        for school_id, number in Period.objects.filter(school_id__in=self.school_ids).values_list(
            "school_id", "number"
        ):
            self.periods.setdefault(school_id, set()).add(number)
        student_nos = {r.data["student_no"] for r in self.rows[STUDENTS] if r.data.get("student_no")}
        self.db_students = {
            s.student_no: s
            for s in _in_chunks(Student.objects.select_related("school_class__grade"), "student_no", student_nos)
        }

    def grade_level(self, row: Row) -> int | None:
        """The school's own grade names first (e.g. a grade called 初2026级), then the standard ways."""
        text = "".join((row.data.get("grade") or "").split())
        grade = self.grade_by_name.get((row.school.pk, text))
        level = grade.level if grade else parse_grade_level(text)
        if level is None:
            self.error(row, "grade", _("Unknown grade “%(grade)s”: write 七年级, 初一 or 7.") % {"grade": text})
        return level

    def class_key(self, row: Row) -> tuple | None:
        if row.school is None or not row.data.get("grade"):
            return None
        level = self.grade_level(row)  # reported even when the class number has its own error
        if level is None or not row.data.get("number"):
            return None
        return row.school.pk, level, row.data["number"]

    def staff_school_id(self, staff_no: str):
        """Where a member of staff will be after this import: the file's row first, then the database."""
        if staff_no in self.staff_plans:
            return self.staff_plans[staff_no].school.pk
        if staff_no in self.broken_staff:
            return BROKEN
        existing = self.db_staff.get(staff_no)
        return existing.school_id if existing else None

    def find_groups(self, row: Row, key: str, school: School) -> list[TeachingGroup] | None:
        groups, unknown = [], []
        for name in row.data.get(key) or []:
            group = self.groups.get((school.pk, name)) or self.groups.get((school.root_id, name))
            (groups if group else unknown).append(group or name)
        if unknown:
            known = sorted(name for (sid, name) in self.groups if sid in (school.pk, school.root_id))
            self.error(row, key, _("Unknown teaching-research group “%(group)s”. The groups are: %(groups)s.")
                       % {"group": unknown[0], "groups": "、".join(known) or "—"})
            return None
        return groups

    def check_staff(self) -> None:
        first_row: dict[str, int] = {}
        leader_row: dict[int, int] = {}
        for row in self.rows[STAFF]:
            staff_no = row.data.get("staff_no")
            if staff_no in first_row:
                self.error(row, "staff_no", _("Staff number %(no)s is also on row %(row)s.")
                           % {"no": staff_no, "row": first_row[staff_no]})
                continue
            if staff_no:
                first_row[staff_no] = row.number
            if not row.valid or row.school is None:
                if staff_no:
                    self.broken_staff.add(staff_no)
                continue
            existing = self.db_staff.get(staff_no)
            ok = True
            if existing is not None and not self.may_manage(existing.school_id):
                self.error(row, "staff_no", _("Staff number %(no)s belongs to a member of staff of a school you do "
                                              "not manage.") % {"no": staff_no})
                ok = False
            elif existing is not None and existing.user.is_superuser and not self.user.is_superuser:
                self.error(row, "staff_no", _("Staff number %(no)s is an administrator's account; change it in the "
                                              "administration.") % {"no": staff_no})
                ok = False
            elif existing is None and staff_no in self.taken_usernames:
                self.error(row, "staff_no", _("Staff number %(no)s is already the login name of another account.")
                           % {"no": staff_no})
                ok = False
            groups = self.find_groups(row, "groups", row.school)
            leads = self.find_groups(row, "leads", row.school)
            for group in leads or []:
                if group.pk in leader_row:
                    self.error(row, "leads", _("The group %(group)s is led by the person on row %(row)s too.")
                               % {"group": group.name, "row": leader_row[group.pk]})
                    ok = False
                leader_row.setdefault(group.pk, row.number)
            if not ok or groups is None or leads is None:
                self.broken_staff.add(staff_no)
                continue
            self.staff_plans[staff_no] = _StaffPlan(
                row=row,
                existing=existing,
                school=row.school,
                groups=groups,
                leads=leads,
            )

    def check_classes(self) -> None:
        for row in self.rows[CLASSES]:
            key = self.class_key(row)
            if key is None:
                continue
            if key in self.class_plans:
                self.error(row, "number", _("This class is also on row %(row)s.")
                           % {"row": self.class_plans[key].number})
                continue
            if not row.valid:
                self.broken_classes.add(key)
                continue
            school_id, level, _number = key
            if (school_id, level) not in self.grade_by_level and (school_id, level) not in self.new_grades:
                name = GRADE_NAMES[level]
                if (school_id, name) in self.grade_by_name:
                    self.error(row, "grade", _("The school's grade named %(name)s has another level; rename it in "
                                               "the administration first.") % {"name": name})
                    continue
                self.new_grades[(school_id, level)] = name
            head = row.data.get("head_teacher")
            if head:
                school_id_of_head = self.staff_school_id(head)
                if school_id_of_head is None:
                    self.error(row, "head_teacher", _("Unknown staff number %(no)s: add her to the 教职工 sheet.")
                               % {"no": head})
                elif school_id_of_head is not BROKEN and school_id_of_head != school_id:
                    self.error(row, "head_teacher", _("Staff number %(no)s is not a member of this school's staff.")
                               % {"no": head})
            self.class_plans[key] = row

    def known_class(self, row: Row, key) -> bool:
        if key in self.db_classes or key in self.class_plans or key in self.broken_classes:
            return True
        self.error(row, "number", _("There is no class %(number)s in %(grade)s of %(school)s: add it to the 班级 "
                                    "sheet.") % {"number": key[2], "grade": row.data["grade"], "school": row.school})
        return False

    def check_students(self) -> None:
        first_row: dict[str, int] = {}
        for row in self.rows[STUDENTS]:
            student_no = row.data.get("student_no")
            if student_no in first_row:
                self.error(row, "student_no", _("Student number %(no)s is also on row %(row)s.")
                           % {"no": student_no, "row": first_row[student_no]})
                continue
            if student_no:
                first_row[student_no] = row.number
            key = self.class_key(row)
            if not row.valid or key is None or not self.known_class(row, key):
                continue
            existing = self.db_students.get(student_no)
            if existing is not None and not self.may_manage(existing.school_class.grade.school_id):
                self.error(row, "student_no", _("Student number %(no)s belongs to a student of a school you do not "
                                                "manage.") % {"no": student_no})
                continue
            row.data["class_key"] = key
            self.student_plans.append(row)

    def check_timetable(self) -> None:
        rows = self.rows[TIMETABLE]
        if not rows:
            return
        if self.term is None:
            self.issues.append(Issue(_("There is no term to import the timetable into: the teaching office adds "
                                       "school years and terms in the administration first."),
                                     SPECS[TIMETABLE].title))
            return
        term_root = self.term.school_year.school_id
        class_slot: dict[tuple, int] = {}
        teacher_slot: dict[tuple, int] = {}
        for row in rows:
            key = self.class_key(row)
            if not row.valid or key is None or not self.known_class(row, key):
                continue
            school = row.school
            if school.root_id != term_root:
                self.error(row, "school", _("%(school)s does not follow the calendar of the term %(term)s.")
                           % {"school": school, "term": self.term})
                continue
            ok = True
            name = row.data["subject"]
            subject = self.subjects.get((school.root_id, name)) or self.subjects.get((school.root_id, name.lower()))
            if subject is None:
                known = self.subject_names.get(school.root_id, [])
                self.error(row, "subject", _("Unknown subject “%(subject)s”. The subjects are: %(subjects)s.")
                           % {"subject": name, "subjects": "、".join(known) or "—"})
                ok = False
            teacher = row.data["teacher"]
            teacher_school = self.staff_school_id(teacher)
            existing = self.db_staff.get(teacher)
            if teacher_school is None:
                self.error(row, "teacher", _("Unknown staff number %(no)s: add her to the 教职工 sheet.")
                           % {"no": teacher})
                ok = False
            elif teacher_school is BROKEN:
                ok = False
            elif not self.may_manage(teacher_school) or self.root_of.get(teacher_school) != school.root_id:
                self.error(row, "teacher", _("Staff number %(no)s is not a member of staff of this school or its "
                                             "central school.") % {"no": teacher})
                ok = False
            elif teacher not in self.staff_plans and not existing.is_active:
                self.error(row, "teacher", _("Staff number %(no)s is no longer active.") % {"no": teacher})
                ok = False
            weekday, period = row.data["weekday"], row.data["period"]
            periods = self.periods.get(school.pk)
            if periods and period not in periods:
                self.error(row, "period", _("Period %(period)s is not one of the school's periods (%(periods)s).")
                           % {"period": period, "periods": "、".join(map(str, sorted(periods)))})
                ok = False
            slot = (key, weekday, period)
            if slot in class_slot:
                self.error(row, "period", _("The class already has a lesson at this time on row %(row)s.")
                           % {"row": class_slot[slot]})
                ok = False
            else:
                class_slot[slot] = row.number
            slot = (teacher, weekday, period)
            if slot in teacher_slot:
                self.error(row, "teacher", _("The teacher already teaches at this time on row %(row)s.")
                           % {"row": teacher_slot[slot]})
                ok = False
            else:
                teacher_slot[slot] = row.number
            if ok:
                self.lesson_plans.append((row, key, subject))
        self.check_booked_in_database()

    def check_booked_in_database(self) -> None:
        """Lessons that stay (of classes this file does not replace) still book their teachers."""
        replaced = {self.db_classes[key].pk for _row, key, _subject in self.lesson_plans if key in self.db_classes}
        teachers = {row.data["teacher"] for row, _key, _subject in self.lesson_plans}
        booked = {}
        lessons = TimetableEntry.objects.filter(term=self.term).exclude(school_class_id__in=replaced)
        for no, weekday, period, grade, number in _in_chunks(
            lessons.values_list(
                "teacher__staff_no", "weekday", "period", "school_class__grade__name", "school_class__number"
            ),
            "teacher__staff_no",
            teachers,
        ):
            booked[(no, weekday, period)] = (grade, number)
        for row, _key, _subject in self.lesson_plans:
            taken = booked.get((row.data["teacher"], row.data["weekday"], row.data["period"]))
            if taken:
                self.error(row, "teacher", _("The teacher already teaches %(grade)s class %(number)s at this time "
                                             "(a lesson this file does not replace).")
                           % {"grade": taken[0], "number": taken[1]})

    # --- writes -------------------------------------------------------------------------------

    def write(self) -> dict[str, KindCount]:
        counts = {}
        staff_by_no = dict(self.db_staff)
        if STAFF in self.sheets:
            counts[STAFF] = self.write_staff(staff_by_no)
        class_by_key = dict(self.db_classes)
        if CLASSES in self.sheets:
            counts[CLASSES] = self.write_classes(staff_by_no, class_by_key)
        if STUDENTS in self.sheets:
            counts[STUDENTS] = self.write_students(class_by_key)
        if TIMETABLE in self.sheets:
            counts[TIMETABLE] = self.write_timetable(staff_by_no, class_by_key)
        return counts

    def write_staff(self, staff_by_no: dict[str, Staff]) -> KindCount:
        count = KindCount()
        admin_group = None
        claimed: dict[int, Staff] = {}
        for staff_no, plan in self.staff_plans.items():
            row, existing = plan.row, plan.existing

            def value(key, current, default=""):
                return row.data[key] if given(row, key) else current if existing is not None else default

            led_before = {g.pk for g in existing.led_groups.all()} if existing else set()
            led_after = led_before | {g.pk for g in plan.leads}
            roles = set(value("roles", existing and existing.role_codes, [Role.TEACHER]))
            if led_after:
                roles.add(Role.GROUP_LEADER)  # her role follows what she leads
            groups = None  # None: memberships stay as they are
            if plan.groups or plan.leads:
                groups = {g.pk: g for g in (plan.groups or (existing.groups.all() if existing else []))}
                groups.update({g.pk: g for g in plan.leads})  # a leader is a member of her group
            wanted = {
                "name": row.data["name"],
                "gender": value("gender", existing and existing.gender),
                "phone": value("phone", existing and existing.phone),
                "email": value("email", existing and existing.user.email),
                "is_young": value("is_young", existing and existing.is_young, False),
                "is_new": value("is_new", existing and existing.is_new, False),
            }
            unchanged = existing is not None and (
                existing.school_id == plan.school.pk
                and existing.is_active
                and existing.user.is_active
                and all(getattr(existing, k) == v for k, v in wanted.items() if k != "email")
                and existing.user.email == wanted["email"]
                and set(existing.role_codes) == roles
                and (groups is None or {g.pk for g in existing.groups.all()} == set(groups))
                and led_before == led_after
            )
            if unchanged:
                count.unchanged += 1
                staff = existing
            else:
                if admin_group is None:
                    admin_group = office_admin_group()
                staff, created = staff_upsert(
                    school=plan.school,
                    staff_no=staff_no,
                    roles=sorted(roles),
                    groups=list(groups.values()) if groups is not None else None,
                    admin_group=admin_group,
                    **wanted,
                )
                if created:
                    count.created += 1
                else:
                    count.updated += 1
            staff_by_no[staff_no] = staff
            for group in plan.leads:
                claimed[group.pk] = staff
        changed = []
        for group in {g.pk: g for g in self.groups.values()}.values():
            if group.pk in claimed and group.leader_id != claimed[group.pk].pk:
                group.leader = claimed[group.pk]
                changed.append(group)
        TeachingGroup.objects.bulk_update(changed, ["leader"])
        return count

    def write_classes(self, staff_by_no, class_by_key) -> KindCount:
        count = KindCount()
        grades = Grade.objects.bulk_create(
            [Grade(school_id=sid, level=level, name=name) for (sid, level), name in self.new_grades.items()]
        )
        grade_by_level = self.grade_by_level | {(g.school_id, g.level): g for g in grades}
        new, changed = [], []
        for key, row in self.class_plans.items():
            school_id, level, number = key
            existing = class_by_key.get(key)
            head = staff_by_no[row.data["head_teacher"]] if given(row, "head_teacher") else None
            if existing is None:
                new.append(SchoolClass(grade=grade_by_level[(school_id, level)], number=number, head_teacher=head))
            elif head is not None and existing.head_teacher_id != head.pk:
                existing.head_teacher = head
                changed.append(existing)
            else:
                count.unchanged += 1
        for school_class in SchoolClass.objects.bulk_create(new):
            class_by_key[(school_class.grade.school_id, school_class.grade.level, school_class.number)] = school_class
        SchoolClass.objects.bulk_update(changed, ["head_teacher"])
        count.created, count.updated = len(new), len(changed)
        return count

    def write_students(self, class_by_key) -> KindCount:
        count = KindCount()
        new, changed = [], []
        for row in self.student_plans:
            data = row.data
            existing = self.db_students.get(data["student_no"])
            wanted = {"name": data["name"], "school_class": class_by_key[data["class_key"]]}
            for key in ("gender", "baseline_kind", "baseline_score"):
                if given(row, key):
                    wanted[key] = data[key]
            if existing is None:
                new.append(Student(student_no=data["student_no"], **wanted))
                continue
            differs = [k for k, v in wanted.items() if getattr(existing, k) != v]
            if differs:
                for key, value in wanted.items():
                    setattr(existing, key, value)
                changed.append(existing)
            else:
                count.unchanged += 1
        # The history keeps who changed a student's class or baseline score, and when.
        if new:
            bulk_create_with_history(new, Student, default_user=self.user)
        if changed:
            bulk_update_with_history(changed, Student, list(STUDENT_FIELDS), default_user=self.user)
        count.created, count.updated = len(new), len(changed)
        return count

    def write_timetable(self, staff_by_no, class_by_key) -> KindCount:
        classes = {class_by_key[key].pk for _row, key, _subject in self.lesson_plans}
        replaced, _by_model = TimetableEntry.objects.filter(term=self.term, school_class_id__in=classes).delete()
        lessons = TimetableEntry.objects.bulk_create([
            TimetableEntry(
                term=self.term,
                school_class=class_by_key[key],
                weekday=row.data["weekday"],
                period=row.data["period"],
                subject=subject,
                teacher=staff_by_no[row.data["teacher"]],
            )
            for row, key, subject in self.lesson_plans
        ])
        return KindCount(created=len(lessons), replaced=replaced)
