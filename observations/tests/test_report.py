"""The term report for the administrative meeting (V2.II.4): its numbers against an independent count, who may
read it, and a query count that does not grow with the staff."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from observations.models import (
    AttendanceIncident,
    LabSession,
    LabShortfall,
    LabTidinessCheck,
    LessonSwap,
    NotesReview,
    Observation,
    Patrol,
    PatrolMark,
)
from observations.selectors.report import term_report
from observations.selectors.labs import Reach
from observations.services.labs import lab_shortfalls_record
from school.models import Role, Staff
from school.tests.factories import StaffFactory, TermFactory

from .permission_cases_labs import experiment, seed_labs, session, tidiness_check

pytestmark = pytest.mark.django_db

# The page's queries, whatever the number of staff and records (pinned: a new per-person query fails here).
REPORT_PAGE_QUERIES = 29


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


_lessons = itertools.count()


def observe(w, observer, teacher, school_class, subject, score, *, term=None):
    term = term or w.term
    n = next(_lessons)  # a lesson of its own: one observer observes one lesson at a time
    return Observation.objects.create(
        school=school_class.grade.school, term=term, observer=observer, teacher=teacher, school_class=school_class,
        subject=subject, date=term.start_date + dt.timedelta(days=3 + n // 8), period=n % 8 + 1, topic="课题",
        total_score=score,
    )


def review(w, reviewer, reviewee):
    return NotesReview.objects.create(term=w.term, reviewer=reviewer, reviewee=reviewee,
                                      date=w.term.start_date + dt.timedelta(days=10), verdict="good")


def patrol_mark(w, patrol, school_class, teacher, status, note=""):
    mark = PatrolMark.objects.create(patrol=patrol, school_class=school_class, expected_teacher=teacher,
                                     status=status, note=note)
    kinds = {"late": "late", "left_early": "left_early", "absent": "absent", "unapproved_swap": "unapproved_swap"}
    if status in kinds:
        AttendanceIncident.objects.create(mark=mark, teacher=teacher, school=patrol.school, date=patrol.date,
                                          period=patrol.period, kind=kinds[status])
    return mark


def swap(w, teacher, substitute, status, period):
    return LessonSwap.objects.create(
        term=w.term, school=teacher.school, date=w.term.start_date + dt.timedelta(days=7), period=period,
        school_class=w.class_1, subject=w.chinese, teacher=teacher, substitute=substitute, reason="外出",
        status=status, requested_by=teacher,
    )


def build_activity(w) -> None:
    """A term of varied activity in the central school, the village school, another term and the foreign
    school (which must never count)."""
    seed_labs(w)
    observe(w, w.director, w.teacher, w.class_1, w.chinese, Decimal("85.0"))
    observe(w, w.director, w.other_teacher, w.class_1, w.maths, Decimal("90.0"))
    observe(w, w.group_leader, w.teacher, w.class_1, w.chinese, None)
    observe(w, w.teacher, w.group_leader, w.class_2, w.chinese, Decimal("80.5"))
    observe(w, w.principal, w.teacher, w.class_1, w.chinese, Decimal("92.0"))
    observe(w, w.village_director, w.village_teacher, w.village_class, w.chinese, Decimal("70.0"))
    observe(w, w.foreign_director, w.foreign_teacher, w.foreign_class, w.foreign_subject, Decimal("60.0"),
            term=w.foreign_term)
    other_term = TermFactory(school_year=w.term.school_year, number=2, start_date=w.term.end_date + dt.timedelta(1),
                             end_date=w.term.end_date + dt.timedelta(days=120), midterm_date=None)
    observe(w, w.director, w.teacher, w.class_1, w.chinese, Decimal("50.0"), term=other_term)

    review(w, w.group_leader, w.teacher)
    review(w, w.director, w.group_leader)
    review(w, w.principal, w.director)
    review(w, w.director, w.teacher)

    day = w.term.start_date + dt.timedelta(days=8)
    first = Patrol.objects.create(school=w.school, term=w.term, date=day, period=1, patroller=w.office_staff)
    patrol_mark(w, first, w.class_1, w.teacher, "late")
    patrol_mark(w, first, w.class_2, w.other_teacher, "absent")
    second = Patrol.objects.create(school=w.school, term=w.term, date=day, period=2, patroller=w.office_staff)
    patrol_mark(w, second, w.class_1, w.teacher, "left_early")
    patrol_mark(w, second, w.class_2, w.group_leader, "other", note="课堂纪律差")
    village = Patrol.objects.create(school=w.village, term=w.term, date=day, period=1, patroller=w.village_director)
    patrol_mark(w, village, w.village_class, w.village_teacher, "unapproved_swap")
    foreign = Patrol.objects.create(school=w.foreign_school, term=w.foreign_term, date=day, period=1,
                                    patroller=w.foreign_director)
    patrol_mark(w, foreign, w.foreign_class, w.foreign_teacher, "absent")

    swap(w, w.teacher, w.group_leader, LessonSwap.Status.REQUESTED, 3)
    swap(w, w.teacher, w.other_teacher, LessonSwap.Status.APPROVED, 4)
    swap(w, w.teacher, w.other_teacher, LessonSwap.Status.CANCELLED, 5)
    swap(w, w.other_teacher, w.teacher, LessonSwap.Status.REJECTED, 6)

    leaf = experiment(w, "观察叶片", subject=w.chinese, month=1)
    session(w, leaf, w.class_1, w.teacher)
    reach = Reach(root=w.school, school_ids=frozenset({w.school.pk, w.village.pk}))
    lab_shortfalls_record(reach=reach, term=w.term, month=1, user=w.office_staff.user)
    tidiness_check(w, school=w.school, room="化学实验室", teacher=w.other_teacher, checked_by=w.office_staff)
    tidiness_check(w, school=w.village, room="村实验室", teacher=w.village_teacher, checked_by=w.village_director,
                   tidy=False, note="脏")


def expected(w, staff: Staff) -> dict:
    """The figures of one person, counted independently of the report's code: one plain query per number."""
    term = w.term
    written = Observation.objects.filter(term=term, observer=staff)
    received = Observation.objects.filter(term=term, teacher=staff)

    def average(queryset):
        scores = [o.total_score for o in queryset if o.total_score is not None]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None

    incidents = AttendanceIncident.objects.filter(teacher=staff, mark__patrol__term=term)
    swaps = LessonSwap.objects.filter(term=term, teacher=staff).exclude(status="cancelled")
    return {
        "written": written.count(),
        "written_average": average(written),
        "received": received.count(),
        "received_average": average(received),
        "reviews_given": NotesReview.objects.filter(term=term, reviewer=staff).count(),
        "reviews_received": NotesReview.objects.filter(term=term, reviewee=staff).count(),
        "late": incidents.filter(kind="late").count(),
        "left_early": incidents.filter(kind="left_early").count(),
        "absent": incidents.filter(kind="absent").count(),
        "unapproved_swap": incidents.filter(kind="unapproved_swap").count(),
        "other_issues": PatrolMark.objects.filter(patrol__term=term, expected_teacher=staff, status="other").count(),
        "swaps_requested": swaps.count(),
        "swaps_approved": swaps.filter(status="approved").count(),
        "labs_done": LabSession.objects.filter(term=term, teacher=staff).count(),
        "shortfalls": LabShortfall.objects.filter(term=term, teacher=staff).count(),
        "tidiness_checks": LabTidinessCheck.objects.filter(term=term, teacher_in_charge=staff).count(),
        "untidy": LabTidinessCheck.objects.filter(term=term, teacher_in_charge=staff, tidy=False).count(),
    }


