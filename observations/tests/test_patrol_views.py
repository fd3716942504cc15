"""The patrol, incident and swap pages: what each shows, the htmx row, and their bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from deductions.models import Violation
from observations.models import AttendanceIncident, LessonSwap, PatrolMark
from observations.services.patrol import swap_request
from school.models import Role
from school.tests.factories import GradeFactory, SchoolClassFactory, StaffFactory, TimetableEntryFactory

from .permission_cases_patrol import last_monday, next_monday

pytestmark = pytest.mark.django_db

PATROL = reverse("observations:patrol")
MARK = reverse("observations:patrol-mark")


def patrol_query(world, period=1, **extra):
    return {"date": last_monday(world).isoformat(), "period": period} | extra


def mark_data(world, school_class=None, status="late", period=1, note=""):
    return {"school_class": (school_class or world.class_1).pk, "date": last_monday(world).isoformat(),
            "period": period, "status": status, "note": note}


def test_the_patrol_page_shows_every_class_with_its_expected_teacher(world, login):
    response = login(world.office_staff).get(PATROL, patrol_query(world))
    assert response.status_code == 200
    rows = {row.school_class: row for row in response.context["rows"]}
    assert rows[world.class_1].teacher == world.teacher and rows[world.class_2].subject == world.maths
    body = response.content.decode()
    assert f'id="row-{world.class_1.pk}"' in body and world.other_teacher.name in body
    assert world.village_class not in rows  # the village school is patrolled on its own page


def test_the_patrol_page_defaults_to_today_and_offers_the_schools_the_office_manages(world, login):
    response = login(world.office_staff).get(PATROL)
    assert response.status_code == 200
    assert response.context["school"] == world.school
    assert {s.pk for s in response.context["schools"]} == {world.school.pk, world.village.pk}
    village = login(world.office_staff).get(PATROL, {"school": world.village.pk} | patrol_query(world))
    assert [row.school_class for row in village.context["rows"]] == [world.village_class]
    assert login(world.village_director).get(PATROL, {"school": world.school.pk}).status_code == 404
    assert login(world.office_staff).get(PATROL, {"school": world.foreign_school.pk}).status_code == 404


def test_a_tap_with_htmx_returns_the_updated_row(world, login):
    client = login(world.office_staff)
    response = client.post(MARK, mark_data(world), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.strip().startswith("<section")
    assert f'id="row-{world.class_1.pk}"' in body and 'data-status="late"' in body
    client.post(MARK, mark_data(world), HTTP_HX_REQUEST="true")  # tapped twice
    [violation] = Violation.objects.filter(teacher=world.teacher)
    assert violation.amount == Decimal("2.00")
    assert PatrolMark.objects.get().marked_by == world.office_staff.user


def test_without_javascript_a_plain_post_goes_back_to_the_row(world, login):
    response = login(world.office_staff).post(MARK, mark_data(world, status="normal"))
    assert response.status_code == 302
    assert response["Location"].startswith(PATROL) and response["Location"].endswith(f"#row-{world.class_1.pk}")
    assert PatrolMark.objects.get().status == "normal"


def test_a_refused_mark_shows_its_reason_in_the_row(world, login):
    client = login(world.office_staff)
    response = client.post(MARK, mark_data(world, status="other"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "row-error" in response.content.decode()
    assert not PatrolMark.objects.exists()
    response = client.post(MARK, mark_data(world, status="late", period=3), HTTP_HX_REQUEST="true")
    assert "row-error" in response.content.decode()
    response = client.post(MARK, mark_data(world, status="other", note="no chalk"), HTTP_HX_REQUEST="true")
    assert 'data-status="other"' in response.content.decode() and "no chalk" in response.content.decode()


def test_marks_of_other_schools_classes_are_404_and_other_roles_403(world, login):
    assert login(world.office_staff).post(MARK, mark_data(world, world.foreign_class)).status_code == 404
    assert login(world.village_director).post(MARK, mark_data(world)).status_code == 404
    assert login(world.principal).post(MARK, mark_data(world)).status_code == 403
    assert login(world.teacher).get(PATROL).status_code == 403
    assert not PatrolMark.objects.exists()


def test_mark_all_unmarked_as_normal(world, login):
    client = login(world.office_staff)
    client.post(MARK, mark_data(world))
    response = client.post(reverse("observations:patrol-mark-all"),
                           {"school": world.school.pk, "date": last_monday(world).isoformat(), "period": 1})
    assert response.status_code == 302
    assert dict(PatrolMark.objects.values_list("school_class__number", "status")) == {1: "late", 2: "normal"}


def add_classes_with_timetables(world, count):
    grade = GradeFactory(school=world.school, level=8, name="八年级")
    for number in range(1, count + 1):
        school_class = SchoolClassFactory(grade=grade, number=number)
        teacher = StaffFactory(school=world.school, staff_no=f"X{number:03}", name=f"加{number}",
                               roles=[Role.TEACHER])
        for period in (1, 2):
            TimetableEntryFactory(term=world.term, school_class=school_class, weekday=1, period=period,
                                  subject=world.maths if period == 1 else world.chinese, teacher=teacher)


def test_the_patrol_page_runs_in_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.office_staff)
    client.post(MARK, mark_data(world))
    query = patrol_query(world)
    with django_assert_max_num_queries(15) as small:
        assert client.get(PATROL, query).status_code == 200
    add_classes_with_timetables(world, 30)
    for school_class in world.school.grades.get(level=8).classes.all()[:10]:
        client.post(MARK, mark_data(world, school_class, status="absent"))
    client.post(reverse("observations:patrol-mark-all"),
                {"school": world.school.pk, "date": last_monday(world).isoformat(), "period": 1})
    with django_assert_max_num_queries(15) as large:
        response = client.get(PATROL, query)
    assert len(response.context["rows"]) == 32
    assert len(large.captured_queries) == len(small.captured_queries)  # flat: nothing per class


def test_the_summary_for_the_principal(world, login):
    staff_client = login(world.office_staff)
    staff_client.post(MARK, mark_data(world))
    staff_client.post(MARK, mark_data(world, world.class_2, status="other", note="窗户坏了"))
    response = login(world.principal).get(reverse("observations:patrol-summary"),
                                          {"date": last_monday(world).isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "窗户坏了" in body and world.teacher.name in body
    first = response.context["summary"]["periods"][0]
    assert (first.patrolled, first.total) == (2, 2)
    assert login(world.teacher).get(reverse("observations:patrol-summary")).status_code == 403


def test_the_summary_runs_in_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    add_classes_with_timetables(world, 30)
    client = login(world.office_staff)
    client.post(reverse("observations:patrol-mark-all"),
                {"school": world.school.pk, "date": last_monday(world).isoformat(), "period": 2})
    for number in range(1, 31, 3):
        client.post(MARK, mark_data(world, world.school.grades.get(level=8).classes.get(number=number)))
    principal = login(world.principal)
    with django_assert_max_num_queries(13):
        response = principal.get(reverse("observations:patrol-summary"), {"date": last_monday(world).isoformat()})
    assert len(response.context["summary"]["week"]) == 10


def test_incidents_the_office_updates_and_the_teacher_reads(world, login):
    login(world.office_staff).post(MARK, mark_data(world, status="absent"))
    incident = AttendanceIncident.objects.get()
    update = reverse("observations:incident-update", args=[incident.pk])
    response = login(world.office_staff).post(update, {"cause": "家里有事", "reported": "on"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.cause == "家里有事" and incident.reported_at is not None
    mine = login(world.teacher).get(reverse("observations:incident-list"))
    assert [i.pk for i in mine.context["incidents"]] == [incident.pk]
    assert "家里有事" in mine.content.decode() and update not in mine.content.decode()
    assert login(world.teacher).get(update).status_code == 403
    assert login(world.other_teacher).get(reverse("observations:incident-list")).context["incidents"] == []
    assert login(world.other_teacher).get(update).status_code == 404


def test_incident_list_queries_are_bounded(world, login, django_assert_max_num_queries):
    add_classes_with_timetables(world, 30)
    client = login(world.office_staff)
    for school_class in world.school.grades.get(level=8).classes.all():
        client.post(MARK, mark_data(world, school_class, status="late"))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("observations:incident-list"))
    assert len(response.context["incidents"]) == 30


def test_a_teacher_asks_for_a_substitute_and_the_office_approves(world, login):
    client = login(world.teacher)
    assert client.get(reverse("observations:swap-create")).status_code == 200
    response = client.post(reverse("observations:swap-create"), {
        "kind": "substitute", "date": next_monday(world).isoformat(), "period": 1,
        "substitute": world.group_leader.pk, "reason": "去县里培训",
    })
    assert response.status_code == 302, response.context["form"].errors
    swap = LessonSwap.objects.get()
    assert (swap.teacher, swap.substitute, swap.status) == (world.teacher, world.group_leader, "requested")
    office = login(world.office_staff)
    listing = office.get(reverse("observations:swap-list"))
    assert listing.context["swaps"][0].can_decide
    response = office.post(reverse("observations:swap-approve", args=[swap.pk]), {"note": "同意"})
    assert response.status_code == 302
    swap.refresh_from_db()
    assert (swap.status, swap.decision_note) == ("approved", "同意")
    # The patrol now expects the group leader in class 1.
    page = office.get(PATROL, {"date": next_monday(world).isoformat(), "period": 1})
    row = next(r for r in page.context["rows"] if r.school_class == world.class_1)
    assert row.teacher == world.group_leader and row.swap == swap


def test_a_busy_substitute_is_refused_with_a_clear_message(world, login):
    response = login(world.teacher).post(reverse("observations:swap-create"), {
        "kind": "substitute", "date": next_monday(world).isoformat(), "period": 1,
        "substitute": world.other_teacher.pk, "reason": "ill",
    })
    assert response.status_code == 200
    assert world.other_teacher.name in " ".join(response.context["form"].non_field_errors())
    assert not LessonSwap.objects.exists()


def test_an_exchange_through_the_form(world, login):
    response = login(world.teacher).post(reverse("observations:swap-create"), {
        "kind": "exchange", "date": next_monday(world).isoformat(), "period": 1,
        "substitute": world.group_leader.pk, "reason": "互换",
        "exchange_date": (next_monday(world) + dt.timedelta(days=1)).isoformat(), "exchange_period": 1,
    })
    assert response.status_code == 302
    assert LessonSwap.objects.count() == 2 and LessonSwap.objects.filter(paired_with__isnull=False).count() == 2


def test_the_office_sees_pending_swaps_first_and_rejects_with_a_note(world, login):
    day = next_monday(world)
    earlier = swap_request(requester=world.other_teacher, substitute=world.director, date=day, period=1,
                           reason="ill")
    later = swap_request(requester=world.teacher, substitute=world.group_leader, date=day, period=1, reason="ill")
    office = login(world.office_staff)
    office.post(reverse("observations:swap-approve", args=[earlier.pk]))
    assert [s.pk for s in office.get(reverse("observations:swap-list")).context["swaps"]] == [later.pk, earlier.pk]
    office.post(reverse("observations:swap-reject", args=[later.pk]), {"note": ""})
    later.refresh_from_db()
    assert later.status == "requested"  # a rejection needs its reason
    office.post(reverse("observations:swap-reject", args=[later.pk]), {"note": "考试周"})
    later.refresh_from_db()
    assert later.status == "rejected"
    mine = login(world.teacher).get(reverse("observations:swap-list"))
    assert [s.pk for s in mine.context["swaps"]] == [later.pk]
    assert login(world.teacher).post(reverse("observations:swap-approve", args=[later.pk])).status_code == 403


def test_the_requester_cancels(world, login):
    swap = swap_request(requester=world.teacher, substitute=world.group_leader, date=next_monday(world), period=1,
                        reason="ill")
    assert login(world.group_leader).post(reverse("observations:swap-cancel", args=[swap.pk])).status_code == 403
    assert login(world.teacher).post(reverse("observations:swap-cancel", args=[swap.pk])).status_code == 302
    swap.refresh_from_db()
    assert swap.status == "cancelled"


def test_swap_list_queries_are_bounded(world, login, django_assert_max_num_queries):
    add_classes_with_timetables(world, 30)
    for entry in world.term.timetable.filter(school_class__grade__level=8, period=1).select_related("school_class"):
        LessonSwap.objects.create(
            term=world.term, school=world.school, date=next_monday(world), period=1,
            school_class=entry.school_class, subject=entry.subject, teacher=entry.teacher, substitute=world.director,
            reason="ill", requested_by=entry.teacher,
        )
    office = login(world.office_staff)
    with django_assert_max_num_queries(10):
        response = office.get(reverse("observations:swap-list"))
    assert len(response.context["swaps"]) == 30
