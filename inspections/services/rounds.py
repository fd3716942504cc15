"""Inspection rounds and their assignments (DOMAIN.md "Inspection rounds"; the review chain of "Class observation").

The policy's round rules are a calendar: the start-of-term round on the term's first day, a monthly round at the
end of every school month, the mid-term round on the mid-term exam date and the end-of-term round on the term's
last day, each moved by the rule's `opens_offset_days` and open for `window_days` days. The daily tick
(`services/schedule.py`) opens each on its day; the office opens spot and special rounds by hand. Every round
gets its assignments — who checks whom, for each item of its checklist, by its due date — from the rule's checker.

Everything here is idempotent: the database refuses a second round of the same kind and month and a second
assignment of the same checker, teacher and item, and the writes insert ON CONFLICT DO NOTHING, so running the
tick twice, or ten times at once, leaves what running it once does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from school.models import Grade, Role, School, Staff, StaffRole, Subject, Term, TimetableEntry

from .. import evidence
from ..models import (
    BY_HAND_KINDS,
    CALENDAR_KINDS,
    Assignment,
    Checked,
    InspectionRound,
    Policy,
    RoundRule,
)
from .notifications import notify

K = RoundRule.Kind
W = RoundRule.Checker
A = Assignment.Capacity

TEACHER_ROLES = frozenset({Role.TEACHER, Role.GROUP_LEADER})
OFFICE_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE_STAFF})
LEADERSHIP_ROLES = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.DIRECTOR})
# Whose observation notes the principal checks (the review chain: "the principal checks the leaders' notes").
NOTES_LEADER_ROLES = frozenset({Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.CADRE})
ONE_DAY = dt.timedelta(days=1)


# --- the calendar -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRound:
    """A calendar round the policy makes for a term: when it opens, when it is due, what its evidence covers."""

    kind: str
    month_number: int | None
    rule: RoundRule
    opens_on: dt.date
    due_on: dt.date
    covers_from: dt.date


def midterm_of(term: Term) -> dt.date:
    """The mid-term exam date; a term without one has its mid-term round halfway through."""
    return term.midterm_date or term.start_date + (term.end_date - term.start_date) // 2


def _window(rule: RoundRule, day: dt.date, term: Term) -> tuple[dt.date, dt.date]:
    """Opens `opens_offset_days` from its date; due `window_days` days later counting the first (a window of 1
    is due the day it opens), and never after the term's last day."""
    opens_on = day + dt.timedelta(days=rule.opens_offset_days)
    due_on = opens_on + dt.timedelta(days=max(rule.window_days, 1) - 1)
    return opens_on, max(opens_on, min(due_on, term.end_date))


def planned_rounds(policy: Policy, term: Term) -> list[PlannedRound]:
    """The calendar rounds the policy's rules make for `term`, in the order they open.

    A monthly round opens at the end of each school month (`times_per_term`, when set, caps how many); a school
    month that ends once the end-of-term round has opened has no monthly round of its own (the end-of-term
    check is the full one, DOMAIN.md "Inspection rounds"). A round that would open after the term's last day
    is not planned."""
    rules = {rule.kind: rule for rule in policy.round_rules.all() if rule.kind in CALENDAR_KINDS}
    plans = []
    end_opens = None
    if K.END_OF_TERM in rules:
        end_opens = _window(rules[K.END_OF_TERM], term.end_date, term)[0]
    if rule := rules.get(K.START_OF_TERM):
        opens_on, due_on = _window(rule, term.start_date, term)
        plans.append(PlannedRound(K.START_OF_TERM, None, rule, opens_on, due_on, opens_on))
    if rule := rules.get(K.MONTHLY):
        count = 0
        for month in term.school_months():
            opens_on, due_on = _window(rule, month.end, term)
            if end_opens is not None and opens_on >= end_opens:
                continue
            if rule.times_per_term is not None and count >= rule.times_per_term:
                break
            plans.append(PlannedRound(K.MONTHLY, month.number, rule, opens_on, due_on, min(month.start, opens_on)))
            count += 1
    if rule := rules.get(K.MID_TERM):
        opens_on, due_on = _window(rule, midterm_of(term), term)
        plans.append(PlannedRound(K.MID_TERM, None, rule, opens_on, due_on, opens_on))
    if rule := rules.get(K.END_OF_TERM):
        opens_on, due_on = _window(rule, term.end_date, term)
        plans.append(PlannedRound(K.END_OF_TERM, None, rule, opens_on, due_on, opens_on))
    plans = [plan for plan in plans if plan.opens_on <= term.end_date]
    plans.sort(key=lambda p: (p.opens_on, CALENDAR_KINDS.index(p.kind), p.month_number or 0))
    return plans


