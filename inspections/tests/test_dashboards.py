"""The dashboards (issue 9): what each figure counts, the drill-down links that list exactly those records, the
workbooks, and the queries each page runs (the same on a small school and a bigger one)."""

import datetime as dt
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from school.tests.world import add_fines

pytestmark = pytest.mark.django_db

PRINCIPAL = reverse("inspections:dashboard-principal")
OFFICE = reverse("inspections:dashboard-office")
GROUP = reverse("inspections:dashboard-group")


@pytest.fixture
def as_user(client, login):
    def _as(who):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return login(who)

    return _as


def figure(response, key):
    return next(f for f in response.context["figures"] if f.key == key)


def test_findings_by_kind_and_month_link_to_exactly_the_findings_counted(world, as_user, client):
    fines = add_fines(world)
    as_user(world.principal)
    response = client.get(PRINCIPAL)
    assert response.status_code == 200
    trend = figure(response, "findings")
    cells = [(row[0].value, header, cell) for row in trend.rows
             for header, cell in zip(trend.columns[1:], row[1:]) if cell.value]
    # The central school and its village school: late, left early, absent (month 1), two proposed today.
    assert sum(cell.value for _m, _h, cell in cells) == 5
    for _month, _header, cell in cells:
        listed = client.get(cell.url)
        query = parse_qs(urlparse(cell.url).query)
        assert listed.status_code == 200
        assert len(listed.context["object_list"]) == cell.value, (cell.url, query)
    # The foreign school's finding is never counted.
    codes = {h for _m, h, _c in cells}
    assert "foreign-finding" not in codes
    by_rule = figure(response, "fines-rules")
    assert sum(row[1].value for row in by_rule.rows) == 5
    assert fines.foreign_violation.pk not in [v.pk for v in client.get(by_rule.rows[0][0].url).context["object_list"]]


def test_the_filters_narrow_to_a_school_and_a_group(world, as_user, client):
    add_fines(world)
    as_user(world.principal)
    by_school = client.get(PRINCIPAL, {"school": world.village.pk})
    assert sum(row[1].value for row in figure(by_school, "fines-rules").rows) == 1
    by_group = client.get(PRINCIPAL, {"group": world.maths_group.pk})
    rows = figure(by_group, "fines-groups").rows
    assert [row[0].value for row in rows] == ["数学组"]
    listed = client.get(rows[0][0].url)
    assert [v.teacher for v in listed.context["object_list"]] == [world.other_teacher]
    side = figure(client.get(PRINCIPAL), "schools")
    assert [row[0].value for row in side.rows] == ["中心学校", "村小"]
    assert [row[3].value for row in side.rows] == [4, 1]


def test_every_figure_downloads_as_a_workbook_of_its_numbers(world, as_user, client):
    add_fines(world)
    as_user(world.principal)
    response = client.get(PRINCIPAL)
    rules = figure(response, "fines-rules")
    download = client.get(reverse("inspections:dashboard-figure-export", args=("fines-rules",)))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    for row in rules.values():
        assert [str(v) for v in row[:2]] in [[str(v) for v in r[:2]] for r in values]
    assert client.get(reverse("inspections:dashboard-figure-export", args=("nothing",))).status_code == 404


def test_the_office_sees_what_waits_for_it(world, as_user, client):
    add_fines(world)
    as_user(world.director)
    response = client.get(OFFICE)
    assert response.status_code == 200
    # Two proposed findings against the teacher wait for review; none is appealed.
    assert response.context["waiting"] == {"proposed": 2, "appealed": 0}
    listed = client.get(reverse("deductions:violation-list") + "?status=proposed")
    assert len(listed.context["object_list"]) == 2
    assert response.context["patrol"]["total_classes"] == 2


def test_the_group_leader_sees_her_group(world, as_user, client):
    as_user(world.group_leader)
    response = client.get(GROUP)
    assert response.status_code == 200
    assert response.context["group"] == world.chinese_group
    assert {p.staff for p in response.context["people"]} == {world.group_leader, world.teacher}


def with_quota(w):
    """A teachers' quota of 20 lessons a term, and `teacher` has observed one lesson (last week)."""
    from inspections.models import ObservationQuota, Per
    from observations.tests.permission_cases_log import make_observation
    from school.models import Role

    ObservationQuota.objects.create(policy=w.school.policy, role=Role.TEACHER, count=20, per=Per.TERM)
    return make_observation(w)


