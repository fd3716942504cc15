"""Reads of the observation log: which lesson was taught where and by whom (timetable and approved swaps), the
observations a person may see, observation quotas and their progress, and the review chain of observation notes
(DOMAIN.md "Class observation (听课) and its quotas"). Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import ObservationKind, ObservationQuota, Per, Policy, ReviewRule
from inspections.selectors import policy_for, quotas_for_roles
from school import calendar
from school.models import Period, Role, School, SchoolClass, Staff, StaffRole, Subject, Term, TimetableEntry
from school.permissions import restrict, scope_for
from school.selectors import current_term

from ..models import LessonSwap, NotesReview, Observation
from .patrol import approved_swap_for

# Roles whose observations are leadership observations by default (a group leader or above may observe any
# lesson, V2.II.4; the office observes as part of its checks).
LEADERSHIP_ROLES = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.OFFICE_STAFF, Role.CADRE})
# Whose notes the principal checks (DOMAIN.md: "the principal checks the leaders' notes").
REVIEWED_LEADER_ROLES = (Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.CADRE)
OFFICE_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE_STAFF})


# --- lessons: the timetable with approved swaps ------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    school_class: SchoolClass
    date: dt.date
    period: int
    teacher: Staff
    subject: Subject
    entry: TimetableEntry | None = None
    swap: LessonSwap | None = None


def observable_classes(staff: Staff) -> QuerySet:
    """The classes a person may log an observation of: her school's and, at a central school, its village
    schools' (central schools' staff observe and guide their village schools)."""
    return (
        SchoolClass.objects.filter(Q(grade__school_id=staff.school_id) | Q(grade__school__parent_id=staff.school_id))
        .select_related("grade", "grade__school")
        .order_by("grade__school_id", "grade__level", "number")
    )


def periods_of(school: School) -> list[Period]:
    """The school's bell times; a village school with none of its own rings its central school's."""
    periods = list(Period.objects.filter(school_id__in={school.pk, school.root_id}).order_by("number"))
    own = [p for p in periods if p.school_id == school.pk]
    return own or [p for p in periods if p.school_id == school.root_id]


def lesson_at(*, school_class: SchoolClass, date: dt.date, period: int, term: Term | None) -> Lesson | None:
    """The lesson a class has at a date and period: the timetable's, unless an approved swap (调课, V2.II.3)
    gives it to a substitute; None if neither has one. Two queries."""
    entry = None
    if term is not None:
        entry = (
            TimetableEntry.objects.filter(term=term, school_class=school_class, weekday=date.isoweekday(),
                                          period=period)
            .select_related("subject", "teacher")
            .first()
        )
    swap = approved_swap_for(school_class, date, period)
    if swap is not None:
        return Lesson(school_class, date, period, swap.substitute, swap.subject, entry, swap)
    if entry is not None:
        return Lesson(school_class, date, period, entry.teacher, entry.subject, entry)
    return None


def current_period(periods: list[Period], now: dt.time) -> Period | None:
    """The period in progress, else the one that ended last today (an observer logs right after class)."""
    started = [p for p in periods if p.start_time <= now]
    return started[-1] if started else None


def lessons_now(staff: Staff, now: dt.datetime | None = None) -> tuple[Period | None, list[Lesson]]:
    """The lessons of the current period in her school (by its bell times), with approved swaps applied and her
    own lessons left out: the quick list an observer taps on her phone."""
    now = timezone.localtime(now)
    day = now.date()
    period = current_period(periods_of(staff.school), now.time())
    term = current_term(staff.school, day)
    if period is None or term is None or not term.contains(day):
        return period, []
    entries = {
        e.school_class_id: e
        for e in TimetableEntry.objects.filter(
            term=term, weekday=day.isoweekday(), period=period.number, school_class__grade__school=staff.school
        ).select_related("school_class", "school_class__grade", "subject", "teacher")
    }
    swaps = {
        s.school_class_id: s
        for s in LessonSwap.objects.filter(
            date=day, period=period.number, status=LessonSwap.Status.APPROVED, school_class__grade__school=staff.school
        ).select_related("school_class", "school_class__grade", "subject", "substitute")
    }
    lessons = []
    for class_id in entries.keys() | swaps.keys():
        entry, swap = entries.get(class_id), swaps.get(class_id)
        if swap is not None:
            lesson = Lesson(swap.school_class, day, period.number, swap.substitute, swap.subject, entry, swap)
        else:
            lesson = Lesson(entry.school_class, day, period.number, entry.teacher, entry.subject, entry)
        if lesson.teacher.pk != staff.pk:
            lessons.append(lesson)
    lessons.sort(key=lambda le: (le.school_class.grade.level, le.school_class.number))
    return period, lessons


def default_kind(observer: Staff) -> str:
    """Leaders and the office observe as leadership; everyone else observes peers."""
    return ObservationKind.LEADERSHIP if observer.role_codes & LEADERSHIP_ROLES else ObservationKind.PEER


# --- observations a person may see ---------------------------------------------------------------


def observations_visible_to(user) -> QuerySet:
    """A teacher sees the observations she wrote or received; a group leader also her group's (written or
    received by a member); the office and the principal their schools'; the superuser all."""
    base = Observation.objects.all()
    return restrict(base, user, school="school", teacher="teacher") | restrict(
        base, user, school=None, teacher="observer"
    )


