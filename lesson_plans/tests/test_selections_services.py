"""Excellent-work selections (评优: V1.3 lesson designs a term, V3.6 lesson plans and homework, V6.3 a year, V7.3):
opened by the office, entries nominated, scored by judges (never their own), ranked per subject with ties sharing
the best rank, published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.services import policy_load_preset
from lesson_plans.models import EntryScore, Selection
from lesson_plans.selectors.selections import (
    RankedEntry,
    may_download_entry,
    nominees,
    rank,
    results,
    selection_list,
    winners,
)
from lesson_plans.services.selections import entry_nominate, entry_score, selection_open, selection_publish
from school.selectors import today

from .conftest import docx, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1(world):
    policy_load_preset(school=world.school, preset="v1")  # lesson designs, once a term
    return world


def open_selection(world, *, kind="lesson_design", judges=None, subjects=(), per=None, prizes=1, due=None):
    return selection_open(school=world.school, kind=kind, title="优秀教学设计评选", subjects=subjects,
                          judges=judges or [world.director, world.group_leader], prizes=prizes, entries_due=due,
                          per=per, user=world.office_staff.user)


def nominate(selection, teacher, *, by=None, subject=None, world=None):
    return entry_nominate(selection=selection, teacher=teacher, subject=subject or world.chinese,
                          title=f"{teacher.name}的教学设计", upload=docx(), user=(by or teacher).user)


def test_the_office_opens_a_selection_as_the_policy_holds_it(v1):
    selection = open_selection(v1, subjects=[v1.chinese])
    assert (selection.per, selection.term, selection.school_year) == ("term", v1.term, v1.term.school_year)
    assert list(selection.subjects.all()) == [v1.chinese] and selection.is_open
    policy_load_preset(school=v1.school, preset="v6")  # lesson plans, once a school year
    yearly = open_selection(v1, kind="lesson_plan")
    assert (yearly.per, yearly.term) == ("year", None)


def test_a_kind_the_policy_does_not_hold_is_refused(v1, english):
    with pytest.raises(ValidationError, match="do not hold a selection of this kind"):
        open_selection(v1, kind="homework")


def test_a_policy_that_names_no_kind_allows_every_kind(world):
    assert open_selection(world, kind="homework").kind == "homework"  # V4 names none


def test_opening_is_the_offices_and_needs_judges_of_the_school(v1, english):
    with pytest.raises(PermissionDenied):
        selection_open(school=v1.school, kind="lesson_design", title="x", judges=[v1.director],
                       user=v1.group_leader.user)
    with pytest.raises(ValidationError, match="at least one judge"):
        selection_open(school=v1.school, kind="lesson_design", title="x", judges=[], user=v1.director.user)
    with pytest.raises(ValidationError, match="Judges are active staff"):
        open_selection(v1, judges=[v1.foreign_director])
    with pytest.raises(ValidationError, match="cannot be past"):
        open_selection(v1, due=today() - dt.timedelta(days=1))


def test_who_nominates_whose_work(v1, english):
    selection = open_selection(v1)
    own = nominate(selection, v1.teacher, world=v1)
    assert own.nominated_by == v1.teacher and own.file_name == "教学计划.docx"
    by_leader = nominate(selection, v1.group_leader, world=v1)
    assert by_leader.nominated_by == v1.group_leader
    with pytest.raises(PermissionDenied):
        nominate(selection, v1.other_teacher, by=v1.teacher, world=v1)  # a colleague's, not hers
    nominate(selection, v1.other_teacher, by=v1.office_staff, subject=v1.maths, world=v1)
    assert set(nominees(v1.group_leader.user, selection)) == {v1.group_leader, v1.teacher}
    assert v1.village_teacher in nominees(v1.director.user, selection)
    assert list(nominees(v1.teacher.user, selection)) == [v1.teacher]


def test_one_entry_per_teacher_and_subject_of_the_selection(v1, english):
    selection = open_selection(v1, subjects=[v1.chinese])
    nominate(selection, v1.teacher, world=v1)
    with pytest.raises(ValidationError, match="already has an entry"):
        nominate(selection, v1.teacher, world=v1)
    with pytest.raises(ValidationError, match="This selection is for"):
        nominate(selection, v1.other_teacher, subject=v1.maths, world=v1)
    with pytest.raises(ValidationError, match="Only the school's staff"):
        nominate(selection, v1.foreign_teacher, by=v1.office_staff, world=v1)


def test_judges_score_0_to_100_never_their_own_entry(v1, english):
    selection = open_selection(v1)
    entry = nominate(selection, v1.teacher, world=v1)
    leaders = nominate(selection, v1.group_leader, world=v1)
    score = entry_score(entry=entry, score="92.46", user=v1.director.user)
    assert score.score == Decimal("92.5")
    assert entry_score(entry=entry, score=88, user=v1.director.user).pk == score.pk
    assert EntryScore.objects.get().score == Decimal("88.0")
    with pytest.raises(PermissionDenied, match="her own entry"):
        entry_score(entry=leaders, score=90, user=v1.group_leader.user)
    with pytest.raises(PermissionDenied, match="judges"):
        entry_score(entry=entry, score=90, user=v1.principal.user)
    for bad in ("101", "-1", "abc", "NaN"):
        with pytest.raises(ValidationError, match="from 0 to 100"):
            entry_score(entry=entry, score=bad, user=v1.group_leader.user)


def test_ranks_share_the_best_place_and_winners_are_within_the_prizes():
    rows = [RankedEntry(entry=i, average=Decimal(a) if a else None, scores=1) for i, a in
            enumerate(["95", "95", "90", None, "80"])]
    rank(rows, prizes=2)
    assert [(r.rank, r.winner) for r in rows] == [(1, True), (1, True), (3, False), (None, False), (4, False)]


def test_results_by_subject_and_publishing(v1, english):
    selection = open_selection(v1, prizes=1)
    a = nominate(selection, v1.teacher, world=v1)
    b = nominate(selection, v1.group_leader, world=v1)
    c = nominate(selection, v1.other_teacher, by=v1.office_staff, subject=v1.maths, world=v1)
    with pytest.raises(ValidationError, match="No entry has been scored"):
        selection_publish(selection=selection, user=v1.office_staff.user)
    entry_score(entry=a, score=90, user=v1.director.user)
    entry_score(entry=a, score=85, user=v1.group_leader.user)
    entry_score(entry=b, score=86, user=v1.director.user)
    entry_score(entry=c, score=70, user=v1.director.user)
    found = {group.subject: [(r.entry, r.average, r.rank, r.winner) for r in group.entries]
             for group in results(selection)}
    assert found == {
        v1.chinese: [(a, Decimal("87.50"), 1, True), (b, Decimal("86.00"), 2, False)],
        v1.maths: [(c, Decimal("70.00"), 1, True)],
    }
    published = selection_publish(selection=selection, user=v1.office_staff.user)
    assert published.status == Selection.Status.PUBLISHED and published.published_at is not None
    assert [[r.entry for r in g.entries] for g in winners(published)] == [[a], [c]]
    with pytest.raises(ValidationError, match="no longer change"):
        entry_score(entry=b, score=99, user=v1.director.user)
    with pytest.raises(ValidationError, match="takes no more entries"):
        nominate(published, v1.village_teacher, by=v1.director, world=v1)
    with pytest.raises(ValidationError, match="already published"):
        selection_publish(selection=published, user=v1.office_staff.user)


def test_entries_close_after_their_day(v1, english):
    selection = open_selection(v1, due=today())
    Selection.objects.filter(pk=selection.pk).update(entries_due=today() - dt.timedelta(days=1))
    selection.refresh_from_db()
    with pytest.raises(ValidationError, match="Entries were due"):
        nominate(selection, v1.teacher, world=v1)


def test_who_opens_an_entry_file(v1):
    selection = open_selection(v1, prizes=1)
    a = nominate(selection, v1.teacher, world=v1)
    b = entry_nominate(selection=selection, teacher=v1.group_leader, subject=v1.chinese, title="设计", upload=pdf(),
                       user=v1.group_leader.user)
    assert may_download_entry(v1.teacher.user, a) and not may_download_entry(v1.teacher.user, b)
    assert may_download_entry(v1.director.user, b)  # a judge
    assert may_download_entry(v1.principal.user, b)  # the school's leaders
    assert not may_download_entry(v1.other_teacher.user, a)
    entry_score(entry=a, score=95, user=v1.director.user)
    entry_score(entry=b, score=80, user=v1.director.user)
    selection_publish(selection=selection, user=v1.director.user)
    a, b = (type(a).objects.select_related("selection").get(pk=e.pk) for e in (a, b))
    assert may_download_entry(v1.other_teacher.user, a)  # a winner, on display to the staff
    assert not may_download_entry(v1.other_teacher.user, b)


def test_a_selection_is_its_schools(v1):
    selection = open_selection(v1)
    assert list(selection_list(v1.village_teacher.user)) == [selection]  # the village school takes part
    assert list(selection_list(v1.foreign_teacher.user)) == []