def test_quota_completion_by_role_and_who_is_behind(world, as_user, client):
    with_quota(world)
    as_user(world.principal)
    response = client.get(PRINCIPAL)
    roles = {row[0].value: [cell.value for cell in row[1:]] for row in figure(response, "quota-roles").rows}
    # Seven people teach (the vice-principal, the director, the group leader, two teachers, the village
    # school's director and teacher); past a third of the term, 20 lessons ask for more than one by now.
    assert roles["Teacher"][:3] == [7, 0, 7]
    behind = {row[0].value: row for row in figure(response, "quota-behind").rows}
    assert behind[world.teacher.name][2].value == 1
    listed = client.get(behind[world.teacher.name][0].url)
    assert [o.observer for o in listed.context["object_list"]] == [world.teacher]


def _grow(world, extra: int):
    """A bigger school: `extra` more teachers in the maths group, each with a finding and a fine."""
    from deductions import services
    from school.models import Role
    from school.tests.factories import StaffFactory

    day = world.term.school_months()[0].start + dt.timedelta(days=2)
    for number in range(extra):
        teacher = StaffFactory(school=world.school, staff_no=f"X{number:03}", name=f"教师{number}",
                               roles=[Role.TEACHER])
        world.maths_group.members.add(teacher)
        violation = services.violation_record(teacher=teacher, code="late_to_class", occurred_on=day, reason="巡课",
                                              user=world.director.user)
        services.violation_confirm(violation=violation, user=world.director.user)


@pytest.mark.parametrize("url,who", [(PRINCIPAL, "principal"), (OFFICE, "director"), (GROUP, "group_leader")])
def test_each_dashboard_runs_the_same_queries_on_a_bigger_school(world, as_user, client, url, who,
                                                                 django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_fines(world)
    with_quota(world)
    as_user(getattr(world, who))
    client.get(url)  # warm the caches a first request fills (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    # The pinned numbers (see the page's figures): a query per row would show at once.
    assert len(small.captured_queries) == PINS[who]


# The principal's: the filters' choices (3), the quotas (1 + the quota table's 5), rounds (2), findings (2), groups
# (1), schools (2), exams (4), the evaluation (4), plus the session, the user, her scope, the terms and the menu.
PINS = {"principal": 33, "director": 18, "group_leader": 21}


def test_exam_quality_by_class_and_the_whole_grade(world, as_user, client):
    """Two students of class 1 sat maths (full marks 100): 90 (excellent) and 50 (failed)."""
    from decimal import Decimal

    from exams.models import Exam, Paper, Score
    from school.tests.factories import StudentFactory

    exam = Exam.objects.create(school=world.school, term=world.term, kind="midterm", name="期中考试",
                               held_on=world.term.start_date + dt.timedelta(days=30))
    exam.grades.add(world.class_1.grade)
    paper = Paper(exam=exam, grade=world.class_1.grade, subject=world.maths)
    paper.fill_default_lines()  # 85, 60 and 40
    paper.save()
    other = StudentFactory(school_class=world.class_1, student_no="S0003", name="学生丙")
    Score.objects.create(paper=paper, student=world.student, score=Decimal("90"))
    Score.objects.create(paper=paper, student=other, score=Decimal("50"))
    as_user(world.principal)
    quality = figure(client.get(PRINCIPAL), "exam-quality")
    assert [cell.value for cell in quality.rows[0][1:]] == [2, Decimal("70.0"), Decimal("50.0"), Decimal("50.0"),
                                                          Decimal("0.0")]
    assert quality.rows[1][0].value.endswith("whole grade")
    assert quality.chart_data()["datasets"][0]["data"] == [70.0]


def test_my_term_counts_the_observations_written_and_received_and_appeals(world, as_user, client):
    from deductions import services

    from observations.tests.permission_cases_log import make_observation

    make_observation(world)  # the teacher observed the other teacher's lesson
    fines = add_fines(world)
    services.violation_appeal(violation=fines.other_violation, reason="当天请假已获批准",
                              user=world.other_teacher.user)
    as_user(world.teacher)
    card = next(c for c in client.get(reverse("home")).context["app_cards"]
                if c["template"] == "inspections/_home_card.html")
    assert (card["mine"]["written"], card["mine"]["received"], card["mine"]["appeals"]) == (1, 0, 0)
    as_user(world.other_teacher)
    response = client.get(reverse("home"))
    card = next(c for c in response.context["app_cards"] if c["template"] == "inspections/_home_card.html")
    assert (card["mine"]["written"], card["mine"]["received"], card["mine"]["appeals"]) == (0, 1, 1)
    assert 'id="my-appeals"' in response.content.decode()