def with_lesson(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "school", "school_class", "school_class__grade", "subject", "teacher", "observer"
    )


def observation_list(user, *, tab: str) -> QuerySet:
    """The list's tabs: "received" (of my lessons), "written" (by me), "all" (everything I may see)."""
    queryset = with_lesson(observations_visible_to(user))
    staff_id = scope_for(user).staff_id
    if tab == "received":
        queryset = queryset.filter(teacher_id=staff_id)
    elif tab == "written":
        queryset = queryset.filter(observer_id=staff_id)
    return queryset.order_by("-date", "-period", "-id")


def observation_detail(user) -> QuerySet:
    return with_lesson(observations_visible_to(user)).select_related("timetable_entry").prefetch_related(
        "scores__item"
    )


# --- quotas --------------------------------------------------------------------------------------


@dataclass
class QuotaRow:
    """One quota of one person: `required` lessons `per` term or week, `done` so far; `expected` is what the
    even pace asks by today, and she is `behind` when she has done fewer."""

    quota: ObservationQuota
    required: int
    done: int
    expected: int
    period_label: str
    strictness: int  # lessons a term, to compare a weekly quota with a term's
    decisive: bool = False

    @property
    def behind(self) -> bool:
        return self.done < self.expected

    @property
    def remaining(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.required)) if self.required else 100

    @property
    def role_label(self) -> str:
        return self.quota.get_role_display()


def week_of(day: dt.date) -> calendar.Span:
    monday = calendar.monday_of(day)
    return calendar.Span(monday, monday + dt.timedelta(days=6))


def _quota_condition(quota: ObservationQuota, *, term: Term, week: calendar.Span, prefix: str = "") -> Q:
    """The observations a quota counts: this term's (or this calendar week's, Monday to Sunday) of the kinds it
    counts (none listed: every kind; V1.4 and V3.8 teachers count peer observations only)."""
    if quota.per == Per.WEEK:
        condition = Q(**{f"{prefix}date__gte": week.start, f"{prefix}date__lte": week.end})
    else:
        condition = Q(**{f"{prefix}term": term})
    if quota.counted_kinds:
        condition &= Q(**{f"{prefix}kind__in": list(quota.counted_kinds)})
    return condition


def _expected_by(quota: ObservationQuota, term: Term, today: dt.date) -> int:
    """The even pace, rounded down: a term's quota times the share of the term's teaching weeks begun; a week's
    quota times the share of its school days (Monday to Friday) begun, nothing in a holiday week."""
    if quota.per == Per.WEEK:
        if not term.contains(today):
            return 0
        week = next((w for w in term.weeks() if w.start <= today <= w.end), None)
        if week is not None and not week.is_teaching:
            return 0
        return quota.count * min(today.isoweekday(), 5) // 5
    total = term.teaching_week_count
    if today > term.end_date or not total:
        return quota.count
    return quota.count * min(term.teaching_weeks_elapsed(today), total) // total


def _period_label(quota: ObservationQuota) -> str:
    return _("this week") if quota.per == Per.WEEK else _("this term")


def _quota_rows(quotas, done_of, term: Term, today: dt.date) -> list[QuotaRow]:
    weeks = term.teaching_week_count or 1
    rows = [
        QuotaRow(
            quota=quota,
            required=quota.count,
            done=done_of(quota),
            expected=_expected_by(quota, term, today),
            period_label=_period_label(quota),
            strictness=quota.count * (weeks if quota.per == Per.WEEK else 1),
        )
        for quota in quotas
    ]
    if rows:
        # Several roles, several quotas: the strictest decides whether she is behind (ties: the one she is
        # furthest from).
        max(rows, key=lambda r: (r.strictness, r.expected - r.done)).decisive = True
    return rows


def leads_central_group(staff: Staff) -> bool:
    return any(group.is_central for group in staff.led_groups.all())


_UNSET = object()


