"""Exam statistics, exactly as DOMAIN.md "Exam statistics: the definitions schools use" defines them.

Everything here works on plain arrays (no database): scores are integers in hundredths of a mark (cents), so that
sums, counts, rates, 超均率, the composite, item difficulty and discrimination and Cronbach's alpha are exact
fractions, rounded half up only when shown. The standard deviation is the square root of an exact fraction, taken
with Decimal to 28 digits. Per-student work (ranks, bands, 一分一段, z-scores) is vectorised numpy; loops run over
classes, papers and items, never over students.

Conventions:
- N is the number who sat a paper; absent students (缺考) are counted apart and excluded from every figure.
- Ranks are descending, ties share the best rank (95, 95, 90 -> 1, 1, 3).
- A student's total is the sum of her scores on the papers that have scores; she has a total (and total ranks)
  only if she sat all of them.
- Value-added: z-score now minus z-score at the baseline, each z within the grade over the students with that
  score (population standard deviation); per class or teacher the mean over its students who have both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import numpy as np

ABSENT = -1  # a score array's mark for 缺考
MISSING = -2  # no score recorded

# Decimals shown (the page, the workbook and the independent test agree on these).
PLACES_SCORE = 2  # mean, standard deviation, composite, max, min
PLACES_RATIO = 4  # rates, 超均率, 得分率, cumulative share: shown as percentages with two decimals
PLACES_CV = 3
PLACES_VALUE_ADDED = 3
PLACES_ITEM = 2  # P and D
PLACES_ALPHA = 3

_SQRT_CONTEXT = Context(prec=28)


def quantize(value: Fraction | int | None, places: int) -> Decimal | None:
    """An exact fraction rounded half up to `places` decimals."""
    if value is None:
        return None
    value = Fraction(value)
    scale = 10**places
    scaled = value * scale
    # Round half away from zero on the exact value.
    sign = -1 if scaled < 0 else 1
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(sign * whole).scaleb(-places)


def sqrt_quantize(value: Fraction, places: int) -> Decimal:
    """The square root of an exact non-negative fraction, rounded half up to `places` decimals."""
    root = (Decimal(value.numerator, _SQRT_CONTEXT) / Decimal(value.denominator, _SQRT_CONTEXT)).sqrt(_SQRT_CONTEXT)
    return root.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_half_up_int(value: Fraction) -> int:
    return int((value.numerator * 2 + value.denominator) // (2 * value.denominator))


def cents(value) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def marks(value_cents: int) -> Decimal:
    return Decimal(int(value_cents)).scaleb(-2)


def min_ranks(values: np.ndarray) -> np.ndarray:
    """Descending ranks with ties sharing the best rank: 1 + the number of strictly greater values."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(values)
    return values.size - np.searchsorted(ordered, values, side="right") + 1


def min_ranks_within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Ranks as `min_ranks`, within each group (non-negative integer codes)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(values.max() - values.min()) + 1
    keys = groups.astype(np.int64) * span + (values - values.min())
    ordered = np.sort(keys)
    # The position after the last key of the same group: the first key of the next group.
    group_end = np.searchsorted(ordered, (groups.astype(np.int64) + 1) * span, side="left")
    return group_end - np.searchsorted(ordered, keys, side="right") + 1


def fraction_ranks(values: list, *, descending: bool = True) -> list[int | None]:
    """Ranks of exact values (classes on a figure), ties sharing the best rank; None stays unranked. Sorted once
    (n log n), then each rank is 1 + the number of values strictly better (found by bisection)."""
    import bisect

    present = sorted(v for v in values if v is not None)
    count = len(present)
    ranks = []
    for v in values:
        if v is None:
            ranks.append(None)
        elif descending:
            ranks.append(1 + count - bisect.bisect_right(present, v))
        else:
            ranks.append(1 + bisect.bisect_left(present, v))
    return ranks


# --- summary figures of a group of scores ---------------------------------------------------------------------


@dataclass
class Lines:
    """A paper's full marks and cut scores, in cents."""

    full: int
    excellent: int
    passing: int
    low: int


@dataclass
class Weights:
    mean: Fraction
    passing: Fraction
    excellent: Fraction
    low: Fraction = Fraction(0)