def covers_from(round: InspectionRound) -> dt.date:
    """The first day whose records count for the round: a monthly round's school month, else its opening day."""
    if round.kind == K.MONTHLY:
        month = next((m for m in round.term.school_months() if m.number == round.month_number), None)
        if month is not None:
            return min(month.start, round.opens_on)
    return round.opens_on


def terms_around(school: School, today: dt.date):
    """The central school's terms a round of which may be open today (a round may open before the term)."""
    margin = dt.timedelta(days=60)
    return (
        Term.objects.filter(school_year__school_id=school.root_id, start_date__lte=today + margin,
                            end_date__gte=today - margin)
        .select_related("school_year")
        .prefetch_related("holidays")
        .order_by("start_date")
    )


@transaction.atomic
def rounds_open_due(*, school: School, policy: Policy, today: dt.date) -> list[InspectionRound]:
    """Open the calendar rounds of the central school whose window holds `today` (the first day the tick runs
    within it). A round whose window passed before the system ran is not opened afterwards. Returns the rounds
    that exist for today, new or not."""
    rounds = []
    for term in terms_around(school, today):
        for plan in planned_rounds(policy, term):
            if not plan.opens_on <= today <= plan.due_on:
                continue
            round, _created = InspectionRound.objects.get_or_create(
                school=school, term=term, kind=plan.kind, month_number=plan.month_number,
                defaults={
                    "rule": plan.rule,
                    "checker": plan.rule.checker,
                    "checklist": list(plan.rule.checked),
                    "opens_on": plan.opens_on,
                    "due_on": plan.due_on,
                },
            )
            rounds.append(round)
    return rounds


# --- who checks whom ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedAssignment:
    checker_id: int
    teacher_id: int
    item: str
    capacity: str


class People:
    """The staff of a central school and its village schools as the assignment rules see them: one query for
    the people, one for their roles, two for their groups."""

    def __init__(self, school: School):
        self.school = school
        staff = list(
            Staff.objects.filter(Q(school_id=school.pk) | Q(school__parent_id=school.pk), is_active=True)
            .select_related("school")
            .prefetch_related("roles", "groups", "led_groups")
            .order_by("school_id", "staff_no")
        )
        self.staff = staff
        self.by_id = {p.pk: p for p in staff}
        central = [p for p in staff if p.school_id == school.pk]
        self.office = [p for p in central if p.role_codes & OFFICE_ROLES]
        self.leadership = [p for p in central if p.role_codes & LEADERSHIP_ROLES]
        self.directors = [p for p in central if Role.DIRECTOR in p.role_codes]
        self.principal = next((p for p in central if Role.PRINCIPAL in p.role_codes), None)
        self.village_directors = {}
        for person in staff:
            if person.school_id != school.pk and Role.DIRECTOR in person.role_codes:
                self.village_directors.setdefault(person.school_id, person)

    def teachers(self):
        return [p for p in self.staff if p.role_codes & TEACHER_ROLES]

    def pool(self, capacity: str) -> list[Staff]:
        return {A.OFFICE: self.office, A.LEADERSHIP: self.leadership, A.DIRECTOR: self.directors}.get(capacity, [])


class _RoundRobin:
    """Shares a body's checks out among its members in turn (staff-number order), never to the teacher herself."""

    def __init__(self, pool: list[Staff]):
        self.pool = pool
        self.next = 0

    def take(self, teacher: Staff) -> Staff | None:
        for _attempt in range(len(self.pool)):
            person = self.pool[self.next % len(self.pool)]
            self.next += 1
            if person.pk != teacher.pk:
                return person
        return None


