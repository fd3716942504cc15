"""Reads of the fines ledger, scoped by school/permissions.py: a teacher sees her own, a group leader her
group's, the office and the principal their school's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from inspections.models import FineRule
from school.models import School, Staff, Term
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


# --- the pages' reads ---------------------------------------------------------------------------------------


def calendar_root(user) -> School | None:
    """The central school whose calendar and ledger the user's pages follow: her school's root (a superuser with
    no staff record: the first central school)."""
    scope = scope_for(user)
    if scope.staff is not None:
        return scope.staff.school.root
    if scope.everything:
        return School.objects.filter(parent__isnull=True).order_by("pk").first()
    return None


def calendar_terms(root: School | None) -> QuerySet:
    if root is None:
        return Term.objects.none()
    return Term.objects.filter(school_year__school_id=root.pk).select_related("school_year").order_by("-start_date")


def ledger_months_for(user) -> QuerySet:
    """The ledger months of the user's own calendar (a superuser: every school's). Which teachers' rows she
    then sees in them is `teacher_ledgers_visible_to`'s business."""
    scope = scope_for(user)
    months = LedgerMonth.objects.select_related("term", "term__school_year", "school", "closed_by", "closed_by__staff")
    if scope.everything:
        return months
    if scope.staff is None:
        return months.none()
    return months.filter(school_id=scope.staff.school.root_id)


def month_totals_by_month(user, months) -> dict[int, dict]:
    """month id -> the totals of the ledgers the user sees in it (one query for all the months)."""
    rows = (
        teacher_ledgers_visible_to(user).filter(month__in=months).order_by().values("month_id")
        .annotate(amount=Sum("amount", default=ZERO), points=Sum("conduct_points", default=ZERO),
                  teachers=Count("pk"))
    )
    return {row["month_id"]: row for row in rows}


def violation_for_page(queryset: QuerySet) -> QuerySet:
    """What a violation's page shows besides the violation: who recorded and decided it."""
    return queryset.select_related("recorded_by__staff", "decided_by__staff", "source_type")


def violation_entries(violation: Violation) -> QuerySet:
    return violation.entries.select_related(
        "ledger", "ledger__month", "ledger__month__term__school_year", "corrects_month__term__school_year"
    ).order_by("created_at", "id")


def statement_rows(ledger: TeacherLedger) -> QuerySet:
    """A statement's entries with everything each row prints (no query per row)."""
    return statement_entries(ledger).select_related("corrects_month__term__school_year")


def new_findings(teacher: Staff) -> QuerySet:
    """Her findings she has not opened yet, newest first (the home page's list)."""
    return (
        Violation.objects.filter(teacher=teacher, seen_at__isnull=True)
        .exclude(status=Violation.Status.DISMISSED)
        .order_by("-occurred_on", "-id")
    )


def ledgers_of(teacher: Staff, term: Term | None) -> QuerySet:
    """Her monthly ledgers of the term: the way to her statements."""
    ledgers = TeacherLedger.objects.filter(teacher=teacher).select_related("month")
    if term is not None:
        ledgers = ledgers.filter(month__term=term)
    return ledgers.order_by("month__term__start_date", "month__number")


def finding_codes(root: School | None) -> list[tuple[str, str]]:
    """The findings a list can be filtered by: the fine rules of the school's policy, then any other code its
    violations carry (a policy without fines records findings by code)."""
    if root is None:
        return []
    rules = list(FineRule.objects.filter(policy__school_id=root.pk).order_by("id").values_list("code", "description"))
    known = {code for code, _label in rules}
    others = (
        Violation.objects.filter(Q(school_id=root.pk) | Q(school__parent_id=root.pk))
        .exclude(code__in=known).order_by("code").values_list("code", flat=True).distinct()
    )
    return rules + [(code, code) for code in others]


def term_conduct_points_of_school(term: Term, user) -> QuerySet:
    """`term_conduct_points` for the staff of the term's calendar (its central school and village schools)."""
    root_id = term.school_year.school_id
    return term_conduct_points(term, user).filter(Q(school_id=root_id) | Q(school__parent_id=root_id))


def person_name(user) -> str:
    """A user as the pages name her: her staff name, else her login; nobody: the system."""
    if user is None:
        return _("the system")
    try:
        return user.staff.name
    except ObjectDoesNotExist:
        return user.get_username()


@dataclass
class HistoryLine:
    date: object
    user: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


# What the history does not list as changes: the who and when it shows on every line anyway.
HISTORY_SKIPPED = {"recorded_at", "recorded_by", "confirmed_at", "appealed_at", "decided_at", "decided_by", "seen_at"}


def violation_history(violation: Violation) -> list[HistoryLine]:
    """Every recorded change of the violation, oldest first: who, when, and each field before -> after (one
    query)."""
    from inspections.selectors import display_value

    actions = {
        "recorded": _("Recorded"), "confirmed": _("Confirmed"), "dismissed": _("Dismissed"),
        "appealed": _("Appealed"), "upheld": _("Appeal rejected: the fine stands"), "waived": _("Waived"),
    }
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    records = list(
        violation.history.select_related("history_user", "history_user__staff").order_by("history_date", "history_id")
    )
    lines, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous, excluded_fields=HISTORY_SKIPPED).changes:
                model_field = Violation._meta.get_field(change.field)
                changes.append((
                    str(model_field.verbose_name), display_value(model_field, change.old),
                    display_value(model_field, change.new),
                ))
        previous = record
        reason = record.history_change_reason or ""
        lines.append(HistoryLine(
            date=record.history_date,
            user=person_name(record.history_user),
            action=str(actions.get(reason, kinds.get(record.history_type, record.history_type))),
            reason="" if reason in actions else reason,
            changes=changes,
        ))
    return lines


def appeals_waiting() -> QuerySet:
    """Findings appealed and not yet decided (a teacher's "my term" card filters it on her)."""
    return Violation.objects.filter(status=Violation.Status.APPEALED)
