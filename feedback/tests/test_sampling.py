"""The suggested sample (V2.IV.1: good, middle and weak performers): thirds, allocation, the seeded choice, and
where the standings come from (the exams app's ranks, else baseline scores, else the office's own choice)."""

import importlib
import sys
import types
from decimal import Decimal

import pytest

from school.tests.factories import StudentFactory

from .. import ranking, sampling
from ..models import Stratum
from ..ranking import Standing

pytestmark = pytest.mark.django_db

TOP, MIDDLE, BOTTOM, NONE = Stratum.TOP, Stratum.MIDDLE, Stratum.BOTTOM, Stratum.NONE


class FakeStudent:
    def __init__(self, pk):
        self.pk = pk
        self.student_no = f"S{pk:03d}"


def standings(n, unranked=0):
    rows = [Standing(FakeStudent(i), i) for i in range(1, n + 1)]
    return rows + [Standing(FakeStudent(100 + i), None) for i in range(unranked)]


@pytest.mark.parametrize("n, sizes", [(9, (3, 3, 3)), (8, (3, 2, 3)), (10, (3, 4, 3)), (4, (1, 2, 1)),
                                      (5, (2, 1, 2)), (2, (1, 0, 1)), (1, (0, 1, 0)), (0, (0, 0, 0))])
def test_thirds_split_the_ranked_students_best_first(n, sizes):
    groups = sampling.thirds(standings(n))
    assert tuple(len(groups[s]) for s in (TOP, MIDDLE, BOTTOM)) == sizes
    assert [row.rank for s in (TOP, MIDDLE, BOTTOM) for row in groups[s]] == list(range(1, n + 1))


@pytest.mark.parametrize("size, available, taken", [
    (6, {TOP: 15, MIDDLE: 15, BOTTOM: 15}, {TOP: 2, MIDDLE: 2, BOTTOM: 2}),
    (7, {TOP: 15, MIDDLE: 15, BOTTOM: 15}, {TOP: 2, MIDDLE: 3, BOTTOM: 2}),
    (8, {TOP: 15, MIDDLE: 15, BOTTOM: 15}, {TOP: 3, MIDDLE: 2, BOTTOM: 3}),
    (10, {TOP: 15, MIDDLE: 15, BOTTOM: 15}, {TOP: 3, MIDDLE: 4, BOTTOM: 3}),
    # A third too small gives the rest to the others, the middle first.
    (8, {TOP: 1, MIDDLE: 5, BOTTOM: 5}, {TOP: 1, MIDDLE: 4, BOTTOM: 3}),
    # Fewer students than the sample: everyone.
    (10, {TOP: 2, MIDDLE: 1, BOTTOM: 2}, {TOP: 2, MIDDLE: 1, BOTTOM: 2}),
])
def test_allocation_spreads_the_sample_across_the_thirds(size, available, taken):
    assert sampling.allocation(size, available) == taken


def test_a_suggestion_is_stratified_and_the_same_when_asked_again():
    rows = standings(45)
    picks = sampling.suggest(rows, 8, seed="round-7-class-3")
    assert len(picks) == 8 == len({p.standing.student.pk for p in picks})
    by_stratum = {s: [p.standing.rank for p in picks if p.stratum == s] for s in (TOP, MIDDLE, BOTTOM)}
    assert [len(by_stratum[s]) for s in (TOP, MIDDLE, BOTTOM)] == [3, 2, 3]
    assert all(r <= 15 for r in by_stratum[TOP]) and all(16 <= r <= 30 for r in by_stratum[MIDDLE])
    assert all(r >= 31 for r in by_stratum[BOTTOM])
    assert sampling.suggest(rows, 8, seed="round-7-class-3") == picks
    # Not simply the first of each third, and another round draws differently.
    assert [p.standing.rank for p in picks] != [1, 2, 3, 16, 17, 31, 32, 33]
    assert sampling.suggest(rows, 8, seed="round-8-class-3") != picks


