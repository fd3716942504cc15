"""Every statistic of a generated exam, computed again here with pandas straight from the score rows (written
separately from the product's numpy code), matches the product's to the last decimal shown: ties, absences,
the excellent line hit exactly, full marks in the top band closed at W, students without item scores."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from exams import stats
from exams.analysis import grade_analysis
from exams.models import ItemScore, Score
from school.models import Student, TimetableEntry

from .helpers import generated_exam

pytestmark = pytest.mark.django_db


def shown(value, places):
    """What the page shows: half up to `places` decimals (from the float pandas computes)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def frame(exam, grade):
    students = pd.DataFrame(
        Student.objects.filter(school_class__grade=grade).values("id", "student_no", "school_class__number",
                                                                  "baseline_score")
    ).rename(columns={"id": "student_id", "school_class__number": "class_no"})
    students["baseline_score"] = students["baseline_score"].astype(float)
    scores = pd.DataFrame(Score.objects.filter(paper__exam=exam).values("paper_id", "student_id", "score", "absent"))
    scores["score"] = scores["score"].astype(float)
    return students, scores.merge(students, on="student_id")


@pytest.fixture
def exam_and_analysis(world):
    exam = generated_exam(world)
    return exam, grade_analysis(exam, world.class_1.grade)


def test_three_rates_and_one_score_match_pandas(world, exam_and_analysis):
    exam, analysis = exam_and_analysis
    _students, scores = frame(exam, world.class_1.grade)
    for paper_analysis in analysis.papers:
        paper = paper_analysis.paper
        df = scores[scores.paper_id == paper.pk]
        sat = df[~df.absent]
        full = float(paper.full_marks)
        grade_mean = sat.score.mean()

        def expected(group, absent_count):
            n = len(group)
            exc = (group.score >= float(paper.excellent_line)).sum()
            pas = (group.score >= float(paper.pass_line)).sum()
            low = (group.score < float(paper.low_line)).sum()
            mean = group.score.mean()
            composite = 100 * (0.4 * mean / full + 0.4 * pas / n + 0.2 * exc / n)
            return {
                "sitting": n, "absent": absent_count, "mean": shown(mean, 2), "maximum": shown(group.score.max(), 2),
                "minimum": shown(group.score.min(), 2), "sd": shown(group.score.std(ddof=0), 2),
                "cv": shown(group.score.std(ddof=0) / mean, 3),
                "excellent": exc, "excellent_rate": shown(exc / n, 4), "passing": pas, "pass_rate": shown(pas / n, 4),
                "low": low, "low_rate": shown(low / n, 4), "score_rate": shown(mean / full, 4),
                "composite": shown(composite, 2),
            }

        def actual(summary):
            return {key: getattr(summary, key) for key in (
                "sitting", "absent", "mean", "maximum", "minimum", "sd", "cv", "excellent", "excellent_rate",
                "passing", "pass_rate", "low", "low_rate", "score_rate", "composite")}

        assert actual(paper_analysis.grade) == expected(sat, int(df.absent.sum()))
        class_means = sat.groupby("class_no").score.mean()
        class_composites = {}
        for row in paper_analysis.classes:
            group = sat[sat.class_no == row.info.number]
            want = expected(group, int(df[(df.class_no == row.info.number)].absent.sum()))
            assert actual(row.summary) == want, (paper.subject.name, row.info.label)
            assert row.summary.over_mean == shown((group.score.mean() - grade_mean) / grade_mean, 4)
            class_composites[row.info.number] = want["composite"]
        mean_ranks = class_means.rank(method="min", ascending=False)
        for row in paper_analysis.classes:
            assert row.summary.ranks["mean"] == int(mean_ranks[row.info.number])


