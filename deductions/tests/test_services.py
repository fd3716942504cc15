"""The fines ledger under the V4 preset, against a hand calculation; the workflow; locking; concurrency."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from deductions import selectors, services
from deductions.models import LedgerEntry, LedgerMonth, TeacherLedger, Violation
from inspections.services import policy_load_preset
from school.models import TimetableEntry

pytestmark = pytest.mark.django_db
D = Decimal

# One month with every kind of V4 finding: (code, quantity, yuan each, points each).
V4_MONTH = [
    ("advance_prep_short", 3, D("2"), D("1")),  # V4.I: 2 yuan a lesson short, plus conduct points
    ("teaching_plan_missing", 1, D("2"), D("1")),  # V4.I
    ("monthly_below_requirement", 1, D("15"), D("0")),  # V4.II: discretionary, 15 yuan decided
    ("summary_late", 4, D("2"), D("0")),  # V4.III: 2 yuan a day, 4 days late
    ("no_preparation", 2, D("10"), D("0")),  # V4.IV.1
    ("preparation_short", 5, D("1"), D("0")),  # V4.IV.1
    ("late_to_class", 1, D("2"), D("0")),  # V4.IV.2
    ("left_early", 1, D("5"), D("0")),
    ("absent", 1, D("20"), D("0")),
    ("homework_grading_short", 3, D("2"), D("0")),  # V4.IV.3
    ("unit_test_unmarked", 1, D("5"), D("0")),  # V4.IV.5
    ("unit_test_no_analysis", 1, D("2"), D("0")),
    ("lab_not_done", 2, D("5"), D("0")),  # V4.IV.6
    ("lab_untidy", 1, D("3"), D("0")),
]
# By hand: 6+2+15+8+20+5+2+5+20+6+5+2+10+3 yuan and 3+1 points.
V4_MONTH_YUAN = D("109.00")
V4_MONTH_POINTS = D("4.00")


def first_month(world):
    return world.term.school_months()[0]


def record_month(world, teacher, day):
    violations = []
    for code, quantity, each, _points in V4_MONTH:
        extra = {"unit_amount": each} if code == "monthly_below_requirement" else {}
        violations.append(services.violation_record(
            teacher=teacher, code=code, occurred_on=day, quantity=quantity,
            reason="学月检查记录", user=world.director.user, **extra,
        ))
    return violations


def ledger_of(teacher, month_number, world):
    return TeacherLedger.objects.get(teacher=teacher, month__term=world.term, month__number=month_number)


def assert_totals_match_entries(ledger):
    ledger.refresh_from_db()
    sums = selectors.entries_sum(ledger)
    assert (ledger.amount, ledger.conduct_points) == (sums["amount"], sums["points"])


def test_a_v4_month_gives_the_hand_calculated_totals(world):
    day = first_month(world).start + dt.timedelta(days=2)
    violations = record_month(world, world.teacher, day)
    assert [v.amount for v in violations] == [q * each for _c, q, each, _p in V4_MONTH]
    assert all(v.status == Violation.Status.PROPOSED for v in violations)
    # Proposed findings cost nothing yet.
    assert not TeacherLedger.objects.filter(teacher=world.teacher).exists()

    for violation in violations:
        services.violation_confirm(violation=violation, user=world.director.user)
    ledger = ledger_of(world.teacher, 1, world)
    assert (ledger.amount, ledger.conduct_points) == (V4_MONTH_YUAN, V4_MONTH_POINTS)
    assert_totals_match_entries(ledger)
    assert selectors.teacher_summary(world.teacher, world.term)["amount"] == V4_MONTH_YUAN


def test_a_waived_appeal_removes_exactly_its_amount_and_an_upheld_one_nothing(world):
    day = first_month(world).start + dt.timedelta(days=2)
    violations = {v.code: v for v in record_month(world, world.teacher, day)}
    for violation in violations.values():
        services.violation_confirm(violation=violation, user=world.director.user)

    absent = services.violation_appeal(violation=violations["absent"], user=world.teacher.user,
                                       reason="当天在外参加教研活动，有通知")
    services.violation_decide(violation=absent, user=world.director.user, waive=True, reason="核实属实")
    late = services.violation_appeal(violation=violations["late_to_class"], user=world.teacher.user, reason="堵车")
    services.violation_decide(violation=late, user=world.director.user, waive=False, reason="理由不成立")

    ledger = ledger_of(world.teacher, 1, world)
    assert ledger.amount == V4_MONTH_YUAN - D("20.00")
    assert Violation.objects.get(pk=absent.pk).status == Violation.Status.WAIVED
    assert Violation.objects.get(pk=late.pk).status == Violation.Status.UPHELD
    reversal = LedgerEntry.objects.get(violation=absent, kind=LedgerEntry.Kind.REVERSAL)
    assert reversal.amount == D("-20.00")
    assert_totals_match_entries(ledger)


def test_closing_locks_the_month_and_corrections_land_in_the_next(world):
    months = world.term.school_months()
    day = months[0].start + dt.timedelta(days=2)
    violations = record_month(world, world.teacher, day)
    late_finding = violations.pop()  # lab_untidy, 3 yuan: confirmed only after the month is closed
    for violation in violations:
        services.violation_confirm(violation=violation, user=world.director.user)
    month_1 = LedgerMonth.objects.get(term=world.term, number=1)
    services.ledger_month_close(month=month_1, user=world.director.user)
    closed_totals = (ledger_of(world.teacher, 1, world).amount, ledger_of(world.teacher, 1, world).conduct_points)
    assert closed_totals == (V4_MONTH_YUAN - D("3.00"), V4_MONTH_POINTS)

    # A finding of the closed month confirmed now, a waiver of one of its fines, and a correction by the office:
    # all are booked in month 2; month 1 never moves.
    services.violation_confirm(violation=late_finding, user=world.director.user)
    appealed = services.violation_appeal(violation=violations[0], user=world.teacher.user, reason="已补备课")
    services.violation_decide(violation=appealed, user=world.director.user, waive=True, reason="同意")
    services.ledger_adjust(teacher=world.teacher, month=month_1, amount=D("-5.00"), note="重复登记",
                           user=world.director.user)

    month_1_ledger = ledger_of(world.teacher, 1, world)
    assert (month_1_ledger.amount, month_1_ledger.conduct_points) == closed_totals
    month_2_ledger = ledger_of(world.teacher, 2, world)
    assert month_2_ledger.amount == D("3.00") - D("6.00") - D("5.00")
    assert month_2_ledger.conduct_points == D("-3.00")
    kinds = set(month_2_ledger.entries.values_list("kind", flat=True))
    assert kinds == {LedgerEntry.Kind.ADJUSTMENT}
    assert set(month_2_ledger.entries.values_list("corrects_month", flat=True)) == {month_1.pk}
    assert_totals_match_entries(month_2_ledger)
    # Over the term the teacher owes what she would have owed with no closing at all.
    term_total = sum(TeacherLedger.objects.filter(teacher=world.teacher).values_list("amount", flat=True))
    assert term_total == V4_MONTH_YUAN - D("6.00") - D("5.00")


def test_a_month_cannot_close_before_it_ends_or_twice(world):
    month = services.ledger_month_get(school=world.school, term=world.term, number=len(world.term.school_months()))
    with pytest.raises(ValidationError):
        services.ledger_month_close(month=month, user=world.director.user)
    first = services.ledger_month_get(school=world.school, term=world.term, number=1)
    services.ledger_month_close(month=first, user=world.director.user)
    with pytest.raises(ValidationError):
        services.ledger_month_close(month=first, user=world.director.user)


def test_an_adjustment_needs_a_closed_month_a_note_and_a_change(world):
    month = services.ledger_month_get(school=world.school, term=world.term, number=1)
    with pytest.raises(ValidationError):
        services.ledger_adjust(teacher=world.teacher, month=month, amount=D("1"), note="x", user=world.director.user)
    services.ledger_month_close(month=month, user=world.director.user)
    for amount, note in ((D("1"), " "), (D("0"), "note")):
        with pytest.raises(ValidationError):
            services.ledger_adjust(teacher=world.teacher, month=month, amount=amount, note=note,
                                   user=world.director.user)


def test_under_a_policy_without_fines_findings_are_recorded_without_money(world):
    policy_load_preset(school=world.school, preset="v1")
    day = first_month(world).start + dt.timedelta(days=1)
    violation = services.violation_record(teacher=world.teacher, code="late_to_class", occurred_on=day,
                                          reason="巡课记录", user=world.director.user)
    assert violation.rule is None and violation.amount == 0 and violation.conduct_points == 0
    services.violation_confirm(violation=violation, user=world.director.user)
    assert not LedgerEntry.objects.exists()


def test_the_same_source_and_rule_never_make_two_violations(world):
    source = TimetableEntry.objects.filter(term=world.term).first()
    day = first_month(world).start
    first = services.violation_record(teacher=world.teacher, code="late_to_class", occurred_on=day, source=source)
    again = services.violation_record(teacher=world.teacher, code="late_to_class", occurred_on=day, source=source)
    other_rule = services.violation_record(teacher=world.teacher, code="left_early", occurred_on=day, source=source)
    assert first.pk == again.pk and other_rule.pk != first.pk
    assert first.source == source
    # The database refuses it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Violation.objects.create(
            school=world.school, teacher=world.teacher, term=world.term, month_number=1, occurred_on=day,
            code="late_to_class", description="x", source_type=first.source_type, source_id=first.source_id,
        )


def test_the_amount_comes_from_the_rule_and_is_kept_when_the_rule_changes(world):
    day = first_month(world).start
    violation = services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, quantity=2,
                                          reason="巡课", user=world.director.user)
    assert (violation.unit_amount, violation.amount) == (D("20.00"), D("40.00"))
    world.school.policy.fine_rules.filter(code="absent").update(amount=D("50.00"))
    violation.refresh_from_db()
    assert violation.amount == D("40.00")


def test_by_hand_needs_a_reason_and_a_discretionary_fine_an_amount(world):
    day = first_month(world).start
    with pytest.raises(ValidationError):
        services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, reason="  ")
    with pytest.raises(ValidationError):
        services.violation_record(teacher=world.teacher, code="monthly_below_requirement", occurred_on=day,
                                  reason="学月检查")
    with pytest.raises(ValidationError):
        services.violation_record(teacher=world.teacher, code="absent", occurred_on=world.term.end_date
                                  + dt.timedelta(days=400), reason="x")
    assert not Violation.objects.exists()


def test_only_the_office_decides_and_only_the_teacher_appeals(world):
    day = first_month(world).start
    violation = services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, reason="巡课")
    for outsider in (world.teacher, world.group_leader, world.principal, world.foreign_director):
        with pytest.raises(PermissionDenied):
            services.violation_confirm(violation=violation, user=outsider.user)
    services.violation_confirm(violation=violation, user=world.office_staff.user)
    with pytest.raises(PermissionDenied):
        services.violation_appeal(violation=violation, user=world.other_teacher.user, reason="不是我")
    with pytest.raises(ValidationError):
        services.violation_confirm(violation=violation, user=world.director.user)  # not proposed any more
    services.violation_appeal(violation=violation, user=world.teacher.user, reason="有假条")
    with pytest.raises(PermissionDenied):
        services.violation_decide(violation=violation, user=world.teacher.user, waive=True, reason="自批")
    # The village director manages her village school, not the central school's month.
    month = services.ledger_month_get(school=world.school, term=world.term, number=1)
    with pytest.raises(PermissionDenied):
        services.ledger_month_close(month=month, user=world.village_director.user)


def test_an_appeal_after_the_policy_days_is_refused(world):
    day = first_month(world).start
    violation = services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, reason="巡课")
    services.violation_confirm(violation=violation, user=world.director.user)
    days = world.school.policy.appeal_days
    Violation.objects.filter(pk=violation.pk).update(confirmed_at=timezone.now() - dt.timedelta(days=days + 1))
    with pytest.raises(ValidationError):
        services.violation_appeal(violation=violation, user=world.teacher.user, reason="晚了")


def test_every_change_keeps_its_history(world):
    day = first_month(world).start
    violation = services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, reason="巡课",
                                          user=world.director.user)
    services.violation_confirm(violation=violation, user=world.director.user)
    services.violation_appeal(violation=violation, user=world.teacher.user, reason="有假条")
    services.violation_decide(violation=violation, user=world.director.user, waive=True, reason="属实")
    records = list(Violation.history.filter(id=violation.pk).order_by("history_date", "history_id"))
    assert [r.status for r in records] == ["proposed", "confirmed", "appealed", "waived"]
    assert [r.history_user for r in records] == [world.director.user, world.director.user, world.teacher.user,
                                                 world.director.user]
    changes = records[-1].diff_against(records[-2]).changes
    assert {c.field for c in changes} >= {"status", "decision_reason"}


def test_scoping_of_violations(world):
    day = first_month(world).start
    mine = services.violation_record(teacher=world.teacher, code="absent", occurred_on=day, reason="巡课")
    theirs = services.violation_record(teacher=world.other_teacher, code="absent", occurred_on=day, reason="巡课")

    def seen(user):
        return set(selectors.violations_visible_to(user).values_list("pk", flat=True))

    assert seen(world.teacher.user) == {mine.pk}
    assert seen(world.group_leader.user) == {mine.pk}  # her group has the teacher, not the other one
    assert seen(world.principal.user) == seen(world.director.user) == {mine.pk, theirs.pk}
    assert seen(world.foreign_director.user) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_lose_no_update(world):
    """Eight offices confirming at once for the same teacher and month: every yuan is counted."""
    day = first_month(world).start + dt.timedelta(days=3)
    per_thread, threads_count = 5, 8
    violations = [
        services.violation_record(teacher=world.teacher, code="late_to_class", occurred_on=day, reason=f"巡课{i}")
        for i in range(per_thread * threads_count)
    ]
    barrier = threading.Barrier(threads_count)
    errors = []

    def work(chunk):
        try:
            barrier.wait()
            for violation in chunk:
                services.violation_confirm(violation=violation, user=world.director.user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(violations[i::threads_count],)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ledger = ledger_of(world.teacher, 1, world)
    assert ledger.amount == D("2.00") * per_thread * threads_count
    assert ledger.entries.count() == per_thread * threads_count
    assert_totals_match_entries(ledger)
