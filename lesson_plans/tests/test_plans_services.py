"""Teaching plans (V3.3, V4.I): handed in per subject and class of the timetable, reviewed by the group leader (the
first gate) and the office, and 2 yuan a plan still missing at the deadline where the policy fines it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deductions.models import Violation
from inspections.services import policy_load_preset
from lesson_plans.models import Deadlines, MissingPlan, PlanReview, TeachingPlan
from lesson_plans.selectors.common import deadlines_for, default_deadlines
from lesson_plans.selectors.plans import awaiting_review, missing_slots, my_slots
from lesson_plans.services.plans import deadlines_update, missing_plans_record, plan_review, plan_submit
from school.selectors import today
from school.tests.factories import TimetableEntryFactory

from .conftest import docx, pdf, txt

pytestmark = pytest.mark.django_db
S = TeachingPlan.Status
V = PlanReview.Verdict


def submit(world, teacher=None, subject=None, school_class=None, upload=None):
    teacher = teacher or world.teacher
    return plan_submit(teacher=teacher, subject=subject or world.chinese, school_class=school_class or world.class_1,
                       upload=upload or docx(), user=teacher.user)


def test_a_teacher_hands_in_the_plan_of_a_subject_and_class_she_teaches(world):
    plan = submit(world)
    assert (plan.term, plan.school, plan.status, plan.submissions) == (world.term, world.school, S.SUBMITTED, 1)
    assert plan.file_name == "教学计划.docx" and plan.file_size > 0
    assert plan.history.get().history_user == world.teacher.user


def test_a_subject_or_class_not_on_her_timetable_is_refused(world, english):
    with pytest.raises(ValidationError, match="not on your timetable"):
        submit(world, subject=world.maths)
    with pytest.raises(ValidationError, match="not on your timetable"):
        submit(world, school_class=world.class_2)
    assert not TeachingPlan.objects.exists()


def test_a_bad_file_is_refused_and_nothing_is_stored(world, english, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="not a PDF"):
        submit(world, upload=SimpleUploadedFile("plan.pdf", b"GIF89a"))
    assert not TeachingPlan.objects.exists()
    assert not (private_media / "lesson_plans").exists()


def test_a_plan_waiting_for_review_may_be_replaced_and_a_returned_one_resubmitted(world):
    plan = submit(world)
    first_name = plan.file.name
    again = submit(world, upload=pdf())
    assert again.pk == plan.pk and again.submissions == 2 and again.file.name != first_name
    assert again.file_name == "plan.pdf" and again.file_content_type == "application/pdf"
    plan_review(plan=again, verdict=V.RETURNED, comment="教学进度表不完整", user=world.group_leader.user)
    third = submit(world, upload=txt())
    assert (third.status, third.submissions) == (S.SUBMITTED, 3)
    assert third.first_submitted_at == plan.first_submitted_at and third.submitted_at > plan.submitted_at


def test_a_plan_passed_on_or_accepted_is_not_replaced(world, english):
    plan = submit(world)
    plan_review(plan=plan, verdict=V.PASSED, user=world.group_leader.user)
    with pytest.raises(ValidationError, match="can no longer be replaced"):
        submit(world)
    plan_review(plan=plan, verdict=V.ACCEPTED, user=world.director.user)
    with pytest.raises(ValidationError, match="can no longer be replaced"):
        submit(world)


def test_the_group_leader_passes_on_and_the_office_accepts(world):
    plan = submit(world)
    plan_review(plan=plan, verdict=V.PASSED, comment="格式规范", user=world.group_leader.user)
    plan.refresh_from_db()
    assert plan.status == S.GROUP_PASSED
    plan_review(plan=plan, verdict=V.ACCEPTED, user=world.office_staff.user)
    plan.refresh_from_db()
    assert plan.status == S.ACCEPTED
    reviews = list(plan.reviews.values_list("stage", "verdict", "reviewer"))
    assert reviews == [("group", "passed", world.group_leader.pk), ("office", "accepted", world.office_staff.pk)]
    assert [h.history_user for h in plan.history.order_by("history_date")] == [
        world.teacher.user, world.group_leader.user, world.office_staff.user]


def test_the_office_may_accept_a_plan_the_group_has_not_seen_and_return_an_accepted_one(world):
    plan = submit(world)
    plan_review(plan=plan, verdict=V.ACCEPTED, user=world.director.user)
    plan_review(plan=plan, verdict=V.RETURNED, comment="请补充实验安排", user=world.director.user)
    plan.refresh_from_db()
    assert plan.status == S.RETURNED


def test_returning_needs_a_comment_the_teacher_reads(world, english):
    plan = submit(world)
    with pytest.raises(ValidationError, match="teacher reads your comments"):
        plan_review(plan=plan, verdict=V.RETURNED, comment="  ", user=world.group_leader.user)
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize(
    "who, verdict, message",
    [
        ("group_leader", V.ACCEPTED, "passes a plan on to the office or returns it"),
        ("director", V.PASSED, "accepts a plan or returns it"),
    ],
)
def test_each_reviewer_gives_her_own_verdicts(world, english, who, verdict, message):
    plan = submit(world)
    with pytest.raises(ValidationError, match=message):
        plan_review(plan=plan, verdict=verdict, user=getattr(world, who).user)


def test_the_group_leaders_gate_is_once(world, english):
    plan = submit(world)
    plan_review(plan=plan, verdict=V.PASSED, user=world.group_leader.user)
    with pytest.raises(ValidationError, match="not waiting for the group leader"):
        plan_review(plan=plan, verdict=V.RETURNED, comment="再看看", user=world.group_leader.user)


def test_the_office_waits_for_a_returned_plan(world, english):
    plan = submit(world)
    plan_review(plan=plan, verdict=V.RETURNED, comment="缺少教学进度", user=world.group_leader.user)
    with pytest.raises(ValidationError, match="waiting for the teacher"):
        plan_review(plan=plan, verdict=V.ACCEPTED, user=world.director.user)


@pytest.mark.parametrize("who", ["other_teacher", "principal", "village_director", "foreign_director"])
def test_only_her_group_leader_and_the_office_review(world, english, who):
    plan = submit(world)
    with pytest.raises(PermissionDenied):
        plan_review(plan=plan, verdict=V.RETURNED, comment="x", user=getattr(world, who).user)


def test_no_one_reviews_her_own_plan(world, english):
    plan = plan_submit(teacher=world.group_leader, subject=world.chinese, school_class=world.class_2, upload=docx(),
                       user=world.group_leader.user)
    with pytest.raises(PermissionDenied, match="your own plan"):
        plan_review(plan=plan, verdict=V.PASSED, user=world.group_leader.user)
    # The office reviews a group leader's plan (her group has no one above her).
    plan_review(plan=plan, verdict=V.ACCEPTED, user=world.office_staff.user)


def test_awaiting_review_lists_what_each_reviewer_has_to_do(world):
    mine = submit(world)
    leaders = plan_submit(teacher=world.group_leader, subject=world.chinese, school_class=world.class_2,
                          upload=docx(), user=world.group_leader.user)
    maths = plan_submit(teacher=world.other_teacher, subject=world.maths, school_class=world.class_2, upload=docx(),
                        user=world.other_teacher.user)
    assert list(awaiting_review(world.group_leader.user, world.term)) == [mine]
    assert set(awaiting_review(world.director.user, world.term)) == {mine, leaders, maths}
    assert list(awaiting_review(world.teacher.user, world.term)) == []
    plan_review(plan=mine, verdict=V.PASSED, user=world.group_leader.user)
    assert list(awaiting_review(world.group_leader.user, world.term)) == []
    assert mine in awaiting_review(world.director.user, world.term)


def test_my_slots_are_one_per_subject_and_class_of_her_timetable(world):
    TimetableEntryFactory(term=world.term, school_class=world.class_1, weekday=3, period=1, subject=world.chinese,
                          teacher=world.teacher)  # a second lesson of the same slot
    TimetableEntryFactory(term=world.term, school_class=world.class_2, weekday=3, period=2, subject=world.chinese,
                          teacher=world.teacher)
    submit(world)
    slots = my_slots(world.teacher, world.term)
    assert [(s.school_class, s.status) for s in slots] == [(world.class_1, S.SUBMITTED), (world.class_2, "missing")]
    assert [s.can_upload for s in slots] == [True, True]


# --- deadlines and missing plans ----------------------------------------------------------------------------


def test_default_deadlines_come_from_the_policys_rounds(world):
    # V4: the start-of-term round closes 3 days after the first day; the end-of-term round opens two weeks before
    # the last day for 7 days. V4 asks for a yearly paper with the second term's summaries.
    term = world.term
    from inspections.selectors import policy_for

    found = default_deadlines(term, policy_for(world.school))
    assert found["plans_due"] == term.start_date + dt.timedelta(days=3)
    assert found["summaries_due"] == term.end_date - dt.timedelta(days=7)
    assert found["papers_due"] is None  # the world's term is a first term
    term.number = 2
    assert default_deadlines(term, policy_for(world.school))["papers_due"] == found["summaries_due"]
    term.number = 1
    policy_load_preset(school=world.school, preset="v2")  # no start-of-term and no end-of-term round
    found = default_deadlines(world.term, policy_for(world.school))
    assert found["plans_due"] == term.start_date + dt.timedelta(days=7)  # no start-of-term round: a week
    assert found["summaries_due"] == term.end_date


def test_the_office_sets_the_deadlines_within_the_term(world, english):
    term = world.term
    saved = deadlines_update(term=term, plans_due=term.start_date + dt.timedelta(days=5),
                             summaries_due=term.end_date, papers_due=None, user=world.director.user)
    assert deadlines_for(term).pk == saved.pk and saved.plans_due == term.start_date + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="is not in"):
        deadlines_update(term=term, plans_due=term.start_date - dt.timedelta(days=1), summaries_due=term.end_date,
                         papers_due=None, user=world.director.user)
    with pytest.raises(PermissionDenied):
        deadlines_update(term=term, plans_due=term.start_date, summaries_due=term.end_date, papers_due=None,
                         user=world.village_director.user)  # the calendar is the central school's


def test_missing_plans_are_recorded_after_the_deadline_and_fined_2_yuan_each_once(world):
    submit(world)  # the teacher's one plan is in
    missing = missing_plans_record(term=world.term, user=world.director.user)
    # other_teacher: maths in two classes; group_leader: chinese in class 2; village_teacher: chinese in the
    # village class (the village school follows the central school's calendar).
    assert sorted((m.teacher.name, m.subject.name, str(m.school_class)) for m in missing) == sorted([
        (world.other_teacher.name, "数学", str(world.class_1)),
        (world.other_teacher.name, "数学", str(world.class_2)),
        (world.group_leader.name, "语文", str(world.class_2)),
        (world.village_teacher.name, "语文", str(world.village_class)),
    ])
    fines = Violation.objects.filter(code="teaching_plan_missing")
    assert fines.count() == 4 and {v.amount for v in fines} == {Decimal("2.00")}
    assert {v.source for v in fines} == set(MissingPlan.objects.all())
    assert {v.occurred_on for v in fines} == {deadlines_for(world.term).plans_due}
    assert deadlines_for(world.term).plans_recorded_at is not None
    # Recording again adds nothing and fines nothing twice.
    assert missing_plans_record(term=world.term, user=world.director.user) == []
    assert fines.count() == 4


def test_a_plan_handed_in_late_still_has_its_fine(world):
    missing_plans_record(term=world.term, user=world.director.user)
    plan_submit(teacher=world.group_leader, subject=world.chinese, school_class=world.class_2, upload=docx(),
                user=world.group_leader.user)
    assert Violation.objects.filter(teacher=world.group_leader, code="teaching_plan_missing").count() == 1
    slots = missing_slots(world.director.user, world.term)
    assert (world.group_leader.pk, world.chinese.pk) not in {(s["teacher_id"], s["subject_id"]) for s in slots}
    assert all(s["recorded"] for s in slots)


def test_under_v1_missing_plans_are_recorded_without_fines(world):
    policy_load_preset(school=world.school, preset="v1")
    assert len(missing_plans_record(term=world.term, user=world.director.user)) == 5
    assert not Violation.objects.exists()


def test_missing_plans_wait_for_the_deadline(world, english):
    deadlines_update(term=world.term, plans_due=today(), summaries_due=world.term.end_date, papers_due=None,
                     user=world.director.user)
    with pytest.raises(ValidationError, match="recorded after that day"):
        missing_plans_record(term=world.term, user=world.director.user)
    assert not MissingPlan.objects.exists()


def test_only_the_office_records_missing_plans(world):
    for who in (world.group_leader, world.principal, world.village_director):
        with pytest.raises(PermissionDenied):
            missing_plans_record(term=world.term, user=who.user)


def test_once_recorded_the_plans_deadline_stays(world, english):
    missing_plans_record(term=world.term, user=world.director.user)
    with pytest.raises(ValidationError, match="deadline stays"):
        deadlines_update(term=world.term, plans_due=today(), summaries_due=world.term.end_date, papers_due=None,
                         user=world.director.user)
    assert Deadlines.objects.get().plans_due != today()