def test_ranks_bands_and_segments_match_pandas(world, exam_and_analysis):
    exam, analysis = exam_and_analysis
    _students, scores = frame(exam, world.class_1.grade)
    rows = {r.student_no: r for r in analysis.student_rows()}
    for column, paper_analysis in enumerate(analysis.scored_papers):
        paper = paper_analysis.paper
        sat = scores[(scores.paper_id == paper.pk) & ~scores.absent].copy()
        sat["grade_rank"] = sat.score.rank(method="min", ascending=False).astype(int)
        sat["class_rank"] = sat.groupby("class_no").score.rank(method="min", ascending=False).astype(int)
        assert sat.grade_rank.duplicated().any()  # the generated exam has ties
        for record in sat.itertuples():
            score, absent, grade_rank, class_rank = rows[record.student_no].cells[column]
            assert (score, absent, grade_rank, class_rank) == (
                shown(record.score, 2), False, record.grade_rank, record.class_rank)
        for record in scores[(scores.paper_id == paper.pk) & scores.absent].itertuples():
            assert rows[record.student_no].cells[column][:3] == (None, True, None)
        # Bands of 10 marks, the top band closed at W.
        width, full = exam.band_width, float(paper.full_marks)
        edges = list(np.arange(0, full, width)) + [full]
        labels = pd.cut(sat.score, bins=edges, right=False, labels=False, include_lowest=True)
        labels = labels.fillna(len(edges) - 2)  # pd.cut leaves x == W out of [.., W): it belongs to the top band
        expected = labels.value_counts().reindex(range(len(edges) - 1), fill_value=0).tolist()
        assert paper_analysis.band_rows[-1][1] == expected
        assert (sat.score == full).any() or paper.subject.code != "maths"
        # 一分一段.
        counts = sat.score.value_counts().sort_index(ascending=False)
        cumulative = counts.cumsum()
        assert [(s.score, s.count, s.cumulative, s.cumulative_share) for s in paper_analysis.segments] == [
            (shown(score, 2), int(count), int(cumulative[score]), shown(cumulative[score] / len(sat), 4))
            for score, count in counts.items()
        ]


def test_totals_and_value_added_match_pandas(world, exam_and_analysis):
    exam, analysis = exam_and_analysis
    students, scores = frame(exam, world.class_1.grade)
    wide = scores.pivot(index="student_no", columns="paper_id", values="score")
    absent_any = scores.groupby("student_no").absent.any()
    complete = wide.notna().all(axis=1) & ~absent_any.reindex(wide.index, fill_value=True)
    totals = wide[complete].sum(axis=1)
    info = students.set_index("student_no")
    ranked = pd.DataFrame({"total": totals, "class_no": info.class_no.reindex(totals.index)})
    ranked["grade_rank"] = ranked.total.rank(method="min", ascending=False).astype(int)
    ranked["class_rank"] = ranked.groupby("class_no").total.rank(method="min", ascending=False).astype(int)
    # Value-added of the total: z now minus z of the baseline score, each over the grade's students having it.
    now_z = (totals - totals.mean()) / totals.std(ddof=0)
    base = info.baseline_score.dropna()
    base_z = (base - base.mean()) / base.std(ddof=0)
    added = (now_z - base_z.reindex(now_z.index)).dropna()
    for row in analysis.student_rows():
        if row.student_no in ranked.index:
            want = ranked.loc[row.student_no]
            assert (row.total, row.total_grade_rank, row.total_class_rank) == (
                shown(want.total, 2), int(want.grade_rank), int(want.class_rank))
            assert row.value_added == (shown(added[row.student_no], 3) if row.student_no in added.index else None)
        else:
            assert (row.total, row.total_grade_rank, row.value_added) == (None, None, None)
    by_class = added.groupby(info.class_no.reindex(added.index)).mean()
    for row in analysis.total.classes:
        assert row.value_added == shown(by_class[row.info.number], 3)
    # Per subject and teacher: the teacher's classes' students together.
    for paper_analysis in analysis.scored_papers:
        paper = paper_analysis.paper
        sat = scores[(scores.paper_id == paper.pk) & ~scores.absent].set_index("student_no")
        z = (sat.score - sat.score.mean()) / sat.score.std(ddof=0)
        va = (z - base_z.reindex(z.index)).dropna()
        teaching = pd.DataFrame(TimetableEntry.objects.filter(term=exam.term, subject=paper.subject)
                                .values("teacher__name", "school_class__number"))
        for teacher in paper_analysis.teacher_value_added:
            numbers = teaching[teaching.teacher__name == teacher.name].school_class__number
            mine = va[info.class_no.reindex(va.index).isin(numbers)]
            assert (teacher.students, teacher.value_added) == (len(mine), shown(mine.mean(), 3))