def quota_progress_for(staff: Staff, term: Term, today: dt.date, *, policy: Policy | None = _UNSET) -> list[QuotaRow]:
    """Her observation quotas under her school's policy for every role she holds (central-group-only quotas if
    she leads a central group), each with the lessons she has observed that count: one aggregate query (plus
    the policy's, unless given)."""
    if policy is _UNSET:
        policy = policy_for(staff.school)
    quotas = quotas_for_roles(policy, staff.role_codes, in_central_group=leads_central_group(staff))
    if not quotas:
        return []
    week = week_of(today)
    counts = Observation.objects.filter(observer=staff).aggregate(
        **{f"q{quota.pk}": Count("id", filter=_quota_condition(quota, term=term, week=week)) for quota in quotas}
    )
    return _quota_rows(quotas, lambda quota: counts[f"q{quota.pk}"], term, today)


@dataclass
class PersonQuota:
    staff: Staff
    rows: list[QuotaRow]

    @property
    def decisive(self) -> QuotaRow | None:
        return next((row for row in self.rows if row.decisive), None)

    @property
    def behind(self) -> bool:
        return self.decisive is not None and self.decisive.behind

    @property
    def shortfall(self) -> int:
        return self.decisive.expected - self.decisive.done if self.decisive else 0


QUOTA_SORTS = ("behind", "name", "done")


def quota_table(user, today: dt.date, *, role: str = "", group=None, sort: str = "behind") -> list[PersonQuota]:
    """Everyone the user may see (a group leader: her group; the office and principal: their schools) with
    each applicable quota and the lessons observed that count. The counts come from ONE aggregate query over
    everyone, whatever the number of people; sorted with who is behind first (or by name, or by count)."""
    scope = scope_for(user)
    staff_qs = restrict(Staff.objects.filter(is_active=True), user, school="school", teacher="pk")
    if role:
        staff_qs = staff_qs.filter(pk__in=StaffRole.objects.filter(role=role).values("staff_id"))
    if group is not None:
        staff_qs = staff_qs.filter(pk__in=Staff.objects.filter(groups=group).values("pk"))
    if scope.everything:
        roots = School.objects.filter(parent__isnull=True)
    else:
        roots = [scope.staff.school.root]
    week = week_of(today)
    context = {}  # root id -> (term, policy)
    annotations = {}
    for root in roots:
        term = current_term(root, today)
        policy = policy_for(root) if term is not None else None
        if policy is None:
            continue
        context[root.pk] = (term, policy)
        for quota in policy.quotas.all():
            annotations[f"q{quota.pk}"] = Count(
                "observations_given",
                filter=_quota_condition(quota, term=term, week=week, prefix="observations_given__"),
                distinct=True,
            )
    people = (
        staff_qs.select_related("school")
        .prefetch_related("roles", "led_groups", "groups")
        .annotate(**annotations)
        .order_by("school_id", "staff_no")
    )
    table = []
    for person in people:
        term, policy = context.get(person.school.root_id, (None, None))
        quotas = quotas_for_roles(policy, person.role_codes, in_central_group=leads_central_group(person))
        rows = _quota_rows(quotas, lambda quota: getattr(person, f"q{quota.pk}"), term, today) if quotas else []
        table.append(PersonQuota(person, rows))
    if sort == "name":
        table.sort(key=lambda p: (p.staff.name, p.staff.staff_no))
    elif sort == "done":
        table.sort(key=lambda p: (p.decisive.done if p.decisive else -1), reverse=True)
    else:
        # Behind first, the furthest behind at the top; people with no quota last.
        table.sort(key=lambda p: (not p.behind, p.decisive is None, -p.shortfall, p.staff.staff_no))
    return table


# --- the review chain of observation notes ------------------------------------------------------


def review_rules_for(staff: Staff, policy: Policy | None) -> list[ReviewRule]:
    """The review rules in which she is the reviewer: a group leader (she leads a group), the office (director
    or office staff), the principal."""
    if policy is None:
        return []
    rules = []
    for rule in policy.review_rules.all():
        if rule.reviewer == ReviewRule.Reviewer.GROUP_LEADER and staff.led_groups.all():
            rules.append(rule)
        elif rule.reviewer == ReviewRule.Reviewer.OFFICE and staff.role_codes & OFFICE_ROLES:
            rules.append(rule)
        elif rule.reviewer == ReviewRule.Reviewer.PRINCIPAL and Role.PRINCIPAL in staff.role_codes:
            rules.append(rule)
    return rules


