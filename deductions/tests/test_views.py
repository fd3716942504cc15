"""The fines pages: who sees which findings, the workflow through the pages (confirm, dismiss, appeal, decide,
bulk confirm, by hand), the monthly ledger (closing, adjusting), statements, and bounded queries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from deductions import services
from deductions.models import LedgerEntry, LedgerMonth, TeacherLedger, Violation
from deductions.tests.permission_cases import CASES
from school.models import Role
from school.tests.factories import StaffFactory
from school.tests.matrix import run_matrix
from school.tests.world import add_fines, user_for

pytestmark = pytest.mark.django_db

S = Violation.Status
LIST = reverse("deductions:violation-list")


@pytest.fixture
def as_user(client, login):
    """Log in as a person of the world, with the pages in English (assertions read English labels)."""

    def _as(who):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return login(who)

    return _as


@pytest.fixture
def fines(world):
    return add_fines(world)


def today():
    return timezone.localdate()


def record(world, teacher, code="late_to_class", *, on=None, quantity=1, confirm=False, **kwargs):
    violation = services.violation_record(teacher=teacher, code=code, occurred_on=on or today(), quantity=quantity,
                                          reason="巡课记录", user=world.director.user, **kwargs)
    if confirm:
        violation = services.violation_confirm(violation=violation, user=world.director.user)
    return violation


def current_month(world) -> LedgerMonth:
    number = world.term.school_month_of(today()).number
    return services.ledger_month_get(school=world.school, term=world.term, number=number)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def ids(response) -> set[int]:
    return {v.pk for v in response.context["object_list"]}


def add_violations(world, n=30):
    """More teachers with findings, some confirmed, to show that a page's queries do not grow with them."""
    for i in range(n):
        teacher = StaffFactory(school=world.school if i % 3 else world.village, roles=[Role.TEACHER])
        world.chinese_group.members.add(teacher)
        record(world, teacher, "homework_grading_short", quantity=1 + i % 3, confirm=bool(i % 2))


def test_the_fines_pages_follow_the_permission_matrix(world, client):
    problems = run_matrix(CASES, world, client, user_for)
    assert not problems, "\n".join(problems)


# --- the list -----------------------------------------------------------------------------------------------


def test_each_role_lists_the_findings_of_its_scope(world, fines, as_user):
    f = fines
    mine = {f.violation.pk, f.proposed.pk, f.proposed_2.pk}
    assert ids(as_user(world.teacher).get(LIST)) == mine
    assert ids(as_user(world.other_teacher).get(LIST)) == {f.other_violation.pk}
    # The group leader reads her group's (the teacher's), not the maths group's or the village school's.
    assert ids(as_user(world.group_leader).get(LIST)) == mine
    central = mine | {f.other_violation.pk, f.village_violation.pk}
    assert ids(as_user(world.director).get(LIST)) == central
    assert ids(as_user(world.principal).get(LIST)) == central
    assert ids(as_user(world.village_director).get(LIST)) == {f.village_violation.pk}
    assert ids(as_user(world.foreign_director).get(LIST)) == {f.foreign_violation.pk}


def test_the_list_filters_by_status_month_teacher_finding_and_dates(world, fines, as_user):
    f = fines
    client = as_user(world.director)
    assert ids(client.get(LIST, {"status": S.PROPOSED})) == {f.proposed.pk, f.proposed_2.pk}
    assert ids(client.get(LIST, {"month_number": 1})) == {f.violation.pk, f.other_violation.pk,
                                                           f.village_violation.pk}
    assert ids(client.get(LIST, {"teacher": world.other_teacher.pk})) == {f.other_violation.pk}
    assert ids(client.get(LIST, {"code": "no_preparation"})) == {f.proposed.pk}
    day = f.violation.occurred_on
    assert ids(client.get(LIST, {"date_from": day, "date_to": day})) == {
        f.violation.pk, f.other_violation.pk, f.village_violation.pk}
    assert ids(client.get(LIST, {"date_from": day + dt.timedelta(days=1)})) == {f.proposed.pk, f.proposed_2.pk}
    # Another term's findings are not listed by default; "every term" lists them.
    assert ids(client.get(LIST, {"term": ""})) == ids(client.get(LIST))