def figures_of(row, keys) -> dict:
    return {key: getattr(row.figures, key) for key in keys}


def central_report(w):
    return term_report(root=w.school, school_ids={w.school.pk, w.village.pk}, term=w.term)


def test_every_persons_numbers_equal_an_independent_count(world):
    build_activity(world)
    report = central_report(world)
    people = {row.staff.pk: row for row in report.people}
    assert set(people) == set(Staff.objects.filter(school__in=[world.school, world.village]).values_list(
        "pk", flat=True))
    for staff in Staff.objects.filter(pk__in=people):
        counted = expected(world, staff)
        assert figures_of(people[staff.pk], counted) == counted, staff.name
    # Spot checks of the activity itself, so that the comparison above is not of zeros.
    teacher = people[world.teacher.pk].figures
    assert (teacher.received, teacher.received_average) == (3, Decimal("88.5"))
    assert (teacher.late, teacher.left_early, teacher.swaps_requested, teacher.swaps_approved) == (1, 1, 2, 1)
    assert (teacher.labs_required, teacher.labs_done, teacher.shortfalls) == (1, 1, 0)
    other = people[world.other_teacher.pk].figures
    # Maths in classes 1 and 2: one experiment (done in class 1, a shortfall in class 2).
    assert (other.labs_required, other.labs_done, other.shortfalls, other.absent) == (2, 1, 1, 1)
    assert people[world.group_leader.pk].figures.other_issues == 1
    assert people[world.village_teacher.pk].figures.unapproved_swap == 1


