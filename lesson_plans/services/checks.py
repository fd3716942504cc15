"""Writes of lesson-preparation checks (备课检查) and the V4 fines they give.

Who checks whom (V1.2, V3.4, V7.2; DOMAIN.md "Inspection rounds"): a group leader checks her group's teachers;
the director and the office check group leaders and anyone of their schools; the principal and vice-principal
anyone. Never oneself. One check per teacher, term, round and (monthly rounds) school month.

What a check finds, and what the policy fines where it has the rule (V4; `prep_shortfalls`):
- start of term (V4.I): the lessons prepared ahead must cover `advance_prep_weeks` weeks of her timetable
  (lessons a week x weeks); each lesson short: `advance_prep_short`, 2 yuan;
- every other round (V4.IV.1): lessons prepared must reach `prep_threshold` x lessons taught (0.8); each lesson
  short: `preparation_short`, 1 yuan. Rounding: the requirement is rounded UP to a whole lesson
  (ceil(0.8 x 37) = ceil(29.6) = 30), because "at least 80% of the lessons taught" means prepared / taught >= 0.8,
  and a lesson is prepared whole; 29 of 37 (78%) is one lesson short, 30 (81%) is none;
- any round (V4.IV.1): each lesson taught without a plan: `no_preparation`, 10 yuan;
- monthly rounds (V4.II): work below requirement, a discretionary amount the checker proposes:
  `monthly_below_requirement`.
A policy without the rule fines nothing (V1 records the check and its shortfalls, no violation).

Each fined finding is a `PrepCheckFinding` row recorded through `deductions.services.violation_record` with the
finding as its source: once per check and rule. Correcting a check recomputes its findings. Where a finding
changes, the old one is superseded and a new one recorded (a fresh source: the ledger keeps, for every fine, the
figures it was computed from): its fine, while still proposed, is dismissed by the teaching office through
`violation_dismiss` (deductions lets only the office dismiss, so a checker who is not the office asks the office
to make that correction); once the office has confirmed it (or it is under appeal), the correction is refused:
the teacher appeals, the office adjusts. A change that leaves every finding as it was needs no one's leave.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deductions.models import Violation
from deductions.services import violation_dismiss, violation_record
from inspections.models import Policy
from school.models import Staff, Term
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..models import ONCE_A_TERM, PREP_ROUND_KINDS, PrepCheck, PrepCheckFinding, PrepGrade, RoundKind
from ..selectors.checks import may_check
from ..selectors.common import active_fine_rules, policy_with_fines
from ..selectors.common import lessons_taught as lessons_taught_of
from .common import acting_staff, stamp

FINE_ADVANCE = "advance_prep_short"
FINE_SHORT = "preparation_short"
FINE_NO_PLAN = "no_preparation"
FINE_BELOW = "monthly_below_requirement"
FINE_CODES = (FINE_ADVANCE, FINE_SHORT, FINE_NO_PLAN, FINE_BELOW)
SETTLED = (Violation.Status.CONFIRMED, Violation.Status.APPEALED, Violation.Status.UPHELD, Violation.Status.WAIVED)


@dataclass(frozen=True)
class Shortfalls:
    """What a check's figures fall short of under the policy (None: the policy sets no such requirement)."""

    required_ahead: int | None
    advance_short: int
    required_prepared: int | None
    prep_short: int
    no_plan: int


def required_prepared(threshold: Decimal, taught: int) -> int:
    """ceil(threshold x taught) in exact decimal arithmetic (0.8 x 35 = 28, not 28.000000000000004)."""
    return math.ceil(Decimal(threshold) * taught)


def prep_shortfalls(*, round_kind: str, policy: Policy | None, weekly_lessons: int, lessons_taught: int,
                    lessons_prepared: int, lessons_ahead: int, taught_without_plan: int) -> Shortfalls:
    """The shortfalls of a check (the module's docstring gives the rules and the rounding)."""
    required_ahead = advance_short = None
    required = prep_short = None
    if round_kind == RoundKind.START_OF_TERM:
        if policy is not None and policy.advance_prep_weeks:
            required_ahead = policy.advance_prep_weeks * weekly_lessons
            advance_short = max(0, required_ahead - lessons_ahead)
    elif policy is not None and policy.prep_threshold:
        required = required_prepared(policy.prep_threshold, lessons_taught)
        prep_short = max(0, required - lessons_prepared)
    return Shortfalls(required_ahead=required_ahead, advance_short=advance_short or 0,
                      required_prepared=required, prep_short=prep_short or 0, no_plan=taught_without_plan)


