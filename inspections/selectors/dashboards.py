"""The dashboards' figures (issue 9), read from the domain apps through their selectors only, each in a fixed
number of grouped queries whatever the school's size.

A figure is a table (columns, rows of cells) that the page draws as a chart, shows as a table and offers as a
workbook; a cell may link to the list of the records it counts (the drill-down)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deductions import selectors as fines
from deductions.models import Violation
from exams import selectors as exam_selectors
from feedback.selectors.results import closed_rounds, teacher_ratings
from feedback.selectors.rounds import round_list as feedback_rounds
from lesson_plans.selectors.activities import activity_list
from observations.selectors.log import observation_list, quota_table
from observations.selectors.patrol import patrol_summary, swap_list
from school.models import Grade, Role, School, TeachingGroup
from school.permissions import scope_for

from ..models import Assignment, InspectionRound, ObservationQuota
from .rounds import assignments_of_checker, round_list, rounds_visible_to

ZERO = Decimal("0")
# The central school first (no parent: NULL sorts first in SQLite, last in PostgreSQL), then its village schools.
CENTRAL_FIRST = (F("parent_id").asc(nulls_first=True), "code", "pk")
# The fines that stand: confirmed, or upheld on appeal (an appealed one stands until it is decided).
STANDING = (Violation.Status.CONFIRMED, Violation.Status.UPHELD, Violation.Status.APPEALED)
# Kinds of finding drawn as lines in the trend chart (the rest stay in the table).
TREND_KINDS = 6


@dataclass
class Cell:
    value: object
    url: str = ""


@dataclass
class Figure:
    """One figure: `columns` headers, `rows` of cells (the first a label), and how to draw it: `chart` is
    "bar", "line" or "" (a table only); `series` the columns drawn (indexes), `stacked` for stacked bars."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: str = "bar"
    series: list[int] = field(default_factory=lambda: [1])
    stacked: bool = False
    note: str = ""
    drawn: dict | None = None  # a chart laid out otherwise than the table (its numbers are the table's)

    def chart_data(self) -> dict:
        """What static/inspections/dashboards.js draws: labels (the first column) and one dataset per series."""
        if self.drawn is not None:
            return {"type": self.chart, "stacked": self.stacked, **self.drawn}
        return {
            "type": self.chart, "stacked": self.stacked,
            "labels": [str(row[0].value) for row in self.rows],
            "datasets": [{"label": self.columns[i], "data": [number(row[i].value) for row in self.rows]}
                         for i in self.series],
        }

    def body_html(self) -> str:
        """The table's rows as HTML, every value escaped (rendered here: a template loop over hundreds of cells
        costs more than the rest of the page)."""
        def td(index, cell):
            shown = "—" if cell.value is None else cell.value
            inner = format_html('<a href="{}" data-drill="{}">{}</a>', cell.url, self.key, shown) if cell.url \
                else conditional_escape(shown)
            return format_html("<td{}>{}</td>", mark_safe(' class="text-end"') if index else "", inner)

        return mark_safe("".join(
            format_html("<tr>{}</tr>", mark_safe("".join(td(i, cell) for i, cell in enumerate(row))))
            for row in self.rows))

    def values(self) -> list[list]:
        return [[cell.value for cell in row] for row in self.rows]


def number(value):
    return float(value) if isinstance(value, (int, float, Decimal)) else None


