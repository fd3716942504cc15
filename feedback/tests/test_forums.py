"""Forums (issue 7.7; V3.11 student representatives' forums 1-2 a term, V7.8 student forums and parent meetings):
the office records them with opinions per teacher, follow-up and feedback; each person reads what concerns her."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.services import policy_load_preset

from ..models import Forum, ForumOpinion, Kind
from ..services import forums as services
from .world import add_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def record(w, **changes):
    values = dict(school=w.school, term=w.term, kind=Kind.STUDENT, date=dt.date.today(), topic="座谈会",
                  participants="学生代表", participant_count=10, opinions=[services.OpinionIn(w.teacher, "很好")],
                  user=w.director.user)
    return services.forum_create(**(values | changes))


def test_a_forum_is_recorded_with_its_opinions_and_keeps_history(world):
    w = world
    forum = record(w, hosts=[w.director], classes=[w.class_1])
    assert list(forum.opinions.values_list("teacher__name", "opinion")) == [(w.teacher.name, "很好")]
    services.forum_update(forum=forum, date=forum.date, kind=Kind.STUDENT, topic="座谈会", participants="学生代表",
                          participant_count=10, follow_up="已反馈", user=w.director.user, opinions=[
                              services.OpinionIn(w.teacher, "很好", feedback="已当面反馈", fed_back_on=forum.date),
                              services.OpinionIn(w.other_teacher, "语速快")])
    opinion = ForumOpinion.objects.get(forum=forum, teacher=w.teacher)
    assert opinion.feedback == "已当面反馈" and opinion.history.count() == 2
    assert forum.opinions.count() == 2
    services.forum_update(forum=forum, date=forum.date, kind=Kind.STUDENT, topic="座谈会", participants="学生代表",
                          participant_count=10, user=w.director.user,
                          opinions=[services.OpinionIn(w.other_teacher, "语速快")])
    assert list(forum.opinions.values_list("teacher", flat=True)) == [w.other_teacher.pk]


@pytest.mark.parametrize("changes, message", [
    ({"date": dt.date.today() + dt.timedelta(days=1)}, "once it has been held"),
    ({"date": dt.date(2000, 1, 1)}, "within the term"),
    ({"classes": "foreign"}, "not a class of this school"),
    ({"opinions": "foreign"}, "not on the staff of this school"),
    ({"opinions": "twice"}, "Each teacher once"),
    ({"opinions": "dated"}, "what feedback"),
])
def test_a_wrong_forum_is_refused_whole(world, changes, message):
    w = world
    replacements = {
        "foreign": {"classes": [w.foreign_class], "opinions": [services.OpinionIn(w.foreign_teacher, "x")]},
        "twice": {"opinions": [services.OpinionIn(w.teacher, "a"), services.OpinionIn(w.teacher, "b")]},
        "dated": {"opinions": [services.OpinionIn(w.teacher, "a", fed_back_on=dt.date.today())]},
    }
    values = {k: (replacements[v][k] if isinstance(v, str) else v) for k, v in changes.items()}
    with pytest.raises(ValidationError, match=message):
        record(w, **values)
    assert not Forum.objects.exists()


def test_only_the_office_records_forums(world):
    for person in (world.teacher, world.principal, world.foreign_director):
        with pytest.raises(PermissionDenied):
            record(world, user=person.user)


def test_the_forum_page_shows_each_person_her_part(world, login):
    w = world
    f = add_feedback(w)
    url = reverse("feedback:forum-detail", args=[f.forum.pk])
    page = login(w.teacher).get(url).content.decode()
    assert "讲课生动" in page and "语速偏快" not in page and "七年级各班学生代表" not in page
    page = login(w.other_teacher).get(url).content.decode()
    assert "语速偏快" in page and "已当面反馈" in page and "讲课生动" not in page
    page = login(w.principal).get(url).content.decode()
    assert "讲课生动" in page and "语速偏快" in page and "七年级各班学生代表" in page
    # A teacher the forum said nothing about does not find it.
    assert login(w.village_teacher).get(url).status_code == 404


def test_the_list_counts_forums_against_the_policy(world, login):
    w = world
    policy_load_preset(school=w.school, preset="v3")  # student forums 1-2 a term
    add_feedback(w)
    page = login(w.director).get(reverse("feedback:forum-list")).content.decode()
    assert "Student forums this term: 1" in page and "the policy asks for 1–2 a term (V3.11)" in page
    assert "behind" not in page


def test_the_office_records_a_forum_on_its_page(world, login):
    w = world
    client = login(w.director)
    assert client.get(reverse("feedback:forum-create")).status_code == 200
    data = {"kind": "parent", "date": dt.date.today().isoformat(), "topic": "家长会", "participants": "七年级家长",
            "participant_count": 40, "summary": "", "follow_up": "", "classes": [w.class_1.pk],
            "opinions-TOTAL_FORMS": 3, "opinions-INITIAL_FORMS": 0,
            "opinions-0-teacher": w.teacher.pk, "opinions-0-opinion": "认真负责",
            "opinions-1-teacher": "", "opinions-1-opinion": "没有写老师"}
    response = client.post(reverse("feedback:forum-create"), data)
    assert response.status_code == 400 and "Choose the teacher these opinions are about." in response.content.decode()
    data["opinions-1-opinion"] = ""
    response = client.post(reverse("feedback:forum-create"), data)
    forum = Forum.objects.get()
    assert response.status_code == 302 and forum.kind == Kind.PARENT and forum.recorded_by == w.director
    assert list(forum.opinions.values_list("teacher", "opinion")) == [(w.teacher.pk, "认真负责")]
    # The teacher reads it on her results page.
    page = login(w.teacher).get(reverse("feedback:results")).content.decode()
    assert "认真负责" in page