def scoped_teacher_ids(round: InspectionRound) -> set[int] | None:
    """The teachers a spot or special round is limited to (those teaching its grade and/or subject this term);
    None when it covers everyone."""
    if round.grade_id is None and round.subject_id is None:
        return None
    lessons = TimetableEntry.objects.filter(term_id=round.term_id)
    if round.grade_id is not None:
        lessons = lessons.filter(school_class__grade_id=round.grade_id)
    if round.subject_id is not None:
        lessons = lessons.filter(subject_id=round.subject_id)
    return set(lessons.values_list("teacher_id", flat=True))


def plan_assignments(round: InspectionRound, policy: Policy | None, people: People | None = None) -> list[PlannedAssignment]:
    """Who checks whom, for each item of the round's checklist, from the round's checker:

    - group leaders (and the face-to-face group check): each group leader checks her group's teachers;
    - the teaching office: the office (director and office staff) checks everyone, its members sharing the
      teachers out in turn; the leadership (principal, vice-principal, director) likewise;
    - the chain: group leaders check their groups' teachers and the director checks the group leaders;
    - where the policy has village schools checked by their own director (V4.2), she checks her village school's
      teachers instead;
    - when the checklist has observation notes, the principal checks the leaders' notes (the review chain).
    Nobody checks herself."""
    people = people or People(round.school)
    items = [code for code in round.checklist if code in Checked.values]
    if not items:
        return []
    scope = scoped_teacher_ids(round)
    village_checks = bool(policy and policy.village_director_checks)
    pools = {capacity: _RoundRobin(people.pool(capacity)) for capacity in (A.OFFICE, A.LEADERSHIP, A.DIRECTOR)}
    planned: dict[tuple[int, int, str], PlannedAssignment] = {}

    def add(checker: Staff | None, teacher: Staff, capacity: str, codes=items):
        if checker is None or checker.pk == teacher.pk:
            return
        for code in codes:
            planned.setdefault((checker.pk, teacher.pk, code), PlannedAssignment(checker.pk, teacher.pk, code, capacity))

    def group_leaders_of(teacher: Staff) -> list[Staff]:
        leaders = []
        for group in teacher.groups.all():
            leader = people.by_id.get(group.leader_id)
            if leader is not None and leader.pk != teacher.pk and leader not in leaders:
                leaders.append(leader)
        return leaders

    for teacher in people.teachers():
        if scope is not None and teacher.pk not in scope:
            continue
        village_director = people.village_directors.get(teacher.school_id) if village_checks else None
        if village_director is not None and village_director.pk != teacher.pk:
            add(village_director, teacher, A.VILLAGE_DIRECTOR)
            continue
        if round.checker in (W.GROUP_LEADERS, W.FACE_TO_FACE):
            for leader in group_leaders_of(teacher):
                add(leader, teacher, A.GROUP_LEADER)
        elif round.checker == W.OFFICE:
            add(pools[A.OFFICE].take(teacher), teacher, A.OFFICE)
        elif round.checker == W.LEADERSHIP:
            add(pools[A.LEADERSHIP].take(teacher), teacher, A.LEADERSHIP)
        elif round.checker == W.CHAIN:
            if teacher.led_groups.all():
                add(pools[A.DIRECTOR].take(teacher), teacher, A.DIRECTOR)
            else:
                for leader in group_leaders_of(teacher):
                    add(leader, teacher, A.GROUP_LEADER)
    if Checked.OBSERVATION_NOTES in items and people.principal is not None:
        for leader in people.staff:
            if leader.role_codes & NOTES_LEADER_ROLES and (scope is None or leader.pk in scope):
                add(people.principal, leader, A.PRINCIPAL, [Checked.OBSERVATION_NOTES])
    return sorted(planned.values(), key=lambda a: (a.checker_id, a.teacher_id, items.index(a.item)))


