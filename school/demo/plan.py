"""The demo school as plain data, generated from a fixed random seed (no database).

Sizes:
- small: one junior secondary school (初中), 七/八/九年级 with 2 classes each (6 classes, 270 students), 30 staff.
- large: a central school (中心学校, junior secondary, 12 classes a grade = 36 classes) and three village primary
  schools (村小, 一至六年级 with 1, 1, 1, 1, 2, 2 classes = 8 classes each): 60 classes, 3,000 students
  (45-55 a class: 3,000 over 60 classes is 50 on average), 200 staff (136 central, 21, 21 and 22 in the
  villages). The central school's teaching-research groups are central groups; village teachers are
  members of them (village schools have no groups of their own) and each village has its own director.

Weekly hours follow the national curriculum closely enough for a demo; the teaching load per teacher
(about 7 in the small school, 9 in the large) follows from the staff numbers asked for.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from . import names

SEED = 20260901
SIZES = ("small", "large")
DEMO_PASSWORD = "demo2026"
WEEKDAYS = (1, 2, 3, 4, 5)

# code, name, order, has_labs, group
SUBJECTS = (
    ("chinese", "语文", 1, False, "语文组"),
    ("math", "数学", 2, False, "数学组"),
    ("english", "英语", 3, False, "英语组"),
    ("physics", "物理", 4, True, "理化生组"),
    ("chemistry", "化学", 5, True, "理化生组"),
    ("biology", "生物", 6, True, "理化生组"),
    ("science", "科学", 7, True, "理化生组"),
    ("morality", "道德与法治", 8, False, "政史地组"),
    ("history", "历史", 9, False, "政史地组"),
    ("geography", "地理", 10, False, "政史地组"),
    ("pe", "体育", 11, False, "艺体组"),
    ("music", "音乐", 12, False, "艺体组"),
    ("art", "美术", 13, False, "艺体组"),
    ("it", "信息技术", 14, False, "艺体组"),
)
SUBJECT_GROUP = {code: group for code, _name, _order, _labs, group in SUBJECTS}
# Each group's leader teaches its first subject.
GROUPS = (
    ("语文组", "chinese"),
    ("数学组", "math"),
    ("英语组", "english"),
    ("理化生组", "physics"),
    ("政史地组", "history"),
    ("艺体组", "pe"),
)

# Weekly hours by grade level. Junior: 31, 34 and 37 lessons in 40 slots (5 days x 8 periods).
_JUNIOR_COMMON = {
    "chinese": 6, "math": 6, "english": 5, "biology": 2, "history": 2, "geography": 2, "morality": 2,
    "pe": 3, "music": 1, "art": 1, "it": 1,
}
JUNIOR_HOURS = {
    7: _JUNIOR_COMMON,
    8: _JUNIOR_COMMON | {"physics": 3},
    9: _JUNIOR_COMMON | {"physics": 3, "chemistry": 3},
}
# Primary: 23, 25 and 25 lessons in 35 slots (5 days x 7 periods); English from grade 3.
PRIMARY_HOURS = {
    1: {"chinese": 8, "math": 4, "science": 1, "morality": 2, "pe": 4, "music": 2, "art": 2},
    3: {"chinese": 7, "math": 5, "english": 2, "science": 2, "morality": 2, "pe": 3, "music": 2, "art": 2},
    5: {"chinese": 6, "math": 5, "english": 3, "science": 2, "morality": 2, "pe": 3, "music": 2, "art": 2},
}
PRIMARY_HOURS |= {2: PRIMARY_HOURS[1], 4: PRIMARY_HOURS[3], 6: PRIMARY_HOURS[5]}

# Bell times: 45-minute lessons with a long morning break (大课间) and lunch in secondary school; 40 minutes
# in primary.
JUNIOR_BELLS = (
    ("08:00", "08:45"), ("08:55", "09:40"), ("10:10", "10:55"), ("11:05", "11:50"),
    ("14:00", "14:45"), ("14:55", "15:40"), ("15:50", "16:35"), ("16:45", "17:30"),
)
PRIMARY_BELLS = (
    ("08:20", "09:00"), ("09:10", "09:50"), ("10:20", "11:00"), ("11:10", "11:50"),
    ("14:00", "14:40"), ("14:50", "15:30"), ("15:40", "16:20"),
)

ADMIN_ROLES = frozenset({"principal", "vice_principal", "director", "office_staff", "cadre"})


@dataclass(frozen=True)
class SchoolPlan:
    code: str
    name: str
    address: str
    stage: str  # School.Stage value
    parent_code: str | None
    grades: tuple[tuple[int, int], ...]  # (level, number of classes)
    bells: tuple[tuple[str, str], ...]
    staff_count: int
    office_staff: int = 0
    cadres: int = 0

    @property
    def hours(self) -> dict[int, dict[str, int]]:
        return JUNIOR_HOURS if self.stage == "junior" else PRIMARY_HOURS

    @property
    def slots(self) -> list[tuple[int, int]]:
        return [(day, period) for day in WEEKDAYS for period in range(1, len(self.bells) + 1)]


@dataclass(frozen=True)
class StaffPlan:
    staff_no: str
    name: str
    gender: str
    school_code: str
    roles: tuple[str, ...]
    subject: str | None  # what she teaches (None: no lessons)
    is_young: bool = False
    is_new: bool = False

    @property
    def group(self) -> str | None:
        return SUBJECT_GROUP[self.subject] if self.subject else None


@dataclass(frozen=True)
class ClassPlan:
    school_code: str
    level: int
    number: int
    size: int
    head_teacher: str  # staff number


@dataclass(frozen=True)
class AssignmentPlan:
    """One teacher teaches one subject to one class, `hours` lessons a week."""

    school_code: str
    level: int
    number: int
    subject: str
    hours: int
    teacher: str  # staff number


@dataclass(frozen=True)
class StudentPlan:
    student_no: str
    name: str
    gender: str
    school_code: str
    level: int
    number: int
    baseline_score: Decimal | None
    baseline_kind: str


@dataclass(frozen=True)
class DemoPlan:
    size: str
    schools: tuple[SchoolPlan, ...]
    subjects: tuple[str, ...]  # codes, in SUBJECTS order
    groups: tuple[tuple[str, str], ...]  # (name, leader's staff number)
    staff: tuple[StaffPlan, ...]
    classes: tuple[ClassPlan, ...]
    assignments: tuple[AssignmentPlan, ...]
    students: tuple[StudentPlan, ...]

    @property
    def root(self) -> SchoolPlan:
        return self.schools[0]

    @property
    def groups_central(self) -> bool:
        return len(self.schools) > 1


# --- the calendar ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermPlan:
    number: int
    start: dt.date
    end: dt.date
    midterm: dt.date
    holidays: tuple[tuple[str, dt.date, dt.date], ...]


@dataclass(frozen=True)
class YearPlan:
    start_year: int
    name: str
    start: dt.date
    end: dt.date
    terms: tuple[TermPlan, TermPlan]


def _nearest_weekday(day: dt.date, weekday: int) -> dt.date:
    """The date with `weekday` (0 = Monday) nearest to `day` (ties go forward)."""
    ahead = (weekday - day.weekday()) % 7
    return day + dt.timedelta(days=ahead) if ahead <= 3 else day - dt.timedelta(days=7 - ahead)


def _midterm(start: dt.date, end: dt.date) -> dt.date:
    """The Thursday of the week in the middle of the term."""
    middle = start + (end - start) / 2
    return middle - dt.timedelta(days=middle.weekday()) + dt.timedelta(days=3)


def school_year_plan(today: dt.date) -> YearPlan:
    """The school year around `today`: from August on the year that starts this autumn, before it the year
    that started last autumn, so that today falls in a term unless it is a holiday between terms.

    First term: the first Monday of September to the Friday nearest 20 January; second term: the Monday nearest
    24 February to the first Friday of July. Holidays: 国庆节 1-7 October, 元旦 1 January, 劳动节 1-5 May."""
    y = today.year if today.month >= 8 else today.year - 1
    sept_first = dt.date(y, 9, 1)
    first_start = sept_first + dt.timedelta(days=(0 - sept_first.weekday()) % 7)
    first_end = _nearest_weekday(dt.date(y + 1, 1, 20), 4)
    second_start = _nearest_weekday(dt.date(y + 1, 2, 24), 0)
    july_first = dt.date(y + 1, 7, 1)
    second_end = july_first + dt.timedelta(days=(4 - july_first.weekday()) % 7)
    first = TermPlan(
        number=1,
        start=first_start,
        end=first_end,
        midterm=_midterm(first_start, first_end),
        holidays=(
            ("国庆节", dt.date(y, 10, 1), dt.date(y, 10, 7)),
            ("元旦", dt.date(y + 1, 1, 1), dt.date(y + 1, 1, 1)),
        ),
    )
    second = TermPlan(
        number=2,
        start=second_start,
        end=second_end,
        midterm=_midterm(second_start, second_end),
        holidays=(("劳动节", dt.date(y + 1, 5, 1), dt.date(y + 1, 5, 5)),),
    )
    return YearPlan(
        start_year=y,
        name=f"{y}-{y + 1}",
        start=sept_first,
        end=dt.date(y + 1, 8, 31),
        terms=(first, second),
    )


# --- the schools -------------------------------------------------------------------------------
def _schools(size: str) -> tuple[SchoolPlan, ...]:
    if size == "small":
        code, name, address = names.SMALL_SCHOOL
        return (
            SchoolPlan(code, name, address, "junior", None, ((7, 2), (8, 2), (9, 2)), JUNIOR_BELLS,
                       staff_count=30, office_staff=2, cadres=2),
        )
    code, name, address = names.CENTRAL_SCHOOL
    central = SchoolPlan(code, name, address, "junior", None, ((7, 12), (8, 12), (9, 12)), JUNIOR_BELLS,
                         staff_count=136, office_staff=2, cadres=3)
    villages = tuple(
        SchoolPlan(v_code, v_name, v_address, "primary", code,
                   ((1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (6, 2)), PRIMARY_BELLS, staff_count=staff)
        for (v_code, v_name, v_address), staff in zip(names.VILLAGE_SCHOOLS, (21, 21, 22))
    )
    return (central, *villages)


def build_plan(size: str, *, start_year: int) -> DemoPlan:
    """Everything the demo holds, as data. The same size and year give the same plan, always."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    rng = random.Random(f"{SEED}-{size}")
    schools = _schools(size)
    taken_names: set[str] = set()
    staff: list[StaffPlan] = []
    classes: list[ClassPlan] = []
    assignments: list[AssignmentPlan] = []
    for index, school in enumerate(schools):
        school_staff, school_classes, school_assignments = _school_people(
            rng, school, first_no=len(staff) + 1, taken_names=taken_names, is_village=index > 0
        )
        staff += school_staff
        classes += school_classes
        assignments += school_assignments

    _set_class_sizes(rng, classes, total=270 if size == "small" else 3000)
    students = _students(rng, schools, classes, start_year)
    used = {a.subject for a in assignments}
    subjects = tuple(code for code, *_rest in SUBJECTS if code in used)
    root_staff = [s for s in staff if s.school_code == schools[0].code]
    groups = tuple(
        (group, next(s.staff_no for s in root_staff if "group_leader" in s.roles and s.group == group))
        for group, _lead in GROUPS
        if any(SUBJECT_GROUP[code] == group for code in subjects)
    )
    return DemoPlan(
        size=size,
        schools=schools,
        subjects=subjects,
        groups=groups,
        staff=tuple(staff),
        classes=tuple(classes),
        assignments=tuple(assignments),
        students=students,
    )


