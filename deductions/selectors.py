"""Reads of the fines ledger, scoped by school/permissions.py: a teacher sees her own, a group leader her
group's, the office and the principal their school's."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from school.models import Staff, Term
from school.permissions import restrict, scope_for

from .models import ZERO, LedgerEntry, LedgerMonth, TeacherLedger, Violation


def violations_visible_to(user) -> QuerySet:
    return restrict(Violation.objects.all(), user, school="school", teacher="teacher").select_related(
        "teacher", "school", "term", "term__school_year", "rule"
    )


def ledger_months_visible_to(user) -> QuerySet:
    """The ledger months of the central schools whose records the user sees whole (office, principal)."""
    scope = scope_for(user)
    months = LedgerMonth.objects.select_related("term", "term__school_year", "school", "closed_by")
    if scope.everything:
        return months
    roots = {sid for sid in scope.school_ids}
    return months.filter(school_id__in=roots)


def teacher_ledgers_visible_to(user) -> QuerySet:
    return restrict(
        TeacherLedger.objects.all(), user, school="teacher__school", teacher="teacher"
    ).select_related("teacher", "teacher__school", "month", "month__term", "month__term__school_year")


def month_summary(month: LedgerMonth, user) -> QuerySet:
    """Each teacher's totals for the month (the finance office's summary), largest fines first."""
    return teacher_ledgers_visible_to(user).filter(month=month).annotate(
        entry_count=Count("entries")
    ).order_by("-amount", "teacher__staff_no")


def month_totals(ledgers: QuerySet) -> dict:
    return ledgers.aggregate(amount=Sum("amount", default=ZERO), points=Sum("conduct_points", default=ZERO))


def statement_entries(ledger: TeacherLedger) -> QuerySet:
    return ledger.entries.select_related("violation", "corrects_month", "created_by").order_by("created_at", "id")


def term_conduct_points(term: Term, user) -> QuerySet:
    """Every visible teacher's fines and conduct points over the term (the year-end assessment's input)."""
    return (
        restrict(Staff.objects.filter(is_active=True), user, school="school", teacher="pk")
        .annotate(
            term_amount=Sum("ledgers__amount", filter=Q(ledgers__month__term=term), default=ZERO),
            term_points=Sum("ledgers__conduct_points", filter=Q(ledgers__month__term=term), default=ZERO),
        )
        .select_related("school")
        .order_by("-term_points", "staff_no")
    )


def teacher_summary(teacher: Staff, term: Term | None) -> dict:
    """What her home page shows: this term's fines and points, new findings, and appeals open."""
    violations = Violation.objects.filter(teacher=teacher)
    result = violations.aggregate(
        new=Count("pk", filter=Q(seen_at__isnull=True) & ~Q(status=Violation.Status.DISMISSED)),
        appealable=Count("pk", filter=Q(status=Violation.Status.CONFIRMED)),
    )
    totals = {"amount": ZERO, "points": ZERO}
    if term is not None:
        totals = TeacherLedger.objects.filter(teacher=teacher, month__term=term).aggregate(
            amount=Sum("amount", default=ZERO), points=Sum("conduct_points", default=ZERO)
        )
    return result | totals


def entries_sum(ledger: TeacherLedger) -> dict:
    return LedgerEntry.objects.filter(ledger=ledger).aggregate(
        amount=Sum("amount", default=ZERO), points=Sum("conduct_points", default=ZERO)
    )