def test_students_without_a_standing_fill_what_the_thirds_cannot():
    picks = sampling.suggest(standings(4, unranked=3), 6, seed="x")
    assert sum(1 for p in picks if p.stratum == NONE) == 2
    assert {p.standing.rank for p in picks if p.stratum != NONE} == {1, 2, 3, 4}


def test_competition_ranks_share_the_best_rank_on_ties():
    scores = {1: Decimal("95"), 2: Decimal("95"), 3: Decimal("90"), 4: Decimal("88.5")}
    assert ranking.competition_ranks(scores) == {1: 1, 2: 1, 3: 3, 4: 4}


# --- where standings come from ------------------------------------------------------------------------------


def use_exam_ranks(monkeypatch, function):
    """Stand in for `exams.selectors.latest_class_ranks` (the exams app provides it once it lands)."""
    try:
        module = importlib.import_module("exams.selectors")
    except ImportError:
        module = types.ModuleType("exams.selectors")
        monkeypatch.setitem(sys.modules, "exams.selectors", module)
    monkeypatch.setattr(module, "latest_class_ranks", function, raising=False)


def baseline_class(world):
    students = [StudentFactory(school_class=world.class_2, student_no=f"B{i:02d}", baseline_score=Decimal(90 - i))
                for i in range(6)]
    return students


def test_the_latest_exam_s_ranks_come_first(world, monkeypatch):
    students = baseline_class(world)
    calls = []

    def latest_class_ranks(school_class, *, term):
        calls.append((school_class, term))
        # The exam ranks the students in the reverse of their baseline order; a student of another class is
        # ignored.
        return {s.pk: 6 - i for i, s in enumerate(students)} | {world.student.pk: 1}

    use_exam_ranks(monkeypatch, latest_class_ranks)
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert calls == [(world.class_2, world.term)]
    assert result.source == ranking.EXAM
    assert [row.student for row in result.rows] == students[::-1]
    assert [row.rank for row in result.rows] == [1, 2, 3, 4, 5, 6]


def test_no_exam_yet_falls_back_to_baseline_scores(world, monkeypatch):
    students = baseline_class(world)
    use_exam_ranks(monkeypatch, lambda school_class, *, term: {})
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert result.source == ranking.BASELINE
    assert [row.student for row in result.rows] == students


def test_without_the_exams_function_the_baseline_is_used(world, monkeypatch):
    """The exams app's module without the function (or no module at all): no exam ranks, no error."""
    students = baseline_class(world)
    monkeypatch.setitem(sys.modules, "exams.selectors", types.ModuleType("exams.selectors"))
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert (result.source, [row.student for row in result.rows]) == (ranking.BASELINE, students)
    monkeypatch.setitem(sys.modules, "exams.selectors", None)  # import fails: ImportError
    assert ranking.standings_for_class(world.class_2, term=world.term).source == ranking.BASELINE


def test_the_real_exams_app_without_exams_gives_the_baseline(world):
    """Whatever the exams app offers today, a class with no exam is ranked by its baseline scores."""
    students = baseline_class(world)
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert result.source == ranking.BASELINE
    assert [row.rank for row in result.rows] == [1, 2, 3, 4, 5, 6]
    assert [row.student for row in result.rows] == students


def test_no_scores_at_all_leaves_the_choice_to_the_office(world):
    StudentFactory(school_class=world.class_2, student_no="M01")
    StudentFactory(school_class=world.class_2, student_no="M02")
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert result.source == ranking.MANUAL
    assert [row.rank for row in result.rows] == [None, None]
    assert sampling.suggest(result.rows, 5, seed="x") == []


def test_left_students_are_not_ranked(world):
    students = baseline_class(world)
    students[0].is_active = False
    students[0].save()
    result = ranking.standings_for_class(world.class_2, term=world.term)
    assert students[0] not in [row.student for row in result.rows]
    assert result.rows[0].rank == 1