def test_a_teacher_cannot_filter_her_way_to_another_teachers_findings(world, fines, as_user):
    response = as_user(world.teacher).get(LIST, {"teacher": world.other_teacher.pk})
    assert "teacher" not in response.context["filter"].form.fields
    assert fines.other_violation.pk not in ids(response)
    response = as_user(world.group_leader).get(LIST, {"teacher": world.other_teacher.pk})
    assert ids(response) == set()  # not one of her choices: the filter refuses it


def test_the_list_paginates(world, fines, as_user):
    for _ in range(55):
        record(world, world.teacher)
    response = as_user(world.director).get(LIST)
    assert response.context["is_paginated"] and len(response.context["object_list"]) == 50
    total = response.context["paginator"].count
    assert total == 60  # the world's five and these 55
    assert len(as_user(world.director).get(LIST, {"page": 2}).context["object_list"]) == total - 50


def test_the_office_ticks_proposed_findings_and_confirms_them_together(world, fines, as_user):
    f = fines
    client = as_user(world.director)
    response = client.get(LIST)
    assert response.context["confirmable"] == {f.proposed.pk, f.proposed_2.pk}
    assert 'id="bulk-confirm-form"' in response.content.decode()
    response = client.post(reverse("deductions:violation-bulk-confirm"), {
        "ids": [f.proposed.pk, f.proposed_2.pk, f.violation.pk, f.foreign_violation.pk],
        "next": f"{LIST}?status=proposed",
    })
    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=proposed"
    assert set(Violation.objects.filter(pk__in=[f.proposed.pk, f.proposed_2.pk]).values_list("status", flat=True)) \
        == {S.CONFIRMED}
    assert LedgerEntry.objects.filter(violation__in=[f.proposed, f.proposed_2], kind="charge").count() == 2
    assert "Confirmed 2 findings." in messages_of(response)
    # The teacher's page has no boxes to tick; posting anyway is refused.
    assert 'id="bulk-confirm-form"' not in as_user(world.teacher).get(LIST).content.decode()
    assert as_user(world.teacher).post(reverse("deductions:violation-bulk-confirm"),
                                       {"ids": [f.proposed.pk]}).status_code == 403


def test_the_bulk_confirm_does_not_follow_a_foreign_next(world, fines, as_user):
    response = as_user(world.director).post(reverse("deductions:violation-bulk-confirm"),
                                            {"ids": [fines.proposed.pk], "next": "https://evil.example/"})
    assert response["Location"] == LIST


# --- one violation and its workflow ------------------------------------------------------------------------


def detail(v):
    return reverse("deductions:violation-detail", args=[v.pk])


def action(name, v):
    return reverse(f"deductions:violation-{name}", args=[v.pk])


def test_the_page_shows_the_finding_its_amount_and_its_history(world, fines, as_user):
    response = as_user(world.director).get(detail(fines.proposed))
    body = response.content.decode()
    assert "10.00 yuan × 2 = <strong>20.00 yuan</strong>" in body
    assert "Added by hand by the teaching office" in body
    assert 'id="confirm-form"' in body and 'id="dismiss-form"' in body
    assert 'id="appeal-form"' not in body and 'id="decide-form"' not in body

    as_user(world.director).post(action("confirm", fines.proposed))
    history = as_user(world.director).get(detail(fines.proposed)).context["history"]
    assert [line.action for line in history] == ["Recorded", "Confirmed"]
    assert history[-1].user == world.director.name
    assert ("status", "Proposed", "Confirmed") in [(label, old, new) for label, old, new in history[-1].changes]