@dataclass
class Summary:
    """三率一分 and the rest for one group (a class or the grade) on one paper. Ratios are fractions of 1."""

    sitting: int
    absent: int
    mean: Decimal | None = None
    maximum: Decimal | None = None
    minimum: Decimal | None = None
    sd: Decimal | None = None
    cv: Decimal | None = None
    excellent: int = 0
    excellent_rate: Decimal | None = None
    passing: int = 0
    pass_rate: Decimal | None = None
    low: int = 0
    low_rate: Decimal | None = None
    score_rate: Decimal | None = None
    composite: Decimal | None = None
    over_mean: Decimal | None = None  # 超均率 (classes only)
    # Exact values for ranking and for 超均率.
    exact_mean: Fraction | None = None
    exact_composite: Fraction | None = None
    exact_rates: tuple = ()
    ranks: dict = field(default_factory=dict)  # figure -> rank of the class in the grade


def summarise(*, sitting: int, absent: int, total: int, total_sq: int, maximum: int, minimum: int, excellent: int,
              passing: int, low: int, lines: Lines, weights: Weights) -> Summary:
    """The figures of one group from its exact aggregates (sums in cents, squares in cents²)."""
    result = Summary(sitting=sitting, absent=absent, excellent=excellent, passing=passing, low=low)
    if sitting == 0:
        return result
    n = sitting
    mean = Fraction(total, 100 * n)
    variance = Fraction(n * total_sq - total * total, 10000 * n * n)
    result.exact_mean = mean
    result.mean = quantize(mean, PLACES_SCORE)
    result.maximum = marks(maximum)
    result.minimum = marks(minimum)
    result.sd = sqrt_quantize(variance, PLACES_SCORE)
    if mean:
        sd_exact = (Decimal(variance.numerator, _SQRT_CONTEXT) / Decimal(variance.denominator, _SQRT_CONTEXT)).sqrt(
            _SQRT_CONTEXT)
        cv = sd_exact / (Decimal(mean.numerator, _SQRT_CONTEXT) / Decimal(mean.denominator, _SQRT_CONTEXT))
        result.cv = cv.quantize(Decimal(1).scaleb(-PLACES_CV), rounding=ROUND_HALF_UP)
    excellent_rate, pass_rate, low_rate = Fraction(excellent, n), Fraction(passing, n), Fraction(low, n)
    result.exact_rates = (excellent_rate, pass_rate, low_rate)
    result.excellent_rate = quantize(excellent_rate, PLACES_RATIO)
    result.pass_rate = quantize(pass_rate, PLACES_RATIO)
    result.low_rate = quantize(low_rate, PLACES_RATIO)
    score_rate = mean / Fraction(lines.full, 100)
    result.score_rate = quantize(score_rate, PLACES_RATIO)
    composite = 100 * (weights.mean * score_rate + weights.passing * pass_rate + weights.excellent * excellent_rate
                       - weights.low * low_rate)
    result.exact_composite = composite
    result.composite = quantize(composite, PLACES_SCORE)
    return result


def group_aggregates(values: np.ndarray, groups: np.ndarray, count: int, lines: Lines) -> dict[str, np.ndarray]:
    """Per group (codes 0..count-1) of present scores in cents: N, sum, sum of squares, max, min and the counts at
    or above the excellent and pass lines and below the low line. Vectorised."""
    sitting = np.bincount(groups, minlength=count)
    as_float = values.astype(np.float64)  # exact: sums of cents stay far below 2**53
    total = np.bincount(groups, weights=as_float, minlength=count).round().astype(np.int64)
    total_sq = np.bincount(groups, weights=as_float * as_float, minlength=count).round().astype(np.int64)
    maximum = np.full(count, np.iinfo(np.int64).min, dtype=np.int64)
    minimum = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(maximum, groups, values)
    np.minimum.at(minimum, groups, values)
    return {
        "sitting": sitting,
        "total": total,
        "total_sq": total_sq,
        "maximum": maximum,
        "minimum": minimum,
        "excellent": np.bincount(groups, weights=(values >= lines.excellent), minlength=count).astype(np.int64),
        "passing": np.bincount(groups, weights=(values >= lines.passing), minlength=count).astype(np.int64),
        "low": np.bincount(groups, weights=(values < lines.low), minlength=count).astype(np.int64),
    }


def exact_total_sq(values: np.ndarray) -> int:
    """Sum of squares of cents as a Python int (no float rounding however large the grade)."""
    return int(np.dot(values.astype(np.int64), values.astype(np.int64)))