def _school_people(rng: random.Random, school: SchoolPlan, *, first_no: int, taken_names: set[str],
                   is_village: bool):
    """The school's staff, its classes (with head teachers) and who teaches what."""
    units: dict[str, list[tuple[int, int, int]]] = {}  # subject -> (level, number, hours)
    for level, count in school.grades:
        for number in range(1, count + 1):
            for subject, hours in school.hours[level].items():
                units.setdefault(subject, []).append((level, number, hours))
    subject_order = [code for code, *_rest in SUBJECTS if code in units]

    # Who holds which post: (roles, subject taught). Leaders teach too, except the principal and the office.
    posts: list[tuple[tuple[str, ...], str | None]] = []
    if is_village:
        posts.append((("director", "teacher"), "chinese"))
    else:
        posts.append((("principal",), None))
        posts.append((("vice_principal", "teacher"), "math"))
        posts.append((("director", "teacher"), "chinese"))
        posts += [(("office_staff",), None)] * school.office_staff
        posts += [(("cadre", "teacher"), subject) for subject in ("english", "morality", "geography")[: school.cadres]]
        posts += [(("group_leader", "teacher"), lead) for group, lead in GROUPS if lead in units]
    teaching = sum(1 for _roles, subject in posts if subject)
    plain = school.staff_count - len(posts)

    # Teachers per subject: at least the leaders' posts and one, at most one per class, then D'Hondt on the
    # weekly hours so that loads come out even.
    demand = {s: sum(h for _l, _n, h in units[s]) for s in subject_order}
    seats = {s: max(1, sum(1 for _r, subject in posts if subject == s)) for s in subject_order}
    free_seats = teaching + plain - sum(seats.values())
    for _ in range(free_seats):
        open_subjects = [s for s in subject_order if seats[s] < len(units[s])]
        best = max(open_subjects, key=lambda s: (demand[s] / (seats[s] + 1), -subject_order.index(s)))
        seats[best] += 1
    plain_subjects = []
    for s in subject_order:
        plain_subjects += [s] * (seats[s] - sum(1 for _r, subject in posts if subject == s))
    rng.shuffle(plain_subjects)
    posts += [(("teacher",), s) for s in plain_subjects]
    assert len(posts) == school.staff_count

    # Young and new teachers (about 20% and 10% of the staff; the new ones are young) among the plain teachers.
    plain_indexes = [i for i, (roles, _s) in enumerate(posts) if roles == ("teacher",)]
    young = rng.sample(plain_indexes, round(school.staff_count * 0.2))
    new = set(young[: round(school.staff_count * 0.1)])
    young = set(young)

    people = []
    for offset, (roles, subject) in enumerate(posts):
        female_share = 0.3 if "principal" in roles else 0.6
        gender = "F" if rng.random() < female_share else "M"
        people.append(
            StaffPlan(
                staff_no=f"T{first_no + offset:04d}",
                name=names.unique_name(rng, gender, taken_names),
                gender=gender,
                school_code=school.code,
                roles=roles,
                subject=subject,
                is_young=offset in young,
                is_new=offset in new,
            )
        )

    # Each subject's classes, in grade order, split into even runs among its teachers; leaders (listed
    # first) get the shorter runs.
    assignments = []
    teacher_of: dict[tuple[int, int, str], str] = {}
    for subject in subject_order:
        teachers = [p for p in people if p.subject == subject]
        teachers = [p for p in teachers if p.roles == ("teacher",)] + [p for p in teachers if p.roles != ("teacher",)]
        subject_units = units[subject]
        base, extra = divmod(len(subject_units), len(teachers))
        start = 0
        for i, teacher in enumerate(teachers):
            run = base + (1 if i < extra else 0)
            for level, number, hours in subject_units[start : start + run]:
                assignments.append(AssignmentPlan(school.code, level, number, subject, hours, teacher.staff_no))
                teacher_of[level, number, subject] = teacher.staff_no
            start += run

    # Head teachers: a teacher of the class, preferably of 语文, 数学 or 英语, without an office post.
    by_no = {p.staff_no: p for p in people}
    heads: set[str] = set()
    classes = []
    for level, count in school.grades:
        for number in range(1, count + 1):
            taught_by = [teacher_of[level, number, s] for s in subject_order if (level, number, s) in teacher_of]
            candidates = [no for no in taught_by if not ADMIN_ROLES.intersection(by_no[no].roles)] + taught_by
            head = next(no for no in candidates if no not in heads)
            heads.add(head)
            classes.append(ClassPlan(school.code, level, number, size=0, head_teacher=head))
    return people, classes, assignments


