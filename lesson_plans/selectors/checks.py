"""Reads of lesson-preparation checks: who may check whom, the checks a person may see, a check's findings and
fines, and the office's monthly sampling list. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models import IntegerField

from deductions.models import Violation
from school.calendar import SchoolMonth
from school.models import Staff, Term, TimetableEntry
from school.permissions import Scope, restrict, scope_for

from ..models import PrepCheck, PrepCheckFinding
from .common import TEACHING_ROLES


def may_check(checker: Staff, teacher: Staff, *, scope: Scope | None = None) -> bool:
    """A group leader checks her group's teachers; the director, the office, the principal and the vice-principal
    anyone of their schools; no one herself (DOMAIN.md "Inspection rounds": V1.2, V3.4, V7.2)."""
    if checker is None or teacher is None or checker.pk == teacher.pk or not teacher.is_active:
        return False
    scope = scope or scope_for(checker.user)
    if teacher.school_id in scope.school_ids:
        return True
    return bool(scope.led_group_ids) and teacher.groups.filter(pk__in=scope.led_group_ids).exists()


def checkable_teachers(user) -> QuerySet:
    """The teaching staff she may check (see `may_check`)."""
    scope = scope_for(user)
    if scope.staff is None:
        return Staff.objects.none()
    condition = Q(pk__in=[])
    if scope.school_ids:
        condition |= Q(school_id__in=scope.school_ids)
    if scope.led_group_ids:
        condition |= Q(groups__in=scope.led_group_ids)
    members = Staff.objects.filter(condition, is_active=True, roles__role__in=TEACHING_ROLES).values("pk")
    return (
        Staff.objects.filter(pk__in=members).exclude(pk=scope.staff.pk)
        .select_related("school").order_by("school_id", "staff_no")
    )


def checks_visible_to(user) -> QuerySet:
    """A teacher sees the checks of her own preparation and those she made; a group leader her group's; the
    office and the principal their schools'."""
    base = PrepCheck.objects.all()
    return restrict(base, user, school="school", teacher="teacher") | restrict(base, user, school=None,
                                                                                 teacher="checker")