def findings_for(*, policy: Policy | None, round_kind: str, weekly_lessons: int, lessons_taught: int,
                 lessons_prepared: int, lessons_ahead: int, taught_without_plan: int,
                 below_requirement_amount: Decimal | None) -> dict[str, tuple[int, Decimal | None]]:
    """The fined findings of a check's figures under the policy: code -> (quantity, amount each when the rule is
    decided case by case). Only the rules the policy has, active, give a finding."""
    rules = active_fine_rules(policy)
    found = prep_shortfalls(
        round_kind=round_kind, policy=policy, weekly_lessons=weekly_lessons, lessons_taught=lessons_taught,
        lessons_prepared=lessons_prepared, lessons_ahead=lessons_ahead, taught_without_plan=taught_without_plan,
    )
    wanted = {}
    for code, quantity in ((FINE_ADVANCE, found.advance_short), (FINE_SHORT, found.prep_short),
                           (FINE_NO_PLAN, found.no_plan)):
        if quantity > 0 and code in rules:
            wanted[code] = (quantity, None)
    if round_kind == RoundKind.MONTHLY and below_requirement_amount is not None and FINE_BELOW in rules:
        amount = below_requirement_amount if rules[FINE_BELOW].discretionary else None
        wanted[FINE_BELOW] = (1, amount)
    return wanted


def wanted_findings(check: PrepCheck, policy: Policy | None) -> dict[str, tuple[int, Decimal | None]]:
    """The fined findings a recorded check gives under its school's policy."""
    return findings_for(
        policy=policy, round_kind=check.round_kind, weekly_lessons=check.weekly_lessons,
        lessons_taught=check.lessons_taught, lessons_prepared=check.lessons_prepared,
        lessons_ahead=check.lessons_ahead, taught_without_plan=check.taught_without_plan,
        below_requirement_amount=check.below_requirement_amount,
    )


@dataclass(frozen=True)
class ProposedFine:
    """What a finding will cost under the policy's rule, as the checker sees it before saving."""

    code: str
    description: str
    quantity: int
    unit_amount: Decimal
    amount: Decimal
    conduct_points: Decimal


@dataclass(frozen=True)
class Preview:
    """A check's figures before it is saved: lessons taught and a week's lessons from the timetable, what the
    policy requires, the shortfalls, and the fines they would propose."""

    lessons_taught_computed: int
    weekly_lessons: int
    lessons_taught: int
    shortfalls: Shortfalls
    fines: list[ProposedFine]
    policy_fines: bool  # whether the policy has any of the preparation fines at all

    @property
    def total(self) -> Decimal:
        return sum((f.amount for f in self.fines), Decimal("0.00"))


def prep_check_preview(*, teacher: Staff, term: Term, round_kind: str, checked_on: dt.date,
                       lessons_taught: int | None, lessons_prepared: int, lessons_ahead: int,
                       taught_without_plan: int, below_requirement_amount: Decimal | None,
                       policy: Policy | None) -> Preview:
    """The figures and the fines a check would give, computed as `prep_check_create` computes them (no write)."""
    computed, weekly = lessons_taught_of(term, teacher, checked_on)
    taught = computed if lessons_taught is None else lessons_taught
    shortfalls = prep_shortfalls(round_kind=round_kind, policy=policy, weekly_lessons=weekly, lessons_taught=taught,
                                 lessons_prepared=lessons_prepared, lessons_ahead=lessons_ahead,
                                 taught_without_plan=taught_without_plan)
    wanted = findings_for(policy=policy, round_kind=round_kind, weekly_lessons=weekly, lessons_taught=taught,
                          lessons_prepared=lessons_prepared, lessons_ahead=lessons_ahead,
                          taught_without_plan=taught_without_plan,
                          below_requirement_amount=below_requirement_amount if round_kind == RoundKind.MONTHLY
                          else None)
    rules = active_fine_rules(policy)
    fines = []
    for code in FINE_CODES:
        if code not in wanted:
            continue
        quantity, each = wanted[code]
        rule = rules[code]
        each = Decimal(each if each is not None else rule.amount).quantize(Decimal("0.01"))
        fines.append(ProposedFine(code=code, description=rule.description, quantity=quantity, unit_amount=each,
                                  amount=each * quantity, conduct_points=rule.conduct_points * quantity))
    return Preview(lessons_taught_computed=computed, weekly_lessons=weekly, lessons_taught=taught,
                   shortfalls=shortfalls, fines=fines, policy_fines=any(code in rules for code in FINE_CODES))


