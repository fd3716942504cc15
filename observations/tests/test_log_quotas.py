"""Quotas and the review chain for every preset, against DOMAIN.md's table ("Class observation (听课) and its
quotas"): who must observe how many lessons a term or a week, what counts, who is behind, and who reviews whose
notes how often."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.services import policy_load_preset
from observations.models import Observation
from observations.selectors.log import quota_progress_for, quota_table, review_rows_for, week_of
from observations.services.log import notes_review_create
from school.models import Holiday, Role, Term
from school.tests.factories import StaffFactory

from .permission_cases_log import add_bulk, observe

pytestmark = pytest.mark.django_db

P, VP, D, O, C, G, T = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.OFFICE_STAFF, Role.CADRE,
                        Role.GROUP_LEADER, Role.TEACHER)
TERM, WEEK = "term", "week"

# DOMAIN.md, quota by quota: role -> (lessons, per, peer observations only). V3's group-leader quota is for
# central group leaders only (checked separately).
QUOTAS = {
    "v1": {VP: (20, TERM, False), D: (20, TERM, False), T: (10, TERM, True)},
    "v2": {},
    "v3": {P: (20, TERM, False), VP: (20, TERM, False), D: (20, TERM, False), O: (15, TERM, False),
           C: (10, TERM, False), T: (10, TERM, True)},
    "v4": {},
    "v5": {VP: (40, TERM, False), D: (40, TERM, False), G: (16, TERM, False), T: (16, TERM, False)},
    "v6": {P: (3, WEEK, False), VP: (3, WEEK, False), D: (3, WEEK, False), C: (3, WEEK, False),
           G: (2, WEEK, False), T: (1, WEEK, False)},
    "v7": {VP: (2, WEEK, False), D: (2, WEEK, False)},
}
PEOPLE = ("principal", "vice_principal", "director", "office_staff", "group_leader", "teacher", "cadre")


@pytest.fixture
def w(world):
    world.cadre = StaffFactory(school=world.school, roles=[Role.CADRE], name="干部癸")
    return world


def rows_of(person, w, day=None, preset=None):
    if preset:
        policy_load_preset(school=w.school, preset=preset)
    person = type(person).objects.prefetch_related("roles", "led_groups").get(pk=person.pk)
    return quota_progress_for(person, w.term, day or timezone.localdate())


@pytest.mark.parametrize("preset", sorted(QUOTAS))
def test_every_preset_sets_the_quotas_of_domain_md(w, preset):
    policy_load_preset(school=w.school, preset=preset)
    for name in PEOPLE:
        person = getattr(w, name)
        expected = {role: quota for role, quota in QUOTAS[preset].items() if role in person.role_codes}
        got = {row.quota.role: (row.required, row.quota.per, bool(row.quota.counted_kinds))
               for row in rows_of(person, w)}
        assert got == expected, f"{preset} {name}"


def test_v3_s_group_leader_quota_is_for_central_group_leaders_only(w):
    assert {r.quota.role for r in rows_of(w.group_leader, w, preset="v3")} == {T}
    w.chinese_group.is_central = True
    w.chinese_group.save()
    rows = rows_of(w.group_leader, w)
    assert {(r.quota.role, r.required) for r in rows} == {(G, 15), (T, 10)}
    # Several roles: the strictest quota decides.
    assert [r.quota.role for r in rows if r.decisive] == [G]


@pytest.mark.parametrize("preset", ["v1", "v3"])
def test_teachers_count_peer_observations_only_where_the_rules_say_so(w, preset):
    day = w.term.start_date + dt.timedelta(days=20)
    for kind in ("peer", "peer", "open_lesson", "leadership", "unannounced"):
        observe(w, w.teacher, date=day, kind=kind)
        observe(w, w.director, date=day, kind=kind)
    (teacher_row,) = rows_of(w.teacher, w, preset=preset)
    assert teacher_row.done == 2 and teacher_row.remaining == 8
    director_rows = {r.quota.role: r for r in rows_of(w.director, w)}
    # The director's own quota counts every kind; as a teacher, peer observations only.
    assert director_rows[D].done == 5 and director_rows[T].done == 2
    assert director_rows[D].decisive and not director_rows[T].decisive


def test_v5_counts_every_kind_for_teachers(w):
    day = w.term.start_date + dt.timedelta(days=20)
    for kind in ("peer", "open_lesson", "leadership"):
        observe(w, w.teacher, date=day, kind=kind)
    (row,) = rows_of(w.teacher, w, preset="v5")
    assert (row.required, row.done) == (16, 3)


def test_only_this_term_counts_for_a_term_quota(w):
    earlier_year = w.term.school_year
    earlier = Term.objects.create(school_year=earlier_year, number=2,
                                  start_date=w.term.start_date - dt.timedelta(days=200),
                                  end_date=w.term.start_date - dt.timedelta(days=100))
    observe(w, w.teacher, date=earlier.start_date + dt.timedelta(days=7), term=earlier)
    observe(w, w.teacher, date=w.term.start_date + dt.timedelta(days=7))
    (row,) = rows_of(w.teacher, w, preset="v1")
    assert row.done == 1


def wednesday_in_term(w):
    return week_of(timezone.localdate()).start - dt.timedelta(days=14) + dt.timedelta(days=2)


@pytest.mark.parametrize("preset", ["v6", "v7"])
def test_a_weekly_quota_counts_the_calendar_week_monday_to_sunday(w, preset):
    day = wednesday_in_term(w)
    week = week_of(day)
    for observer in (w.teacher, w.group_leader, w.director):
        observe(w, observer, date=week.start)  # Monday: counts
        observe(w, observer, date=week.end)  # Sunday: counts
        observe(w, observer, date=week.start - dt.timedelta(days=1))  # the Sunday before: does not
        observe(w, observer, date=week.end + dt.timedelta(days=1))  # the next Monday: does not
    policy_load_preset(school=w.school, preset=preset)
    for person in (w.teacher, w.group_leader, w.director):
        rows = rows_of(person, w, day)
        assert all(row.done == 2 for row in rows)
        assert {(row.quota.role, row.required) for row in rows} == {
            (role, count) for role, (count, per, _) in QUOTAS[preset].items() if role in person.role_codes
        }


def test_the_weekly_pace_and_who_is_behind(w):
    monday = week_of(wednesday_in_term(w)).start
    observe(w, w.director, date=monday)
    policy_load_preset(school=w.school, preset="v7")  # director: 2 a week
    expected = {0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2}  # Monday .. Sunday: 2 x school days begun / 5
    for offset, lessons in expected.items():
        (row,) = rows_of(w.director, w, monday + dt.timedelta(days=offset))
        assert (row.expected, row.done) == (lessons, 1)
        assert row.behind == (lessons > 1)
        assert row.remaining == 1 and row.period_label


def test_a_holiday_week_asks_for_nothing(w):
    monday = week_of(wednesday_in_term(w)).start
    Holiday.objects.create(term=w.term, name="国庆", start_date=monday, end_date=monday + dt.timedelta(days=6))
    w.term = Term.objects.get(pk=w.term.pk)
    (row,) = rows_of(w.teacher, w, monday + dt.timedelta(days=4), preset="v6")
    assert row.expected == 0 and not row.behind


def test_the_term_pace_and_who_is_behind(w):
    policy_load_preset(school=w.school, preset="v1")
    term = w.term
    total = term.teaching_week_count
    (first_day,) = rows_of(w.teacher, w, term.start_date)
    assert first_day.expected == 10 * 1 // total and not first_day.behind
    middle = term.start_date + dt.timedelta(days=7 * (total // 2))
    (halfway,) = rows_of(w.teacher, w, middle)
    assert halfway.expected == 10 * term.teaching_weeks_elapsed(middle) // total and halfway.behind
    (last_day,) = rows_of(w.teacher, w, term.end_date)
    assert (last_day.expected, last_day.remaining, last_day.behind) == (10, 10, True)
    for _ in range(10):
        observe(w, w.teacher, date=term.start_date + dt.timedelta(days=3))
    (done,) = rows_of(w.teacher, w, term.end_date)
    assert (done.done, done.remaining, done.behind, done.percent) == (10, 0, False, 100)


def test_several_roles_show_every_quota_and_the_strictest_decides(w):
    policy_load_preset(school=w.school, preset="v6")
    rows = rows_of(w.director, w)
    assert {(r.quota.role, r.required) for r in rows} == {(D, 3), (T, 1)}
    assert [r.quota.role for r in rows if r.decisive] == [D]
    # A director who met her leader's quota with leadership observations is not behind, whatever her teacher
    # quota says: in the table, the strictest quota decides.
    policy_load_preset(school=w.school, preset="v1")
    for _ in range(20):
        observe(w, w.director, date=w.term.start_date + dt.timedelta(days=5), kind="leadership")
    table = {p.staff.pk: p for p in quota_table(w.principal.user, w.term.end_date)}
    director = table[w.director.pk]
    assert {r.quota.role: r.behind for r in director.rows} == {D: False, T: True}
    assert not director.behind


def test_the_table_puts_who_is_behind_first_and_filters_by_role_and_group(w):
    policy_load_preset(school=w.school, preset="v1")
    for _ in range(10):
        observe(w, w.other_teacher, date=w.term.start_date + dt.timedelta(days=5))
    day = w.term.end_date
    table = quota_table(w.principal.user, day)
    names = [p.staff.name for p in table]
    behind = [p.staff.name for p in table if p.behind]
    assert names[: len(behind)] == behind and w.teacher.name in behind
    assert w.other_teacher.name not in behind and w.village_teacher.name in behind
    # People with no quota for their roles come last.
    assert names[-1] in {w.principal.name, w.office_staff.name, w.cadre.name}
    assert not any(p.rows for p in table if p.staff.name in {w.principal.name, w.office_staff.name})
    by_role = {p.staff.pk for p in quota_table(w.principal.user, day, role=Role.DIRECTOR)}
    assert by_role == {w.director.pk, w.village_director.pk}
    by_group = {p.staff.pk for p in quota_table(w.principal.user, day, group=w.chinese_group)}
    assert by_group == {w.group_leader.pk, w.teacher.pk}
    by_name = [p.staff.name for p in quota_table(w.principal.user, day, sort="name")]
    assert by_name == sorted(by_name)
    done_first = quota_table(w.principal.user, day, sort="done")
    assert done_first[0].staff == w.other_teacher


def test_a_group_leader_s_table_is_her_group(w):
    policy_load_preset(school=w.school, preset="v5")
    table = quota_table(w.group_leader.user, timezone.localdate())
    assert {p.staff.pk for p in table} == {w.group_leader.pk, w.teacher.pk}
    rows = {r.quota.role for r in next(p for p in table if p.staff == w.group_leader).rows}
    assert rows == {G, T}


def test_the_table_counts_with_one_aggregate_query_whatever_the_number_of_people(w):
    policy_load_preset(school=w.school, preset="v3")
    user = w.director.user
    day = timezone.localdate()
    with CaptureQueriesContext(connection) as small:
        small_table = quota_table(user, day)
    add_bulk(w)
    user = type(user).objects.get(pk=user.pk)  # a new request: no cached scope
    with CaptureQueriesContext(connection) as big:
        big_table = quota_table(user, day)
    assert len(big_table) == len(small_table) + 30
    assert len(big.captured_queries) == len(small.captured_queries)
    counting = [q["sql"] for q in big.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 1 and "observations_observation" in counting[0]
    # The counts are right: every bulk teacher wrote 3 or 4 observations, peer ones count.
    bulk = [p for p in big_table if p.staff.name.startswith("批量")]
    assert sum(p.rows[0].done for p in bulk) == Observation.objects.filter(
        observer__name__startswith="批量", kind="peer").count()


# --- the review chain --------------------------------------------------------------------------

# DOMAIN.md: reviewer -> (times, per) for group leader -> the group's teachers, office -> group leaders,
# principal -> leaders.
CHAIN = {
    "v1": {"group_leader": (2, "term"), "office": (2, "term"), "principal": (2, "term")},
    "v2": {},
    "v3": {"group_leader": (2, "term"), "office": (2, "term"), "principal": (2, "term")},
    "v4": {},
    "v5": {"group_leader": (2, "term"), "office": (2, "term"), "principal": (2, "term")},
    "v6": {"group_leader": (1, "month"), "office": (2, "term"), "principal": (2, "term")},
    "v7": {"group_leader": (1, "month"), "office": (1, "month"), "principal": (2, "term")},
}


def reviewees(w, reviewer, day):
    reviewer = type(reviewer).objects.prefetch_related("roles", "led_groups").get(pk=reviewer.pk)
    return {row.staff.pk: row for row in review_rows_for(reviewer, w.term, day)}


@pytest.mark.parametrize("preset", sorted(CHAIN))
def test_the_review_chain_of_every_preset(w, preset):
    policy_load_preset(school=w.school, preset=preset)
    # Two school months have begun (4 teaching weeks each, no holidays).
    day = w.term.start_date + dt.timedelta(days=35)
    assert [m.start <= day for m in w.term.school_months()][:3] == [True, True, False]
    chain = CHAIN[preset]
    who = {
        "group_leader": (w.group_leader, {w.teacher.pk}),
        "office": (w.director, {w.group_leader.pk}),
        "principal": (w.principal, {w.vice_principal.pk, w.director.pk, w.cadre.pk, w.village_director.pk}),
    }
    for level, (reviewer, expected_people) in who.items():
        rows = reviewees(w, reviewer, day)
        if level not in chain:
            assert rows == {}, f"{preset} {level}"
            continue
        times, per = chain[level]
        assert set(rows) == expected_people, f"{preset} {level}"
        required = times * 2 if per == "month" else times
        assert {row.required for row in rows.values()} == {required}, f"{preset} {level}"
        assert all(row.done == 0 and row.behind for row in rows.values())
    # The office's staff reviews as the director does; a teacher reviews no one.
    if "office" in chain:
        assert set(reviewees(w, w.office_staff, day)) == {w.group_leader.pk}
    assert reviewees(w, w.teacher, day) == {}


def test_reviews_count_against_the_cadence_and_new_notes_restart_after_a_review(w):
    policy_load_preset(school=w.school, preset="v1")
    today = timezone.localdate()
    old = observe(w, w.teacher, date=today - dt.timedelta(days=10))
    Observation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    (row,) = reviewees(w, w.group_leader, today).values()
    assert [n.pk for n in row.new_notes] == [old.pk] and row.last_review_at is None
    notes_review_create(reviewer=w.group_leader, reviewee=w.teacher, verdict="good", observations=[old])
    newer = observe(w, w.teacher, date=today - dt.timedelta(days=1))
    Observation.objects.filter(pk=newer.pk).update(created_at=timezone.now() + dt.timedelta(minutes=1))
    (row,) = reviewees(w, w.group_leader, today).values()
    assert (row.done, row.required, row.behind) == (1, 2, True)
    assert [n.pk for n in row.new_notes] == [newer.pk]
    notes_review_create(reviewer=w.group_leader, reviewee=w.teacher, verdict="adequate", observations=[newer])
    (row,) = reviewees(w, w.group_leader, today).values()
    assert (row.done, row.behind) == (2, False)
