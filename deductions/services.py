"""Writes of the fines ledger. Every domain app records a finding through `violation_record`, once per source.

The workflow (V4 fines; issue "Deductions"): proposed -> confirmed -> (appealed -> upheld | waived), or
proposed -> dismissed. Only the teaching office confirms, dismisses, decides appeals and closes months; only the
teacher herself appeals, within the policy's days. Money is booked to the ledger when a violation is confirmed and
reversed when it is waived; a month that is closed is never written again: what would change it is booked as an
adjustment in the open month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import FineRule
from inspections.selectors import policy_for
from school.models import Staff, Term
from school.permissions import manages_school, scope_for
from school.selectors import current_term

from .models import ZERO, LedgerEntry, LedgerMonth, TeacherLedger, Violation

S = Violation.Status


def _require_office(user, violation_or_school) -> None:
    school = getattr(violation_or_school, "school", violation_or_school)
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def _stamp(violation: Violation, user, reason: str = "") -> Violation:
    """Name who made the change on the history record the next save writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        violation._history_user = user
    violation._change_reason = reason
    return violation


def term_for_day(teacher: Staff, day: dt.date) -> Term:
    term = current_term(teacher.school, day)
    if term is None or not term.contains(day):
        raise ValidationError(_("No term of the school calendar holds %(day)s.") % {"day": day})
    return term


@transaction.atomic
def violation_record(
    *,
    teacher: Staff,
    code: str,
    occurred_on: dt.date,
    quantity: int = 1,
    source: Model | None = None,
    reason: str = "",
    note: str = "",
    unit_amount: Decimal | None = None,
    description: str = "",
    user=None,
) -> Violation:
    """Record a finding against `teacher` under the fine rule `code` of her school's policy (V4.IV).

    The amount is the rule's yuan x quantity, and the conduct points the rule's points x quantity; a
    discretionary rule (V4.II) takes `unit_amount`. Without an active rule of that code (a policy with no fines)
    the finding is recorded without money. A source (a patrol mark, a check…) produces each finding once: a
    second call returns the first violation. Without a source the office must give a reason. A finding with no
    rule is described by `description` (the office's own words), else by its code."""
    if quantity < 1:
        raise ValidationError(_("The quantity must be at least 1."))
    if source is None and not reason.strip():
        raise ValidationError(_("A violation added by hand needs a reason."))
    if source is not None:
        existing = _existing_for_source(source, code)
        if existing is not None:
            return existing
    policy = policy_for(teacher.school)
    rule = None
    if policy is not None:
        rule = next((r for r in policy.fine_rules.all() if r.code == code and r.active), None)
    if rule is not None and rule.discretionary:
        if unit_amount is None or unit_amount < 0:
            raise ValidationError(_("This fine is decided case by case: enter the amount in yuan."))
        each = Decimal(unit_amount).quantize(Decimal("0.01"))
    else:
        each = rule.amount if rule is not None else ZERO
    term = term_for_day(teacher, occurred_on)
    violation = Violation(
        school=teacher.school,
        teacher=teacher,
        term=term,
        month_number=term.school_month_of(occurred_on).number,
        occurred_on=occurred_on,
        code=code,
        rule=rule,
        description=rule.description if rule is not None else (description.strip()[:200] or code),
        quantity=quantity,
        unit_amount=each,
        amount=each * quantity,
        conduct_points=(rule.conduct_points if rule is not None else ZERO) * quantity,
        source=source,
        reason=reason.strip(),
        note=note,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    violation.full_clean()
    _stamp(violation, user, "recorded")
    try:
        with transaction.atomic():
            violation.save()
    except IntegrityError:
        # Another request recorded the same finding at the same moment: theirs stands.
        if source is not None and (existing := _existing_for_source(source, code)) is not None:
            return existing
        raise
    return violation


def _existing_for_source(source: Model, code: str) -> Violation | None:
    from django.contrib.contenttypes.models import ContentType

    return Violation.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk, code=code
    ).first()


def _locked(violation: Violation) -> Violation:
    """The violation re-read under a row lock, so that two decisions cannot both apply."""
    return Violation.objects.select_for_update(of=("self",)).select_related("teacher", "school", "term").get(
        pk=violation.pk
    )


