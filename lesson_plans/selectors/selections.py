"""Reads of excellent-work selections: those a person may see, their entries and scores, the ranked results
(per subject, by average score, ties sharing the best rank: 95, 95, 90 -> 1, 1, 3) and the winners. Each runs a
fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from school.models import Staff
from school.permissions import scope_for

from ..models import EntryScore, Selection, SelectionEntry


def _schools_of(user) -> set[int] | None:
    """The schools whose selections she takes part in or oversees (None: all)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    schools = set(scope.school_ids)
    if scope.staff is not None:
        schools |= {scope.staff.school_id, scope.staff.school.root_id}
    return schools


def selections_visible_to(user) -> QuerySet:
    """A selection is the school's: its staff and its village schools' staff take part; the office of a
    central school also sees its village schools' selections."""
    schools = _schools_of(user)
    selections = Selection.objects.all()
    return selections if schools is None else selections.filter(school_id__in=schools)


def selection_list(user, *, status="") -> QuerySet:
    selections = selections_visible_to(user).select_related("school", "term", "school_year")
    if status:
        selections = selections.filter(status=status)
    return (
        selections.annotate(entry_count=Count("entries", distinct=True))
        .prefetch_related("subjects")
        .order_by("-created_at", "-id")
    )


def sees_all_entries(user, selection: Selection) -> bool:
    """The office and the principal of its school, and its judges, see every entry."""
    scope = scope_for(user)
    if scope.everything or selection.school_id in scope.school_ids:
        return True
    return scope.staff is not None and any(j.pk == scope.staff.pk for j in selection.judges.all())


@dataclass
class RankedEntry:
    entry: SelectionEntry
    average: Decimal | None
    scores: int
    rank: int | None = None
    winner: bool = False
    my_score: Decimal | None = None


@dataclass
class SubjectResults:
    subject: object
    entries: list[RankedEntry] = field(default_factory=list)


def rank(rows: list[RankedEntry], prizes: int) -> None:
    """Ranks by average, descending; equal averages share the best rank (1, 1, 3); unscored entries have none.
    The winners are those ranked within the winning places."""
    scored = sorted((r for r in rows if r.average is not None), key=lambda r: r.average, reverse=True)
    previous, previous_rank = None, 0
    for position, row in enumerate(scored, start=1):
        row.rank = previous_rank if row.average == previous else position
        previous, previous_rank = row.average, row.rank
        row.winner = row.rank <= prizes


def results(selection: Selection, *, judge: Staff | None = None, entries: QuerySet | None = None) -> list[SubjectResults]:
    """The entries by subject, ranked. `judge`: her own scores are filled in. Two queries."""
    entries = (entries if entries is not None else selection.entries.all())
    entries = (
        entries.select_related("teacher", "subject", "nominated_by")
        .annotate(average=Avg("scores__score"), scored=Count("scores"))
        .order_by("subject__order", "subject_id", "id")
    )
    mine = {}
    if judge is not None:
        mine = dict(EntryScore.objects.filter(entry__selection=selection, judge=judge)
                    .values_list("entry_id", "score"))
    by_subject: dict[int, SubjectResults] = {}
    for entry in entries:
        average = entry.average
        if average is not None:
            average = Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        group = by_subject.setdefault(entry.subject_id, SubjectResults(subject=entry.subject))
        group.entries.append(RankedEntry(entry=entry, average=average, scores=entry.scored,
                                         my_score=mine.get(entry.pk)))
    for group in by_subject.values():
        rank(group.entries, selection.prizes)
        group.entries.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entry.pk))
    return list(by_subject.values())


def my_entries(user, selection: Selection) -> QuerySet:
    """The entries she wrote or nominated."""
    staff = scope_for(user).staff
    if staff is None:
        return selection.entries.none()
    return selection.entries.filter(Q(teacher=staff) | Q(nominated_by=staff))


def winners(selection: Selection) -> list[SubjectResults]:
    """Only the winning entries, by subject (the published display)."""
    shown = []
    for group in results(selection):
        won = [r for r in group.entries if r.winner]
        if won:
            shown.append(SubjectResults(subject=group.subject, entries=won))
    return shown


def may_download_entry(user, entry: SelectionEntry) -> bool:
    """Its author and nominator, the judges, the office and the principal; once published, everyone who sees the
    selection may open the winners."""
    selection = entry.selection
    staff = scope_for(user).staff
    if staff is not None and staff.pk in (entry.teacher_id, entry.nominated_by_id):
        return True
    if sees_all_entries(user, selection):
        return True
    if selection.status == Selection.Status.PUBLISHED:
        return any(r.entry.pk == entry.pk for group in winners(selection) for r in group.entries)
    return False


def nominees(user, selection: Selection) -> QuerySet:
    """Whose work she may nominate: her own; her groups' teachers as a group leader; anyone of the school's as
    the office."""
    scope = scope_for(user)
    root = selection.school.root_id
    in_family = Q(school_id=root) | Q(school__parent_id=root)
    condition = Q(pk__in=[])
    if scope.staff is not None:
        condition |= Q(pk=scope.staff.pk)
    if scope.everything:
        condition = Q()
    elif scope.managed_school_ids:
        condition |= Q(school_id__in=scope.managed_school_ids)
    if scope.led_group_ids:
        condition |= Q(groups__in=scope.led_group_ids)
    return Staff.objects.filter(in_family, condition, is_active=True).distinct().order_by("school_id", "staff_no")