def test_groups_and_the_total_are_the_sums_of_their_members(world):
    build_activity(world)
    report = central_report(world)
    by_name = {g.name: g for g in report.groups}
    assert set(by_name) == {"语文组", "数学组", ""}
    chinese = by_name["语文组"]
    assert chinese.members == 2  # the group leader and the teacher
    members = [world.group_leader, world.teacher]
    assert chinese.figures.received == sum(expected(world, m)["received"] for m in members)
    assert chinese.figures.reviews_received == sum(expected(world, m)["reviews_received"] for m in members)
    assert by_name[""].members == len(report.people) - 3  # everyone in no group
    assert report.total.written == Observation.objects.filter(
        term=world.term, observer__school__in=[world.school, world.village]).count() == 6
    assert report.total.findings == 5 and report.total.swaps_requested == 3
    assert (report.patrols, report.patrol_marks) == (3, 5)


def test_the_lab_table_counts_required_done_and_not_done_by_subject_and_grade(world):
    build_activity(world)
    labs = {(r.subject, r.grade_level): r for r in central_report(world).labs}
    maths, chinese = labs[("数学", 7)], labs[("语文", 7)]
    assert (maths.experiments, maths.classes, maths.required, maths.done, maths.shortfalls) == (1, 3, 3, 1, 1)
    assert (chinese.experiments, chinese.required, chinese.done, chinese.shortfalls) == (1, 3, 1, 2)
    rooms = {r.room: (r.checks, r.untidy) for r in central_report(world).rooms}
    assert rooms == {"物理实验室": (1, 1), "化学实验室": (1, 0), "村实验室": (1, 1)}


def test_the_village_directors_report_has_only_her_school(world, login):
    build_activity(world)
    response = login(world.village_director).get(reverse("observations:report"))
    assert response.status_code == 200
    people = response.context["report"].people
    assert {p.staff.school_id for p in people} == {world.village.pk}
    body = response.content.decode()
    assert world.teacher.name not in body and "FOREIGN" not in body


def test_the_page_shows_the_report_numbers(world, login):
    build_activity(world)
    response = login(world.principal).get(reverse("observations:report"))
    assert response.status_code == 200
    rows = {person.staff.pk: cells for person, cells in response.context["person_rows"]}
    assert rows[world.teacher.pk][:4] == [(1, "integer"), (Decimal("80.5"), "average"), (3, "integer"),
                                          (Decimal("88.5"), "average")]
    body = response.content.decode()
    assert "88.5" in body and "FOREIGN" not in body


def test_the_term_selector_lists_the_schools_terms_and_a_foreign_term_is_not_found(world, login):
    build_activity(world)
    client = login(world.director)
    response = client.get(reverse("observations:report"))
    terms = list(response.context["form"].fields["term"].queryset)
    assert world.term in terms and world.foreign_term not in terms and len(terms) == 2
    later = next(t for t in terms if t != world.term)
    response = client.get(reverse("observations:report"), {"term": later.pk})
    assert response.context["report"].total.written == 1
    assert client.get(reverse("observations:report"), {"term": world.foreign_term.pk}).status_code == 404
    assert client.get(reverse("observations:report"), {"term": "x"}).status_code == 404


def _add_staff(w, count: int) -> None:
    """More people with activity of every kind, in both groups."""
    base = Staff.objects.count()
    day = w.term.start_date + dt.timedelta(days=9)
    patrol = Patrol.objects.create(school=w.school, term=w.term, date=day, period=7, patroller=w.office_staff)
    for i in range(count):
        person = StaffFactory(school=w.school, staff_no=f"X{base + i:04d}", name=f"新教师{i}", roles=[Role.TEACHER])
        (w.chinese_group if i % 2 else w.maths_group).members.add(person)
        observe(w, person, w.teacher, w.class_1, w.chinese, Decimal("80"))
        observe(w, w.director, person, w.class_2, w.maths, Decimal("75"))
        review(w, w.group_leader, person)
        if i < 2:  # one mark per classroom and patrol
            patrol_mark(w, patrol, (w.class_1, w.class_2)[i], person, "late")
        tidiness_check(w, school=w.school, room=f"实验室{i}", teacher=person, checked_by=w.office_staff, tidy=False,
                       note="乱")


def test_the_page_and_the_export_run_a_fixed_number_of_queries_whatever_the_staff(world, login):
    build_activity(world)
    client = login(world.office_staff)
    counts = {}
    for label in ("before", "after"):
        if label == "after":
            _add_staff(world, 30)
        for name in ("observations:report", "observations:report-export"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts[(label, name)] = len(queries)
    assert counts[("after", "observations:report")] == counts[("before", "observations:report")]
    assert counts[("after", "observations:report-export")] == counts[("before", "observations:report-export")]
    assert counts[("after", "observations:report")] <= REPORT_PAGE_QUERIES
    assert len(central_report(world).people) == 9 + 30
