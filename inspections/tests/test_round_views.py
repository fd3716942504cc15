"""The rounds' pages: the list and a round's progress (by role), opening a round, my checks, the home card, the
menu; and the observation app's records completing checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from inspections import evidence
from inspections.models import Assignment, InspectionRound, Notification
from inspections.services.rounds import assignments_sync, round_open_by_hand
from observations.tests.permission_cases_log import last_monday, make_observation
from school.selectors import today

from .permission_cases import MATRIX_ROUND_TITLE, make_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def overdue(w):
    """The matrix round, past due by two days."""
    make_rounds(w)
    InspectionRound.objects.filter(pk=w.matrix_round.pk).update(opens_on=today() - dt.timedelta(days=9),
                                                                due_on=today() - dt.timedelta(days=2))
    Assignment.objects.filter(round=w.matrix_round).update(due_on=today() - dt.timedelta(days=2))
    return w


def test_the_office_sees_progress_and_who_is_late(world, login):
    overdue(world)
    client = login(world.director)
    page = client.get(reverse("inspections:round-list")).content.decode()
    assert MATRIX_ROUND_TITLE in page and "FOREIGN" not in page and "Past due" in page
    detail = client.get(reverse("inspections:round-detail", args=[world.matrix_round.pk]))
    rows = {row.name: row for row in detail.context["by_checker"]}
    assert rows[world.group_leader.name].progress.overdue == 2
    assert rows[world.group_leader.name].late == [world.teacher.name]
    # The group leader checks her group's teacher, the village school's director her teacher; two items each.
    assert detail.context["totals"].total == 4 and detail.context["can_publish"]
    assert 'id="publish-form"' in detail.content.decode()


def test_a_teacher_reads_the_round_but_not_the_others_progress(world, login):
    overdue(world)
    client = login(world.teacher)
    page = client.get(reverse("inspections:round-list")).content.decode()
    assert MATRIX_ROUND_TITLE in page and "Overdue" not in page
    detail = client.get(reverse("inspections:round-detail", args=[world.matrix_round.pk]))
    # Only the checks of her (by her group leader), not the village school's.
    assert [r.name for r in detail.context["by_checker"]] == [world.group_leader.name]
    assert not detail.context["can_publish"] and 'id="publish-form"' not in detail.content.decode()


def test_the_office_opens_a_special_inspection(world, login):
    client = login(world.office_staff)
    url = reverse("inspections:round-open")
    day = today()
    bad = client.post(url, {"kind": "special", "checklist": ["homework"], "checker": "office",
                            "opens_on": day, "due_on": day - dt.timedelta(days=1)})
    assert bad.status_code == 200 and "cannot be due before it opens" in bad.content.decode()
    response = client.post(url, {"kind": "special", "title": "七年级作业专项检查", "checklist": ["homework"],
                                 "checker": "office", "opens_on": day, "due_on": day + dt.timedelta(days=5),
                                 "grade": world.class_1.grade_id})
    round = InspectionRound.objects.get(title="七年级作业专项检查")
    assert response.status_code == 302 and round.grade_id == world.class_1.grade_id
    checked = set(round.assignments.values_list("teacher__name", flat=True))
    assert checked == {world.teacher.name, world.other_teacher.name, world.group_leader.name}
    assert Notification.objects.filter(key__startswith=f"round:{round.pk}:checker:").exists()


def test_my_checks_and_marking_a_paper_check_done(world, login):
    overdue(world)
    with evidence.only_providers():  # an item no installed app records: checked on paper
        mark_a_paper_check_done(world, login)


def mark_a_paper_check_done(world, login):
    client = login(world.group_leader)
    page = client.get(reverse("inspections:assignment-list"))
    assert [r.round.pk for r in page.context["rounds"]] == [world.matrix_round.pk]
    assignment = world.matrix_assignment
    response = client.post(reverse("inspections:assignment-done", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.done_by_hand
    home = client.get(reverse("home"))
    card = next(c for c in home.context["app_cards"] if c["template"] == "inspections/_home_card.html")
    assert card["counts"]["overdue"] == 1 and 'id="my-overdue-checks"' in home.content.decode()


def test_the_menu_and_the_office_card(world, login):
    overdue(world)
    home = login(world.director).get(reverse("home"))
    card = next(c for c in home.context["app_cards"] if c["template"] == "inspections/_home_card.html")
    assert card["counts"] == {"due_soon": 0, "overdue": 0, "open_rounds": 1, "school_overdue": 4}
    assert 'id="school-rounds"' in home.content.decode()
    labels = [child["label"] for item in home.context["nav_items"] for child in item.get("children", [])]
    assert "Inspection rounds" in labels and "Group robot" in labels
    teacher_home = login(world.other_teacher).get(reverse("home"))
    assert not any(c["template"] == "inspections/_home_card.html" for c in teacher_home.context["app_cards"])


def test_an_observation_completes_the_observers_teaching_check_and_tells_the_teacher(world):
    day = last_monday()
    round = round_open_by_hand(school=world.school, kind="spot", title="", checklist=["teaching"],
                               checker="office", opens_on=day - dt.timedelta(days=1), due_on=today(),
                               user=world.director.user)
    target = round.assignments.get(teacher=world.other_teacher)
    world.other_teacher.groups.clear()
    # The teacher observing is not the checker: nothing is done.
    make_observation(world)
    assert assignments_sync(round=round, today=today()) == 0
    note = Notification.objects.get(key__startswith="observation:", recipient=world.other_teacher)
    assert world.teacher.name in note.subject
    from observations.services.log import observation_create

    observation_create(observer=target.checker, school_class=world.class_1, date=day, period=2,
                       topic="一元一次方程", kind="leadership", scores={})
    assert assignments_sync(round=round, today=today()) == 1
    target.refresh_from_db()
    assert target.done_at is not None and not target.done_by_hand