@transaction.atomic
def assignments_create(*, round: InspectionRound, policy: Policy | None, people: People | None = None,
                       notify_checkers: bool = True) -> list[PlannedAssignment]:
    """Give the round the assignments its checker makes that it lacks (a teacher who joined since gets hers;
    nothing is ever taken away), and tell each checker who got new ones what is hers and by when. Returns the
    assignments added by this call (concurrent calls add each once: INSERT ... ON CONFLICT DO NOTHING)."""
    plans = plan_assignments(round, policy, people)
    existing = set(Assignment.objects.filter(round=round).values_list("checker_id", "teacher_id", "item"))
    new = [p for p in plans if (p.checker_id, p.teacher_id, p.item) not in existing]
    if not new:
        return []
    Assignment.objects.bulk_create(
        [Assignment(round=round, checker_id=p.checker_id, teacher_id=p.teacher_id, item=p.item,
                    capacity=p.capacity, due_on=round.due_on) for p in new],
        ignore_conflicts=True,
    )
    if notify_checkers:
        counts = defaultdict(int)
        for p in new:
            counts[p.checker_id] += 1
        for checker_id in sorted(counts):
            round_opened_notify(round=round, checker_id=checker_id, count=counts[checker_id])
    return new


def round_url(round: InspectionRound) -> str:
    return reverse("inspections:round-detail", args=[round.pk])