def test_item_analysis_matches_pandas(world, exam_and_analysis):
    exam, analysis = exam_and_analysis
    maths = next(p for p in analysis.papers if p.paper.subject_id == world.maths.pk)
    items = pd.DataFrame(ItemScore.objects.filter(item__paper=maths.paper).values(
        "student__student_no", "item__number", "item__full_marks", "score"))
    items["score"] = items.score.astype(float)
    matrix = items.pivot(index="student__student_no", columns="item__number", values="score")
    paper_scores = pd.Series({s.student.student_no: float(s.score) for s in
                              Score.objects.filter(paper=maths.paper, absent=False).select_related("student")})
    matrix = matrix[matrix.index.isin(paper_scores.index)]
    n = len(matrix)
    fulls = items.groupby("item__number").item__full_marks.first().astype(float)
    group = max(1, int(Decimal(27 * n) / 100 + Decimal("0.5")))
    ordered = pd.DataFrame({"total": paper_scores.reindex(matrix.index), "no": matrix.index}).sort_values(
        ["total", "no"], ascending=[False, True])
    top, bottom = ordered.index[:group], ordered.index[-group:]
    assert maths.items.students == n and maths.items.group_size == group
    for figure in maths.items.items:
        column = matrix[figure.number]
        d = (column[top].mean() - column[bottom].mean()) / fulls[figure.number]
        assert figure.difficulty == shown(column.mean() / fulls[figure.number], 2)
        assert figure.discrimination == shown(d, 2)
        assert figure.mean == shown(column.mean(), 2)
        assert figure.quality == ("very_good" if d >= 0.4 else "good" if d >= 0.3 else "revise" if d >= 0.2 else "poor")
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(ddof=0).sum() / matrix.sum(axis=1).var(ddof=0))
    assert maths.items.alpha == shown(alpha, 3)


def test_rank_ties_share_the_best_rank():
    assert stats.min_ranks(np.array([9500, 9500, 9000])).tolist() == [1, 1, 3]
    assert stats.min_ranks_within(np.array([9000, 9500, 9500, 8000, 8000]), np.array([0, 0, 0, 1, 1])).tolist() == [
        3, 1, 1, 1, 1]


def test_bands_close_the_top_band_at_full_marks():
    bands = stats.bands_for(10500, 1000)  # W = 105, width 10: [100, 105] closed
    assert [b.label for b in bands[-2:]] == ["[90, 100)", "[100, 105]"]
    counts = stats.band_counts(np.array([0, 999, 1000, 10000, 10500]), np.zeros(5, dtype=np.int64), 1, 10500, 1000)
    assert counts[0].tolist() == [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2]


def test_exact_rounding_is_half_up():
    from fractions import Fraction

    assert stats.quantize(Fraction(85125, 1000), 2) == Decimal("85.13")  # float round() would give 85.12
    assert stats.quantize(Fraction(-1, 200), 2) == Decimal("-0.01")
    assert stats.sqrt_quantize(Fraction(2), 2) == Decimal("1.41")


def test_value_added_against_an_earlier_exam_matches_pandas(world):
    """Value-added against a chosen earlier exam: per subject, z now minus z in that exam's same subject; for the
    total, z of the total now minus z of that exam's total (students who sat all of its papers)."""
    from exams.models import Exam

    first = generated_exam(world, seed=3, name="月考", held_on=world.term.start_date + dt.timedelta(days=20))
    second = generated_exam(world, seed=5, name="期中考试")
    Exam.objects.filter(pk=second.pk).update(compare_with=first)
    second.refresh_from_db()
    analysis = grade_analysis(second, world.class_1.grade)
    _students, before = frame(first, world.class_1.grade)
    _students, now = frame(second, world.class_1.grade)

    def z(series):
        return (series - series.mean()) / series.std(ddof=0)

    for paper_analysis in analysis.scored_papers:
        code = paper_analysis.paper.subject.code
        then = before[(before.paper_id == first.papers.get(subject__code=code).pk) & ~before.absent]
        current = now[(now.paper_id == paper_analysis.paper.pk) & ~now.absent]
        added = (z(current.set_index("student_no").score) - z(then.set_index("student_no").score)).dropna()
        class_of = current.set_index("student_no").class_no
        by_class = added.groupby(class_of.reindex(added.index)).mean()
        for row in paper_analysis.classes:
            assert row.value_added == shown(by_class[row.info.number], 3), (code, row.info.label)

    def totals(df):
        wide = df.pivot(index="student_no", columns="paper_id", values="score")
        absent = df.groupby("student_no").absent.any().reindex(wide.index)
        return wide[wide.notna().all(axis=1) & ~absent].sum(axis=1)

    added = (z(totals(now)) - z(totals(before))).dropna()
    rows = {r.student_no: r for r in analysis.student_rows()}
    assert len(added) > 40
    for number, value in added.items():
        assert rows[number].value_added == shown(value, 3)
