"""Results of closed rounds: per teacher and class, and per class, averages of each rated question and the
comments the office has let through (issue 7.6).

What is never shown:
- a group of fewer than `MIN_RESPONSES` responses: its figures and its comments are withheld, and its size too;
- anything computed over a withheld group: every figure shown is the figure of one shown group, and no figure
  combines groups (no school, grade or teacher total), so that no smaller group can be recovered by subtracting
  one shown figure from another;
- any figure of a round still open (a figure read before and after one more answer would show that answer).

A teacher sees her own groups, a group leader her group's, leaders and the office their schools' (the scope of
`school.permissions`); class questions go to leaders and to the class's head teacher. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import SchoolClass, Staff
from school.permissions import scope_for, visible_staff

from ..models import MIN_RESPONSES, Answer, Moderation, Question, Response, Round
from .rounds import class_teachers

TWO_PLACES = Decimal("0.01")


def average(total: int, count: int) -> Decimal:
    return (Decimal(total) / Decimal(count)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class ItemResult:
    question: Question
    average: Decimal
    count: int


@dataclass
class Cell:
    """One group of responses: a teacher in a class (teacher_id set) or a class's answers about itself."""

    round: Round
    school_class: SchoolClass
    teacher_id: int | None
    teacher_name: str = ""
    subjects: str = ""
    responses: int = 0
    items: list[ItemResult] = field(default_factory=list)
    comments: list[tuple[Question, str]] = field(default_factory=list)
    _total: int = 0
    _count: int = 0

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def overall(self) -> Decimal | None:
        return average(self._total, self._count) if self.shown and self._count else None


@dataclass
class RoundResults:
    round: Round
    teacher_cells: list[Cell]
    class_cells: list[Cell]
    questions: list[Question]

    @property
    def rating_questions_per_teacher(self) -> list[Question]:
        return [q for q in self.questions if q.is_rating and q.per_teacher]

    @property
    def rating_questions_per_class(self) -> list[Question]:
        return [q for q in self.questions if q.is_rating and not q.per_teacher]


def closed_rounds(rounds: QuerySet, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return rounds.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))


def _visible_teacher_ids(user) -> set[int] | None:
    """None: every teacher (a superuser)."""
    if user is None:
        return set()
    if scope_for(user).everything:
        return None
    return set(visible_staff(user).values_list("pk", flat=True))


def _sees_class(user, school_class: SchoolClass) -> bool:
    if user is None:
        return False
    scope = scope_for(user)
    if scope.everything or school_class.grade.school_id in scope.school_ids:
        return True
    return scope.staff_id is not None and school_class.head_teacher_id == scope.staff_id


