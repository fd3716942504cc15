"""The demo school's evaluation of teaching, written through the services as the office, the students and the
parents would have written it:

- where the policy asks nobody to evaluate (V4, the demo's default, has no evaluation), the office adopts V2's
  numbers: 5-10 students and 5-10 parents per class (recorded in the policy's history);
- a past round with results: students of the central school's first two grades after the mid-term exam when that
  is over, else parents at the end of the previous term, else parents early in this term. Eight respondents a
  class; in most classes six to eight answer, in one class only three (so its teachers' groups there are withheld,
  and a teacher who teaches only there has no result at all); ratings around each teacher's own level; comments,
  most let through by the office, one hidden (it names a student); the round is sealed;
- a round in progress (parents before the end of term, or students after the mid-term exam to come) with its slips
  printed and some answers in;
- a student representatives' forum of this term with opinions on three teachers, the follow-up, and the feedback
  given to one of them.

Idempotent: nothing is added once the term has a round or a forum. Deterministic in what people answer (a fixed
seed); the links' secrets are random, as they must be.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils.translation import gettext as _

from inspections.selectors import policy_for
from school.models import Role, School, SchoolClass, Staff, Term
from school.permissions import MANAGER_ROLES
from school.selectors import current_term

from .models import Forum, Kind, Moderation, Questionnaire, Round
from .selectors.rounds import answer_sections, class_teachers
from .services import forums as forum_services
from .services import questionnaires as questionnaire_services
from .services import responses as response_services
from .services import rounds as round_services

ONE_DAY = dt.timedelta(days=1)
SAMPLE = 8
TEACHER_COMMENTS = [
    "讲解清楚，例题再多一些就更好了",
    "作业量适中，批改很及时",
    "希望老师多提问后排的同学",
    "上课很有激情，课堂气氛活跃",
    "板书可以再工整一些",
    "课后辅导很耐心",
    "讲得有点快，希望慢一点",
    "对我们很关心，谢谢老师",
]
CLASS_COMMENTS = ["希望增加课外阅读时间", "图书室开放时间能再长一些", "希望多组织实验和实践活动"]
# A comment the office hides: it names a student.
HIDDEN_COMMENT = "王同学上课总是说话，影响大家"


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    schools = [root, *root.village_schools.order_by("pk")]
    term = current_term(root, today)
    if term is None or not term.contains(today):
        return None
    if Round.objects.filter(school__in=schools, term__school_year__school=root).exists() or \
            Forum.objects.filter(school__in=schools, term=term).exists():
        return None
    office = (Staff.objects.filter(school=root, roles__role__in=MANAGER_ROLES, is_active=True)
              .select_related("user", "school").order_by("staff_no").first())
    if office is None:
        return None
    demo = _Demo(root=root, term=term, today=today, office=office, size=size)
    counts = demo.run()
    return _("Evaluation: %(rounds)s rounds, %(responses)s responses, %(forums)s forum.") % counts


class _Demo:
    def __init__(self, *, root: School, term: Term, today: dt.date, office: Staff, size: str):
        self.root, self.term, self.today, self.office = root, term, today, office
        self.user = office.user
        self.rng = random.Random(f"{root.code}-{term.pk}-feedback")
        self.counts = {"rounds": 0, "responses": 0, "forums": 0}
        self.size = size
        self._sections: dict = {}

    def run(self) -> dict:
        self._policy_numbers()
        questionnaire_services.questionnaire_defaults_ensure(school=self.root)
        classes = list(SchoolClass.objects.filter(grade__school=self.root).select_related("grade")
                       .order_by("grade__level", "number"))
        # The first two grades of a small school; the first grade of a large one (its twelve classes are plenty).
        levels = sorted({c.grade.level for c in classes})[:2 if self.size == "small" else 1]
        classes = [c for c in classes if c.grade.level in levels]
        if classes:
            self._past_round(classes)
            self._current_round(classes)
        self._forum()
        return self.counts

    def _policy_numbers(self) -> None:
        """V2's 5-10 students and parents per class where the policy asks for none."""
        policy = policy_for(self.root)
        if policy is None or (policy.student_sample_max and policy.parent_sample_max):
            return
        if not policy.student_sample_max:
            policy.student_sample_min, policy.student_sample_max = 5, 10
        if not policy.parent_sample_max:
            policy.parent_sample_min, policy.parent_sample_max = 5, 10
        policy.full_clean()
        policy._history_user = self.user
        policy._change_reason = "demo: evaluation as V2.IV"
        policy.save()

    def _questionnaire(self, kind: str) -> Questionnaire:
        questionnaires = Questionnaire.objects.filter(school=self.root, kind=kind, active=True)
        return questionnaires.order_by("-is_default", "pk").first()

    # --- the past round -----------------------------------------------------------------------------------------

    def _past_window(self) -> tuple[Term, str, dt.date, dt.date] | None:
        term, today = self.term, self.today
        midterm = term.midterm_date
        if midterm and midterm + dt.timedelta(days=12) < today:
            return term, Kind.STUDENT, midterm + dt.timedelta(days=3), midterm + dt.timedelta(days=10)
        previous = (Term.objects.filter(school_year__school=self.root, end_date__lt=term.start_date)
                    .select_related("school_year").order_by("-end_date").first())
        if previous is not None and previous.timetable.exists():
            end = previous.end_date
            return previous, Kind.PARENT, end - dt.timedelta(days=10), end - dt.timedelta(days=3)
        opens = term.start_date + dt.timedelta(days=14)
        if opens + dt.timedelta(days=7) < today:
            return term, Kind.PARENT, opens, opens + dt.timedelta(days=7)
        return None

    def _past_round(self, classes) -> None:
        window = self._past_window()
        if window is None:
            return
        term, kind, opens, closes = window
        name = _("%(term)s %(kind)s evaluation") % {"term": term, "kind": Kind(kind).label}
        round_ = round_services.round_create(
            school=self.root, term=term, kind=kind, name=name, questionnaire=self._questionnaire(kind),
            opens_on=opens, closes_on=closes, classes=classes, sample_size=SAMPLE, user=self.user, today=opens)
        self.counts["rounds"] += 1
        slips = round_services.invitations_issue(round_=round_, user=self.user, today=opens)
        by_class: dict[int, list] = {}
        for slip in slips:
            by_class.setdefault(slip.invitation.round_class.school_class_id, []).append(slip)
        teachers = class_teachers(term, [c.pk for c in classes])
        levels = {t.teacher_id: self.rng.uniform(3.5, 4.8) for ts in teachers.values() for t in ts}
        few = self._class_with_a_teacher_of_its_own(classes, teachers)  # only three answer there
        days = (closes - opens).days + 1
        for school_class in classes:
            class_slips = by_class.get(school_class.pk, [])
            answering = 3 if school_class.pk == few else self.rng.randint(6, len(class_slips) or 6)
            for slip in class_slips[:answering]:
                day = opens + dt.timedelta(days=self.rng.randrange(days))
                self._answer(slip, round_, school_class, levels, day)
        response_services.round_seal(round_=round_, today=self.today)
        self._moderate(round_)

    @staticmethod
    def _class_with_a_teacher_of_its_own(classes, teachers) -> int:
        """A class with a teacher who teaches no other class of the round (so that one teacher has no result at
        all), the last such; else the last class."""
        taught: dict[int, int] = {}
        for ts in teachers.values():
            for t in ts:
                taught[t.teacher_id] = taught.get(t.teacher_id, 0) + 1
        for school_class in reversed(classes):
            if any(taught[t.teacher_id] == 1 for t in teachers.get(school_class.pk, [])):
                return school_class.pk
        return classes[-1].pk

    def _answer(self, slip, round_, school_class, levels, day) -> None:
        key = (round_.pk, school_class.pk)
        if key not in self._sections:
            self._sections[key] = answer_sections(round_, school_class)
        sections = self._sections[key]
        answers = {}
        for section in sections:
            for item in section.items:
                if item.question.is_rating:
                    level = levels.get(item.teacher.teacher_id, 4.2) if item.teacher else 4.0
                    answers[item.field_name] = max(1, min(5, round(self.rng.gauss(level, 0.7))))
                elif self.rng.random() < 0.3:
                    pool = TEACHER_COMMENTS if item.teacher else CLASS_COMMENTS
                    answers[item.field_name] = self.rng.choice(pool)
                else:
                    answers[item.field_name] = ""
        if self.counts["responses"] == 4:
            general = [i for s in sections for i in s.items
                       if not i.question.is_rating and i.teacher is None]
            if general:
                answers[general[0].field_name] = HIDDEN_COMMENT
        response_services.response_submit(key=slip.token, answers=answers, today=day)
        self.counts["responses"] += 1

    def _moderate(self, round_: Round) -> None:
        from .selectors.results import moderation_queue

        queue = moderation_queue(round_)
        hidden = [a.pk for a in queue if a.text == HIDDEN_COMMENT]
        shown = [a.pk for a in queue if a.text != HIDDEN_COMMENT]
        if shown:
            response_services.comments_moderate(round_=round_, answer_ids=shown, decision=Moderation.APPROVED,
                                                user=self.user, today=self.today)
        if hidden:
            response_services.comments_moderate(round_=round_, answer_ids=hidden, decision=Moderation.REJECTED,
                                                user=self.user, today=self.today)

    # --- the round in progress ----------------------------------------------------------------------------------

    def _current_round(self, classes) -> None:
        term, today = self.term, self.today
        midterm = term.midterm_date
        if midterm and today <= midterm:
            kind, opens = Kind.STUDENT, midterm + dt.timedelta(days=3)
        else:
            kind, opens = Kind.PARENT, max(today - dt.timedelta(days=3), term.start_date)
        closes = min(opens + dt.timedelta(days=10), term.end_date)
        if closes < today or opens > closes:
            return
        name = _("%(term)s %(kind)s evaluation") % {"term": term, "kind": Kind(kind).label}
        if Round.objects.filter(school=self.root, term=term, name=name).exists():
            name = _("%(name)s (second)") % {"name": name}
        opened = min(opens, today)
        round_ = round_services.round_create(
            school=self.root, term=term, kind=kind, name=name, questionnaire=self._questionnaire(kind),
            opens_on=opens, closes_on=closes, classes=classes, sample_size=SAMPLE, user=self.user, today=opened)
        self.counts["rounds"] += 1
        slips = round_services.invitations_issue(round_=round_, user=self.user, today=opened)
        if opens > today:
            return
        teachers = class_teachers(term, [c.pk for c in classes])
        levels = {t.teacher_id: self.rng.uniform(3.5, 4.8) for ts in teachers.values() for t in ts}
        for slip in slips:
            if self.rng.random() < 0.4:
                school_class = slip.invitation.round_class.school_class
                day = opens + dt.timedelta(days=self.rng.randrange((today - opens).days + 1))
                self._answer(slip, round_, school_class, levels, day)

    # --- a forum ------------------------------------------------------------------------------------------------

    def _forum(self) -> None:
        term, today = self.term, self.today
        day = min(term.start_date + dt.timedelta(days=30), today - ONE_DAY)
        if day < term.start_date:
            return
        teachers = list(Staff.objects.filter(school=self.root, roles__role=Role.TEACHER, is_active=True)
                        .order_by("staff_no")[:3])
        if len(teachers) < 3:
            return
        opinions = [
            forum_services.OpinionIn(teachers[0], "讲课生动有趣，同学们都喜欢上他的课"),
            forum_services.OpinionIn(teachers[1], "作业偏多，希望分层布置", follow_up="教研组长与该老师交流作业设计",
                                     feedback="已当面反馈，老师表示调整作业量", fed_back_on=min(day + 3 * ONE_DAY, today)),
            forum_services.OpinionIn(teachers[2], "讲题很细致，但语速有点快"),
        ]
        forum_services.forum_create(
            school=self.root, term=term, kind=Kind.STUDENT, date=day, topic="学生代表座谈会（教学情况）",
            participants="各班学习委员及学生代表", participant_count=12, hosts=[self.office],
            summary="希望增加课外阅读和实验课，作业量总体适中", follow_up="教导处汇总意见，在教师会上反馈",
            opinions=opinions, recorded_by=self.office, user=self.user, today=today)
        self.counts["forums"] += 1