def test_the_page_names_the_record_a_finding_came_from(world, as_user):
    violation = record(world, world.teacher, source=world.class_1)
    source = as_user(world.director).get(detail(violation)).context["source"]
    assert source["text"] == str(world.class_1) and source["kind"] == "class"


def test_the_teacher_opening_her_finding_marks_it_seen_and_no_one_else_does(world, fines, as_user):
    as_user(world.director).get(detail(fines.proposed))
    as_user(world.group_leader).get(detail(fines.proposed))
    fines.proposed.refresh_from_db()
    assert fines.proposed.seen_at is None
    as_user(world.teacher).get(detail(fines.proposed))
    fines.proposed.refresh_from_db()
    assert fines.proposed.seen_at is not None


def test_the_office_confirms_and_a_second_confirm_is_refused_with_a_message(world, fines, as_user):
    client = as_user(world.director)
    response = client.post(action("confirm", fines.proposed))
    assert response.status_code == 302 and response["Location"] == detail(fines.proposed)
    fines.proposed.refresh_from_db()
    assert fines.proposed.status == S.CONFIRMED
    ledger = TeacherLedger.objects.get(teacher=world.teacher, month=current_month(world))
    assert ledger.amount == D("20.00")
    response = client.post(action("confirm", fines.proposed), follow=True)
    assert "Only a proposed violation can be confirmed." in response.content.decode()
    assert TeacherLedger.objects.get(pk=ledger.pk).amount == D("20.00")


def test_a_group_leader_reads_her_groups_finding_but_cannot_act_on_it(world, fines, as_user):
    client = as_user(world.group_leader)
    body = client.get(detail(fines.proposed)).content.decode()
    assert 'id="confirm-form"' not in body
    assert client.post(action("confirm", fines.proposed)).status_code == 403
    assert client.post(action("dismiss", fines.proposed), {"dismiss-reason": "x"}).status_code == 403
    fines.proposed.refresh_from_db()
    assert fines.proposed.status == S.PROPOSED


def test_dismissing_needs_a_reason(world, fines, as_user):
    client = as_user(world.director)
    response = client.post(action("dismiss", fines.proposed), {"dismiss-reason": "  "})
    assert response.status_code == 200
    assert response.context["dismiss_form"].errors
    fines.proposed.refresh_from_db()
    assert fines.proposed.status == S.PROPOSED
    response = client.post(action("dismiss", fines.proposed), {"dismiss-reason": "当天调课，核实有误"})
    assert response.status_code == 302
    fines.proposed.refresh_from_db()
    assert fines.proposed.status == S.DISMISSED and fines.proposed.decision_reason == "当天调课，核实有误"
    assert not LedgerEntry.objects.filter(violation=fines.proposed).exists()


def test_the_teacher_appeals_and_the_office_waives(world, fines, as_user):
    violation = record(world, world.teacher, confirm=True)
    teacher = as_user(world.teacher)
    body = teacher.get(detail(violation)).content.decode()
    assert 'id="appeal-form"' in body
    # Without a reason nothing happens.
    assert teacher.post(action("appeal", violation), {"appeal-reason": ""}).status_code == 200
    violation.refresh_from_db()
    assert violation.status == S.CONFIRMED
    assert teacher.post(action("appeal", violation), {"appeal-reason": "当天在外教研"}).status_code == 302
    violation.refresh_from_db()
    assert violation.status == S.APPEALED and violation.appeal_reason == "当天在外教研"
    # Only the teacher appeals; only the office decides.
    assert as_user(world.group_leader).post(action("appeal", violation), {"appeal-reason": "x"}).status_code == 403
    assert as_user(world.teacher).post(action("decide", violation),
                                       {"decide-decision": "waive", "decide-reason": "x"}).status_code == 403

    office = as_user(world.director)
    assert 'id="decide-form"' in office.get(detail(violation)).content.decode()
    response = office.post(action("decide", violation), {"decide-decision": "waive", "decide-reason": "核实属实"})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == S.WAIVED
    entries = list(violation.entries.order_by("id").values_list("kind", "amount"))
    assert entries == [("charge", D("2.00")), ("reversal", D("-2.00"))]
    assert TeacherLedger.objects.get(teacher=world.teacher, month=current_month(world)).amount == D("0.00")