def reviewees_of_rule(staff: Staff, rule: ReviewRule) -> QuerySet:
    """Whose notes a rule gives her: the members of the groups she leads, the group leaders of her schools, or
    the leaders (vice-principal, director, cadres) of her schools; never herself."""
    in_my_schools = Q(school_id=staff.school_id) | Q(school__parent_id=staff.school_id)
    people = Staff.objects.filter(is_active=True).exclude(pk=staff.pk)
    if rule.reviewees == ReviewRule.Reviewees.GROUP_TEACHERS:
        people = people.filter(groups__leader=staff)
    elif rule.reviewees == ReviewRule.Reviewees.GROUP_LEADERS:
        people = people.filter(in_my_schools, led_groups__isnull=False)
    else:
        people = people.filter(in_my_schools, roles__role__in=REVIEWED_LEADER_ROLES)
    return people.distinct()


def review_chain(staff: Staff, policy: Policy | None) -> dict[int, list[ReviewRule]]:
    """Reviewee id -> the rules under which she reviews that person (one query per rule, three at most)."""
    chain: dict[int, list[ReviewRule]] = {}
    for rule in review_rules_for(staff, policy):
        for pk in reviewees_of_rule(staff, rule).values_list("pk", flat=True):
            chain.setdefault(pk, []).append(rule)
    return chain


def in_review_chain(reviewer: Staff, reviewee: Staff) -> bool:
    return reviewee.pk in review_chain(reviewer, policy_for(reviewer.school))


def months_begun(term: Term, today: dt.date) -> int:
    return sum(1 for month in term.school_months() if month.start <= today)


def required_reviews(rule: ReviewRule, term: Term, today: dt.date) -> int:
    """Reviews due by today: `times` a term, or `times` every school month begun (V6.5, V7.4 monthly)."""
    if rule.per == Per.MONTH:
        return rule.times * months_begun(term, today)
    return rule.times


@dataclass
class ReviewRow:
    staff: Staff
    rules: list[ReviewRule]
    required: int
    done: int
    last_review_at: dt.datetime | None
    new_notes: list[Observation] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return self.done < self.required


def review_rows_for(staff: Staff, term: Term, today: dt.date, *, policy: Policy | None = _UNSET) -> list[ReviewRow]:
    """The people whose notes she reviews, each with the reviews she made of them this term against the
    cadence, and the notes (observations they wrote this term) since her last review of them."""
    if policy is _UNSET:
        policy = policy_for(staff.school)
    chain = review_chain(staff, policy)
    if not chain:
        return []
    people = (
        Staff.objects.filter(pk__in=list(chain))
        .select_related("school")
        .prefetch_related("roles")
        .annotate(
            reviews_done=Count(
                "reviews_received",
                filter=Q(reviews_received__reviewer=staff, reviews_received__term=term),
                distinct=True,
            ),
            last_review_at=Max("reviews_received__created_at", filter=Q(reviews_received__reviewer=staff)),
        )
        .order_by("school_id", "staff_no")
    )
    rows = {
        person.pk: ReviewRow(
            staff=person,
            rules=chain[person.pk],
            required=max(required_reviews(rule, term, today) for rule in chain[person.pk]),
            done=person.reviews_done,
            last_review_at=person.last_review_at,
        )
        for person in people
    }
    for note in notes_since_last_review(staff, list(rows.values()), term):
        rows[note.observer_id].new_notes.append(note)
    return sorted(rows.values(), key=lambda r: (not r.behind, r.staff.school_id, r.staff.staff_no))


def notes_since_last_review(reviewer: Staff, rows: list[ReviewRow], term: Term) -> list[Observation]:
    last = {row.staff.pk: row.last_review_at for row in rows}
    notes = with_lesson(Observation.objects.filter(term=term, observer_id__in=last)).order_by("date", "period")
    return [n for n in notes if last[n.observer_id] is None or n.created_at > last[n.observer_id]]


def reviewable_notes(reviewer: Staff, reviewee: Staff, term: Term) -> tuple[QuerySet, list[int]]:
    """The notes a review may tick (the reviewee's observations this term) and those ticked by default (since
    the reviewer's last review of her)."""
    notes = with_lesson(Observation.objects.filter(term=term, observer=reviewee)).order_by("-date", "-period")
    last = NotesReview.objects.filter(reviewer=reviewer, reviewee=reviewee).aggregate(last=Max("created_at"))["last"]
    since = notes if last is None else notes.filter(created_at__gt=last)
    return notes, list(since.values_list("pk", flat=True))


def observations_of_term(term: Term) -> QuerySet:
    """Every observation of the term, for counting against a person (the "my term" card of the inspections app
    filters it on the observer or the teacher)."""
    return Observation.objects.filter(term=term)
