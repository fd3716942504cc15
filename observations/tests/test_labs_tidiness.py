"""Lab-room tidiness checks (V4.IV.6): untidy costs the teacher in charge 3 yuan, once per check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from deductions.models import Violation
from deductions.services import violation_record
from inspections.services import policy_load_preset
from observations.models import LabTidinessCheck
from observations.services.labs import lab_tidiness_check_create
from school.selectors import today

from .permission_cases_labs import seed_labs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def check(world, *, tidy, note="", teacher=None, by=None, day=None):
    by = by or world.office_staff
    return lab_tidiness_check_create(
        room="化学实验室", teacher_in_charge=teacher or world.other_teacher, date=day or today(), tidy=tidy,
        note=note, checked_by=by, user=by.user,
    )


def test_an_untidy_room_fines_the_teacher_in_charge_3_yuan_once(world):
    found = check(world, tidy=False, note="试剂未归位")
    assert (found.term, found.school, found.checked_by) == (world.term, world.school, world.office_staff)
    fine = Violation.objects.get(code="lab_untidy")
    assert (fine.teacher, fine.amount, fine.source, fine.occurred_on) == (world.other_teacher, Decimal("3.00"), found,
                                                                          today())
    # The same finding recorded again (a retry) is the same violation.
    again = violation_record(teacher=world.other_teacher, code="lab_untidy", occurred_on=today(), source=found,
                             user=world.office_staff.user)
    assert again.pk == fine.pk and Violation.objects.count() == 1


def test_a_tidy_room_costs_nothing(world):
    check(world, tidy=True)
    assert LabTidinessCheck.objects.count() == 1 and not Violation.objects.exists()


def test_under_v1_an_untidy_room_is_recorded_without_money(world):
    policy_load_preset(school=world.school, preset="v1")
    check(world, tidy=False, note="地面不洁")
    assert Violation.objects.get().amount == Decimal("0.00")


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"tidy": False, "note": ""}, "Say what was untidy"),
        ({"tidy": True, "day": today() + dt.timedelta(days=1)}, "in the future"),
        ({"tidy": True, "day": today() - dt.timedelta(days=400)}, "No term"),
    ],
)
def test_refusals_record_nothing(world, kwargs, says):
    with pytest.raises(ValidationError, match=says):
        check(world, **kwargs)
    assert not LabTidinessCheck.objects.exists() and not Violation.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "group_leader", "principal"])
def test_only_the_office_records_checks(world, who):
    with pytest.raises(PermissionDenied):
        check(world, tidy=False, note="x", by=getattr(world, who))


def test_a_village_director_records_checks_of_her_school_only(world):
    check(world, tidy=True, teacher=world.village_teacher, by=world.village_director)
    with pytest.raises(PermissionDenied):
        check(world, tidy=True, teacher=world.teacher, by=world.village_director)


def test_the_form_offers_only_the_offices_staff_and_saves(world, login):
    client = login(world.office_staff)
    page = client.get(reverse("observations:lab-tidiness-create"))
    offered = set(page.context["form"].fields["teacher_in_charge"].queryset)
    assert world.village_teacher in offered and world.foreign_teacher not in offered
    response = client.post(reverse("observations:lab-tidiness-create"), {
        "room": "物理实验室", "teacher_in_charge": world.foreign_teacher.pk, "date": today().isoformat(), "tidy": "0",
        "note": "x"})
    assert response.status_code == 200 and "teacher_in_charge" in response.context["form"].errors
    response = client.post(reverse("observations:lab-tidiness-create"), {
        "room": "物理实验室", "teacher_in_charge": world.other_teacher.pk, "date": today().isoformat(), "tidy": "0",
        "note": ""})
    assert response.status_code == 200 and "Say what was untidy" in response.content.decode()
    response = client.post(reverse("observations:lab-tidiness-create"), {
        "room": "物理实验室", "teacher_in_charge": world.other_teacher.pk, "date": today().isoformat(), "tidy": "0",
        "note": "仪器未归位"})
    assert response.status_code == 302
    assert Violation.objects.get().amount == Decimal("3.00")


def test_the_list_shows_the_school_to_the_office_and_her_rooms_to_a_teacher(
    world, login, django_assert_max_num_queries
):
    seed_labs(world)  # an untidy check of the other teacher's room, and a foreign one
    mine = check(world, tidy=True, teacher=world.teacher)
    client = login(world.office_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("observations:lab-tidiness-list"))
    assert len(response.context["checks"]) == 2 and "FOREIGN" not in response.content.decode()
    response = login(world.teacher).get(reverse("observations:lab-tidiness-list"))
    assert list(response.context["checks"]) == [mine]