@transaction.atomic
def violation_confirm(*, violation: Violation, user) -> Violation:
    """The office confirms a proposed finding; its money goes on the teacher's ledger."""
    _require_office(user, violation)
    violation = _locked(violation)
    if violation.status != S.PROPOSED:
        raise ValidationError(_("Only a proposed violation can be confirmed."))
    violation.status = S.CONFIRMED
    violation.confirmed_at = timezone.now()
    violation.decided_by = user
    _stamp(violation, user, "confirmed").save()
    ledger_book(violation=violation, kind=LedgerEntry.Kind.CHARGE, amount=violation.amount,
                conduct_points=violation.conduct_points, user=user)
    return violation


@transaction.atomic
def violation_dismiss(*, violation: Violation, user, reason: str) -> Violation:
    """The office drops a proposed finding that does not stand; nothing is booked."""
    _require_office(user, violation)
    if not reason.strip():
        raise ValidationError(_("Give the reason for dismissing it."))
    violation = _locked(violation)
    if violation.status != S.PROPOSED:
        raise ValidationError(_("Only a proposed violation can be dismissed."))
    violation.status = S.DISMISSED
    violation.decision_reason = reason.strip()
    violation.decided_by = user
    violation.decided_at = timezone.now()
    _stamp(violation, user, "dismissed").save()
    return violation


def appeal_deadline(violation: Violation) -> dt.date | None:
    """The last day the teacher may appeal: the policy's days after confirmation."""
    if violation.confirmed_at is None:
        return None
    policy = policy_for(violation.school)
    days = policy.appeal_days if policy is not None else 7
    return timezone.localdate(violation.confirmed_at) + dt.timedelta(days=days)


@transaction.atomic
def violation_appeal(*, violation: Violation, user, reason: str) -> Violation:
    """The teacher appeals a confirmed fine, with a reason, within the policy's days."""
    staff = scope_for(user).staff
    if staff is None or staff.pk != violation.teacher_id:
        raise PermissionDenied(_("Only the teacher concerned may appeal."))
    if not reason.strip():
        raise ValidationError(_("Say why you appeal."))
    violation = _locked(violation)
    if violation.status != S.CONFIRMED:
        raise ValidationError(_("Only a confirmed violation can be appealed, and only once."))
    deadline = appeal_deadline(violation)
    if deadline is not None and timezone.localdate() > deadline:
        raise ValidationError(_("The time to appeal ended on %(day)s.") % {"day": deadline})
    violation.status = S.APPEALED
    violation.appeal_reason = reason.strip()
    violation.appealed_at = timezone.now()
    _stamp(violation, user, "appealed").save()
    return violation


@transaction.atomic
def violation_decide(*, violation: Violation, user, waive: bool, reason: str) -> Violation:
    """The office decides an appeal: upheld (the fine stands) or waived (exactly its amount is reversed)."""
    _require_office(user, violation)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision."))
    violation = _locked(violation)
    if violation.status != S.APPEALED:
        raise ValidationError(_("Only an appealed violation can be decided."))
    violation.status = S.WAIVED if waive else S.UPHELD
    violation.decision_reason = reason.strip()
    violation.decided_by = user
    violation.decided_at = timezone.now()
    _stamp(violation, user, "waived" if waive else "upheld").save()
    if waive:
        ledger_book(violation=violation, kind=LedgerEntry.Kind.REVERSAL, amount=-violation.amount,
                    conduct_points=-violation.conduct_points, user=user, note=reason.strip())
    return violation