def round_opened_notify(*, round: InspectionRound, checker_id: int, count: int) -> None:
    """Tell a checker a round gives her checks to do (once per round: the key names the round and her)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New inspection round: %(round)s") % {"round": round.name}
        body = _("You have %(count)s checks to do in “%(round)s” (%(checklist)s), due by %(due)s.") % {
            "count": count, "round": round.name, "checklist": round.get_checklist_display(),
            "due": round.due_on.isoformat(),
        }
    notify(recipients=[checker_id], key=f"round:{round.pk}:checker:{checker_id}:opened", subject=subject, body=body,
           url=reverse("inspections:assignment-list"))


# --- done ---------------------------------------------------------------------------------------------------


def _acceptable_checkers(people_pools: dict[str, list[int]], assignment: dict) -> list[int]:
    """Who may have done a check: the checker, or, for a check the office or the leadership does as a body,
    any of its members."""
    pool = people_pools.get(assignment["capacity"])
    return pool if pool else [assignment["checker_id"]]


def _pools_of(school: School) -> dict[str, list[int]]:
    """The members of the office, the leadership and the directors of a central school (one query)."""
    pools: dict[str, list[int]] = {A.OFFICE: [], A.LEADERSHIP: [], A.DIRECTOR: []}
    for staff_id, role in StaffRole.objects.filter(staff__school_id=school.pk, staff__is_active=True).values_list(
        "staff_id", "role"
    ):
        if role in OFFICE_ROLES:
            pools[A.OFFICE].append(staff_id)
        if role in LEADERSHIP_ROLES:
            pools[A.LEADERSHIP].append(staff_id)
        if role == Role.DIRECTOR:
            pools[A.DIRECTOR].append(staff_id)
    return pools


def assignments_sync(*, round: InspectionRound, today: dt.date | None = None) -> int:
    """Mark done the round's assignments whose check the domain apps report recorded (`inspections/evidence.py`):
    a few queries per checklist item that an installed app records, whatever the number of assignments.
    Returns how many were marked. Idempotent: a done assignment is left as it is."""
    today = today or timezone.localdate()
    items = [item for item in round.checklist if item in evidence.items_with_evidence()]
    if not items:
        return 0
    open_ones = list(
        Assignment.objects.filter(round=round, done_at__isnull=True, item__in=items).values(
            "pk", "checker_id", "teacher_id", "item", "capacity"
        )
    )
    if not open_ones:
        return 0
    pools = _pools_of(round.school)
    start, end = covers_from(round), max(round.due_on, today)
    month_number = round.month_number if round.kind == K.MONTHLY else None
    done_ids = []
    for item in items:
        rows = [row for row in open_ones if row["item"] == item]
        if not rows:
            continue
        pairs = {(checker, row["teacher_id"]) for row in rows for checker in _acceptable_checkers(pools, row)}
        done = evidence.done_pairs(item, term=round.term, kind=round.kind, month_number=month_number, start=start,
                                   end=end, pairs=pairs)
        done_ids += [
            row["pk"] for row in rows
            if any((checker, row["teacher_id"]) in done for checker in _acceptable_checkers(pools, row))
        ]
    if not done_ids:
        return 0
    return Assignment.objects.filter(pk__in=done_ids, done_at__isnull=True).update(done_at=timezone.now())


@transaction.atomic
def assignment_mark_done(*, assignment: Assignment, checker: Staff) -> Assignment:
    """The checker says she has done a check that no installed app records (a paper check, or an app not yet in
    use). A check an app records is done by its record only."""
    assignment = Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
    if assignment.checker_id != checker.pk:
        raise PermissionDenied(_("Only the checker may mark her check done."))
    if assignment.item in evidence.items_with_evidence():
        raise ValidationError(_("This check is done when it is recorded on its own page; it cannot be marked by hand."))
    if assignment.round.status != InspectionRound.Status.OPEN:
        raise ValidationError(_("The round is over: its summary has been published."))
    if assignment.done_at is None:
        assignment.done_at = timezone.now()
        assignment.done_by_hand = True
        assignment.save(update_fields=["done_at", "done_by_hand"])
    return assignment


# --- rounds opened by the office, and the summary -----------------------------------------------------------


def term_holding(school: School, day: dt.date) -> Term:
    term = (
        Term.objects.filter(school_year__school_id=school.root_id, start_date__lte=day, end_date__gte=day)
        .select_related("school_year").first()
    )
    if term is None:
        raise ValidationError(_("No term of the school calendar holds %(day)s.") % {"day": day})
    return term


@transaction.atomic
def round_open_by_hand(
    *,
    school: School,
    kind: str,
    title: str,
    checklist: list[str],
    checker: str,
    opens_on: dt.date,
    due_on: dt.date,
    grade: Grade | None = None,
    subject: Subject | None = None,
    user=None,
) -> InspectionRound:
    """The office opens a spot check (V3.5: the principal in charge and the director, once a term) or a special
    inspection of a grade or a subject (V3.7), with its checklist and window. Its assignments are made, and its
    checkers told, when it opens (at once if it opens today or earlier; else by the daily tick on its day)."""
    school = school.root
    if kind not in BY_HAND_KINDS:
        raise ValidationError(_("Only spot checks and special inspections are opened by hand."))
    checklist = [code for code in Checked.values if code in set(checklist or [])]
    if not checklist:
        raise ValidationError(_("Choose what the round checks."))
    if checker not in W.values:
        raise ValidationError(_("Choose who checks."))
    if due_on < opens_on:
        raise ValidationError(_("The round cannot be due before it opens."))
    term = term_holding(school, opens_on)
    schools = {school.pk, *school.village_schools.values_list("pk", flat=True)}
    if grade is not None and grade.school_id not in schools:
        raise ValidationError(_("That grade is not one of your schools'."))
    if subject is not None and subject.school_id != school.pk:
        raise ValidationError(_("That subject is not one of your school's."))
    policy = Policy.objects.filter(school=school).first()
    rule = RoundRule.objects.filter(policy=policy, kind=kind).first() if policy else None
    round = InspectionRound(
        school=school, term=term, kind=kind, rule=rule, title=(title or "").strip(), checker=checker,
        checklist=checklist, opens_on=opens_on, due_on=due_on, grade=grade, subject=subject, opened_by=user,
    )
    round.full_clean()
    round.save()
    if opens_on <= timezone.localdate():
        assignments_create(round=round, policy=policy)
    return round


@transaction.atomic
def round_publish(*, round: InspectionRound, summary: str, user) -> InspectionRound:
    """Publish the round's summary (通报) to all staff of the school and its village schools: the round is over.
    Editing a published summary changes the text, with its history, and tells no one again."""
    round = InspectionRound.objects.select_for_update().select_related("school").get(pk=round.pk)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(_("Write the summary."))
    first_time = round.status != InspectionRound.Status.PUBLISHED
    round.summary = summary
    round.status = InspectionRound.Status.PUBLISHED
    if first_time:
        round.published_at = timezone.now()
        round.published_by = user if getattr(user, "is_authenticated", False) else None
    if user is not None and getattr(user, "is_authenticated", False):
        round._history_user = user
    round.save()
    if first_time:
        staff_ids = Staff.objects.filter(
            Q(school_id=round.school_id) | Q(school__parent_id=round.school_id), is_active=True
        ).values_list("pk", flat=True)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Inspection summary: %(round)s") % {"round": round.name}
        notify(recipients=list(staff_ids), key=f"round:{round.pk}:published", subject=subject, body=summary,
               url=round_url(round), kinds=("in_app", "email", "webhook"), topic="announcements")
    return round