def results_for(user, rounds, *, only_teacher: Staff | None = None) -> list[RoundResults]:
    """The results of these (closed) rounds that the person may see, round by round; `only_teacher` narrows
    them to one teacher's groups (with no user: hers, as she sees them herself). Rounds with nothing for her are
    left out."""
    rounds = list(rounds)
    if not rounds:
        return []
    round_ids = [r.pk for r in rounds]
    visible = _visible_teacher_ids(user)
    if only_teacher is not None:
        mine = user is None or visible is None or only_teacher.pk in visible
        visible = {only_teacher.pk} if mine else set()

    answers = Answer.objects.filter(response__round_id__in=round_ids)
    if visible is not None:
        answers = answers.filter(Q(teacher_id__in=visible) | Q(teacher__isnull=True))
    group = ("response__round_id", "response__school_class_id", "teacher_id")
    sizes = {
        (row["response__round_id"], row["response__school_class_id"], row["teacher_id"]): row["n"]
        for row in answers.filter(teacher__isnull=False).values(*group).annotate(n=Count("response_id", distinct=True))
    }
    for row in Response.objects.filter(round_id__in=round_ids).values("round_id", "school_class_id").annotate(
            n=Count("id")):
        sizes[(row["round_id"], row["school_class_id"], None)] = row["n"]
    ratings = list(answers.filter(value__isnull=False).values(*group, "question_id").annotate(
        total=Sum("value"), count=Count("id")))
    comments = list(answers.filter(moderation=Moderation.APPROVED).exclude(text="").values_list(
        *group, "question_id", "text").order_by("response__school_class_id", "teacher_id", "question__order", "text"))

    questions = {q.pk: q for q in Question.objects.filter(
        questionnaire_id__in={r.questionnaire_id for r in rounds}).order_by("order", "pk")}
    class_ids = {key[1] for key in sizes}
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in=class_ids).select_related("grade")}
    names = dict(Staff.objects.filter(pk__in={key[2] for key in sizes if key[2]}).values_list("pk", "name"))
    subjects: dict[int, dict] = {}
    for term_id in {r.term_id for r in rounds}:
        term = next(r.term for r in rounds if r.term_id == term_id)
        subjects[term_id] = {
            (class_id, t.teacher_id): t.subjects_display
            for class_id, teachers in class_teachers(term, class_ids).items() for t in teachers
        }

    by_round = {r.pk: r for r in rounds}
    cells: dict[tuple, Cell] = {}
    for key, n in sizes.items():
        round_id, class_id, teacher_id = key
        round_ = by_round[round_id]
        school_class = classes[class_id]
        if teacher_id is None and not _sees_class(user, school_class):
            continue
        if teacher_id is not None and visible is not None and teacher_id not in visible:
            continue
        if only_teacher is not None and teacher_id is None:
            continue
        cells[key] = Cell(round=round_, school_class=school_class, teacher_id=teacher_id,
                          teacher_name=names.get(teacher_id, ""),
                          subjects=subjects[round_.term_id].get((class_id, teacher_id), ""), responses=n)
    for row in ratings:
        cell = cells.get((row["response__round_id"], row["response__school_class_id"], row["teacher_id"]))
        if cell is None or not cell.shown:
            continue
        cell.items.append(ItemResult(questions[row["question_id"]], average(row["total"], row["count"]), row["count"]))
        cell._total += row["total"]
        cell._count += row["count"]
    for round_id, class_id, teacher_id, question_id, text in comments:
        cell = cells.get((round_id, class_id, teacher_id))
        if cell is not None and cell.shown:
            cell.comments.append((questions[question_id], text))

    results = []
    for round_ in rounds:
        own = [c for c in cells.values() if c.round.pk == round_.pk]
        for cell in own:
            cell.items.sort(key=lambda item: (item.question.order, item.question.pk))
            # What is withheld is withheld whole: not even its size.
            if not cell.shown:
                cell.responses = 0
        order = lambda c: (c.school_class.grade.level, c.school_class.number, c.subjects, c.teacher_name)  # noqa: E731
        teacher_cells = sorted((c for c in own if c.teacher_id is not None), key=order)
        class_cells = sorted((c for c in own if c.teacher_id is None), key=order)
        if teacher_cells or class_cells:
            own_questions = [q for q in questions.values() if q.questionnaire_id == round_.questionnaire_id]
            results.append(RoundResults(round_, teacher_cells, class_cells, own_questions))
    return results


def moderation_queue(round_: Round) -> list[Answer]:
    """The comments of a round that the office reads: those of groups with enough responses to be shown. The
    others are never shown to anyone, so nobody reads them."""
    sizes = {
        (row["response__school_class_id"], row["teacher_id"]): row["n"]
        for row in Answer.objects.filter(response__round=round_, teacher__isnull=False)
        .values("response__school_class_id", "teacher_id").annotate(n=Count("response_id", distinct=True))
    }
    for row in Response.objects.filter(round=round_).values("school_class_id").annotate(n=Count("id")):
        sizes[(row["school_class_id"], None)] = row["n"]
    comments = (
        Answer.objects.filter(response__round=round_).exclude(text="")
        .select_related("question", "teacher", "response__school_class", "response__school_class__grade")
        .order_by("response__school_class__grade__level", "response__school_class__number", "teacher__name",
                  "question__order", "text")
    )
    return [a for a in comments if sizes.get((a.response.school_class_id, a.teacher_id), 0) >= MIN_RESPONSES]


