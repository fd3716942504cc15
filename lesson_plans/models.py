"""Lesson preparation (备课) and what goes with it: teaching plans (教学计划) and their review, lesson-preparation
checks (备课检查) with their V4 findings, research-group activities (教研活动, 集体备课) and leaders' checks of their
records, excellent-work selections (评优), and term summaries (学期总结) with the yearly paper.

DOMAIN.md "Lesson plans", "Inspection rounds", "Deductions". Fines go through `deductions` (the finding rows here
are their sources); what changes money or grades keeps history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from inspections.models import Per, RoundRule, SelectionKind
from school.models import School, SchoolClass, SchoolYear, Staff, Subject, TeachingGroup, Term

from .files import activity_upload_to, entry_upload_to, plan_upload_to, private_storage, summary_upload_to

RoundKind = RoundRule.Kind
# The rounds in which lesson preparation is checked (the daily patrol and the weekly homework list are not).
PREP_ROUND_KINDS = (
    RoundKind.START_OF_TERM, RoundKind.MONTHLY, RoundKind.MID_TERM, RoundKind.END_OF_TERM, RoundKind.SPOT,
    RoundKind.SPECIAL,
)
# The rounds a teacher's preparation is checked in once a term (monthly rounds: once a school month).
ONCE_A_TERM = [k.value for k in (RoundKind.START_OF_TERM, RoundKind.MID_TERM, RoundKind.END_OF_TERM)]


class UploadedFile(models.Model):
    """A document stored privately, with what the uploader called it and how to serve it again."""

    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    file_content_type = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True


class Deadlines(models.Model):
    """A term's collection deadlines, set from the policy's rounds and editable by the office: teaching plans
    (the start-of-term round's last day), term summaries and, once a year, the paper (the end-of-term round's)."""

    term = models.OneToOneField(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="+")
    plans_due = models.DateField(_("teaching plans due"))
    summaries_due = models.DateField(_("term summaries due"))
    papers_due = models.DateField(_("yearly papers due"), null=True, blank=True)
    plans_recorded_at = models.DateTimeField(_("missing plans recorded"), null=True, blank=True)
    summaries_closed_at = models.DateTimeField(_("summary collection closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection deadlines")
        verbose_name_plural = _("collection deadlines")

    def __str__(self):
        return str(self.term)


class TeachingPlan(UploadedFile):
    """A teacher's teaching plan (教学计划) for one subject and class of her timetable this term (V3.3, V4.1).

    Submitted (or resubmitted after being returned), passed by the group leader (the first gate, V3.3), then
    accepted by the office; either may return it with comments."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        GROUP_PASSED = "group_passed", _("Passed by the group leader")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="teaching_plans")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    file = models.FileField(_("file"), upload_to=plan_upload_to, storage=private_storage, max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"))
    first_submitted_at = models.DateTimeField(_("first submitted"))
    submissions = models.PositiveSmallIntegerField(_("submissions"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teaching plan")
        verbose_name_plural = _("teaching plans")
        ordering = ["term_id", "teacher_id", "subject_id", "school_class_id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "teacher", "subject", "school_class"],
                                    name="teaching_plan_once_per_slot"),
            models.CheckConstraint(condition=Q(submissions__gte=1), name="teaching_plan_submitted"),
            models.CheckConstraint(condition=~Q(file=""), name="teaching_plan_has_file"),
        ]
        indexes = [models.Index(fields=["term", "status"], name="teaching_plan_status_idx")]

    def __str__(self):
        return _("Teaching plan of %(teacher)s: %(subject)s, %(class)s") % {
            "teacher": self.teacher, "subject": self.subject, "class": self.school_class}


class PlanReview(models.Model):
    """One verdict on a teaching plan, by the group leader or the office, with comments (kept across
    resubmissions: the conversation of returns and answers)."""

    class Stage(models.TextChoices):
        GROUP = "group", _("Group leader")
        OFFICE = "office", _("Teaching office")

    class Verdict(models.TextChoices):
        PASSED = "passed", _("Passed on to the office")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    plan = models.ForeignKey(TeachingPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Staff, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("as"), max_length=10, choices=Stage.choices)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(_("reviewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("review of a teaching plan")
        verbose_name_plural = _("reviews of teaching plans")
        ordering = ["plan_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(verdict="returned") | ~Q(comment=""),
                                   name="plan_review_return_has_comment"),
            models.CheckConstraint(condition=~Q(stage="group") | ~Q(verdict="accepted"),
                                   name="plan_review_group_does_not_accept"),
            models.CheckConstraint(condition=~Q(stage="office") | ~Q(verdict="passed"),
                                   name="plan_review_office_does_not_pass"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_verdict_display()}"


class MissingPlan(models.Model):
    """A teaching plan not handed in by the deadline, as the office recorded it (the source of its V4 fine:
    2 yuan a plan, V4.I)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    due = models.DateField(_("due"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("missing teaching plan")
        verbose_name_plural = _("missing teaching plans")
        ordering = ["term_id", "teacher_id", "subject_id", "school_class_id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "teacher", "subject", "school_class"],
                                    name="missing_plan_once_per_slot"),
        ]

    def __str__(self):
        return _("Teaching plan not handed in by %(due)s: %(subject)s, %(class)s") % {
            "due": self.due, "subject": self.subject, "class": self.school_class}


class PrepGrade(models.TextChoices):
    EXCELLENT = "A", pgettext_lazy("preparation grade", "Excellent")  # 优
    GOOD = "B", pgettext_lazy("preparation grade", "Good")  # 良
    FAIR = "C", pgettext_lazy("preparation grade", "Fair")  # 中
    POOR = "D", pgettext_lazy("preparation grade", "Poor")  # 差


class PrepCheck(models.Model):
    """A lesson-preparation check (备课检查) of one teacher in one round (V1.2, V3.3-4, V4.I-IV, V6.2, V7.2).

    One check per teacher and round (monthly rounds: per school month; spot checks and special inspections as
    often as they come). Lessons taught are computed from the
    timetable and the calendar and may be corrected; the V4 findings it gives are `PrepCheckFinding` rows."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="prep_checks")
    checker = models.ForeignKey(Staff, verbose_name=_("checked by"), on_delete=models.PROTECT,
                                related_name="prep_checks_made")
    round_kind = models.CharField(_("round"), max_length=20, choices=[(k.value, k.label) for k in PREP_ROUND_KINDS])
    month_number = models.PositiveSmallIntegerField(_("school month"), null=True, blank=True)
    checked_on = models.DateField(_("checked on"))
    weekly_lessons = models.PositiveSmallIntegerField(_("lessons a week"), default=0)
    lessons_taught_computed = models.PositiveIntegerField(_("lessons taught (timetable)"), default=0)
    lessons_taught = models.PositiveIntegerField(_("lessons taught"))
    lessons_prepared = models.PositiveIntegerField(_("lessons prepared"))
    lessons_ahead = models.PositiveIntegerField(_("lessons prepared ahead"), default=0)
    standard_format = models.BooleanField(_("careful, standard format"), default=False)
    three_dimensions = models.BooleanField(_("follows the three dimensions"), default=False,
                                           help_text=_("Knowledge and skills; process and method; attitudes and "
                                                       "values (V4.IV.1)"))
    student_centred = models.BooleanField(_("student-centred design"), default=False)
    reflection = models.BooleanField(_("post-lesson reflection"), default=False)
    copied_plan = models.BooleanField(_("copied an existing plan (照搬)"), default=False)
    taught_without_plan = models.PositiveIntegerField(_("lessons taught without a plan"), default=0)
    grade = models.CharField(pgettext_lazy("preparation grade", "grade"), max_length=1, choices=PrepGrade.choices)
    comments = models.TextField(_("comments"), blank=True)
    below_requirement_amount = models.DecimalField(
        _("discretionary fine (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("Monthly check: work below requirement, fined case by case (V4.II)"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson-preparation check")
        verbose_name_plural = _("lesson-preparation checks")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "term", "round_kind", "month_number"],
                                    condition=Q(month_number__isnull=False), name="prep_check_once_per_month"),
            # Start of term, mid-term and end of term come once a term; spot checks and special inspections may
            # come again.
            models.UniqueConstraint(fields=["teacher", "term", "round_kind"],
                                    condition=Q(month_number__isnull=True, round_kind__in=ONCE_A_TERM),
                                    name="prep_check_once_per_round"),
            models.CheckConstraint(
                condition=(Q(round_kind="monthly") & Q(month_number__isnull=False) & Q(month_number__gte=1))
                | (~Q(round_kind="monthly") & Q(month_number__isnull=True)),
                name="prep_check_month_for_monthly_rounds",
            ),
            models.CheckConstraint(condition=Q(round_kind__in=[k.value for k in PREP_ROUND_KINDS]),
                                   name="prep_check_round_known"),
            models.CheckConstraint(condition=~Q(checker=F("teacher")), name="prep_check_not_of_oneself"),
            models.CheckConstraint(condition=Q(lessons_ahead__lte=F("lessons_prepared")),
                                   name="prep_check_ahead_within_prepared"),
            models.CheckConstraint(condition=Q(taught_without_plan__lte=F("lessons_taught")),
                                   name="prep_check_unprepared_within_taught"),
            models.CheckConstraint(condition=Q(grade__in=PrepGrade.values), name="prep_check_grade_known"),
            models.CheckConstraint(
                condition=Q(below_requirement_amount__isnull=True)
                | (Q(below_requirement_amount__gte=0) & Q(round_kind="monthly")),
                name="prep_check_discretionary_monthly",
            ),
        ]
        indexes = [models.Index(fields=["term", "teacher"], name="prep_check_term_teacher_idx")]

    def __str__(self):
        return _("Lesson-preparation check of %(teacher)s (%(round)s, %(date)s)") % {
            "teacher": self.teacher, "round": self.round_label, "date": self.checked_on}

    @property
    def round_label(self) -> str:
        label = str(self.get_round_kind_display())
        if self.month_number:
            return _("%(round)s, school month %(month)s") % {"round": label, "month": self.month_number}
        return label


class PrepCheckFinding(models.Model):
    """A finding of a check that the policy fines (V4.I, V4.II, V4.IV.1): the source of one violation.

    A check has at most one current finding per fine rule. When a correction of the check changes a finding, the
    old one is superseded (its proposed fine dismissed) and a new one recorded: each violation keeps the
    figures it was computed from."""

    check_record = models.ForeignKey(PrepCheck, verbose_name=_("check"), on_delete=models.PROTECT,
                                     related_name="findings", db_column="check_id")
    code = models.SlugField(_("finding"), max_length=40)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_amount = models.DecimalField(_("yuan each (case by case)"), max_digits=8, decimal_places=2, null=True,
                                      blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding of a lesson-preparation check")
        verbose_name_plural = _("findings of lesson-preparation checks")
        ordering = ["check_record_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["check_record", "code"], condition=Q(superseded_at__isnull=True),
                                    name="prep_finding_once_per_check_and_rule"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="prep_finding_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.check_record} · {self.code} ×{self.quantity}"


class GroupActivity(UploadedFile):
    """A research-group activity (教研活动) or collective preparation session (集体备课) of a group, with who came
    and the record (V1.1, V5.4, V6.1, V7.1)."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("Research activity")
        COLLECTIVE_PREP = "collective_prep", _("Collective preparation")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(TeachingGroup, verbose_name=_("group"), on_delete=models.PROTECT,
                              related_name="activities")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RESEARCH)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.ForeignKey(Staff, verbose_name=_("host"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    attendees = models.ManyToManyField(Staff, verbose_name=_("present"), blank=True,
                                       related_name="group_activities_attended")
    minutes = models.TextField(_("record"), blank=True)
    file = models.FileField(_("record file"), upload_to=activity_upload_to, storage=private_storage, blank=True,
                            max_length=200)
    created_by = models.ForeignKey(Staff, verbose_name=_("scheduled by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("research-group activity")
        verbose_name_plural = _("research-group activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["term", "group"], name="group_activity_term_idx")]

    def __str__(self):
        return f"{self.date} {self.group} · {self.topic}"

    @property
    def has_record(self) -> bool:
        return bool(self.minutes.strip() or self.file)


class ActivityCheck(models.Model):
    """A leader has checked an activity's record (V1.1, V6.1, V7.1), with a comment."""

    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="checks")
    leader = models.ForeignKey(Staff, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("check of an activity record")
        verbose_name_plural = _("checks of activity records")
        ordering = ["activity_id", "checked_at"]
        constraints = [models.UniqueConstraint(fields=["activity", "leader"], name="activity_check_once")]

    def __str__(self):
        return f"{self.activity} · {self.leader}"


class Selection(models.Model):
    """An excellent-work selection (评优) of lesson designs, lesson plans or homework, per term or per school year
    (V1.3, V3.6, V6.3, V7.3): entries nominated, scored by judges, ranked, published."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for entries and scoring")
        PUBLISHED = "published", _("Results published")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT,
                                    related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    per = models.CharField(_("held"), max_length=5, choices=[(Per.TERM, Per.TERM.label), (Per.YEAR, Per.YEAR.label)])
    kind = models.CharField(_("what is selected"), max_length=20, choices=SelectionKind.choices)
    title = models.CharField(_("title"), max_length=120)
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True, related_name="+",
                                      help_text=_("None: every subject"))
    judges = models.ManyToManyField(Staff, verbose_name=_("judges"), related_name="selections_judged")
    prizes = models.PositiveSmallIntegerField(_("winning places per subject"), default=3)
    entries_due = models.DateField(_("entries due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(Staff, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("excellent-work selection")
        verbose_name_plural = _("excellent-work selections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(per="term") & Q(term__isnull=False)) | (Q(per="year") & Q(term__isnull=True)),
                name="selection_period",
            ),
            models.CheckConstraint(condition=Q(prizes__gte=1), name="selection_prizes_positive"),
            models.CheckConstraint(condition=Q(kind__in=SelectionKind.values), name="selection_kind_known"),
            models.CheckConstraint(
                condition=Q(status="open", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="selection_published_when",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SelectionEntry(UploadedFile):
    """A piece of work nominated to a selection: its author, subject, title and file."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="entries")
    teacher = models.ForeignKey(Staff, verbose_name=_("author"), on_delete=models.PROTECT,
                                related_name="selection_entries")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=entry_upload_to, storage=private_storage, max_length=200)
    nominated_by = models.ForeignKey(Staff, verbose_name=_("nominated by"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)

    class Meta:
        verbose_name = _("selection entry")
        verbose_name_plural = _("selection entries")
        ordering = ["selection_id", "subject_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "teacher", "subject"], name="selection_entry_once"),
            models.CheckConstraint(condition=~Q(file=""), name="selection_entry_has_file"),
        ]

    def __str__(self):
        return f"{self.title} · {self.teacher}"


class EntryScore(models.Model):
    """A judge's score of an entry (0-100). The entry's author is copied here so that the database itself
    refuses a judge scoring her own work."""

    entry = models.ForeignKey(SelectionEntry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Staff, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    scored_at = models.DateTimeField(_("scored"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score of an entry")
        verbose_name_plural = _("scores of entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="entry_score_once_per_judge"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="entry_score_range"),
            models.CheckConstraint(condition=~Q(judge=F("author")), name="entry_score_not_own_work"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.judge}: {self.score}"


class TermSummary(UploadedFile):
    """A teacher's term summary (学期总结) or yearly paper (学年论文), handed in by the deadline (V4.III).

    A row also stands for one still missing when the office closed the collection (not submitted): late days are
    fined 2 yuan a day, once, when the late one arrives or when the collection closes, whichever is first."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Term summary")
        PAPER = "paper", _("Yearly paper")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="term_summaries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUMMARY)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=summary_upload_to, storage=private_storage, blank=True,
                            max_length=200)
    due = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("handed in"), null=True, blank=True)
    days_late = models.PositiveSmallIntegerField(_("days late"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term summary")
        verbose_name_plural = _("term summaries")
        ordering = ["term_id", "teacher_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["term", "teacher", "kind"], name="term_summary_once"),
            models.CheckConstraint(condition=Q(submitted_at__isnull=True) | ~Q(text="") | ~Q(file=""),
                                   name="term_summary_has_content"),
            models.CheckConstraint(condition=Q(kind__in=["summary", "paper"]), name="term_summary_kind_known"),
        ]

    def __str__(self):
        return _("%(kind)s of %(teacher)s, %(term)s") % {
            "kind": self.get_kind_display(), "teacher": self.teacher, "term": self.term}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