def paper_summaries(scores: np.ndarray, class_codes: np.ndarray, class_count: int, lines: Lines,
                    weights: Weights) -> tuple[list[Summary], Summary]:
    """Each class's summary (in class-code order) and the grade's, with 超均率 and the classes' ranks on the
    mean, the three rates and the composite. `scores` holds cents, ABSENT or MISSING."""
    present = scores >= 0
    values = scores[present]
    groups = class_codes[present]
    absent = np.bincount(class_codes[scores == ABSENT], minlength=class_count)
    agg = group_aggregates(values, groups, class_count, lines)
    classes = [
        summarise(sitting=int(agg["sitting"][c]), absent=int(absent[c]), total=int(agg["total"][c]),
                  total_sq=exact_total_sq(values[groups == c]) if agg["sitting"][c] else 0,
                  maximum=int(agg["maximum"][c]), minimum=int(agg["minimum"][c]),
                  excellent=int(agg["excellent"][c]), passing=int(agg["passing"][c]), low=int(agg["low"][c]),
                  lines=lines, weights=weights)
        for c in range(class_count)
    ]
    grade = summarise(
        sitting=int(values.size), absent=int(absent.sum()), total=int(values.astype(np.int64).sum()),
        total_sq=exact_total_sq(values), maximum=int(values.max()) if values.size else 0,
        minimum=int(values.min()) if values.size else 0, excellent=int((values >= lines.excellent).sum()),
        passing=int((values >= lines.passing).sum()), low=int((values < lines.low).sum()), lines=lines,
        weights=weights,
    )
    if grade.exact_mean:
        for row in classes:
            if row.exact_mean is not None:
                row.over_mean = quantize((row.exact_mean - grade.exact_mean) / grade.exact_mean, PLACES_RATIO)
    rank_classes(classes)
    return classes, grade


def rank_classes(classes: list[Summary]) -> None:
    """Each class's rank in the grade on the mean, the excellent and pass rates (higher first), the low-score
    rate (lower first) and the composite."""
    figures = {
        "mean": ([c.exact_mean for c in classes], True),
        "excellent_rate": ([c.exact_rates[0] if c.exact_rates else None for c in classes], True),
        "pass_rate": ([c.exact_rates[1] if c.exact_rates else None for c in classes], True),
        "low_rate": ([c.exact_rates[2] if c.exact_rates else None for c in classes], False),
        "composite": ([c.exact_composite for c in classes], True),
    }
    for name, (values, descending) in figures.items():
        for row, rank in zip(classes, fraction_ranks(values, descending=descending)):
            row.ranks[name] = rank


# --- distributions --------------------------------------------------------------------------------------------


@dataclass
class Band:
    low: Decimal
    high: Decimal
    closed: bool  # the top band includes its upper edge (W)

    @property
    def label(self) -> str:
        low, high = format(self.low.normalize(), "f"), format(self.high.normalize(), "f")
        return f"[{low}, {high}]" if self.closed else f"[{low}, {high})"


