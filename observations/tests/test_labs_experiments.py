"""The required experiments list: each experiment of the term with the classes of its grade that have done it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from observations.models import Experiment

from .permission_cases_labs import experiment, seed_labs, session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def completion(response) -> dict:
    return {row["experiment"].name: (row["done"], row["classes"]) for row in response.context["rows"]}


def test_each_experiment_shows_how_many_classes_of_its_grade_have_done_it(world, login,
                                                                           django_assert_max_num_queries):
    seed_labs(world)  # 测量物体的长度 done in class 1; the foreign school's experiment and session
    leaf = experiment(world, "观察叶片", subject=world.chinese)
    session(world, leaf, world.class_2, world.group_leader)
    session(world, leaf, world.village_class, world.village_teacher)
    experiment(world, "八年级实验", level=8)
    Experiment.objects.create(school=world.school, subject=world.maths, grade_level=7, name="下学期实验",
                              term_number=3 - world.term.number, kind=Experiment.Kind.GROUP)
    client = login(world.director)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("observations:experiment-list"))
    assert completion(response) == {"测量物体的长度": (1, 3), "观察叶片": (2, 3), "八年级实验": (0, 0)}
    assert "FOREIGN" not in response.content.decode()
    filtered = client.get(reverse("observations:experiment-list"), {"term": world.term.pk,
                                                                     "subject": world.chinese.pk})
    assert completion(filtered) == {"观察叶片": (2, 3)}
    by_grade = client.get(reverse("observations:experiment-list"), {"term": world.term.pk, "grade": 8})
    assert completion(by_grade) == {"八年级实验": (0, 0)}


def test_a_village_director_sees_her_schools_classes_only(world, login):
    seed_labs(world)
    leaf = experiment(world, "观察叶片", subject=world.chinese)
    session(world, leaf, world.village_class, world.village_teacher)
    response = login(world.village_director).get(reverse("observations:experiment-list"))
    assert completion(response) == {"测量物体的长度": (0, 1), "观察叶片": (1, 1)}
    assert not response.context["can_manage"]  # the central school's office manages the list