def violations_mark_seen(*, teacher: Staff, violation_ids) -> int:
    """The teacher has seen these findings (they stop showing as new on her page)."""
    return Violation.objects.filter(teacher=teacher, pk__in=list(violation_ids), seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


# --- the ledger ---------------------------------------------------------------------------------------------


def ledger_month_get(*, school, term: Term, number: int, lock: bool = False) -> LedgerMonth:
    """The ledger month of a central school (its village schools share it), created from the term's calendar."""
    root = school.root
    months = {m.number: m for m in term.school_months()}
    if number not in months:
        raise ValidationError(_("The term has no school month %(number)s.") % {"number": number})
    span = months[number]
    queryset = LedgerMonth.objects.select_for_update() if lock else LedgerMonth.objects
    try:
        with transaction.atomic():
            month, _created = queryset.get_or_create(
                school=root, term=term, number=number,
                defaults={"start_date": span.start, "end_date": span.end},
            )
    except IntegrityError:
        month = queryset.get(school=root, term=term, number=number)
    return month


def open_month_for(*, school, day: dt.date, after: LedgerMonth | None = None, lock: bool = False) -> LedgerMonth:
    """The month a booking dated `day` goes to: its own month while open, else the first open month after the
    closed one (a correction after closing is an adjustment there)."""
    term = current_term(school, day)
    if term is None or not term.contains(day):
        raise ValidationError(_("No term of the school calendar holds %(day)s.") % {"day": day})
    month = ledger_month_get(school=school, term=term, number=term.school_month_of(day).number, lock=lock)
    while month.is_closed:
        following = month.end_date + dt.timedelta(days=1)
        next_term = current_term(school, following)
        if next_term is None or not next_term.contains(following):
            raise ValidationError(
                _("%(month)s is closed and no later month is open to take the correction.") % {"month": month}
            )
        month = ledger_month_get(school=school, term=next_term,
                                 number=next_term.school_month_of(following).number, lock=lock)
    return month


def _teacher_ledger(month: LedgerMonth, teacher: Staff) -> TeacherLedger:
    try:
        with transaction.atomic():
            ledger, _created = TeacherLedger.objects.get_or_create(month=month, teacher=teacher)
    except IntegrityError:
        ledger = TeacherLedger.objects.get(month=month, teacher=teacher)
    return ledger


@transaction.atomic
def ledger_book(
    *,
    violation: Violation | None = None,
    teacher: Staff | None = None,
    kind: str,
    amount: Decimal,
    conduct_points: Decimal = ZERO,
    user=None,
    note: str = "",
    day: dt.date | None = None,
    corrects: LedgerMonth | None = None,
) -> LedgerEntry | None:
    """Book one entry and add it to the teacher's monthly totals with F(), in one transaction.

    A violation's entry goes to the month it occurred in while that month is open; once the month is closed it
    becomes an adjustment in the first open month after it. Nothing is booked for a finding without money."""
    teacher = teacher or violation.teacher
    if amount == 0 and conduct_points == 0:
        return None
    day = day or (violation.occurred_on if violation is not None else timezone.localdate())
    own = open_month_for(school=teacher.school, day=day, lock=True)
    if violation is not None:
        natural = ledger_month_get(school=teacher.school, term=violation.term, number=violation.month_number)
        if natural.pk != own.pk:
            kind, corrects = LedgerEntry.Kind.ADJUSTMENT, corrects or natural
    ledger = _teacher_ledger(own, teacher)
    entry = LedgerEntry.objects.create(
        ledger=ledger, kind=kind, violation=violation, amount=amount, conduct_points=conduct_points,
        corrects_month=corrects, note=note[:300], created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    TeacherLedger.objects.filter(pk=ledger.pk).update(
        amount=F("amount") + amount, conduct_points=F("conduct_points") + conduct_points
    )
    return entry


@transaction.atomic
def ledger_adjust(
    *, teacher: Staff, month: LedgerMonth, amount: Decimal, conduct_points: Decimal = ZERO, note: str, user
) -> LedgerEntry:
    """The office corrects a closed month: a new adjustment entry in the first open month after it, never an
    edit of the closed one."""
    _require_office(user, teacher.school)
    if month.school_id != teacher.school.root_id:
        # The month is another calendar's: the correction would be booked to one school and name another's month.
        raise ValidationError(_("%(teacher)s is not on the ledger of %(month)s.") % {"teacher": teacher,
                                                                                      "month": month})
    if not note.strip():
        raise ValidationError(_("Say what the adjustment corrects."))
    month = LedgerMonth.objects.get(pk=month.pk)  # as it stands now, not as the caller last read it
    if not month.is_closed:
        raise ValidationError(_("%(month)s is still open: correct the violation itself.") % {"month": month})
    if amount == 0 and conduct_points == 0:
        raise ValidationError(_("An adjustment must change the yuan or the points."))
    # Booked as of the closed month's last day, which lands in the first open month after it.
    return ledger_book(teacher=teacher, kind=LedgerEntry.Kind.ADJUSTMENT, amount=amount,
                       conduct_points=conduct_points, user=user, note=note.strip(), day=month.end_date,
                       corrects=month)


@transaction.atomic
def ledger_month_close(*, month: LedgerMonth, user) -> LedgerMonth:
    """The office closes a school month: its entries are final; later corrections are adjustments."""
    _require_office(user, month.school)
    month = LedgerMonth.objects.select_for_update().get(pk=month.pk)
    if month.is_closed:
        raise ValidationError(_("%(month)s is already closed.") % {"month": month})
    if timezone.localdate() < month.end_date:
        raise ValidationError(_("%(month)s has not ended yet.") % {"month": month})
    month.closed_at = timezone.now()
    month.closed_by = user
    month.save(update_fields=["closed_at", "closed_by"])
    return month