def link(url_name: str, args=(), **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(url_name, args=args) + (f"?{urlencode(query)}" if query else "")


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


# --- the principal's figures ----------------------------------------------------------------------------------


@dataclass
class Filters:
    """What the principal's page is about: a term, and optionally one grade, one group, one school."""

    term: object
    school_ids: set[int]
    grade: Grade | None = None
    group: TeachingGroup | None = None
    school: School | None = None

    @property
    def shown_school_ids(self) -> set[int]:
        return {self.school.pk} if self.school is not None else set(self.school_ids)


def _violations(user, f: Filters):
    rows = fines.violations_visible_to(user).filter(term=f.term, school_id__in=f.shown_school_ids)
    if f.group is not None:
        rows = rows.filter(teacher__in=f.group.members.values("pk"))
    return rows.order_by()


def _fine_query(f: Filters, **extra) -> dict:
    return {"term": f.term.pk, "group": f.group.pk if f.group else "", "school": f.school.pk if f.school else "",
            **extra}


def quota_figures(user, f: Filters, today: dt.date, root) -> tuple[Figure, Figure, list]:
    """Quota completion by role and the people behind their pace (the current term's quotas: a quota counts
    lessons this term or this week). One aggregate query over everyone (observations.quota_table), not run when
    the policy sets no quota (its reading of everyone's roles and groups is the page's dearest part)."""
    has_quotas = root is not None and ObservationQuota.objects.filter(policy__school_id=root.pk).exists()
    people = quota_table(user, today, group=f.group) if has_quotas else []
    table = [p for p in people if p.staff.school_id in f.shown_school_ids]
    by_role: dict[str, list[int]] = {}
    for person in table:
        if person.decisive is None:
            continue
        for code in sorted(person.staff.role_codes):
            counts = by_role.setdefault(code, [0, 0])
            counts[0] += 1
            counts[1] += person.behind
    labels = dict(Role.choices)
    rows = []
    for code, (people, behind) in sorted(by_role.items(), key=lambda item: str(labels.get(item[0], item[0]))):
        url = link("observations:quota-list", role=code, group=f.group.pk if f.group else "", sort="behind")
        rows.append([Cell(labels.get(code, code), url), Cell(people, url), Cell(people - behind),
                     Cell(behind, url), Cell(percent(people - behind, people))])
    by_role_figure = Figure("quota-roles", _("Observation quotas by role"),
                            [_("Role"), _("People with a quota"), _("On pace"), _("Behind"), _("On pace (%)")],
                            rows, series=[2, 3], stacked=True)
    behind_rows = []
    for person in (p for p in table if p.behind):
        row = person.decisive
        url = link("observations:observation-list", tab="all", q=person.staff.name)
        behind_rows.append([Cell(person.staff.name, url), Cell(person.staff.school.name),
                            Cell(row.done), Cell(row.expected), Cell(row.required), Cell(person.shortfall)])
    behind_figure = Figure("quota-behind", _("Who is behind the quota"),
                           [_("Name"), _("School"), _("Observed"), _("Expected by now"), _("Required"),
                            _("Short by")], behind_rows, series=[5])
    return by_role_figure, behind_figure, table


def round_figure(user, f: Filters, today: dt.date) -> Figure:
    """Each round of the term: its checks, done and overdue. Two queries: the rounds, then their checks counted
    by round (grouping on the round id alone, not on every column of the round)."""
    rounds = list(rounds_visible_to(user).filter(term=f.term).order_by("-opens_on", "-pk"))
    not_done = Q(done_at__isnull=True)
    counts = {row["round_id"]: row for row in Assignment.objects.filter(round__in=[r.pk for r in rounds])
              .values("round_id").annotate(total=Count("pk"), done=Count("pk", filter=~not_done),
                                           overdue=Count("pk", filter=not_done & Q(due_on__lt=today))).order_by()}
    rows = []
    for r in rounds:
        c = counts.get(r.pk, {"total": 0, "done": 0, "overdue": 0})
        url = reverse("inspections:round-detail", args=(r.pk,))
        rows.append([Cell(r.name, url), Cell(r.get_kind_display()), Cell(c["total"]), Cell(c["done"]),
                     Cell(c["overdue"]), Cell(percent(c["done"], c["total"]))])
    return Figure("rounds", _("Round progress"),
                  [_("Round"), _("Kind"), _("Checks"), _("Done"), _("Overdue"), _("Done (%)")], rows,
                  series=[3, 4])


def finding_figures(user, f: Filters, root) -> tuple[Figure, Figure, Figure, dict]:
    """Findings by kind across the school months (the "tendency problems", V1.13), fines by month and by rule:
    ONE grouped query, plus the findings' names."""
    grouped = list(
        _violations(user, f).values("code", "month_number")
        .annotate(n=Count("pk"), yuan=Sum("amount", filter=Q(status__in=STANDING), default=ZERO),
                  standing=Count("pk", filter=Q(status__in=STANDING)))
    )
    names = dict(fines.finding_codes(root))
    months = [m.number for m in f.term.school_months()]
    months += sorted({row["month_number"] for row in grouped} - set(months))
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    by_month = {m: [0, ZERO] for m in months}
    by_code: dict[str, list] = defaultdict(lambda: [0, 0, ZERO])
    for row in grouped:
        counts[row["code"]][row["month_number"]] = row["n"]
        by_month[row["month_number"]][0] += row["standing"]
        by_month[row["month_number"]][1] += row["yuan"]
        total = by_code[row["code"]]
        total[0] += row["n"]
        total[1] += row["standing"]
        total[2] += row["yuan"]
    codes = sorted(counts, key=lambda code: (-by_code[code][0], code))
    month_label = lambda m: _("Month %(number)s") % {"number": m}  # noqa: E731
    trend_rows = []
    for m in months:
        row = [Cell(month_label(m))]
        for code in codes:
            n = counts[code].get(m, 0)
            row.append(Cell(n, link("deductions:violation-list", **_fine_query(f, code=code, month_number=m))
                            if n else ""))
        trend_rows.append(row)
    trend = Figure("findings", _("Findings by kind across the months"),
                   [_("School month")] + [names.get(code, code) for code in codes], trend_rows, chart="line",
                   series=list(range(1, min(len(codes), TREND_KINDS) + 1)),
                   note=_("Every finding recorded, whatever became of it; the lines show the most frequent kinds."))
    month_rows = [[Cell(month_label(m)), Cell(by_month[m][0], link("deductions:violation-list",
                                                                    **_fine_query(f, month_number=m))),
                   Cell(by_month[m][1])] for m in months]
    by_month_figure = Figure("fines-months", _("Fines by month"), [_("School month"), _("Fines standing"),
                                                                    _("Yuan")], month_rows, series=[2])
    rule_rows = [[Cell(names.get(code, code), link("deductions:violation-list", **_fine_query(f, code=code))),
                  Cell(by_code[code][0]), Cell(by_code[code][1]), Cell(by_code[code][2])] for code in codes]
    by_rule_figure = Figure("fines-rules", _("Findings and fines by rule"),
                            [_("Rule"), _("Findings"), _("Fines standing"), _("Yuan")], rule_rows, series=[3])
    return trend, by_month_figure, by_rule_figure, {"findings": sum(v[0] for v in by_code.values()),
                                                    "yuan": sum((v[2] for v in by_code.values()), ZERO)}


def group_fine_figure(user, f: Filters) -> Figure:
    """Fines by teaching-research group (a teacher in two groups counts in both). One query, names included."""
    grouped = (
        _violations(user, f).filter(status__in=STANDING, teacher__groups__isnull=False)
        .values("teacher__groups", "teacher__groups__name", "teacher__groups__school__name")
        .annotate(n=Count("pk"), yuan=Sum("amount", default=ZERO))
        .order_by("-yuan", "teacher__groups__name")
    )
    rows = [[Cell(row["teacher__groups__name"], link("deductions:violation-list", **_fine_query(
                f, group=row["teacher__groups"]))), Cell(row["teacher__groups__school__name"]), Cell(row["n"]),
             Cell(row["yuan"])] for row in grouped]
    return Figure("fines-groups", _("Fines by group"), [_("Group"), _("School"), _("Fines standing"), _("Yuan")],
                  rows, series=[3])


def school_figure(user, f: Filters, quota_people: list) -> Figure:
    """The central school and its village schools side by side: people behind the quota, findings and fines of
    the term. One grouped query (the quotas come from the table already read)."""
    grouped = {row["school_id"]: row for row in _violations(user, f).values("school_id").annotate(
        n=Count("pk"), yuan=Sum("amount", filter=Q(status__in=STANDING), default=ZERO))}
    behind: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for person in quota_people:
        if person.decisive is not None:
            behind[person.staff.school_id][0] += 1
            behind[person.staff.school_id][1] += person.behind
    rows = []
    for school in School.objects.filter(pk__in=f.shown_school_ids).order_by(*CENTRAL_FIRST):
        row = grouped.get(school.pk, {"n": 0, "yuan": ZERO})
        url = link("deductions:violation-list", **_fine_query(f, school=school.pk))
        rows.append([Cell(school.name), Cell(behind[school.pk][0]), Cell(behind[school.pk][1]), Cell(row["n"], url),
                     Cell(row["yuan"])])
    return Figure("schools", _("Schools side by side"),
                  [_("School"), _("People with a quota"), _("Behind"), _("Findings"), _("Yuan")], rows,
                  series=[2, 3])


def class_label(row) -> str:
    school_class = row["school_class"]
    return f"{school_class.grade.school.name} {school_class}" if school_class.grade.school.parent_id else str(
        school_class)


def grade_label(grade) -> str:
    return f"{grade.school.name} {grade.name}" if grade.school.parent_id else grade.name


def _across_exams(rows, grade) -> dict:
    """The mean across the term's exams: a line per class of the chosen grade, else a line per grade (the mean
    of its scores)."""
    exams = []
    for row in rows:
        if row["exam"] not in exams:
            exams.append(row["exam"])
    lines: dict[str, dict[int, list]] = {}
    for row in rows:
        school_class = row["school_class"]
        name = class_label(row) if grade is not None else grade_label(school_class.grade)
        total = lines.setdefault(name, {}).setdefault(row["exam_id"], [0.0, 0])
        total[0] += float(row["mean"]) * row["sat"]
        total[1] += row["sat"]
    return {"labels": [e.name for e in exams],
            "datasets": [{"label": name, "data": [round(by[e.pk][0] / by[e.pk][1], 1) if e.pk in by else None
                                                  for e in exams]} for name, by in lines.items()]}


def exam_figures(user, f: Filters) -> tuple[Figure, Figure]:
    """三率一分 by class in each exam of the term (pooled over subjects, as a percentage of full marks), and
    each class's value-added: its mean against the grade's mean in the latest exam, less the same ratio of its
    students' baseline scores (比均率 now minus 比均率 at the start). Two queries."""
    exams = exam_selectors.exams_visible(user).filter(term=f.term)
    rows_in = exam_selectors.class_quality(exams, school_ids=f.shown_school_ids,
                                           grade_id=f.grade.pk if f.grade else None)
    def cells(label, url, sat, mean, excellent, passed, low):
        return [Cell(label, url), Cell(sat), Cell(Decimal(mean).quantize(Decimal("0.1"))),
                Cell(percent(excellent, sat)), Cell(percent(passed, sat)), Cell(percent(low, sat))]

    rows = []
    # Each grade's classes, then the whole grade (the line the chart draws when no grade is chosen).
    for (exam_id, _grade), group in groupby(rows_in, key=lambda r: (r["exam_id"], r["school_class"].grade_id)):
        group = list(group)
        url = reverse("exams:exam-detail", args=(exam_id,))
        for row in group:
            rows.append(cells(f'{row["exam"].name} · {class_label(row)}', url, row["sat"], row["mean"],
                              row["excellent"], row["passed"], row["low"]))
        sat = sum(r["sat"] for r in group)
        rows.append(cells(f'{group[0]["exam"].name} · ' + _("%(grade)s, whole grade") % {
            "grade": grade_label(group[0]["school_class"].grade)}, url, sat,
            sum(Decimal(r["mean"]) * r["sat"] for r in group) / sat,
            *(sum(r[k] for r in group) for k in ("excellent", "passed", "low"))))
    quality = Figure("exam-quality", _("Exam quality by class (三率一分)"),
                     [_("Exam and class"), _("Scores"), _("Mean (percentage of full marks)"), _("Excellent (%)"),
                      _("Pass (%)"), _("Low (%)")], rows, chart="line", drawn=_across_exams(rows_in, f.grade),
                     note=_("Pooled over the subjects; spot tests are not counted. Choose a grade to compare its "
                            "classes."))
    # Value-added: the latest exam of each grade.
    latest: dict[int, int] = {}
    for row in rows_in:
        latest[row["school_class"].grade_id] = row["exam_id"]
    last_rows = [r for r in rows_in if latest[r["school_class"].grade_id] == r["exam_id"]]
    baselines = exam_selectors.class_baselines([r["class_id"] for r in last_rows])
    grade_means: dict[tuple, list] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    for r in last_rows:
        key = (r["exam_id"], r["school_class"].grade_id)
        grade_means[key][0] += float(r["mean"]) * r["sat"]
        grade_means[key][1] += r["sat"]
        base = baselines.get(r["class_id"])
        if base:
            grade_means[key][2] += base[0] * base[1]
            grade_means[key][3] += base[1]
    va_rows = []
    for r in last_rows:
        key = (r["exam_id"], r["school_class"].grade_id)
        total, n, base_total, base_n = grade_means[key]
        base = baselines.get(r["class_id"])
        now = float(r["mean"]) / (total / n) if n and total else None
        start = base[0] / (base_total / base_n) if base and base_n and base_total else None
        added = Decimal(100 * (now - start)).quantize(Decimal("0.1")) if now is not None and start is not None \
            else None
        va_rows.append([Cell(class_label(r), reverse("exams:exam-detail", args=(r["exam_id"],))),
                        Cell(r["exam"].name),
                        Cell(Decimal(100 * now).quantize(Decimal("0.1")) if now is not None else None),
                        Cell(Decimal(100 * start).quantize(Decimal("0.1")) if start is not None else None),
                        Cell(added)])
    value_added = Figure("value-added", _("Value-added by class"),
                         [_("Class"), _("Latest exam"), _("Mean against the grade (%)"),
                          _("Baseline against the grade (%)"), _("Value-added (points)")], va_rows, series=[4],
                         note=_("A class above 100 per cent does better than its grade; value-added is how far it moved "
                                "since its students' baseline."))
    return quality, value_added


RATING_BANDS = [(Decimal("4.5"), "4.5–5"), (Decimal("4"), "4–4.5"), (Decimal("3.5"), "3.5–4"), (Decimal("3"), "3–3.5"),
                (Decimal("0"), "< 3")]


def evaluation_figures(user, f: Filters, today: dt.date) -> tuple[Figure, Figure]:
    """Students' and parents' ratings in the term's closed rounds: how many teacher-in-a-class groups fall in
    each band of average rating, and the lowest-rated groups. Only groups with at least the minimum number of
    responses count, each on its own (feedback.teacher_ratings). Four queries."""
    rounds = closed_rounds(feedback_rounds(user, f.term).filter(school_id__in=f.shown_school_ids), today)
    members = f.group.members.values("pk") if f.group is not None else None
    ratings = teacher_ratings(user, rounds, teachers=members)
    results = link("feedback:results", term=f.term.pk)
    bands = [[Cell(label), Cell(sum(1 for r in ratings if low <= r.average < high), results)]
             for (low, label), high in zip(RATING_BANDS, [Decimal("6")] + [b for b, _l in RATING_BANDS])]
    banded = Figure("evaluation", _("Evaluation by students and parents"),
                    [_("Average rating"), _("Teachers in classes")], bands,
                    note=_("Each teacher in each class on its own, only where enough students or parents "
                           "answered; the rest are withheld."))
    lowest = sorted(ratings, key=lambda r: (r.average, r.name))[:10]
    rows = [[Cell(f"{r.name} · {r.school_class}", reverse("feedback:round-results", args=(r.round.pk,))),
             Cell(str(r.round)), Cell(r.responses), Cell(r.average)] for r in lowest]
    low = Figure("evaluation-lowest", _("The lowest-rated teachers in classes"),
                 [_("Teacher and class"), _("Round"), _("Responses"), _("Average rating")], rows, chart="")
    return banded, low


def principal_figures(user, f: Filters, *, root, today: dt.date) -> dict:
    quota_roles, quota_behind, people = quota_figures(user, f, today, root)
    trend, by_month, by_rule, totals = finding_figures(user, f, root)
    quality, value_added = exam_figures(user, f)
    figures = [quota_roles, quota_behind, round_figure(user, f, today), trend, by_month,
               group_fine_figure(user, f), by_rule, quality, value_added, *evaluation_figures(user, f, today)]
    if len(f.school_ids) > 1:
        figures.insert(0, school_figure(user, f, people))
    return {"figures": figures, "totals": totals}


# --- the office's, the group leader's ----------------------------------------------------------------------------


def office_board(user, *, root, school, term, today: dt.date, soon_days: int = 7) -> dict:
    """What is the office's to do now: today's patrol, checks due and overdue, findings to review, appeals to
    decide, swaps to approve, exports being built. A fixed number of queries."""
    scope = scope_for(user)
    school_ids = scope.school_ids if not scope.everything else None
    checks = Assignment.objects.filter(round__school=root, round__status=InspectionRound.Status.OPEN,
                                       round__opens_on__lte=today, done_at__isnull=True)
    due = checks.aggregate(
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=soon_days))),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    overdue_by_checker = list(
        checks.filter(due_on__lt=today).values("checker_id", "checker__name").annotate(n=Count("pk"))
        .order_by("-n", "checker__name")[:10])
    waiting = fines.violations_visible_to(user)
    if school_ids is not None:
        waiting = waiting.filter(school_id__in=school_ids)
    waiting = waiting.order_by().aggregate(
        proposed=Count("pk", filter=Q(status=Violation.Status.PROPOSED)),
        appealed=Count("pk", filter=Q(status=Violation.Status.APPEALED)),
    )
    swaps = swap_list(user, status="pending").count()
    jobs = list(exam_selectors.exports_in_progress(user)[:10])
    return {
        "patrol": patrol_summary(school, today) if school is not None else None,
        "checks": due, "overdue_by_checker": overdue_by_checker, "waiting": waiting, "swaps": swaps, "jobs": jobs,
        "rounds": list(round_list(user, term=term, today=today).filter(status=InspectionRound.Status.OPEN))
        if term is not None else [],
    }


def group_board(user, *, group: TeachingGroup, staff, term, today: dt.date) -> dict:
    """The group leader's page: her group's quotas (who is behind), her checks still open, the group's
    activities this term. A fixed number of queries."""
    people = quota_table(user, today, group=group)
    checks = list(assignments_of_checker(staff)) if staff is not None else []
    activities = list(activity_list(user, term, group=group)[:10]) if term is not None else []
    return {"people": people, "behind": sum(1 for p in people if p.behind), "checks": checks,
            "overdue": sum(1 for a in checks if a.due_on < today), "activities": activities,
            "observations": observation_list(user, tab="all").filter(
                teacher__in=group.members.values("pk"), term=term).count() if term is not None else 0}
