"""The lab log: a teacher logs each experiment done with one of her classes; the refusals say why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from observations.models import Experiment, LabSession
from observations.selectors.labs import classes_for_teacher, experiments_for_teacher
from observations.services.labs import lab_session_create
from school.selectors import today
from school.tests.factories import TimetableEntryFactory

from .permission_cases_labs import experiment, seed_labs, session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def labs(world):
    """Chinese and maths experiments of grade 7 this term, one of grade 8 and one of the other term."""
    return {
        "leaf": experiment(world, "观察叶片", subject=world.chinese, month=1, kind=Experiment.Kind.DEMONSTRATION),
        "ruler": experiment(world, "测量长度", subject=world.maths, month=1),
        "grade_8": experiment(world, "八年级实验", subject=world.chinese, level=8),
        "other_term": Experiment.objects.create(school=world.school, subject=world.chinese, grade_level=7,
                                                term_number=3 - world.term.number, name="下学期实验",
                                                kind=Experiment.Kind.GROUP),
    }


def log(world, teacher, the_experiment, school_class, *, day=None, kind=Experiment.Kind.GROUP):
    return lab_session_create(teacher=teacher, experiment=the_experiment, school_class=school_class,
                              date=day or today(), kind=kind)


def test_a_teacher_logs_an_experiment_of_a_subject_she_teaches_in_the_class(world, labs):
    done = log(world, world.teacher, labs["leaf"], world.class_1, kind=Experiment.Kind.DEMONSTRATION)
    assert (done.term, done.teacher, done.kind, done.date) == (world.term, world.teacher, "demonstration", today())


def test_the_form_offers_the_experiments_of_her_subjects_and_grades_and_her_classes(world, labs):
    assert list(experiments_for_teacher(world.teacher, world.term)) == [labs["leaf"]]
    assert list(classes_for_teacher(world.teacher, world.term)) == [world.class_1]
    assert list(experiments_for_teacher(world.other_teacher, world.term)) == [labs["ruler"]]
    assert list(classes_for_teacher(world.other_teacher, world.term)) == [world.class_1, world.class_2]
    assert not experiments_for_teacher(world.principal, world.term).exists()


@pytest.mark.parametrize(
    ("who", "which", "where", "day", "field", "says"),
    [
        ("teacher", "leaf", "class_1", 1, "date", "in the future"),
        ("teacher", "leaf", "class_1", -400, "date", "No term"),
        ("teacher", "leaf", "class_2", 0, "school_class", "You do not teach"),  # not her class
        ("teacher", "ruler", "class_1", 0, "school_class", "You do not teach"),  # her class, not her subject
        ("teacher", "grade_8", "class_1", 0, "school_class", "You do not teach"),  # another grade
        ("teacher", "other_term", "class_1", 0, "experiment", "other term"),
        ("teacher", "leaf", "village_class", 0, "school_class", "You do not teach"),
        ("village_teacher", "leaf", "class_1", 0, "school_class", "You do not teach"),
    ],
)
def test_refusals_say_why_and_log_nothing(world, labs, who, which, where, day, field, says):
    with pytest.raises(ValidationError) as info:
        log(world, getattr(world, who), labs[which], getattr(world, where), day=today() + dt.timedelta(days=day))
    assert field in info.value.error_dict
    assert says in " ".join(info.value.messages)
    assert not LabSession.objects.exists()


def test_a_village_teacher_logs_the_central_schools_experiment_with_her_class(world, labs):
    done = log(world, world.village_teacher, labs["leaf"], world.village_class)
    assert done.school_class == world.village_class


def test_a_second_log_of_the_same_experiment_and_class_this_term_is_refused_clearly(world, labs):
    first = log(world, world.teacher, labs["leaf"], world.class_1, day=today() - dt.timedelta(days=3))
    # A co-teacher of the class's Chinese who tries again is refused as well, naming who logged it and when.
    TimetableEntryFactory(term=world.term, school_class=world.class_1, weekday=3, period=3, subject=world.chinese,
                          teacher=world.group_leader)
    for who in (world.teacher, world.group_leader):
        with pytest.raises(ValidationError) as info:
            log(world, who, labs["leaf"], world.class_1)
        message = " ".join(info.value.messages)
        assert "already logged" in message and str(first.date) in message and world.teacher.name in message
    assert LabSession.objects.count() == 1


# --- the pages -----------------------------------------------------------------------------------------------


def test_logging_on_the_page_saves_and_goes_to_her_list(world, labs, login):
    client = login(world.teacher)
    page = client.get(reverse("observations:lab-session-create"))
    assert list(page.context["form"].fields["experiment"].queryset) == [labs["leaf"]]
    response = client.post(reverse("observations:lab-session-create"), {
        "experiment": labs["leaf"].pk, "school_class": world.class_1.pk, "date": today().isoformat(),
        "kind": "demonstration", "note": "分组观察",
    })
    assert response.status_code == 302 and response["Location"] == reverse("observations:lab-session-list")
    assert LabSession.objects.get().note == "分组观察"


def test_a_double_submit_on_the_page_is_refused_with_the_reason(world, labs, login):
    client = login(world.teacher)
    data = {"experiment": labs["leaf"].pk, "school_class": world.class_1.pk, "date": today().isoformat(),
            "kind": "group"}
    client.post(reverse("observations:lab-session-create"), data)
    response = client.post(reverse("observations:lab-session-create"), data)
    assert response.status_code == 200
    assert "already logged" in response.content.decode()
    assert LabSession.objects.count() == 1


def test_an_experiment_of_another_teacher_cannot_be_posted(world, labs, login):
    response = login(world.teacher).post(reverse("observations:lab-session-create"), {
        "experiment": labs["ruler"].pk, "school_class": world.class_1.pk, "date": today().isoformat(),
        "kind": "group"})
    assert response.status_code == 200 and response.context["form"].errors["experiment"]
    assert not LabSession.objects.exists()


def test_her_list_shows_her_sessions_and_what_she_still_has_to_do(world, labs, login):
    seed_labs(world)  # the other teacher's maths session in class 1, and the foreign school's
    mine = session(world, labs["leaf"], world.class_1, world.teacher)
    response = login(world.teacher).get(reverse("observations:lab-session-list"))
    assert list(response.context["sessions"]) == [mine]
    assert response.context["to_do"] == []
    LabSession.objects.filter(pk=mine.pk).delete()
    response = login(world.teacher).get(reverse("observations:lab-session-list"))
    assert [(p.experiment, p.school_class) for p in response.context["to_do"]] == [(labs["leaf"], world.class_1)]


def test_the_office_sees_the_schools_sessions_and_the_list_has_a_bounded_number_of_queries(
    world, labs, login, django_assert_max_num_queries
):
    seed_labs(world)
    for school_class in (world.class_1, world.class_2):
        session(world, labs["ruler"], school_class, world.other_teacher)
    client = login(world.director)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("observations:lab-session-list"))
    assert {s.school_class for s in response.context["sessions"]} == {world.class_1, world.class_2}
    assert "FOREIGN" not in response.content.decode()


def test_choosing_an_experiment_narrows_the_classes_to_its_grade_and_subject(world, labs, login):
    TimetableEntryFactory(term=world.term, school_class=world.village_class, weekday=4, period=4,
                          subject=world.chinese, teacher=world.other_teacher)
    client = login(world.other_teacher)
    url = reverse("observations:lab-session-create")
    fragment = client.get(url, {"experiment": labs["ruler"].pk}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and 'id="class-field"' in body and "<html" not in body
    offered = re.findall(r'<option value="(\d+)"', body)
    assert offered == [str(world.class_1.pk), str(world.class_2.pk)]
    # Without scripts, the same narrowing from the address; all her classes before an experiment is chosen.
    page = client.get(url, {"experiment": labs["ruler"].pk})
    assert list(page.context["form"].fields["school_class"].queryset) == [world.class_1, world.class_2]
    assert world.village_class in client.get(url).context["form"].fields["school_class"].queryset
