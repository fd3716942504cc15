"""The evaluation side of the test world (`school.tests.world`), added once on first use through the services.

- The central school's policy asks for 5-10 students and 5-10 parents per class (the world loads V4, which asks
  for none).
- class_1 (teachers: 教师己 Chinese, 教师庚 maths) has 8 students with baseline scores, class_2 (教师庚 maths,
  组长戊 Chinese) has 6.
- `past`: a parents' round early in the term, closed: 6 of class_1's 8 answered (shown), 3 of class_2's 6 answered
  (withheld); comments, two of them let through; sealed.
- `open`: a parents' round open today over class_1, slips printed: `open_token`, `open_code` unused, `used_token`
  spent; `spare` a respondent whose slip the matrix reprints.
- `scheduled`: a students' round opening after the mid-term exam (tomorrow), over class_2.
- `to_close`: a parents' round open today over class_2, for the matrix to close.
- a forum of the central school with opinions on 教师己 and 教师庚, and a foreign school's closed round and forum.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction

from inspections.models import Policy
from school.tests.factories import StudentFactory
from school.tests.world import FOREIGN

from ..models import Answer, Kind, Moderation, Questionnaire, Round
from ..selectors.rounds import answer_sections
from ..services import forums as forum_services
from ..services import questionnaires as questionnaire_services
from ..services import responses as response_services
from ..services import rounds as round_services

ONE_DAY = dt.timedelta(days=1)


def set_samples(school, low=5, high=10):
    Policy.objects.filter(school=school.root).update(student_sample_min=low, parent_sample_min=low,
                                                     student_sample_max=high, parent_sample_max=high)


def default_questionnaire(school, kind) -> Questionnaire:
    questionnaire_services.questionnaire_defaults_ensure(school=school)
    return Questionnaire.objects.get(school=school.root, kind=kind, is_default=True)


def enrol(school_class, count, prefix, *, start=0):
    return [
        StudentFactory(school_class=school_class, student_no=f"{prefix}{start + i:03d}", name=f"{prefix}学生{start + i}",
                       baseline_score=Decimal(100 - 3 * (start + i)))
        for i in range(count)
    ]


def answers_for(round_, school_class, *, rating=4, comment=""):
    """A complete set of answers for a respondent of this class: every rating `rating` (or a callable of the
    item), every comment `comment`."""
    answers = {}
    for section in answer_sections(round_, school_class):
        for item in section.items:
            if item.question.is_rating:
                answers[item.field_name] = rating(item) if callable(rating) else rating
            else:
                answers[item.field_name] = comment
    return answers


def submit(slip, round_, *, rating=4, comment="", today=None):
    school_class = slip.invitation.round_class.school_class
    return response_services.response_submit(key=slip.token, answers=answers_for(round_, school_class, rating=rating,
                                                                                  comment=comment), today=today)


def add_feedback(w) -> SimpleNamespace:
    if hasattr(w, "feedback"):
        return w.feedback
    f = SimpleNamespace()
    office = w.director.user
    set_samples(w.school)
    set_samples(w.foreign_school)
    f.class_1_students = [w.student, *enrol(w.class_1, 7, "C1")]
    w.student.baseline_score = Decimal("99")
    w.student.save()
    f.class_2_students = enrol(w.class_2, 6, "C2")
    parents = default_questionnaire(w.school, Kind.PARENT)
    students = default_questionnaire(w.school, Kind.STUDENT)
    f.parent_questionnaire, f.student_questionnaire = parents, students

    with transaction.atomic():
        day = w.term.start_date + dt.timedelta(days=5)
        f.past = round_services.round_create(
            school=w.school, term=w.term, kind=Kind.PARENT, name="家长评教（上月）", questionnaire=parents,
            opens_on=day, closes_on=day + 6 * ONE_DAY, classes=[w.class_1, w.class_2], sample_size=8, user=office,
            today=day)
        slips = round_services.invitations_issue(round_=f.past, user=office, today=day)
        by_class = {}
        for slip in slips:
            by_class.setdefault(slip.invitation.round_class.school_class_id, []).append(slip)
        for index, slip in enumerate(by_class[w.class_1.pk][:6]):
            submit(slip, f.past, rating=lambda item, i=index: 5 if i % 2 else 4,
                   comment=f"老师很负责{index}" if index < 3 else "", today=day + dt.timedelta(days=index % 3))
        for slip in by_class[w.class_2.pk][:3]:
            submit(slip, f.past, rating=3, comment="作业有点多", today=day + ONE_DAY)
    response_services.round_seal(round_=f.past)
    comments = list(Answer.objects.filter(response__round=f.past).exclude(text="").order_by("text"))
    f.past_comments = comments
    response_services.comments_moderate(round_=f.past, answer_ids=[c.pk for c in comments
                                                                   if c.text in ("老师很负责0", "老师很负责1")],
                                        decision=Moderation.APPROVED, user=office)

    today = dt.date.today()
    f.open = round_services.round_create(
        school=w.school, term=w.term, kind=Kind.PARENT, name="家长评教（本周）", questionnaire=parents, opens_on=today,
        closes_on=today + 7 * ONE_DAY, classes=[w.class_1], sample_size=8, user=office)
    open_slips = round_services.invitations_issue(round_=f.open, user=office)
    f.open_slips = open_slips
    f.open_token, f.open_code = open_slips[0].token, open_slips[0].code
    f.used_token = open_slips[1].token
    submit(open_slips[1], f.open)
    f.spare = open_slips[2].invitation
    f.open_class = f.open.round_classes.get()

    f.scheduled = round_services.round_create(
        school=w.school, term=w.term, kind=Kind.STUDENT, name="学生评教（期中后）", questionnaire=students,
        opens_on=today + ONE_DAY, closes_on=today + 8 * ONE_DAY, classes=[w.class_2], sample_size=5, user=office)
    f.scheduled_class = f.scheduled.round_classes.get()
    f.to_close = round_services.round_create(
        school=w.school, term=w.term, kind=Kind.PARENT, name="家长评教（待结束）", questionnaire=parents, opens_on=today,
        closes_on=today + 3 * ONE_DAY, classes=[w.class_2], sample_size=5, user=office)

    f.forum = forum_services.forum_create(
        school=w.school, term=w.term, kind=Kind.STUDENT, date=w.term.start_date + dt.timedelta(days=20),
        topic="学生代表座谈会", participants="七年级各班学生代表", participant_count=8, classes=[w.class_1, w.class_2],
        hosts=[w.director], summary="希望增加课外阅读", follow_up="教导处下周反馈",
        opinions=[forum_services.OpinionIn(w.teacher, "讲课生动，作业批改细致"),
                  forum_services.OpinionIn(w.other_teacher, "语速偏快，希望多讲例题", feedback="已当面反馈",
                                           fed_back_on=w.term.start_date + dt.timedelta(days=22))],
        recorded_by=w.director, user=office)

    # The foreign school: a closed round with enough answers, and a forum.
    foreign_office = w.foreign_director.user
    foreign_students = enrol(w.foreign_class, 6, "F")
    foreign_questionnaire = default_questionnaire(w.foreign_school, Kind.PARENT)
    foreign_questionnaire.name = f"{FOREIGN}问卷"
    foreign_questionnaire.save()
    f.foreign_questionnaire = foreign_questionnaire
    day = w.foreign_term.start_date + dt.timedelta(days=5)
    f.foreign_round = round_services.round_create(
        school=w.foreign_school, term=w.foreign_term, kind=Kind.PARENT, name=f"{FOREIGN}评教",
        questionnaire=foreign_questionnaire, opens_on=day, closes_on=day + ONE_DAY, classes=[w.foreign_class],
        sample_size=6, user=foreign_office, today=day)
    for slip in round_services.invitations_issue(round_=f.foreign_round, user=foreign_office, today=day):
        submit(slip, f.foreign_round, comment=f"{FOREIGN}意见", today=day)
    response_services.round_seal(round_=f.foreign_round)
    f.foreign_forum = forum_services.forum_create(
        school=w.foreign_school, term=w.foreign_term, kind=Kind.PARENT, date=day, topic=f"{FOREIGN}家长会",
        participants="家长", participant_count=20, opinions=[forum_services.OpinionIn(w.foreign_teacher, f"{FOREIGN}意见")],
        user=foreign_office)
    assert len(foreign_students) == 6
    w.feedback = f
    return f


def refresh(round_) -> Round:
    return Round.objects.get(pk=round_.pk)
