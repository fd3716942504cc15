"""The demo school's lesson preparation of the term so far, written through the services as the people would have
written it (then dated back to the day it happened, where a service stamps "now"):

- teaching plans: every teacher hands in the plan of each subject and class of her timetable in the first days of
  term, a few late or not at all; group leaders pass most on (returning a few with comments, most of which come back
  improved), the office accepts them; after the deadline the office records the plans still missing (fined under V4);
- lesson-preparation checks in the policy's rounds: the start-of-term check of every teacher (a week of lessons
  prepared ahead under V4), the monthly checks of each school month that has ended (young and new teachers every
  month, the others in turn), the mid-term check where the policy has one, and a few leaders' spot checks; most meet
  the requirements, some fall short and are fined under V4 (the office confirms the older findings);
- research-group activities: each group meets every other Wednesday (research activity and collective preparation
  in turn), its members and now and then a school leader attend, the records are written and the leaders check
  many of them; each group's next meeting is scheduled;
- two selections: a lesson-plan selection published with its winners, a lesson-design selection open and being scored;
- term summaries: before the deadline a few teachers hand theirs in early; once it has passed, most are on time
  (recorded by the office as they arrive on paper), a few late (fined under V4), and the office closes the collection.

Deterministic (`random.Random` with a fixed seed) and idempotent: nothing is added once the term has any teaching
plan or check. A generated item a service refuses is skipped, never forced in.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from xml.sax.saxutils import escape

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from deductions.models import Violation
from deductions.services import violation_confirm
from inspections.models import SelectionKind
from inspections.selectors import policy_for
from school.models import Role, School, Staff, TimetableEntry
from school.permissions import LEADER_ROLES
from school.selectors import current_term

from .models import GroupActivity, PlanReview, PrepCheck, PrepCheckFinding, TeachingPlan
from .selectors.checks import prep_round_kinds
from .selectors.common import count_lessons, deadlines_for
from .services import activities as activity_services
from .services import checks as check_services
from .services import plans as plan_services
from .services import selections as selection_services
from .services import summaries as summary_services

ONE_DAY = dt.timedelta(days=1)
OFFICE_ROLES = (Role.OFFICE_STAFF, Role.DIRECTOR)
SHORT_SHARE = 0.15  # checks that fall short of the requirement
# Shares of the teachers checked at the start of term and in each school month (young and new teachers twice as
# likely), and of the plans the group leader and then the office have reviewed: in a single school nearly all; in
# the large demo (200 staff) a sample, so that it is built in reasonable time.
SAMPLE = {"small": (1.0, 0.5, 0.9), "large": (0.12, 0.05, 0.4)}

PLAN_SECTIONS = ["一、学情分析", "二、教材分析", "三、教学目标（知识与技能、过程与方法、情感态度与价值观）",
                 "四、教学重点与难点", "五、教学措施", "六、教学进度安排"]
RETURN_COMMENTS = ["教学进度表不完整，请按周次补齐。", "学情分析过于简略，请结合本班实际补充。",
                   "教学目标缺少情感态度与价值观维度，请修改。"]
CHECK_COMMENTS = {
    "A": ["备课认真规范，三维目标清楚，教学反思有深度。", "教案环节完整，学生活动设计充分，值得推广。"],
    "B": ["备课较认真，环节完整，课后反思可再具体些。", "教案规范，重难点突出，建议加强分层设计。"],
    "C": ["备课基本完成，部分课时过于简略，需改进。", "教学设计以教师讲授为主，学生活动偏少。"],
    "D": ["备课数量不足，多课时无教案，须限期补齐。", "教案照搬教参，未结合学情，须整改。"],
}
RESEARCH_TOPICS = ["新课标下的课堂提问设计", "作业分层设计研讨", "单元整体教学设计", "课堂评价语言的运用",
                   "公开课观摩与评课", "学困生转化策略交流", "期中质量分析与改进措施", "信息技术与学科教学融合"]
PREP_TOPICS = ["第一单元集体备课", "第二单元集体备课", "第三单元集体备课", "第四单元集体备课", "复习课集体备课",
               "第五单元集体备课"]
MINUTES = ("主备人说课，组员逐一发言，讨论了教学重难点的突破方法，统一了教学进度和作业量。"
           "会议确定下次活动由{host}主讲，各位老师课后撰写教学反思。")
CHECK_NOTES = ["记录完整，建议附上课例。", "已阅，讨论深入。", "已阅，请落实到课堂。", ""]


def word_document(title: str, paragraphs: list[str]) -> bytes:
    """A small Word document (.docx) that Word and WPS open: the three parts a document needs."""
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"
                   for text in [title, *paragraphs])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def _upload(name: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, word_document(title, paragraphs))


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    schools = [root, *root.village_schools.order_by("pk")]
    term = current_term(root, today)
    if term is None or not term.contains(today):
        return None
    if (TeachingPlan.objects.filter(term=term, school__in=schools).exists()
            or PrepCheck.objects.filter(term=term, school__in=schools).exists()):
        return None
    people = list(
        Staff.objects.filter(school__in=schools, is_active=True)
        .select_related("school", "school__parent", "user")
        .prefetch_related("roles", "led_groups", "groups")
        .order_by("school_id", "staff_no")
    )
    office = next((p for role in OFFICE_ROLES for p in people if p.school_id == root.pk and role in p.role_codes),
                  None)
    if office is None:
        return None
    demo = _Demo(root=root, schools=schools, term=term, today=today, people=people, office=office, size=size)
    counts = demo.run()
    return _(
        "Lesson preparation: %(plans)s teaching plans (%(missing)s missing), %(checks)s preparation checks "
        "(%(fined)s with fines), %(activities)s group activities, %(selections)s selections, %(summaries)s term "
        "summaries."
    ) % counts


class _Demo:
    def __init__(self, *, root, schools, term, today, people, office, size):
        self.root, self.schools, self.term, self.today = root, schools, term, today
        self.start_share, self.monthly_share, self.review_share = SAMPLE.get(size, SAMPLE["small"])
        self.people = people
        self.by_id = {p.pk: p for p in people}
        self.office = office
        self.director = next((p for p in people if p.school_id == root.pk and Role.DIRECTOR in p.role_codes), office)
        self.policy = policy_for(root)
        self.rng = random.Random(f"{root.code}-{term.pk}-lesson-plans")
        holidays = term.holiday_spans
        self.school_days = [
            term.start_date + dt.timedelta(days=i) for i in range((min(today, term.end_date) - term.start_date).days + 1)
        ]
        self.school_days = [d for d in self.school_days
                            if d.isoweekday() <= 5 and not any(d in span for span in holidays)]
        entries = TimetableEntry.objects.filter(term=term, teacher__in=people).values_list(
            "teacher_id", "subject_id", "school_class_id", "weekday")
        self.slots = defaultdict(set)
        self.weekdays = defaultdict(Counter)  # teacher id -> her lessons by weekday
        for teacher_id, subject_id, class_id, weekday in entries:
            self.slots[teacher_id].add((subject_id, class_id))
            self.weekdays[teacher_id][weekday] += 1
        self.teachers = [p for p in people if p.pk in self.slots]
        self.leader_of = {}  # teacher id -> her group leader (the first group with a leader other than herself)
        for person in self.teachers:
            for group in person.groups.all():
                if group.leader_id and group.leader_id != person.pk and group.leader_id in self.by_id:
                    self.leader_of[person.pk] = self.by_id[group.leader_id]
                    break
        self.village_directors = {
            p.school_id: p for p in people if p.school_id != root.pk and Role.DIRECTOR in p.role_codes
        }
        self.leaders = [p for p in people if p.role_codes & LEADER_ROLES and p.school_id == root.pk]
        self.counts = defaultdict(int)

    def run(self) -> dict:
        self.plans()
        self.checks()
        self.activities()
        self.selections()
        self.summaries()
        keys = ("plans", "missing", "checks", "fined", "activities", "selections", "summaries")
        return {key: self.counts[key] for key in keys}

    def on_or_before_today(self, day: dt.date) -> dt.date:
        return min(day, self.today)

    def school_day_near(self, day: dt.date) -> dt.date:
        """The last school day on or before `day` (or the first day of term)."""
        earlier = [d for d in self.school_days if d <= day]
        return earlier[-1] if earlier else self.term.start_date

    def moment(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        hour = hour if hour is not None else self.rng.randint(8, 20)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59))))
        return min(moment, timezone.now())

    # --- teaching plans ----------------------------------------------------------------------------------------

    def plans(self):
        term, rng = self.term, self.rng
        deadlines = plan_services.saved_deadlines(term)
        due = deadlines.plans_due
        names = {}
        for entry in TimetableEntry.objects.filter(term=term, teacher__in=self.teachers).select_related(
                "subject", "school_class__grade"):
            names[(entry.subject_id, entry.school_class_id)] = (entry.subject, entry.school_class)
        window = [d for d in self.school_days if d <= due] or [term.start_date]
        returned = []
        for teacher in self.teachers:
            for key in sorted(self.slots[teacher.pk]):
                if rng.random() < 0.06:
                    continue  # not handed in by the deadline
                subject, school_class = names[key]
                day = rng.choice(window)
                if day > self.today:
                    continue
                upload = _upload(f"{subject}教学计划（{school_class}）.docx",
                                 f"{term} {subject}教学计划", [f"{section}：略。" for section in PLAN_SECTIONS])
                try:
                    plan = plan_services.plan_submit(teacher=teacher, subject=subject, school_class=school_class,
                                                     upload=upload, user=teacher.user, term=term)
                except ValidationError:
                    continue
                submitted = self.moment(day)
                TeachingPlan.objects.filter(pk=plan.pk).update(submitted_at=submitted, first_submitted_at=submitted)
                self.counts["plans"] += 1
                self.review(plan, day, returned)
        # Some of the returned plans come back improved and go through.
        for plan, day in returned:
            if rng.random() < 0.7 and day + 2 * ONE_DAY <= self.today:
                plan = plan_services.plan_submit(
                    teacher=plan.teacher, subject=plan.subject, school_class=plan.school_class, term=term,
                    upload=_upload("教学计划（修改稿）.docx", "教学计划（修改稿）", PLAN_SECTIONS),
                    user=plan.teacher.user,
                )
                TeachingPlan.objects.filter(pk=plan.pk).update(submitted_at=self.moment(day + 2 * ONE_DAY))
                self.review(plan, day + 2 * ONE_DAY, [], may_return=False)
        if self.today > due:
            self.counts["missing"] = len(plan_services.missing_plans_record(term=term, user=self.office.user))

    def review(self, plan, day: dt.date, returned: list, *, may_return: bool = True):
        rng = self.rng
        leader = self.leader_of.get(plan.teacher_id)
        passed_on = day + dt.timedelta(days=rng.randint(1, 3))
        if passed_on > self.today:
            return
        if leader is not None:
            if may_return and rng.random() < 0.05:
                self._review(plan, leader, PlanReview.Verdict.RETURNED, rng.choice(RETURN_COMMENTS), passed_on)
                returned.append((plan, passed_on))
                return
            if rng.random() > self.review_share:
                return  # still waiting for the group leader
            self._review(plan, leader, PlanReview.Verdict.PASSED, "", passed_on)
        accepted_on = passed_on + dt.timedelta(days=rng.randint(1, 4))
        if accepted_on <= self.today and rng.random() < self.review_share:
            self._review(plan, self.office, PlanReview.Verdict.ACCEPTED, "", accepted_on)

    def _review(self, plan, reviewer, verdict, comment, day):
        try:
            review = plan_services.plan_review(plan=plan, verdict=verdict, comment=comment, user=reviewer.user)
        except (ValidationError, PermissionDenied):
            return
        PlanReview.objects.filter(pk=review.pk).update(created_at=self.moment(day))
        plan.status = {PlanReview.Verdict.PASSED: TeachingPlan.Status.GROUP_PASSED,
                       PlanReview.Verdict.ACCEPTED: TeachingPlan.Status.ACCEPTED,
                       PlanReview.Verdict.RETURNED: TeachingPlan.Status.RETURNED}[verdict]

    # --- preparation checks ------------------------------------------------------------------------------------

    def checker_of(self, teacher: Staff) -> Staff | None:
        if teacher.school_id != self.root.pk and teacher.school_id in self.village_directors:
            director = self.village_directors[teacher.school_id]
            if director.pk != teacher.pk:
                return director  # V4.2: a village school is checked by its own director
        leader = self.leader_of.get(teacher.pk)
        if leader is not None:
            return leader
        return self.director if self.director.pk != teacher.pk else self.office

    def checks(self):
        term, rng = self.term, self.rng
        kinds = prep_round_kinds(self.policy)
        planned = []  # (teacher, round, month, day)
        if "start_of_term" in kinds:
            first_days = self.school_days[:3]
            for teacher in self.teachers:
                if first_days and rng.random() < self.start_share * (2 if teacher.is_young or teacher.is_new else 1):
                    planned.append((teacher, "start_of_term", None, rng.choice(first_days)))
        if "monthly" in kinds:
            for month in term.school_months():
                if month.end >= self.today:
                    break
                day = self.school_day_near(month.end)
                for teacher in self.teachers:
                    if rng.random() < self.monthly_share * (2 if teacher.is_young or teacher.is_new else 1):
                        planned.append((teacher, "monthly", month.number, day - dt.timedelta(days=rng.randint(0, 2))))
        if "mid_term" in kinds and term.midterm_date and term.midterm_date + 3 * ONE_DAY < self.today:
            day = self.school_day_near(term.midterm_date + 3 * ONE_DAY)
            for teacher in self.teachers:
                planned.append((teacher, "mid_term", None, day))
        spot_checkers = [p for p in self.leaders if p.role_codes & {Role.PRINCIPAL, Role.VICE_PRINCIPAL}]
        for checker in spot_checkers:
            for teacher in rng.sample(self.teachers, min(3, len(self.teachers))):
                if teacher.pk != checker.pk and len(self.school_days) > 10:
                    planned.append((teacher, "spot", None, rng.choice(self.school_days[5:]), checker))
        confirm_before = self.today - dt.timedelta(days=7)
        for item in planned:
            teacher, round_kind, month, day = item[:4]
            checker = item[4] if len(item) > 4 else self.checker_of(teacher)
            if checker is None or day > self.today or day < term.start_date:
                continue
            check = self.check(teacher, checker, round_kind, month, day)
            if check is None:
                continue
            self.counts["checks"] += 1
            findings = list(PrepCheckFinding.objects.filter(check_record=check))
            if findings:
                self.counts["fined"] += 1
            if day < confirm_before and findings:
                # The office has gone through the findings of all but the last week.
                for violation in Violation.objects.filter(
                    source_type=ContentType.objects.get_for_model(PrepCheckFinding),
                    source_id__in=[f.pk for f in findings], status=Violation.Status.PROPOSED,
                ):
                    violation_confirm(violation=violation, user=self.office.user)

    def check(self, teacher, checker, round_kind, month, day):
        rng = self.rng
        counts = self.weekdays[teacher.pk]
        taught, weekly = count_lessons(counts, self.term.start_date, day, self.term.holiday_spans), sum(counts.values())
        short = rng.random() < SHORT_SHARE
        if round_kind == "start_of_term":
            ahead = weekly + rng.randint(0, 3) if not short else max(0, weekly - rng.randint(1, 3))
            prepared = taught + ahead
            ratio = Decimal(ahead) / Decimal(max(weekly, 1))
        else:
            ratio = Decimal(str(rng.uniform(0.55, 0.79) if short else rng.uniform(0.85, 1.2)))
            prepared = int(taught * ratio)
            ahead = max(0, prepared - taught)
        no_plan = 1 if short and rng.random() < 0.2 else 0
        grade = "A" if ratio >= Decimal("1.1") else "B" if ratio >= Decimal("0.9") else "C" if ratio >= Decimal(
            "0.8") else "D"
        below = None
        if round_kind == "monthly" and grade == "D" and rng.random() < 0.5:
            below = Decimal("10.00")
        try:
            return check_services.prep_check_create(
                teacher=teacher, round_kind=round_kind, month_number=month, checked_on=day,
                lessons_prepared=prepared, lessons_ahead=ahead, lessons_taught=None,
                standard_format=rng.random() < 0.9, three_dimensions=rng.random() < 0.8,
                student_centred=rng.random() < 0.75, reflection=rng.random() < 0.7,
                copied_plan=grade == "D" and rng.random() < 0.3, taught_without_plan=min(no_plan, taught),
                grade=grade, comments=rng.choice(CHECK_COMMENTS[grade]), below_requirement_amount=below,
                user=checker.user,
            )
        except (ValidationError, PermissionDenied):
            return None

    # --- research-group activities -----------------------------------------------------------------------------

    def activities(self):
        rng = self.rng
        from school.models import TeachingGroup

        groups = list(TeachingGroup.objects.filter(school__in=self.schools).select_related("leader", "school")
                      .prefetch_related("members").order_by("school_id", "id"))
        wednesdays = [d for d in self.school_days if d.isoweekday() == 3]
        coming = [self.today + dt.timedelta(days=i) for i in range(1, 15)]
        coming = [d for d in coming if d.isoweekday() == 3 and self.term.contains(d)]
        checkers = [p for p in self.leaders if p.role_codes & {Role.PRINCIPAL, Role.DIRECTOR, Role.VICE_PRINCIPAL}]
        for group in groups:
            runner = group.leader if group.leader_id and group.leader.is_active else self.office
            members = [m for m in group.members.all() if m.is_active]
            for index, day in enumerate(wednesdays[group.pk % 2::2]):
                kind = GroupActivity.Kind.COLLECTIVE_PREP if index % 2 else GroupActivity.Kind.RESEARCH
                topic = (PREP_TOPICS[index // 2 % len(PREP_TOPICS)] if kind == GroupActivity.Kind.COLLECTIVE_PREP
                         else RESEARCH_TOPICS[index // 2 % len(RESEARCH_TOPICS)])
                host = rng.choice(members) if members else runner
                try:
                    activity = activity_services.activity_create(
                        group=group, date=day, topic=topic, kind=kind, place=f"{group.name}办公室", host=host,
                        user=runner.user)
                    present = [m for m in members if rng.random() < 0.9]
                    present += [leader for leader in self.leaders
                                if leader not in present and rng.random() < 0.08]
                    with_file = rng.random() < 0.25
                    activity = activity_services.activity_update(
                        activity=activity, date=day, topic=topic, kind=kind, place=activity.place, host=host,
                        attendees=present, minutes="" if with_file else MINUTES.format(host=host.name),
                        upload=_upload("活动记录.docx", f"{group.name}{topic}活动记录",
                                       [MINUTES.format(host=host.name)]) if with_file else None,
                        user=runner.user,
                    )
                except (ValidationError, PermissionDenied):
                    continue
                self.counts["activities"] += 1
                for checker in checkers:
                    if rng.random() < 0.35 and day < self.today:
                        activity_services.activity_check(activity=activity, comment=rng.choice(CHECK_NOTES),
                                                         user=checker.user)
            if coming:
                try:
                    activity_services.activity_create(
                        group=group, date=coming[group.pk % len(coming)], topic=rng.choice(RESEARCH_TOPICS),
                        kind=GroupActivity.Kind.RESEARCH, place=f"{group.name}办公室", host=group.leader,
                        user=runner.user)
                    self.counts["activities"] += 1
                except (ValidationError, PermissionDenied):
                    pass

    # --- selections --------------------------------------------------------------------------------------------

    def selections(self):
        rng = self.rng
        kinds = selection_services.allowed_kinds(self.root)
        judges = [self.director, *[p for p in self.people if p.led_groups.all() and p.school_id == self.root.pk][:2]]
        judges = list(dict.fromkeys(judges))
        entrants = [t for t in self.teachers if t.school_id == self.root.pk]
        if len(entrants) < 4 or not judges:
            return
        subjects = {}
        for entry in TimetableEntry.objects.filter(term=self.term, teacher__in=entrants).select_related("subject"):
            subjects.setdefault(entry.teacher_id, entry.subject)
        plan_kind = SelectionKind.LESSON_PLAN if SelectionKind.LESSON_PLAN in kinds else kinds[0]
        design_kind = SelectionKind.LESSON_DESIGN if SelectionKind.LESSON_DESIGN in kinds else kinds[-1]
        for title, kind, publish in (("本学期优秀教案评选", plan_kind, True),
                                     ("优秀教学设计评选", design_kind, False)):
            try:
                selection = selection_services.selection_open(
                    school=self.root, kind=kind, title=title, judges=judges, prizes=2,
                    entries_due=None if publish else min(self.today + dt.timedelta(days=14), self.term.end_date),
                    user=self.office.user)
            except (ValidationError, PermissionDenied):
                continue
            self.counts["selections"] += 1
            for teacher in rng.sample(entrants, min(len(entrants), 12 if publish else 8)):
                subject = subjects.get(teacher.pk)
                if subject is None:
                    continue
                nominator = self.leader_of.get(teacher.pk) if rng.random() < 0.4 else teacher
                nominator = nominator or teacher
                try:
                    entry = selection_services.entry_nominate(
                        selection=selection, teacher=teacher, subject=subject,
                        title=f"{subject}《{rng.choice(PREP_TOPICS)}》{SelectionKind(kind).label}",
                        upload=_upload("参评作品.docx", f"{teacher.name}参评作品", PLAN_SECTIONS),
                        user=nominator.user)
                except (ValidationError, PermissionDenied):
                    continue
                for judge in judges:
                    if judge.pk != teacher.pk and (publish or rng.random() < 0.5):
                        selection_services.entry_score(entry=entry, score=Decimal(rng.randint(160, 196)) / 2,
                                                       user=judge.user)
            if publish:
                try:
                    selection_services.selection_publish(selection=selection, user=self.office.user)
                except ValidationError:
                    pass

    # --- term summaries ----------------------------------------------------------------------------------------

    def summaries(self):
        rng, term = self.rng, self.term
        deadlines = deadlines_for(term, self.policy)
        due = summary_services.due_date("summary", self.policy, deadlines) if self.policy else None
        if due is None:
            return
        text = "本学期我认真履行岗位职责，按要求完成了备课、上课、作业批改、辅导和单元检测等工作。"
        if self.today <= due:
            # A few teachers hand theirs in early.
            for teacher in rng.sample(self.teachers, max(1, len(self.teachers) // 12)):
                summary_services.summary_submit(teacher=teacher, kind="summary", text=text, user=teacher.user,
                                                term=term)
                self.counts["summaries"] += 1
            return
        for teacher in self.teachers:
            draw = rng.random()
            if draw < 0.05:
                continue  # still missing when the office closes the collection
            late = dt.timedelta(days=rng.randint(1, 3)) if draw < 0.12 else -dt.timedelta(days=rng.randint(0, 5))
            arrived = self.moment(min(due + late, self.today))
            summary_services.summary_submit(teacher=teacher, kind="summary", text=text, handed_in_at=arrived,
                                            user=self.office.user, term=term)
            self.counts["summaries"] += 1
        summary_services.summaries_close(term=term, user=self.office.user)

