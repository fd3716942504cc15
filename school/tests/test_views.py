import pytest
from django.urls import reverse

from school.models import Role

from .factories import SchoolClassFactory, StaffFactory, StudentFactory, TimetableEntryFactory

pytestmark = pytest.mark.django_db


def add_bulk(world, n=30):
    """More rows of every kind, to show that a page's queries do not grow with them."""
    for i in range(n):
        staff = StaffFactory(school=world.school, roles=[Role.TEACHER])
        world.chinese_group.members.add(staff)
        school_class = SchoolClassFactory(grade=world.class_1.grade, number=10 + i, head_teacher=staff)
        StudentFactory(school_class=school_class)
        TimetableEntryFactory(term=world.term, school_class=school_class, weekday=3, period=1 + i % 8,
                              subject=world.chinese, teacher=staff)


@pytest.mark.parametrize("url_name", ["school:staff-list", "school:class-list", "school:student-list"])
def test_list_pages_run_a_bounded_number_of_queries(world, login, django_assert_max_num_queries, url_name):
    client = login(world.director)
    url = reverse(url_name)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    add_bulk(world)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_home_and_timetable_run_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    add_bulk(world)
    for who in (world.teacher, world.group_leader, world.director, world.principal):
        client = login(who)
        # 22, 3 for the "My fines" card of those who teach (her totals, her new findings), 3 for the homework
        # card (her checks, her tutoring; an inspector's checks of this week's list), 1 for the inspections card
        # (her checks; the school's open rounds), 2 for the exams card (her quality-analysis forms due; the
        # office's exams of the term), 2 for the lesson-preparation card (her plans, the policy and its deadlines,
        # her summary, her latest checks; a reviewer's plans waiting), 2 for the evaluation card (her latest
        # results; the office's rounds in progress).
        with django_assert_max_num_queries(35):
            assert client.get(reverse("home")).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("school:timetable")).status_code == 200


def test_the_staff_list_filters_by_role_and_search(world, login):
    client = login(world.director)
    response = client.get(reverse("school:staff-list"), {"role": Role.GROUP_LEADER})
    assert world.group_leader.name in response.content.decode()
    assert world.teacher.name not in response.content.decode()
    response = client.get(reverse("school:staff-list"), {"q": world.teacher.staff_no})
    assert [s.pk for s in response.context["object_list"]] == [world.teacher.pk]


def test_home_shows_the_term_the_lessons_and_the_rules(world, login):
    body = login(world.teacher).get(reverse("home")).content.decode()
    assert world.term.school_year.name in body
    assert "id=\"quota-card\"" in body and world.school.policy.name in body
    # The school card is for people who see the whole school.
    assert "id=\"school-card\"" not in body
    body = login(world.director).get(reverse("home")).content.decode()
    assert "id=\"school-card\"" in body


def test_a_group_leader_home_lists_her_group(world, login):
    response = login(world.group_leader).get(reverse("home"))
    members = {m.name for m in response.context["group_members"]}
    assert members == {world.group_leader.name, world.teacher.name}


def test_the_timetable_shows_a_class_week(world, login):
    response = login(world.teacher).get(reverse("school:timetable"), {"class": world.class_1.pk})
    grid = response.context["grid"]
    monday = {row["period"]: [e.subject.name for e in row["cells"][0]] for row in grid}
    assert monday[1] == ["语文"] and monday[2] == ["数学"]
    # Every period of the school's day has a row, lessons or not; the week is Monday to Friday.
    assert list(monday) == list(range(1, 9)) and monday[8] == []
    assert len(response.context["weekdays"]) == 5


def test_pages_are_in_chinese_by_default_and_english_on_request(world, login):
    client = login(world.teacher)
    assert 'lang="zh-hans"' in client.get(reverse("home")).content.decode()
    # An English browser alone does not switch the school's language.
    assert 'lang="zh-hans"' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("home")).content.decode()