def test_the_office_upholds_an_appeal(world, as_user):
    violation = record(world, world.teacher, confirm=True)
    as_user(world.teacher).post(action("appeal", violation), {"appeal-reason": "请核查"})
    response = as_user(world.director).post(action("decide", violation),
                                            {"decide-decision": "uphold", "decide-reason": "巡课记录属实"})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == S.UPHELD
    assert list(violation.entries.values_list("kind", flat=True)) == ["charge"]
    # A decision without a choice re-renders with the error.
    other = record(world, world.teacher, confirm=True)
    as_user(world.teacher).post(action("appeal", other), {"appeal-reason": "请核查"})
    response = as_user(world.director).post(action("decide", other), {"decide-reason": "x"})
    assert response.status_code == 200 and "decision" in response.context["decide_form"].errors


def test_the_appeal_form_goes_when_the_time_to_appeal_has_ended(world, as_user):
    violation = record(world, world.teacher, confirm=True)
    Violation.objects.filter(pk=violation.pk).update(confirmed_at=timezone.now() - dt.timedelta(days=30))
    client = as_user(world.teacher)
    body = client.get(detail(violation)).content.decode()
    assert 'id="appeal-form"' not in body and 'id="appeal-closed"' in body
    response = client.post(action("appeal", violation), {"appeal-reason": "晚了"}, follow=True)
    assert "The time to appeal ended on" in response.content.decode()
    violation.refresh_from_db()
    assert violation.status == S.CONFIRMED


# --- by hand ------------------------------------------------------------------------------------------------

CREATE = reverse("deductions:violation-create")


def create_data(world, **changes):
    data = {"teacher": world.teacher.pk, "code": "late_to_class", "occurred_on": today().isoformat(),
            "quantity": 2, "reason": "教务处巡课：上课铃响后五分钟到岗"}
    return data | changes


def test_the_office_adds_a_finding_by_hand(world, as_user):
    response = as_user(world.director).post(CREATE, create_data(world))
    violation = Violation.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(violation)
    assert (violation.teacher, violation.code, violation.quantity, violation.amount, violation.status) == (
        world.teacher, "late_to_class", 2, D("4.00"), S.PROPOSED)
    assert violation.source is None and violation.reason.startswith("教务处巡课")
    assert violation.recorded_by == world.director.user


def test_a_discretionary_fine_takes_the_yuan(world, as_user):
    client = as_user(world.director)
    data = create_data(world, code="monthly_below_requirement", quantity=1)
    response = client.post(CREATE, data)
    assert response.status_code == 200 and "unit_amount" in response.context["form"].errors
    assert client.post(CREATE, data | {"unit_amount": "15.50"}).status_code == 302
    assert Violation.objects.get().amount == D("15.50")


