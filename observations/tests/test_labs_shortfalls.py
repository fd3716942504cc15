"""Required but not done (V4.IV.6): the list of a school month, and recording it with one fine per experiment and
class (V4: 5 yuan; a policy without the rule records the finding without money)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from deductions.models import Violation
from inspections.services import policy_load_preset
from observations.models import Experiment, LabShortfall
from observations.selectors.labs import Reach, reach_for, shortfalls_for_month
from observations.services.labs import lab_shortfalls_record
from school.selectors import today

from .permission_cases_labs import experiment, seed_labs, session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def labs(world):
    """Grade 7 (classes 1 and 2 of the central school, class 1 of the village): maths is taught in the two
    central classes by the other teacher; Chinese by the teacher (class 1), the group leader (class 2) and the
    village teacher."""
    seed_labs(world)  # the foreign school's rows, and 测量物体的长度 (maths, month 1) done in class 1
    return {
        "ruler": Experiment.objects.get(school=world.school, name="测量物体的长度"),
        "leaf": experiment(world, "观察叶片", subject=world.chinese, month=1, kind=Experiment.Kind.DEMONSTRATION),
        "angle": experiment(world, "量角", subject=world.maths, month=2),
        "end": experiment(world, "期末实验", subject=world.maths, month=None),
        "grade_8": experiment(world, "八年级实验", subject=world.maths, month=1, level=8),
    }


def central(world) -> Reach:
    return Reach(root=world.school, school_ids=frozenset({world.school.pk, world.village.pk}))


def listed(world, month, reach=None):
    reach = reach or central(world)
    return {
        (p.experiment.name, p.school_class.pk, p.teacher.pk if p.teacher else None)
        for p in shortfalls_for_month(root=reach.root, school_ids=reach.school_ids, term=world.term, month=month)
    }


def test_the_month_lists_every_experiment_due_by_then_with_no_session_and_its_teacher(world, labs):
    w = world
    assert listed(w, 1) == {
        ("测量物体的长度", w.class_2.pk, w.other_teacher.pk),  # done in class 1
        ("测量物体的长度", w.village_class.pk, None),  # the village class has no maths on its timetable
        ("观察叶片", w.class_1.pk, w.teacher.pk),
        ("观察叶片", w.class_2.pk, w.group_leader.pk),
        ("观察叶片", w.village_class.pk, w.village_teacher.pk),
    }
    month_2 = listed(w, 2)
    assert ("量角", w.class_1.pk, w.other_teacher.pk) in month_2 and len(month_2) == 8
    assert not any(name == "期末实验" for name, *_rest in month_2)


def test_the_last_month_adds_the_experiments_due_by_the_end_of_term(world, labs):
    last = world.term.school_months()[-1].number
    names = {name for name, *_rest in listed(world, last)}
    assert names == {"测量物体的长度", "观察叶片", "量角", "期末实验"}


def test_a_village_directors_list_has_only_her_schools_classes(world, labs):
    reach = reach_for(world.village_director.user, managing=True)
    assert reach.school_ids == {world.village.pk} and reach.root == world.school
    assert {class_id for _n, class_id, _t in listed(world, 1, reach)} == {world.village_class.pk}


def test_the_page_shows_the_months_list(world, labs, login, django_assert_max_num_queries):
    client = login(world.office_staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("observations:lab-shortfalls"), {"term": world.term.pk, "month": 1})
    assert response.status_code == 200
    assert len(response.context["pairs"]) == 5 and response.context["to_record"] == 4
    body = response.content.decode()
    assert "No teacher in the timetable" in body and "FOREIGN" not in body
    assert client.get(reverse("observations:lab-shortfalls"), {"month": 99}).status_code == 404


# --- recording the month -------------------------------------------------------------------------------------


def fines(world) -> list[tuple]:
    kind = ContentType.objects.get_for_model(LabShortfall)
    return sorted(
        (v.teacher_id, v.amount, v.source_id)
        for v in Violation.objects.filter(code="lab_not_done", source_type=kind)
    )


def test_recording_the_month_fines_5_yuan_per_shortfall_under_v4_exactly_once(world, labs):
    result = lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=world.office_staff.user)
    assert (result.created, result.already, result.no_teacher) == (4, 0, 1)
    shortfalls = {(s.experiment.name, s.school_class_id, s.teacher_id, s.month_number)
                  for s in LabShortfall.objects.select_related("experiment")}
    assert shortfalls == {
        ("测量物体的长度", world.class_2.pk, world.other_teacher.pk, 1),
        ("观察叶片", world.class_1.pk, world.teacher.pk, 1),
        ("观察叶片", world.class_2.pk, world.group_leader.pk, 1),
        ("观察叶片", world.village_class.pk, world.village_teacher.pk, 1),
    }
    first = fines(world)
    assert len(first) == 4 and {amount for _t, amount, _s in first} == {Decimal("5.00")}
    assert {source for _t, _a, source in first} == set(LabShortfall.objects.values_list("pk", flat=True))
    month_1 = world.term.school_months()[0]
    assert set(Violation.objects.values_list("occurred_on", flat=True)) == {min(month_1.end, today())}

    again = lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=world.director.user)
    assert (again.created, again.already) == (0, 4)
    assert fines(world) == first
    assert LabShortfall.objects.count() == 4


def test_a_later_month_adds_only_what_became_due(world, labs):
    lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=world.office_staff.user)
    result = lab_shortfalls_record(reach=central(world), term=world.term, month=2, user=world.office_staff.user)
    assert (result.created, result.already) == (2, 4)  # 量角 in classes 1 and 2
    assert set(LabShortfall.objects.filter(experiment=labs["angle"]).values_list("month_number", flat=True)) == {2}
    assert len(fines(world)) == 6


def test_under_v1_the_finding_is_recorded_without_money(world, labs):
    policy_load_preset(school=world.school, preset="v1")
    lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=world.office_staff.user)
    recorded = fines(world)
    assert len(recorded) == 4 and {amount for _t, amount, _s in recorded} == {Decimal("0.00")}


def test_a_month_that_has_not_begun_cannot_be_recorded(world, labs):
    later = next(m for m in world.term.school_months() if m.start > today())
    with pytest.raises(ValidationError, match="has not begun"):
        lab_shortfalls_record(reach=central(world), term=world.term, month=later.number,
                              user=world.office_staff.user)
    assert not LabShortfall.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "group_leader", "principal", "village_director"])
def test_only_the_office_of_every_school_covered_may_record(world, labs, who):
    with pytest.raises(PermissionDenied):
        lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=getattr(world, who).user)
    assert not LabShortfall.objects.exists() and not Violation.objects.exists()


def test_the_page_records_and_comes_back_with_the_counts(world, labs, login):
    client = login(world.office_staff)
    response = client.post(reverse("observations:lab-shortfalls-record"), {"term": world.term.pk, "month": 1},
                           follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('observations:lab-shortfalls')}?term={world.term.pk}&month=1"
    body = response.content.decode()
    assert "4 experiments not done recorded." in body and "1 without a teacher" in body
    assert response.context["to_record"] == 0
    assert client.post(reverse("observations:lab-shortfalls-record"),
                       {"term": world.foreign_term.pk, "month": 1}).status_code == 404
    assert len(fines(world)) == 4


def test_a_session_logged_after_the_shortfall_keeps_the_finding(world, labs):
    lab_shortfalls_record(reach=central(world), term=world.term, month=1, user=world.office_staff.user)
    session(world, labs["leaf"], world.class_1, world.teacher)
    assert ("观察叶片", world.class_1.pk, world.teacher.pk) not in listed(world, 1)
    assert len(fines(world)) == 4
