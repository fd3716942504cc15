"""Term summaries and yearly papers (V4.III): handed in by the deadline; late, 2 yuan a day, fined once, whether the
late one arrives or the office closes the collection first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deductions.models import Violation
from inspections.selectors import policy_for
from inspections.services import policy_load_preset
from lesson_plans.models import TermSummary
from lesson_plans.selectors.common import deadlines_for
from lesson_plans.selectors.summaries import LATE, MISSING, NOT_DUE, ON_TIME, my_summaries, summary_table
from lesson_plans.services.plans import deadlines_update
from lesson_plans.services.summaries import summaries_close, summary_submit
from school.selectors import today

from .conftest import docx

pytestmark = pytest.mark.django_db


def due_in(world, days, *, papers=None):
    return deadlines_update(term=world.term, plans_due=world.term.start_date + dt.timedelta(days=3),
                            summaries_due=today() + dt.timedelta(days=days), papers_due=papers,
                            user=world.director.user)


def hand_in(world, teacher=None, *, kind="summary", text="本学期完成了教学任务。", upload=None):
    teacher = teacher or world.teacher
    return summary_submit(teacher=teacher, kind=kind, text=text, upload=upload, user=teacher.user)


def test_a_summary_handed_in_on_time_costs_nothing(world):
    due_in(world, 2)
    summary = hand_in(world)
    assert (summary.term, summary.days_late, summary.due) == (world.term, 0, today() + dt.timedelta(days=2))
    assert summary.is_submitted and not Violation.objects.exists()


def test_a_summary_handed_in_on_the_day_is_on_time(world):
    due_in(world, 0)
    assert hand_in(world).days_late == 0


def test_each_day_late_costs_2_yuan_once(world):
    due_in(world, -3)
    summary = hand_in(world, upload=docx("学期总结.docx"))
    assert summary.days_late == 3 and summary.file_name == "学期总结.docx"
    fine = Violation.objects.get()
    assert (fine.code, fine.quantity, fine.amount, fine.source) == ("summary_late", 3, Decimal("6.00"), summary)
    # Replacing it later changes the text, not the lateness or the fine.
    replaced = hand_in(world, text="修改后的总结")
    assert replaced.days_late == 3 and replaced.text == "修改后的总结" and Violation.objects.count() == 1


def test_a_summary_needs_a_file_or_text(world, english):
    due_in(world, 2)
    with pytest.raises(ValidationError, match="Upload a file or write the text"):
        hand_in(world, text="   ")
    assert not TermSummary.objects.exists()


def test_the_policy_decides_what_is_asked(world, english):
    policy_load_preset(school=world.school, preset="v1")  # no term summary
    with pytest.raises(ValidationError, match="do not ask for this"):
        hand_in(world)
    policy_load_preset(school=world.school, preset="v4")
    with pytest.raises(ValidationError, match="do not ask for this"):
        hand_in(world, kind="paper")  # the yearly paper comes with the second term


def test_the_yearly_paper_is_due_with_the_second_terms_summaries(world):
    type(world.term).objects.filter(pk=world.term.pk).update(number=2)
    world.term.refresh_from_db()
    due_in(world, -1, papers=today() - dt.timedelta(days=1))
    paper = hand_in(world, kind="paper", text="《初中语文阅读教学的实践与思考》")
    assert paper.kind == "paper" and paper.days_late == 1
    assert Violation.objects.get().amount == Decimal("2.00")
    mine = my_summaries(world.teacher, world.term, policy_for(world.school), deadlines_for(world.term), today())
    assert [(m.kind, m.state) for m in mine] == [("summary", MISSING), ("paper", LATE)]


def test_under_a_policy_without_the_fine_lateness_is_recorded_without_money(world):
    policy = policy_for(world.school)
    policy.fine_rules.filter(code="summary_late").update(active=False)
    due_in(world, -4)
    assert hand_in(world).days_late == 4
    assert not Violation.objects.exists()


def test_closing_the_collection_fines_every_missing_summary_from_the_deadline(world):
    due_in(world, -5)
    hand_in(world)  # 5 days late: 10 yuan
    missing = summaries_close(term=world.term, user=world.director.user)
    assert sorted(r.teacher.name for r in missing) == sorted(
        [world.group_leader.name, world.other_teacher.name, world.village_teacher.name])
    assert {r.days_late for r in missing} == {5} and not any(r.is_submitted for r in missing)
    assert Violation.objects.filter(code="summary_late").count() == 4
    assert {v.amount for v in Violation.objects.all()} == {Decimal("10.00")}
    assert deadlines_for(world.term).summaries_closed_at is not None
    # Handed in after the closing: no second fine, and the days it was fined for stay.
    late = hand_in(world, world.other_teacher)
    assert late.is_submitted and late.days_late == 5
    assert Violation.objects.filter(teacher=world.other_teacher).count() == 1


def test_the_collection_closes_once_and_after_the_deadline(world, english):
    due_in(world, 0)
    with pytest.raises(ValidationError, match="closes after that day"):
        summaries_close(term=world.term, user=world.director.user)
    due_in(world, -1)
    summaries_close(term=world.term, user=world.director.user)
    with pytest.raises(ValidationError, match="already closed"):
        summaries_close(term=world.term, user=world.director.user)
    with pytest.raises(ValidationError, match="collection is closed"):
        due_in(world, -2)


def test_only_the_office_closes_the_collection(world):
    due_in(world, -1)
    for who in (world.group_leader, world.principal, world.village_director):
        with pytest.raises(PermissionDenied):
            summaries_close(term=world.term, user=who.user)


def test_the_table_shows_each_teachers_state(world):
    due_in(world, 3)
    hand_in(world)
    rows = {r.teacher: r.state for r in summary_table(world.director.user, world.term, "summary",
                                                      today() + dt.timedelta(days=3), today())}
    assert rows[world.teacher] == ON_TIME and rows[world.other_teacher] == NOT_DUE
    assert world.village_teacher in rows and world.principal not in rows  # teachers of the timetable only
    leader = {r.teacher for r in summary_table(world.group_leader.user, world.term, "summary", today(), today())}
    assert leader == {world.group_leader, world.teacher}
    after = summary_table(world.director.user, world.term, "summary", today() - dt.timedelta(days=1), today(),
                          state=MISSING)
    assert world.other_teacher in {r.teacher for r in after} and world.teacher not in {r.teacher for r in after}


def test_the_office_records_a_summary_handed_in_on_paper_on_the_day_it_arrived(world, english):
    due_in(world, -6)
    from django.utils import timezone

    arrived = timezone.now() - dt.timedelta(days=4)  # two days after the deadline
    summary = summary_submit(teacher=world.teacher, kind="summary", text="纸质总结已收", handed_in_at=arrived,
                             user=world.office_staff.user)
    assert summary.submitted_at == arrived and summary.days_late == 2
    fine = Violation.objects.get()
    assert (fine.quantity, fine.amount, fine.occurred_on) == (2, Decimal("4.00"), timezone.localdate(arrived))
    with pytest.raises(PermissionDenied, match="Only the teaching office records"):
        summary_submit(teacher=world.other_teacher, kind="summary", text="x", handed_in_at=arrived,
                       user=world.other_teacher.user)
    with pytest.raises(PermissionDenied, match="Only the teacher herself"):
        summary_submit(teacher=world.other_teacher, kind="summary", text="x", user=world.teacher.user)
    with pytest.raises(ValidationError, match="in the future"):
        summary_submit(teacher=world.other_teacher, kind="summary", text="x", user=world.office_staff.user,
                       handed_in_at=timezone.now() + dt.timedelta(hours=2))