@pytest.mark.parametrize("changes", [
    {"reason": ""},
    {"quantity": 0},
    {"code": "no-such-rule"},
    {"teacher": "other-school"},
    {"occurred_on": "outside-the-term"},
])
def test_a_wrong_finding_by_hand_is_shown_again_and_nothing_is_written(world, as_user, changes):
    if changes.get("teacher") == "other-school":
        changes = {"teacher": world.foreign_teacher.pk}
    if changes.get("occurred_on") == "outside-the-term":
        changes = {"occurred_on": (world.term.end_date + dt.timedelta(days=3)).isoformat()}
    response = as_user(world.director).post(CREATE, create_data(world, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Violation.objects.exists() and not LedgerEntry.objects.exists()


def test_the_form_offers_the_active_fine_rules_and_only_the_teachers_the_office_manages(world, as_user):
    form = as_user(world.director).get(CREATE).context["form"]
    codes = [code for code, _label in form.fields["code"].choices if code]
    assert "late_to_class" in codes and "absent" in codes
    teachers = set(form.fields["teacher"].queryset)
    assert world.teacher in teachers and world.village_teacher in teachers
    assert world.foreign_teacher not in teachers
    village_form = as_user(world.village_director).get(CREATE).context["form"]
    assert set(village_form.fields["teacher"].queryset) == {world.village_director, world.village_teacher}


def test_under_a_policy_without_fines_the_finding_is_written_in_words(world, as_user):
    client = as_user(world.foreign_director)
    form = client.get(CREATE).context["form"]
    assert "unit_amount" not in form.fields
    response = client.post(CREATE, {"teacher": world.foreign_teacher.pk, "code": "教案未按时上交",
                                    "occurred_on": today().isoformat(), "quantity": 1, "reason": "学月检查"})
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.description == "教案未按时上交" and violation.amount == 0


# --- the monthly ledger -------------------------------------------------------------------------------------

MONTHS = reverse("deductions:ledger-month-list")


def test_the_office_opening_the_month_list_creates_the_terms_months(world, as_user):
    as_user(world.principal).get(MONTHS)
    assert not LedgerMonth.objects.exists()  # the principal only reads
    response = as_user(world.director).get(MONTHS)
    assert LedgerMonth.objects.filter(school=world.school, term=world.term).count() == len(world.term.school_months())
    assert [row["span"].number for row in response.context["rows"]] == [m.number for m in world.term.school_months()]


def test_the_month_list_totals_equal_the_ledgers(world, fines, as_user):
    response = as_user(world.director).get(MONTHS)
    first = next(row for row in response.context["rows"] if row["span"].number == 1)
    assert first["month"] == fines.month and first["month"].is_closed
    assert first["totals"]["amount"] == D("27.00")  # 2 (late) + 5 (left early) + 20 (absent)
    assert not first["can_close"]
    # The village school's director reads her teachers' part only.
    response = as_user(world.village_director).get(MONTHS)
    first = next(row for row in response.context["rows"] if row["span"].number == 1)
    assert first["totals"]["amount"] == D("20.00")


def test_closing_a_month_asks_first_and_then_locks_it(world, as_user):
    record(world, world.teacher, on=world.term.school_months()[0].start, confirm=True)
    month = services.ledger_month_get(school=world.school, term=world.term, number=1)
    client = as_user(world.director)
    close = reverse("deductions:ledger-month-close", args=[month.pk])
    response = client.get(close)
    assert response.status_code == 200 and response.context["totals"]["amount"] == D("2.00")
    month.refresh_from_db()
    assert not month.is_closed  # asking changes nothing
    response = client.post(close)
    assert response.status_code == 302
    month.refresh_from_db()
    assert month.is_closed and month.closed_by == world.director.user
    # Closing again, or a month that has not ended, is refused with a message.
    assert "is already closed" in client.post(close, follow=True).content.decode()
    # A month that has not ended: today's, unless today is its last day (closing is allowed from then on).
    months = world.term.school_months()
    number = next(m.number for m in months if m.end > today())
    current = services.ledger_month_get(school=world.school, term=world.term, number=number)
    response = client.post(reverse("deductions:ledger-month-close", args=[current.pk]), follow=True)
    assert "has not ended yet" in response.content.decode()
    assert not LedgerMonth.objects.get(pk=current.pk).is_closed


def test_the_principal_and_a_village_director_cannot_close_the_central_month(world, fines, as_user):
    open_month = current_month(world)
    for who in (world.principal, world.village_director, world.group_leader):
        client = as_user(who)
        assert client.post(reverse("deductions:ledger-month-close", args=[open_month.pk])).status_code == 403
        body = client.get(MONTHS).content.decode()
        assert "data-close-month" not in body
    assert not LedgerMonth.objects.get(pk=open_month.pk).is_closed


def test_the_month_summary_lists_each_teacher_with_the_total(world, fines, as_user):
    response = as_user(world.director).get(reverse("deductions:ledger-month-detail", args=[fines.month.pk]))
    rows = [(lg.teacher, lg.amount) for lg in response.context["ledgers"]]
    assert rows == [(world.village_teacher, D("20.00")), (world.other_teacher, D("5.00")),
                    (world.teacher, D("2.00"))]
    assert response.context["total_amount"] == D("27.00")
    assert 'id="adjust-form"' in response.content.decode()  # closed: the office may correct it
    # The group leader reads only her group's line, without the adjustment form.
    response = as_user(world.group_leader).get(reverse("deductions:ledger-month-detail", args=[fines.month.pk]))
    assert [lg.teacher for lg in response.context["ledgers"]] == [world.teacher]
    assert 'id="adjust-form"' not in response.content.decode()


def test_an_adjustment_of_a_closed_month_is_booked_in_the_open_month(world, fines, as_user):
    url = reverse("deductions:ledger-adjust", args=[fines.month.pk])
    response = as_user(world.director).post(url, {
        "adjust-teacher": world.teacher.pk, "adjust-amount": "-2.00", "adjust-conduct_points": "0",
        "adjust-note": "重复登记，退回"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="adjustment", corrects_month=fines.month)
    assert entry.amount == D("-2.00") and entry.ledger.month != fines.month and not entry.ledger.month.is_closed
    assert TeacherLedger.objects.get(pk=fines.ledger.pk).amount == D("2.00")  # the closed month is untouched


def test_a_wrong_adjustment_is_shown_again_and_nothing_is_booked(world, fines, as_user):
    client = as_user(world.director)
    before = LedgerEntry.objects.count()
    url = reverse("deductions:ledger-adjust", args=[fines.month.pk])
    response = client.post(url, {"adjust-teacher": world.teacher.pk, "adjust-amount": "-2.00",
                                 "adjust-conduct_points": "0", "adjust-note": ""})
    assert response.status_code == 200 and "note" in response.context["adjust_form"].errors
    response = client.post(url, {"adjust-teacher": world.teacher.pk, "adjust-amount": "0",
                                 "adjust-conduct_points": "0", "adjust-note": "无"})
    assert response.status_code == 200 and response.context["adjust_form"].non_field_errors()
    # An open month is corrected through its violations, not adjusted.
    open_url = reverse("deductions:ledger-adjust", args=[current_month(world).pk])
    response = client.post(open_url, {"adjust-teacher": world.teacher.pk, "adjust-amount": "1",
                                      "adjust-conduct_points": "0", "adjust-note": "x"})
    assert response.status_code == 200 and "still open" in str(response.context["adjust_form"].non_field_errors())
    assert LedgerEntry.objects.count() == before


# --- statements and conduct points --------------------------------------------------------------------------


def test_the_statement_shows_a_waived_fine_and_its_reversal(world, as_user):
    violation = record(world, world.teacher, confirm=True)
    as_user(world.teacher).post(action("appeal", violation), {"appeal-reason": "当天请假"})
    as_user(world.director).post(action("decide", violation), {"decide-decision": "waive", "decide-reason": "属实"})
    ledger = TeacherLedger.objects.get(teacher=world.teacher)
    response = as_user(world.teacher).get(reverse("deductions:statement", args=[ledger.pk]))
    kinds = [line["entry"].kind for line in response.context["lines"]]
    assert kinds == ["charge", "reversal"]
    assert response.context["total_amount"] == D("0.00") == ledger.amount


def test_the_statement_of_an_adjustment_names_the_month_it_corrects(world, fines, as_user):
    services.ledger_adjust(teacher=world.teacher, month=fines.month, amount=D("-1.00"), note="更正",
                           user=world.director.user)
    ledger = TeacherLedger.objects.get(teacher=world.teacher, month=current_month(world))
    response = as_user(world.teacher).get(reverse("deductions:statement", args=[ledger.pk]))
    line = response.context["lines"][-1]
    assert line["kind"] == "Adjustment" and line["corrects"] == "School month 1" and line["note"] == "更正"


def test_a_teacher_finds_her_statements_on_her_list(world, fines, as_user):
    response = as_user(world.teacher).get(LIST, {"term": world.term.pk})
    assert [lg.pk for lg in response.context["my_ledgers"]] == [fines.ledger.pk]


def test_the_conduct_points_follow_the_scope(world, fines, as_user):
    url = reverse("deductions:conduct-points")
    rows = {m.pk: m for m in as_user(world.director).get(url).context["rows"]}
    assert rows[world.village_teacher.pk].term_amount == D("20.00")
    assert world.foreign_teacher.pk not in rows
    assert [m.pk for m in as_user(world.teacher).get(url).context["rows"]] == [world.teacher.pk]
    assert {m.pk for m in as_user(world.group_leader).get(url).context["rows"]} == {
        world.teacher.pk, world.group_leader.pk}


def test_the_home_page_shows_my_fines(world, fines, as_user):
    response = as_user(world.teacher).get(reverse("home"))
    assert response.context["fines"]["amount"] == D("2.00")
    assert response.context["fines"]["new"] == 3
    assert {v.pk for v in response.context["new_findings"]} == {fines.violation.pk, fines.proposed.pk,
                                                                fines.proposed_2.pk}
    assert 'id="fines-card"' in response.content.decode()
    # The principal does not teach: no card.
    assert "fines" not in as_user(world.principal).get(reverse("home")).context


# --- queries ------------------------------------------------------------------------------------------------

PAGES = [
    ("deductions:violation-list", lambda w: (), 16),
    ("deductions:violation-detail", lambda w: (w.fines.proposed.pk,), 14),
    ("deductions:ledger-month-list", lambda w: (), 11),
    ("deductions:ledger-month-detail", lambda w: (current_month(w).pk,), 8),
    ("deductions:statement", lambda w: (TeacherLedger.objects.get(teacher=w.teacher, month=current_month(w)).pk,),
     8),
    ("deductions:conduct-points", lambda w: (), 10),
]


@pytest.mark.parametrize("url_name, args, most", PAGES, ids=[p[0] for p in PAGES])
def test_the_pages_run_a_bounded_number_of_queries(world, fines, as_user, django_assert_max_num_queries,
                                                   url_name, args, most):
    services.violation_confirm(violation=fines.proposed, user=world.director.user)
    client = as_user(world.director)
    url = reverse(url_name, args=args(world))
    client.get(url)  # the office's first visit creates the term's months
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
    add_violations(world)
    for _ in range(10):
        services.violation_confirm(violation=record(world, world.teacher), user=world.director.user)
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


# --- the admin ----------------------------------------------------------------------------------------------


def test_the_admin_lists_the_ledger_read_only(world, fines, login):
    client = login(world.superuser)
    for model in ("violation", "ledgermonth", "teacherledger", "ledgerentry"):
        assert client.get(reverse(f"admin:deductions_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:deductions_violation_change", args=[fines.violation.pk])).status_code == 200
    assert client.get(reverse("admin:deductions_violation_history", args=[fines.violation.pk])).status_code == 200
    entry = LedgerEntry.objects.first()
    # Entries are only ever added by the services: the admin shows them and nothing more.
    assert client.get(reverse("admin:deductions_ledgerentry_add")).status_code == 403
    response = client.post(reverse("admin:deductions_ledgerentry_change", args=[entry.pk]), {"amount": "0"})
    assert response.status_code in (302, 403) and LedgerEntry.objects.get(pk=entry.pk).amount == entry.amount
    assert client.get(reverse("admin:deductions_ledgerentry_delete", args=[entry.pk])).status_code == 403
    assert client.get(reverse("admin:deductions_violation_add")).status_code == 403