def bands_for(full: int, width: int) -> list[Band]:
    """[0, w), [w, 2w), ... with the top band closed at W (cents in, marks out), lowest first."""
    count = max(1, -(-full // width))
    result = []
    for index in range(count):
        low, high = index * width, min((index + 1) * width, full)
        result.append(Band(marks(low), marks(high), closed=index == count - 1))
    return result


def band_counts(values: np.ndarray, groups: np.ndarray, group_count: int, full: int, width: int) -> np.ndarray:
    """A (groups x bands) matrix of counts of present scores (cents) in each band, lowest band first."""
    count = max(1, -(-full // width))
    index = np.minimum(values // width, count - 1)
    flat = np.bincount(groups.astype(np.int64) * count + index, minlength=group_count * count)
    return flat.reshape(group_count, count)


@dataclass
class Segment:
    score: Decimal
    count: int
    cumulative: int
    cumulative_share: Decimal  # a fraction of 1, shown as a percentage


def score_segments(values: np.ndarray) -> list[Segment]:
    """一分一段: every score present (cents), highest first, with its count, the cumulative count at or above
    it and that count as a share of N."""
    if values.size == 0:
        return []
    unique, counts = np.unique(values, return_counts=True)
    unique, counts = unique[::-1], counts[::-1]
    cumulative = np.cumsum(counts)
    n = int(values.size)
    # cumulative / n rounded half up to PLACES_RATIO decimals, exactly, in integers (all values are positive).
    scale = 10**PLACES_RATIO
    shares = (cumulative * (2 * scale) + n) // (2 * n)
    return [
        Segment(marks(s), c, cum, Decimal(share).scaleb(-PLACES_RATIO))
        for s, c, cum, share in zip(unique.tolist(), counts.tolist(), cumulative.tolist(), shares.tolist())
    ]


# --- value-added ----------------------------------------------------------------------------------------------


def z_scores(values: np.ndarray) -> np.ndarray:
    """z within the group: (x - mean) / population sd over the non-NaN values; NaN where the value is NaN or
    the sd is 0."""
    mask = ~np.isnan(values)
    result = np.full(values.shape, np.nan)
    if mask.sum() == 0:
        return result
    present = values[mask]
    sd = present.std()
    if sd == 0:
        return result
    result[mask] = (present - present.mean()) / sd
    return result


def value_added(now: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Per student: z now minus z at the baseline (NaN without both). Inputs are floats, NaN where missing."""
    return z_scores(now) - z_scores(baseline)


def group_means(values: np.ndarray, groups: np.ndarray, count: int) -> list[Decimal | None]:
    """The mean of the non-NaN values of each group, rounded for display; None for a group with none."""
    mask = ~np.isnan(values)
    sums = np.bincount(groups[mask], weights=values[mask], minlength=count)
    counts = np.bincount(groups[mask], minlength=count)
    return [
        Decimal(repr(float(s / n))).quantize(Decimal(1).scaleb(-PLACES_VALUE_ADDED), rounding=ROUND_HALF_UP)
        if n else None
        for s, n in zip(sums, counts)
    ]


def display_float(value: float, places: int) -> Decimal | None:
    if value is None or np.isnan(value):
        return None
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- item analysis --------------------------------------------------------------------------------------------


@dataclass
class ItemFigures:
    number: int
    label: str
    full: Decimal
    mean: Decimal
    difficulty: Decimal  # P
    discrimination: Decimal  # D
    quality: str  # "very_good", "good", "revise", "poor"


@dataclass
class ItemAnalysis:
    students: int
    group_size: int
    items: list[ItemFigures]
    alpha: Decimal | None


def discrimination_quality(value: Fraction) -> str:
    if value >= Fraction(40, 100):
        return "very_good"
    if value >= Fraction(30, 100):
        return "good"
    if value >= Fraction(20, 100):
        return "revise"
    return "poor"


def item_analysis(item_scores: np.ndarray, totals: np.ndarray, student_numbers: list[str], fulls: list[int],
                  labels: list[str], numbers: list[int]) -> ItemAnalysis | None:
    """P, D and Cronbach's alpha of a paper. `item_scores` is (students x items) in cents for the students who
    sat the paper and have every item's score; `totals` their paper scores (cents) for the 27% groups."""
    n, k = item_scores.shape if item_scores.ndim == 2 else (0, 0)
    if n == 0 or k == 0:
        return None
    group = max(1, round_half_up_int(Fraction(27 * n, 100)))
    # Total descending, ties by student number ascending; the bottom group is the end of the same order.
    order = np.lexsort((np.asarray(student_numbers), -totals.astype(np.int64)))
    top, bottom = order[:group], order[-group:]
    items = item_scores.astype(np.int64)
    sums = items.sum(axis=0)
    top_sums = items[top].sum(axis=0)
    bottom_sums = items[bottom].sum(axis=0)
    figures = []
    for j in range(k):
        mean = Fraction(int(sums[j]), 100 * n)
        p = Fraction(int(sums[j]), n * fulls[j])
        d = Fraction(int(top_sums[j]) - int(bottom_sums[j]), group * fulls[j])
        figures.append(ItemFigures(numbers[j], labels[j], marks(fulls[j]), quantize(mean, PLACES_SCORE),
                                   quantize(p, PLACES_ITEM), quantize(d, PLACES_ITEM), discrimination_quality(d)))
    alpha = None
    if k > 1:
        sums_sq = (items * items).sum(axis=0)
        item_var = sum(Fraction(n * int(sums_sq[j]) - int(sums[j]) ** 2, n * n) for j in range(k))
        row_totals = items.sum(axis=1)
        total_var = Fraction(n * int(np.dot(row_totals, row_totals)) - int(row_totals.sum()) ** 2, n * n)
        if total_var:
            alpha = quantize(Fraction(k, k - 1) * (1 - item_var / total_var), PLACES_ALPHA)
    return ItemAnalysis(students=n, group_size=group, items=figures, alpha=alpha)