def finding_violations(findings) -> dict[int, Violation]:
    """The violation recorded for each finding (by finding id). One query."""
    ids = [f.pk for f in findings]
    if not ids:
        return {}
    source_type = ContentType.objects.get_for_model(PrepCheckFinding)
    return {
        v.source_id: v
        for v in Violation.objects.filter(source_type=source_type, source_id__in=ids).order_by("id")
    }


def _findings_sync(check: PrepCheck, *, user, policy: Policy | None) -> None:
    wanted = wanted_findings(check, policy)
    current = {f.code: f for f in PrepCheckFinding.objects.select_for_update().filter(check_record=check,
                                                                                      superseded_at__isnull=True)}
    violations = finding_violations(current.values())
    changed = []
    for code in FINE_CODES:
        old, new = current.get(code), wanted.get(code)
        if old is not None and new is not None and (old.quantity, old.unit_amount) == new:
            continue
        if old is None and new is None:
            continue
        changed.append((code, old, new))
    # Refuse before writing anything: a settled fine, or a proposed one that only the office may dismiss.
    for code, old, _new in changed:
        violation = violations.get(old.pk) if old is not None else None
        if violation is None:
            continue
        if violation.status in SETTLED:
            raise ValidationError(
                _("The office has already confirmed the %(amount)s yuan fine “%(finding)s” of this check, so its "
                  "figures can no longer change it. While the fine is confirmed, %(teacher)s may appeal it.")
                % {"amount": violation.amount, "finding": violation.description, "teacher": check.teacher}
            )
        if violation.status == Violation.Status.PROPOSED and not manages_school(user, check.school):
            raise ValidationError(
                _("This correction changes the proposed fine “%(finding)s”. Only the teaching office may change a "
                  "proposed fine: ask the office to make this correction.") % {"finding": violation.description}
            )
    now = timezone.now()
    for code, old, new in changed:
        if old is not None:
            violation = violations.get(old.pk)
            if violation is not None and violation.status == Violation.Status.PROPOSED:
                violation_dismiss(violation=violation, user=user, reason=_("the check was corrected"))
            old.superseded_at = now
            stamp(old, user, "superseded").save(update_fields=["superseded_at"])
        if new is not None:
            quantity, unit_amount = new
            finding = PrepCheckFinding(check_record=check, code=code, quantity=quantity, unit_amount=unit_amount)
            # One current finding per rule: the old one was superseded above, under the check's lock.
            finding.full_clean(exclude=["check_record"], validate_constraints=False)
            stamp(finding, user, "recorded").save()
            violation_record(
                teacher=check.teacher, code=code, occurred_on=check.checked_on, quantity=quantity, source=finding,
                unit_amount=unit_amount, user=user, note=str(check),
            )


def _clean_round(term: Term, round_kind: str, month_number: int | None, checked_on: dt.date) -> int | None:
    if round_kind not in [k.value for k in PREP_ROUND_KINDS]:
        raise ValidationError(_("Choose the round of the check."))
    if round_kind != RoundKind.MONTHLY:
        return None
    months = {m.number: m for m in term.school_months()}
    if month_number not in months:
        raise ValidationError(_("Choose the school month this monthly check is for."))
    if months[month_number].start > checked_on:
        raise ValidationError(_("School month %(month)s has not begun on %(day)s.")
                              % {"month": month_number, "day": checked_on})
    return month_number


def _check_term(teacher: Staff, checked_on: dt.date) -> Term:
    if checked_on > today():
        raise ValidationError(_("A check cannot be dated in the future."))
    term = current_term(teacher.school, checked_on)
    if term is None or not term.contains(checked_on):
        raise ValidationError(_("%(day)s is not in a term of the school calendar.") % {"day": checked_on})
    return term


def _apply_figures(check: PrepCheck, *, term: Term, lessons_taught_given: int | None, figures: dict) -> None:
    taught, weekly = lessons_taught_of(term, check.teacher, check.checked_on)
    check.lessons_taught_computed, check.weekly_lessons = taught, weekly
    check.lessons_taught = taught if lessons_taught_given is None else lessons_taught_given
    for name, value in figures.items():
        setattr(check, name, value)
    if check.grade not in PrepGrade.values:
        raise ValidationError(_("Choose a grade."))
    if check.round_kind != RoundKind.MONTHLY:
        check.below_requirement_amount = None
    if check.lessons_ahead > check.lessons_prepared:
        raise ValidationError(_("Lessons prepared ahead are part of the lessons prepared: at most %(n)s.")
                              % {"n": check.lessons_prepared})
    if check.taught_without_plan > check.lessons_taught:
        raise ValidationError(_("Lessons taught without a plan cannot be more than the lessons taught (%(n)s).")
                              % {"n": check.lessons_taught})