def _set_class_sizes(rng: random.Random, classes: list[ClassPlan], *, total: int) -> None:
    """Class sizes near the average (45-55), summing exactly to `total`."""
    average = total / len(classes)
    low, high = (43, 48) if average < 47 else (45, 55)
    sizes = [min(high, max(low, round(rng.gauss(average, 2)))) for _ in classes]
    while sum(sizes) != total:
        i = rng.randrange(len(sizes))
        step = 1 if sum(sizes) < total else -1
        if low <= sizes[i] + step <= high:
            sizes[i] += step
    for i, size in enumerate(sizes):
        c = classes[i]
        classes[i] = ClassPlan(c.school_code, c.level, c.number, size, c.head_teacher)


def _students(rng: random.Random, schools, classes, start_year: int) -> tuple[StudentPlan, ...]:
    """Students numbered year + grade + class + seat (2026070101). Village classes are numbered 11, 12, 21, ...
    in the student number so that numbers stay unique across schools. Junior students carry their
    entrance test (入学摸底) as the baseline, with a little difference between classes."""
    village_index = {s.code: i for i, s in enumerate(schools)}
    result = []
    for c in classes:
        class_code = c.number if village_index[c.school_code] == 0 else 10 * village_index[c.school_code] + c.number
        junior = c.level >= 7
        class_mean = rng.gauss(72, 4)
        taken: set[str] = set()
        for seat in range(1, c.size + 1):
            gender = "M" if rng.random() < 0.52 else "F"
            score = None
            if junior:
                score = Decimal(f"{min(100.0, max(8.0, rng.gauss(class_mean, 13))):.2f}")
            result.append(
                StudentPlan(
                    student_no=f"{start_year}{c.level:02d}{class_code:02d}{seat:02d}",
                    name=names.unique_name(rng, gender, taken, child=True),
                    gender=gender,
                    school_code=c.school_code,
                    level=c.level,
                    number=c.number,
                    baseline_score=score,
                    baseline_kind="entrance" if junior else "",
                )
            )
    return tuple(result)
