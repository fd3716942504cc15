"""The observation log's pages: logging on a phone with the lesson filled by htmx, one record per double
submit, the lists and their tabs, acknowledging and replying, editing, quotas and reviews; queries pinned."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import translation
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.services import policy_load_preset
from observations.models import LessonSwap, NotesReview, Observation
from observations.rubric import rubric_for
from observations.selectors.log import lessons_now

from .permission_cases_log import add_bulk, last_monday, make_observation, observe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

CREATE = reverse("observations:observation-create")


def lesson_query(w, school_class=None, period=1, day=None):
    return {"date": f"{day or last_monday():%Y-%m-%d}", "period": period,
            "school_class": (school_class or w.class_2).pk}


def post_data(w, key, **overrides):
    items = rubric_for(w.school)
    data = lesson_query(w) | {
        "topic": "一元一次方程", "kind": "peer", "notes": "节奏好", "strengths": "", "suggestions": "多练习",
        "discussed": "on", "discussed_on": f"{timezone.localdate():%Y-%m-%d}", "submission_key": str(key),
        f"score_{items[0].pk}": "13", f"score_{items[1].pk}": "17.5",
    }
    return data | overrides


# --- logging ------------------------------------------------------------------------------------


def test_the_entry_page_is_built_for_a_phone(world, login):
    response = login(world.teacher).get(CREATE)
    body = response.content.decode()
    assert body.count('inputmode="decimal"') == 6
    assert 'name="submission_key"' in body and 'type="hidden"' in body
    form = response.context["form"]
    assert form.initial["kind"] == "peer" and form.initial["date"] == timezone.localdate()
    uuid.UUID(str(form.initial["submission_key"]))
    assert 'hx-get="%s"' % CREATE in body
    # A leader observes as leadership by default.
    assert login(world.director).get(CREATE).context["form"].initial["kind"] == "leadership"


def test_changing_the_lesson_fetches_the_teacher_and_subject(world, login):
    client = login(world.teacher)
    response = client.get(CREATE, lesson_query(world), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="lesson-info"' in body
    assert world.other_teacher.name in body and world.maths.name in body
    # Her own lesson, a time with no lesson, a class of another school.
    body = client.get(CREATE, lesson_query(world, world.class_1), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="lesson-problem"' in body and world.teacher.name in body
    body = client.get(CREATE, lesson_query(world, period=3), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="lesson-problem"' in body and 'id="lesson-teacher"' not in body
    body = client.get(CREATE, lesson_query(world, world.foreign_class), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="lesson-problem"' in body and "FOREIGN" not in body


def test_the_fragment_follows_an_approved_swap(world, login):
    LessonSwap.objects.create(
        term=world.term, school=world.school, date=last_monday(), period=1, school_class=world.class_2,
        subject=world.chinese, teacher=world.other_teacher, substitute=world.group_leader, reason="外出学习",
        requested_by=world.other_teacher, status=LessonSwap.Status.APPROVED,
    )
    body = login(world.teacher).get(CREATE, lesson_query(world), HTTP_HX_REQUEST="true").content.decode()
    teacher = re.search(r'id="lesson-teacher">([^<]+)<', body).group(1)
    assert teacher == world.group_leader.name and world.chinese.name in body


def test_a_tap_in_lessons_now_opens_the_page_with_the_lesson_chosen(world, login):
    response = login(world.teacher).get(CREATE, lesson_query(world))
    assert response.context["lesson"].teacher == world.other_teacher
    assert str(response.context["form"]["school_class"].value()) == str(world.class_2.pk)


def test_lessons_now_are_the_current_period_s_lessons_but_her_own(world):
    monday = last_monday()
    moment = timezone.make_aware(dt.datetime.combine(monday, dt.time(8, 20)))
    period, lessons = lessons_now(world.teacher, moment)
    assert period.number == 1
    # Class 1 is hers at that time; class 2 is the other teacher's; the village's is another school's.
    assert [(le.school_class, le.teacher) for le in lessons] == [(world.class_2, world.other_teacher)]
    # Between bells, the period that has just ended; before the first bell, none.
    period, lessons = lessons_now(world.teacher, moment.replace(hour=9, minute=50))
    assert period.number == 2 and [le.teacher for le in lessons] == [world.other_teacher]
    assert lessons_now(world.teacher, moment.replace(hour=6)) == (None, [])
    LessonSwap.objects.create(
        term=world.term, school=world.school, date=monday, period=1, school_class=world.class_2,
        subject=world.chinese, teacher=world.other_teacher, substitute=world.group_leader, reason="调课",
        requested_by=world.other_teacher, status=LessonSwap.Status.APPROVED,
    )
    period, lessons = lessons_now(world.teacher, moment)
    assert [le.teacher for le in lessons] == [world.group_leader]


def test_submitting_twice_makes_one_record(world, login):
    client = login(world.teacher)
    key = uuid.uuid4()
    first = client.post(CREATE, post_data(world, key))
    second = client.post(CREATE, post_data(world, key))
    observation = Observation.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("observations:observation-detail",
                                                              args=[observation.pk])
    assert observation.total_score == 30.5 and observation.teacher == world.other_teacher


def test_a_refused_observation_shows_why_and_keeps_what_was_typed(world, login):
    client = login(world.teacher)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(CREATE, post_data(world, uuid.uuid4(), date=f"{tomorrow:%Y-%m-%d}"))
    assert response.status_code == 200 and not Observation.objects.exists()
    assert "future" in " ".join(response.context["form"].non_field_errors())
    assert 'id="observation-errors"' in response.content.decode()
    items = rubric_for(world.school)
    response = client.post(CREATE, post_data(world, uuid.uuid4(), **{f"score_{items[0].pk}": "16"}))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Observation.objects.exists()


def test_a_superuser_with_no_staff_record_cannot_log(world, login):
    assert login(world.superuser).get(CREATE).status_code == 403


# --- lists, detail, acknowledgement, reply, edit ------------------------------------------------


def test_the_tabs_show_received_and_written_observations(world, login):
    observation = make_observation(world)
    elsewhere = observe(world, world.director, date=last_monday(), teacher=world.other_teacher, topic="外组课")
    url = reverse("observations:observation-list")
    received = login(world.other_teacher).get(url)
    assert [o.pk for o in received.context["object_list"]] == [elsewhere.pk, observation.pk]
    assert [o.pk for o in login(world.teacher).get(url, {"tab": "written"}).context["object_list"]] == [
        observation.pk]
    assert list(login(world.teacher).get(url, {"tab": "received"}).context["object_list"]) == []
    # The group leader sees her group's (the teacher wrote it), not the director's observation of another group.
    group = login(world.group_leader).get(url, {"tab": "all"})
    assert [o.pk for o in group.context["object_list"]] == [observation.pk]
    school = login(world.principal).get(url, {"tab": "all"})
    assert {o.pk for o in school.context["object_list"]} == {observation.pk, elsewhere.pk}
    assert login(world.principal).get(url, {"tab": "all", "q": "外组"}).context["object_list"][0] == elsewhere
    Observation.objects.filter(pk=elsewhere.pk).update(acknowledged_at=timezone.now())
    for value, expected in (("yes", [elsewhere.pk]), ("no", [observation.pk])):
        response = login(world.principal).get(url, {"tab": "all", "acknowledged": value})
        assert [o.pk for o in response.context["object_list"]] == expected


def test_the_observed_teacher_acknowledges_and_replies(world, login):
    observation = make_observation(world)
    detail = reverse("observations:observation-detail", args=[observation.pk])
    assert 'id="observation-acknowledge"' not in login(world.teacher).get(detail).content.decode()
    client = login(world.other_teacher)
    assert 'id="observation-acknowledge"' in client.get(detail).content.decode()
    response = client.post(reverse("observations:observation-acknowledge", args=[observation.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    observation.refresh_from_db()
    assert observation.acknowledged_at is not None
    assert client.get(reverse("observations:observation-acknowledge", args=[observation.pk])).status_code == 405
    client.post(reverse("observations:observation-reply", args=[observation.pk]), {"reply": "谢谢建议"})
    observation.refresh_from_db()
    assert observation.reply == "谢谢建议"
    body = client.get(detail).content.decode()
    assert "谢谢建议" in body and 'id="observation-acknowledge"' not in body
    # Every change is in the history the page shows.
    assert len(client.get(detail).context["history"]) == 3


def test_the_writer_edits_until_acknowledged(world, login):
    observation = make_observation(world)
    url = reverse("observations:observation-update", args=[observation.pk])
    client = login(world.teacher)
    assert client.get(url).status_code == 200
    response = client.post(url, {"topic": "勾股定理的逆定理", "kind": "open_lesson", "notes": "补记"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert (observation.topic, observation.kind) == ("勾股定理的逆定理", "open_lesson")
    login(world.other_teacher).post(reverse("observations:observation-acknowledge", args=[observation.pk]))
    client = login(world.teacher)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith(f"/{observation.pk}/")
    assert client.post(url, {"topic": "再改", "kind": "peer"}).status_code == 302
    observation.refresh_from_db()
    assert observation.topic == "勾股定理的逆定理"


@pytest.mark.parametrize("who, tab", [("director", "all"), ("group_leader", "all"), ("teacher", "written")])
def test_the_list_runs_a_bounded_number_of_queries(world, login, who, tab, django_assert_max_num_queries):
    make_observation(world)
    url = reverse("observations:observation-list")
    client = login(getattr(world, who))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"tab": tab}).status_code == 200
    add_bulk(world)
    for n in range(30):
        observe(world, world.teacher, date=world.term.start_date + dt.timedelta(days=n))
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as big:
        response = client.get(url, {"tab": tab})
    assert response.status_code == 200 and len(response.context["object_list"]) > 1
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_detail_runs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    observation = make_observation(world)
    items = rubric_for(world.school)
    for item in items:
        observation.scores.create(item=item, score=item.max_score)
    client = login(world.other_teacher)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("observations:observation-detail", args=[observation.pk])).status_code == 200


# --- quotas -------------------------------------------------------------------------------------


def test_the_quota_list_shows_everyone_with_who_is_behind_first(world, login):
    policy_load_preset(school=world.school, preset="v1")
    for _ in range(3):
        observe(world, world.other_teacher, date=world.term.start_date + dt.timedelta(days=2))
    url = reverse("observations:quota-list")
    response = login(world.director).get(url)
    body = response.content.decode()
    assert 'id="quota-table"' in body and world.other_teacher.name in body
    table = response.context["table"]
    assert table[0].behind or not any(p.behind for p in table)
    assert response.context["behind_count"] == sum(1 for p in table if p.behind)
    only_teachers = login(world.director).get(url, {"role": "teacher", "sort": "name"}).context["table"]
    assert all("teacher" in p.staff.role_codes for p in only_teachers)
    group = login(world.director).get(url, {"group": world.maths_group.pk}).context["table"]
    assert [p.staff for p in group] == [world.other_teacher]
    assert group[0].rows[0].done == 3
    # A group leader sees her group; a teacher may not open the page.
    mine = login(world.group_leader).get(url).context["table"]
    assert {p.staff.pk for p in mine} == {world.group_leader.pk, world.teacher.pk}
    assert login(world.teacher).get(url).status_code == 403


@pytest.mark.parametrize("who", ["director", "group_leader", "principal"])
def test_the_quota_list_s_queries_stay_flat_with_30_more_staff(world, login, who, django_assert_max_num_queries):
    policy_load_preset(school=world.school, preset="v3")
    url = reverse("observations:quota-list")
    client = login(getattr(world, who))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"role": "teacher"}).status_code == 200
    add_bulk(world)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as big:
        response = client.get(url, {"role": "teacher"})
    assert len(response.context["table"]) > 30
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_home_page_shows_progress_and_the_button_to_log(world, login, django_assert_max_num_queries):
    policy_load_preset(school=world.school, preset="v1")
    client = login(world.teacher)
    body = client.get(reverse("home")).content.decode()
    assert 'id="log-observation"' in body and f'href="{CREATE}"' in body
    assert re.search(r'data-quota-role="teacher"', body)
    assert "0/10" in body
    client.post(CREATE, post_data(world, uuid.uuid4()))
    add_bulk(world)
    # 14 for the page, her policy and her timetable, then each app's card: observations 1, fines 2, rounds 1, lesson
    # preparation 6 (her plans, the policy and its rules, the deadlines, her latest checks), homework 2, exams 1,
    # feedback 1. The same whatever the school's size (school/tests/test_large_school.py).
    with django_assert_max_num_queries(28):
        body = client.get(reverse("home")).content.decode()
    assert "1/10" in body
    # Under a policy with no quota for her roles, the button is still there.
    policy_load_preset(school=world.school, preset="v4")
    body = client.get(reverse("home")).content.decode()
    assert 'id="log-observation"' in body and 'id="quota-progress"' not in body


# --- reviews ------------------------------------------------------------------------------------


def test_a_group_leader_reviews_her_teacher_s_notes(world, login):
    policy_load_preset(school=world.school, preset="v1")
    observation = make_observation(world)
    client = login(world.group_leader)
    response = client.get(reverse("observations:review-list"))
    (row,) = response.context["rows"]
    assert row.staff == world.teacher and [n.pk for n in row.new_notes] == [observation.pk]
    url = reverse("observations:review-create", args=[world.teacher.pk])
    assert f'href="{url}"' in response.content.decode()
    form = client.get(url).context["form"]
    assert form.initial["observations"] == [observation.pk]
    response = client.post(url, {"observations": [observation.pk], "verdict": "good", "comment": "记录完整"})
    assert response.status_code == 302 and response["Location"] == reverse("observations:review-list")
    review = NotesReview.objects.get()
    assert (review.reviewer, review.reviewee, list(review.observations.all())) == (
        world.group_leader, world.teacher, [observation])
    (row,) = client.get(reverse("observations:review-list")).context["rows"]
    assert row.done == 1 and row.new_notes == []
    # Someone outside her chain, and a verdict missing.
    assert client.get(reverse("observations:review-create", args=[world.other_teacher.pk])).status_code in (403, 404)
    assert client.post(url, {"comment": "无结论"}).status_code == 200
    assert NotesReview.objects.count() == 1


def test_the_review_pages_run_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    policy_load_preset(school=world.school, preset="v6")
    make_observation(world)
    client = login(world.group_leader)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("observations:review-list")).status_code == 200
    people = add_bulk(world)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as big:
        response = client.get(reverse("observations:review-list"))
    assert len(response.context["rows"]) == 31
    assert len(big.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("observations:review-create", args=[people[0].pk]))
    assert response.status_code == 200 and len(response.context["form"].fields["observations"].choices) >= 3