@dataclass
class LatestRound:
    """A teacher's own results of the latest closed round that evaluated her: per class, her overall average
    (None where the group is withheld)."""

    round_id: int
    round_name: str
    cells: list[dict]


def latest_results_of(teacher: Staff, today: dt.date | None = None) -> LatestRound | None:
    """For her home card, in one query: her groups (round and class) of closed rounds, the latest round's kept."""
    today = today or timezone.localdate()
    rows = list(
        Answer.objects.filter(teacher=teacher)
        .filter(Q(response__round__closed_at__isnull=False) | Q(response__round__closes_on__lt=today))
        .values("response__round_id", "response__round__name", "response__round__closes_on",
                "response__school_class_id", "response__school_class__grade__name",
                "response__school_class__grade__level", "response__school_class__number")
        .annotate(n=Count("response_id", distinct=True), total=Sum("value"), count=Count("value"))
        .order_by("-response__round__closes_on", "-response__round_id", "response__school_class__grade__level",
                  "response__school_class__number")
    )
    if not rows:
        return None
    latest = [row for row in rows if row["response__round_id"] == rows[0]["response__round_id"]]
    cells = []
    for row in latest:
        shown = row["n"] >= MIN_RESPONSES
        cells.append({
            "class_id": row["response__school_class_id"],
            "school_class": _("%(grade)s class %(number)s") % {"grade": row["response__school_class__grade__name"],
                                                                "number": row["response__school_class__number"]},
            "shown": shown,
            "responses": row["n"] if shown else 0,
            "overall": average(row["total"], row["count"]) if shown and row["count"] else None,
        })
    return LatestRound(rows[0]["response__round_id"], rows[0]["response__round__name"], cells)


@dataclass
class TeacherRating:
    """One shown group's overall rating: a teacher in a class, in a round (never a total over groups)."""

    round: Round
    teacher_id: int
    name: str
    school_class: SchoolClass
    responses: int
    average: Decimal


def teacher_ratings(user, rounds, *, teachers=None) -> list[TeacherRating]:
    """The overall rating of each teacher-in-a-class group of these (closed) rounds that the person may see,
    for the principal's dashboard: only groups of at least `MIN_RESPONSES` responses, each on its own, the
    comments left out. `teachers` (ids or a queryset of them) narrows to some teachers. Three queries."""
    rounds = {r.pk: r for r in rounds}
    if not rounds:
        return []
    answers = Answer.objects.filter(response__round_id__in=list(rounds), teacher__isnull=False)
    visible = _visible_teacher_ids(user)
    if visible is not None:
        answers = answers.filter(teacher_id__in=visible)
    if teachers is not None:
        answers = answers.filter(teacher_id__in=teachers)
    groups = [
        row for row in answers.values("response__round_id", "response__school_class_id", "teacher_id").annotate(
            n=Count("response_id", distinct=True), total=Sum("value", default=0),
            count=Count("value")).order_by()
        if row["n"] >= MIN_RESPONSES and row["count"]
    ]
    names = dict(Staff.objects.filter(pk__in={g["teacher_id"] for g in groups}).values_list("pk", "name"))
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in={g["response__school_class_id"] for g in groups})
               .select_related("grade")}
    found = [TeacherRating(rounds[g["response__round_id"]], g["teacher_id"], names.get(g["teacher_id"], ""),
                           classes[g["response__school_class_id"]], g["n"], average(g["total"], g["count"]))
             for g in groups]
    found.sort(key=lambda r: (r.round.pk, -r.average, r.name, r.school_class.grade.level, r.school_class.number))
    return found