FIGURES = ("lessons_prepared", "lessons_ahead", "standard_format", "three_dimensions", "student_centred",
           "reflection", "copied_plan", "taught_without_plan", "grade", "comments", "below_requirement_amount")


def _save(check: PrepCheck, user, reason: str) -> None:
    # The relations are the rows the service read; the figures were checked in `_apply_figures`, and the database
    # holds the constraints (a round checked twice at once is the IntegrityError below).
    check.full_clean(exclude=["school", "term", "teacher", "checker"], validate_unique=False,
                     validate_constraints=False)
    same_round = PrepCheck.objects.filter(teacher=check.teacher, term=check.term, round_kind=check.round_kind,
                                          month_number=check.month_number).exclude(pk=check.pk)
    once = check.round_kind in ONCE_A_TERM or check.round_kind == RoundKind.MONTHLY
    if once and same_round.exists():
        raise ValidationError(
            _("%(teacher)s already has a check for this round: open it to correct it.") % {"teacher": check.teacher}
        )
    try:
        with transaction.atomic():
            stamp(check, user, reason).save()
    except IntegrityError:
        raise ValidationError(
            _("%(teacher)s already has a check for this round: open it to correct it.") % {"teacher": check.teacher}
        ) from None


@transaction.atomic
def prep_check_create(*, teacher: Staff, round_kind: str, month_number: int | None = None, checked_on: dt.date,
                      lessons_prepared: int, lessons_ahead: int = 0, lessons_taught: int | None = None,
                      standard_format: bool = False, three_dimensions: bool = False, student_centred: bool = False,
                      reflection: bool = False, copied_plan: bool = False, taught_without_plan: int = 0,
                      grade: str, comments: str = "", below_requirement_amount: Decimal | None = None,
                      user) -> PrepCheck:
    """Record a check (the rules of who checks whom and the fines are the module's docstring). Lessons taught
    default to the timetable's count up to the check day (`selectors.common.lessons_taught`)."""
    checker = acting_staff(user)
    if not may_check(checker, teacher, scope=scope_for(user)):
        raise PermissionDenied(_("You do not check %(teacher)s's lesson preparation.") % {"teacher": teacher})
    term = _check_term(teacher, checked_on)
    check = PrepCheck(school=teacher.school, term=term, teacher=teacher, checker=checker, round_kind=round_kind,
                      month_number=_clean_round(term, round_kind, month_number, checked_on), checked_on=checked_on)
    _apply_figures(check, term=term, lessons_taught_given=lessons_taught, figures={
        "lessons_prepared": lessons_prepared, "lessons_ahead": lessons_ahead, "standard_format": standard_format,
        "three_dimensions": three_dimensions, "student_centred": student_centred, "reflection": reflection,
        "copied_plan": copied_plan, "taught_without_plan": taught_without_plan, "grade": grade,
        "comments": (comments or "").strip(), "below_requirement_amount": below_requirement_amount,
    })
    _save(check, user, "recorded")
    _findings_sync(check, user=user, policy=policy_with_fines(teacher.school))
    return check


def may_edit(user, check: PrepCheck) -> bool:
    """Its checker corrects a check, and the teaching office of its school."""
    staff = scope_for(user).staff
    return (staff is not None and staff.pk == check.checker_id) or manages_school(user, check.school)


@transaction.atomic
def prep_check_update(*, check: PrepCheck, user, round_kind: str, month_number: int | None, checked_on: dt.date,
                      lessons_taught: int | None, **figures) -> PrepCheck:
    """Correct a check: its figures are recomputed, and its findings with them (the module's docstring says what
    happens to their fines)."""
    if not may_edit(user, check):
        raise PermissionDenied(_("Only the checker or the teaching office may correct this check."))
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise TypeError(f"unknown figures: {sorted(unknown)}")
    check = (PrepCheck.objects.select_for_update(of=("self",)).select_related("teacher", "school", "term")
             .get(pk=check.pk))
    term = _check_term(check.teacher, checked_on)
    if term.pk != check.term_id:
        raise ValidationError(_("A check stays in its term (%(term)s).") % {"term": check.term})
    check.round_kind, check.checked_on = round_kind, checked_on
    check.month_number = _clean_round(term, round_kind, month_number, checked_on)
    if "comments" in figures:
        figures["comments"] = (figures["comments"] or "").strip()
    _apply_figures(check, term=term, lessons_taught_given=lessons_taught, figures=figures)
    _save(check, user, "corrected")
    _findings_sync(check, user=user, policy=policy_with_fines(check.school))
    return check