def with_names(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("teacher", "checker", "school", "term")


def check_list(user, term: Term, *, group=None, grade=None, subject=None, round_kind="", month=None,
               letter="", school=None, teacher=None) -> QuerySet:
    checks = with_names(checks_visible_to(user).filter(term=term))
    if group is not None:
        checks = checks.filter(teacher__groups=group)
    if grade is not None:
        checks = checks.filter(teacher__lessons__term=term, teacher__lessons__school_class__grade=grade)
    if subject is not None:
        checks = checks.filter(teacher__lessons__term=term, teacher__lessons__subject=subject)
    if round_kind:
        checks = checks.filter(round_kind=round_kind)
    if month:
        checks = checks.filter(month_number=month)
    if letter:
        checks = checks.filter(grade=letter)
    if school is not None:
        checks = checks.filter(school=school)
    if teacher is not None:
        checks = checks.filter(teacher=teacher)
    return checks.annotate(
        fined=Count("findings", filter=Q(findings__superseded_at__isnull=True), distinct=True)
    ).order_by("-checked_on", "-id").distinct()


def check_detail(user) -> QuerySet:
    return with_names(checks_visible_to(user))


@dataclass
class FindingRow:
    finding: PrepCheckFinding
    violation: Violation | None

    @property
    def current(self) -> bool:
        return self.finding.superseded_at is None


def check_findings(check: PrepCheck) -> list[FindingRow]:
    """The check's findings, current first, each with its violation (status, amount). Three queries."""
    findings = list(check.findings.order_by(F("superseded_at").desc(nulls_first=True), "id"))
    source_type = ContentType.objects.get_for_model(PrepCheckFinding)
    violations = {
        v.source_id: v
        for v in Violation.objects.filter(source_type=source_type, source_id__in=[f.pk for f in findings])
    } if findings else {}
    return [FindingRow(f, violations.get(f.pk)) for f in findings]


# --- the monthly sampling list ------------------------------------------------------------------------------


@dataclass
class SampleRow:
    rank: int
    teacher: Staff
    last_checked: dt.date | None
    checks_this_month: list[PrepCheck]

    @property
    def young_or_new(self) -> bool:
        return self.teacher.is_young or self.teacher.is_new


def sampling_list(user, term: Term, month: SchoolMonth, *, young_new_first: bool, group=None, school=None,
                  size: int | None = None) -> list[SampleRow]:
    """The teachers to check in a school month, in the order the office samples them (V1.2, V6.2, V7.2): young
    and new teachers first where the policy says so, then those whose preparation was checked longest ago (never
    first), then by staff number. Everyone who teaches this term in the office's schools; who was already checked
    this month is shown. Three queries."""
    scope = scope_for(user)
    teaching = TimetableEntry.objects.filter(term=term, teacher=OuterRef("pk"))
    staff = Staff.objects.filter(is_active=True).filter(Exists(teaching))
    staff = restrict(staff, user, school="school", teacher=None)
    if not scope.everything and not scope.school_ids:
        staff = staff.none()
    if group is not None:
        staff = staff.filter(groups=group)
    if school is not None:
        staff = staff.filter(school=school)
    priority = Value(1, output_field=IntegerField())
    if young_new_first:
        priority = Case(When(Q(is_young=True) | Q(is_new=True), then=Value(0)), default=Value(1),
                        output_field=IntegerField())
    month_checks = PrepCheck.objects.filter(term=term, checked_on__gte=month.start, checked_on__lte=month.end)
    staff = (
        staff.annotate(priority=priority, last_checked=Max("prep_checks__checked_on"))
        .select_related("school")
        .prefetch_related("groups",
                          Prefetch("prep_checks", queryset=month_checks.select_related("checker"), to_attr="in_month"))
        .order_by("priority", F("last_checked").asc(nulls_first=True), "staff_no")
    )
    if size:
        staff = staff[:size]
    return [SampleRow(rank=index, teacher=person, last_checked=person.last_checked,
                      checks_this_month=person.in_month)
            for index, person in enumerate(staff, start=1)]


# --- the rounds a check is recorded in ------------------------------------------------------------------------


def prep_round_kinds(policy) -> list[str]:
    """The rounds the school's policy checks lesson preparation in (its calendar's rounds that list it), then the
    leaders' spot checks and special inspections any school may hold; every kind where there is no policy."""
    from inspections.models import Checked

    from ..models import PREP_ROUND_KINDS, RoundKind

    if policy is None:
        return [k.value for k in PREP_ROUND_KINDS]
    listed = {r.kind for r in policy.round_rules.all() if Checked.LESSON_PREP in (r.checked or [])}
    listed |= {RoundKind.SPOT, RoundKind.SPECIAL}
    return [k.value for k in PREP_ROUND_KINDS if k in listed]


def default_round(term: Term, kinds: list[str], day: dt.date) -> str:
    """The round a check made on `day` most likely belongs to: the start-of-term round in the first two weeks, else
    the monthly round, else the mid-term round up to two weeks after the mid-term exam, else the end of term."""
    from ..models import RoundKind

    fortnight = dt.timedelta(days=14)
    if RoundKind.START_OF_TERM in kinds and day <= term.start_date + fortnight:
        return RoundKind.START_OF_TERM
    if RoundKind.MONTHLY in kinds:
        return RoundKind.MONTHLY
    if RoundKind.MID_TERM in kinds and (term.midterm_date is None or day <= term.midterm_date + fortnight):
        return RoundKind.MID_TERM
    if RoundKind.END_OF_TERM in kinds:
        return RoundKind.END_OF_TERM
    return kinds[0]


def attach_fines(checks) -> list[PrepCheck]:
    """Each check with `.fines`: the violations of its current findings (status and amount). Two queries."""
    checks = list(checks)
    findings = list(PrepCheckFinding.objects.filter(check_record__in=[c.pk for c in checks],
                                                    superseded_at__isnull=True).order_by("id"))
    source_type = ContentType.objects.get_for_model(PrepCheckFinding)
    violations = {
        v.source_id: v
        for v in Violation.objects.filter(source_type=source_type, source_id__in=[f.pk for f in findings])
    } if findings else {}
    by_check: dict[int, list[Violation]] = {}
    for finding in findings:
        if finding.pk in violations:
            by_check.setdefault(finding.check_record_id, []).append(violations[finding.pk])
    for check in checks:
        check.fines = by_check.get(check.pk, [])
        check.fined_amount = sum((v.amount for v in check.fines), 0)
    return checks


COUNTED = (Violation.Status.PROPOSED, Violation.Status.CONFIRMED, Violation.Status.APPEALED,
           Violation.Status.UPHELD)


def recent_checks(teacher: Staff, term: Term, *, limit: int) -> QuerySet:
    """Her latest checks this term, each with `fined_amount`: the yuan of its current findings' fines that stand
    or wait for the office (None: no fine). One query."""
    findings = PrepCheckFinding.objects.filter(check_record=OuterRef(OuterRef("pk")),
                                               superseded_at__isnull=True).values("pk")
    fined = (
        Violation.objects.filter(source_type=ContentType.objects.get_for_model(PrepCheckFinding),
                                 source_id__in=findings, status__in=COUNTED)
        .order_by().values("source_type").annotate(total=Sum("amount")).values("total")
    )
    return (PrepCheck.objects.filter(term=term, teacher=teacher).annotate(fined_amount=Subquery(fined))
            .order_by("-checked_on", "-id")[:limit])


def my_checks(teacher: Staff, term: Term) -> list[PrepCheck]:
    """The checks of her preparation this term, newest first, with their fines. Three queries."""
    return attach_fines(
        PrepCheck.objects.filter(term=term, teacher=teacher).select_related("checker").order_by("-checked_on", "-id")
    )
