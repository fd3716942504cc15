"""The end-of-term six-earnests evaluation (V4.III): evidence gathered from the apps (observations, labs, patrol,
fines, and any provider), the evaluator's grade and comment per earnest with history, the workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import evidence
from inspections.models import Earnest, SixEarnestsEvaluation
from inspections.selectors.earnests import evaluations_for, teachers_to_evaluate
from inspections.services.earnests import six_earnests_evaluate
from observations.tests.permission_cases_log import make_observation
from school.tests.world import add_fines

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


class Homework:
    """The homework app as it will be: gradings against lessons."""

    @staticmethod
    def six_earnests_evidence(*, term, teacher_ids):
        return {pk: [evidence.Fact(Earnest.HOMEWORK, "批改次数/课时", "38/40", concern=True)] for pk in teacher_ids}


def row_of(rows, teacher):
    return next(r for r in rows if r.teacher.pk == teacher.pk)


def test_the_evidence_of_the_term_beside_each_earnest(world):
    make_observation(world)  # teacher observed other_teacher
    add_fines(world)
    with evidence.extra_provider(Homework()):
        rows = evaluations_for(world.term, teachers_to_evaluate(world.director.user, world.term))
    observed = row_of(rows, world.other_teacher)
    teaching = {f.label: f.value for f in observed.earnests[1].facts}
    assert observed.earnests[1].code == Earnest.TEACHING
    assert teaching["Lessons observed by others"] == "1" and teaching["Lessons she observed"] == "0"
    assert row_of(rows, world.teacher).earnests[1].facts[1].value == "1"
    homework = [(f.label, f.value) for f in observed.earnests[2].facts]
    assert homework[-1] == ("批改次数/课时", "38/40") and len(homework) > 1  # after the homework app's own
    fines = {f.label: f.value for f in row_of(rows, world.teacher).other_facts}
    assert fines == {"Fines this term": "1 findings, 2.00 yuan"}  # the proposed ones are not fines yet
    concerns = [(line.code, f.label) for line in observed.earnests for f in line.facts if f.concern]
    concerns += [("", f.label) for f in observed.other_facts if f.concern]
    # The fine and the homework shortfall, beside what the apps find missing: no homework check, no tutoring
    # record, no term summary handed in.
    assert sorted(concerns) == sorted([
        ("", "Fines this term"), (Earnest.HOMEWORK, "批改次数/课时"), (Earnest.HOMEWORK, "Homework checks"),
        (Earnest.TUTORING, "Tutoring records"), (Earnest.SUMMARY, "Term summary")])
    assert observed.concerns == len(concerns)
    # The village school's teacher is the village director's to see, not a group leader's.
    assert world.village_teacher.pk in {r.teacher.pk for r in rows}
    leader_rows = teachers_to_evaluate(world.group_leader.user, world.term)
    assert set(leader_rows.values_list("name", flat=True)) == {world.group_leader.name, world.teacher.name}


def test_evaluating_keeps_history_and_refuses_who_may_not(world):
    grades = {"teaching": "excellent", "overall": "good"}
    evaluation = six_earnests_evaluate(term=world.term, teacher=world.teacher, grades=grades,
                                       comments={"overall": " 认真负责 "}, user=world.director.user)
    assert evaluation.overall_comment == "认真负责" and evaluation.evaluator == world.director
    six_earnests_evaluate(term=world.term, teacher=world.teacher, grades={"overall": "excellent"}, comments={},
                          user=world.principal.user)
    evaluation.refresh_from_db()
    assert evaluation.overall_grade == "excellent" and evaluation.teaching_grade == ""
    assert [h.history_user for h in evaluation.history.order_by("history_date")] == [
        world.director.user, world.principal.user]
    with pytest.raises(ValidationError):
        six_earnests_evaluate(term=world.term, teacher=world.teacher, grades={"overall": "A+"}, comments={},
                              user=world.director.user)
    for who in (world.group_leader, world.teacher, world.village_director, world.foreign_director):
        with pytest.raises(PermissionDenied):
            six_earnests_evaluate(term=world.term, teacher=world.teacher, grades={}, comments={}, user=who.user)
    assert SixEarnestsEvaluation.objects.count() == 1


def test_the_form_saves_and_the_list_shows_the_grade(world, login):
    client = login(world.director)
    url = reverse("inspections:six-earnests-evaluate", args=[world.teacher.pk]) + f"?term={world.term.pk}"
    assert client.post(url, {"teaching_grade": "good"}).status_code == 200  # the overall grade is required
    assert not SixEarnestsEvaluation.objects.exists()
    response = client.post(url, {"overall_grade": "good", "homework_grade": "fair",
                                 "homework_comment": "批改需更及时"})
    assert response.status_code == 302
    page = client.get(reverse("inspections:six-earnests")).content.decode()
    assert "1 of" in page or "1 / " in page or "已评" in page
    mine = login(world.teacher).get(url)
    assert mine.status_code == 200 and "批改需更及时" in mine.content.decode() and not mine.context["can_evaluate"]


def test_the_workbook(world, login):
    make_observation(world)
    six_earnests_evaluate(term=world.term, teacher=world.other_teacher, grades={"overall": "excellent"},
                          comments={"overall": "=1+1 不是公式"}, user=world.director.user)
    response = login(world.director).get(reverse("inspections:six-earnests-export") + f"?term={world.term.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Six earnests evaluation of teachers"
    assert rows[2][4] == "Lesson preparation" and rows[3][4:7] == ["Evidence", "Grade", "Comment"]
    other = next(r for r in rows if r[2] == world.other_teacher.name)
    assert "Lessons observed by others：1" in other[7]
    assert other[-2] == "Excellent" and other[-1] == "=1+1 不是公式"
    assert sheet.cell(row=rows.index(other) + 1, column=len(other)).data_type == "s"
    assert world.foreign_teacher.name not in str(rows)
