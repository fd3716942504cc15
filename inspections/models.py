"""The rulebook as data: a school's inspection policy, loaded from one of the seven presets and edited.

Nothing in the rules is hard-coded elsewhere: quotas, the review chain, which rounds run, homework cadence,
evaluation samples and fines are rows and fields here (DOMAIN.md; presets in `inspections/presets.py`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from school.models import Grade, Role, School, Staff, Subject, Term


class Preset(models.TextChoices):
    V1 = "v1", _("Variant 1: leaders in groups, mid-term and end-of-term checks, quotas 20/10 a term")
    V2 = "v2", _("Variant 2: homework list, daily class check, quality tracking, student and parent evaluation")
    V3 = "v3", _("Variant 3: group leaders check monthly, quotas 20/15/10 a term, student forums")
    V4 = "v4", _("Variant 4: start, monthly and end-of-term checks, six earnests, fines")
    V5 = "v5", _("Variant 5: face-to-face group checks, quotas 40/16 a term")
    V6 = "v6", _("Variant 6: monthly lesson-plan checks, weekly quotas 3/2/1, daily grading")
    V7 = "v7", _("Variant 7: concentrated checks, weekly quota 2, daily patrol, forums")


class Per(models.TextChoices):
    TERM = "term", _("a term")
    MONTH = "month", _("a school month")
    WEEK = "week", _("a week")
    YEAR = "year", _("a school year")


class Checked(models.TextChoices):
    """What a round or a check looks at (the "six earnests" and more, V3.1, V4.IV)."""

    TEACHING_PLAN = "teaching_plan", _("Teaching plans")
    LESSON_PREP = "lesson_prep", _("Lesson preparation")
    TEACHING = "teaching", _("Teaching the class")
    OBSERVATION_NOTES = "observation_notes", _("Observation notes")
    HOMEWORK = "homework", _("Homework grading")
    TUTORING = "tutoring", _("Tutoring")
    UNIT_TESTS = "unit_tests", _("Unit tests")
    LABS = "labs", _("Lab sessions")
    RESEARCH_ACTIVITIES = "research_activities", _("Research-group activity records")
    SUMMARY = "summary", _("Term summary")
    CLASSROOM = "classroom", _("Classroom norms and teacher presence")


class ObservationKind(models.TextChoices):
    PEER = "peer", _("Peer observation")
    LEADERSHIP = "leadership", _("Leadership observation")
    UNANNOUNCED = "unannounced", _("Unannounced observation")
    ASSESSMENT = "assessment", _("Assessment team")
    OPEN_LESSON = "open_lesson", _("Open lesson")


class SelectionKind(models.TextChoices):
    """What an excellent-work selection is for (V1.3 lesson designs; V3.6 lesson plans and homework; V6.3, V7.3)."""

    LESSON_DESIGN = "lesson_design", _("Lesson designs")
    LESSON_PLAN = "lesson_plan", _("Lesson plans")
    HOMEWORK = "homework", _("Homework")


class ExamKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term exam")
    FINAL = "final", _("Final exam")
    UNIT = "unit", _("Unit test")
    SPOT = "spot", _("Research or quality spot test")
    BASELINE = "baseline", _("Baseline exam")


class Policy(models.Model):
    """The inspection policy of a central school; its village schools follow it."""

    school = models.OneToOneField(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="policy")
    preset = models.CharField(_("loaded from preset"), max_length=2, choices=Preset.choices, blank=True)
    name = models.CharField(_("name"), max_length=100)

    # Lesson preparation (V1.2, V6.2, V7.2, V4.I, V4.IV.1)
    young_new_first = models.BooleanField(_("sample young and new teachers first"), default=False)
    advance_prep_weeks = models.PositiveSmallIntegerField(
        _("weeks of lessons prepared before term"), null=True, blank=True
    )
    prep_threshold = models.DecimalField(
        _("lessons prepared / lessons taught required at a check"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Research-group activities (V1.1, V6.1, V7.1)
    leader_groups_min = models.PositiveSmallIntegerField(_("groups each leader joins, at least"), null=True, blank=True)
    leader_groups_max = models.PositiveSmallIntegerField(_("groups each leader joins, at most"), null=True, blank=True)
    leader_activities_min = models.PositiveSmallIntegerField(
        _("group activities a leader attends a term, at least"), null=True, blank=True
    )
    leader_activities_max = models.PositiveSmallIntegerField(
        _("group activities a leader attends a term, at most"), null=True, blank=True
    )
    # Selections (V1.3, V3.6, V6.3, V7.3)
    selection_per = models.CharField(
        _("how often the excellent-work selection is held"), max_length=5, choices=Per.choices, blank=True
    )
    selection_kinds = models.JSONField(_("what is selected"), default=list, blank=True)
    # Observation (V2.II.4, V7.4, V1.5)
    unannounced_observation = models.BooleanField(
        _("any lesson may be observed unannounced by a group leader or above"), default=False
    )
    assessment_team = models.BooleanField(_("an assessment team observes random lessons"), default=False)
    observation_reports_per_term = models.PositiveSmallIntegerField(
        _("observation reports to the administrative meeting a term"), default=0
    )
    # Homework (V1.7, V6.6, V7.5, V2.I, V6.7, V4.IV.3)
    homework_checks_min = models.PositiveSmallIntegerField(_("leaders' homework checks, at least"), default=0)
    homework_checks_max = models.PositiveSmallIntegerField(_("leaders' homework checks, at most"), default=0)
    homework_checks_per = models.CharField(
        _("leaders' homework checks are counted per"), max_length=5, choices=Per.choices, default=Per.TERM
    )
    homework_weekly_list = models.BooleanField(
        _("weekly homework check list in the second half of term"), default=False
    )
    homework_checks_per_teacher = models.PositiveSmallIntegerField(
        _("office homework checks of every teacher a term"), default=0
    )
    daily_graded_subjects = models.JSONField(_("subjects graded every day"), default=list, blank=True)
    gradings_equal_lessons = models.BooleanField(
        _("required gradings equal the number of lessons"), default=False
    )
    # Classroom (V2.II, V7.7)
    daily_patrol = models.BooleanField(_("daily patrol of every class"), default=False)
    swaps_through_office = models.BooleanField(_("lesson swaps go through the office"), default=True)
    # Exams (V1.9-12, V3.9, V6.8-11, V2.III)
    spot_tests = models.BooleanField(_("unannounced research or quality spot tests"), default=False)
    quality_form_after = models.JSONField(
        _("exams after which every teacher fills in a quality-analysis form"), default=list, blank=True
    )
    quality_form_days = models.PositiveSmallIntegerField(_("days to hand in the quality-analysis form"), default=7)
    analysis_after = models.JSONField(
        _("exams after which the office presents the grade analysis"), default=list, blank=True
    )
    analysis_days = models.PositiveSmallIntegerField(
        _("days to present the grade analysis"), null=True, blank=True
    )
    scores_archived = models.BooleanField(_("every student's scores archived and tracked"), default=False)
    # Evaluation (V2.IV, V3.11, V7.8)
    student_sample_min = models.PositiveSmallIntegerField(_("students evaluating per class, at least"), default=0)
    student_sample_max = models.PositiveSmallIntegerField(_("students evaluating per class, at most"), default=0)
    parent_sample_min = models.PositiveSmallIntegerField(_("parents evaluating per class, at least"), default=0)
    parent_sample_max = models.PositiveSmallIntegerField(_("parents evaluating per class, at most"), default=0)
    forums_min = models.PositiveSmallIntegerField(_("student forums a term, at least"), default=0)
    forums_max = models.PositiveSmallIntegerField(_("student forums a term, at most"), default=0)
    parent_meetings = models.BooleanField(_("parent meetings collect opinions on teaching"), default=False)
    # End of term and fines (V4.III, V4.IV)
    six_earnests = models.BooleanField(_("written six-earnests evaluation of every teacher"), default=False)
    term_summary = models.BooleanField(_("teachers hand in a term summary"), default=False)
    yearly_paper = models.BooleanField(_("teachers hand in a paper once a year"), default=False)
    village_director_checks = models.BooleanField(
        _("village schools checked by their own director"), default=False
    )
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal a fine"), default=7)
    reminder_days = models.PositiveSmallIntegerField(_("days before a deadline to remind"), default=3)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection policy")
        verbose_name_plural = _("inspection policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(leader_groups_min__isnull=True)
                | Q(leader_groups_max__isnull=True)
                | Q(leader_groups_min__lte=F("leader_groups_max")),
                name="policy_leader_groups_range",
            ),
            models.CheckConstraint(
                condition=Q(leader_activities_min__isnull=True)
                | Q(leader_activities_max__isnull=True)
                | Q(leader_activities_min__lte=F("leader_activities_max")),
                name="policy_leader_activities_range",
            ),
            models.CheckConstraint(
                condition=Q(homework_checks_min__lte=F("homework_checks_max")), name="policy_homework_range"
            ),
            models.CheckConstraint(
                condition=Q(student_sample_min__lte=F("student_sample_max")), name="policy_student_sample_range"
            ),
            models.CheckConstraint(
                condition=Q(parent_sample_min__lte=F("parent_sample_max")), name="policy_parent_sample_range"
            ),
            models.CheckConstraint(condition=Q(forums_min__lte=F("forums_max")), name="policy_forums_range"),
            models.CheckConstraint(
                condition=Q(prep_threshold__isnull=True) | (Q(prep_threshold__gt=0) & Q(prep_threshold__lte=1)),
                name="policy_prep_threshold_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_fines(self) -> bool:
        return any(rule.active for rule in self.fine_rules.all())


class ObservationQuota(models.Model):
    """How many lessons people holding a role must observe (V1.4, V3.8, V5.8, V6.4, V7.4)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="quotas")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    count = models.PositiveSmallIntegerField(_("lessons"), validators=[MinValueValidator(1)])
    per = models.CharField(
        _("per"), max_length=5, choices=[(Per.TERM, Per.TERM.label), (Per.WEEK, Per.WEEK.label)]
    )
    central_group_only = models.BooleanField(
        _("only leaders of central groups"), default=False, help_text=_("V3: central group leaders")
    )
    counted_kinds = models.JSONField(
        _("observation kinds that count"), default=list, blank=True, help_text=_("Empty: every kind counts")
    )
    source = models.CharField(_("rule"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation quota")
        verbose_name_plural = _("observation quotas")
        ordering = ["policy_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "role"], name="quota_one_per_role"),
            models.CheckConstraint(condition=Q(count__gte=1), name="quota_count_positive"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.count}/{self.get_per_display()}"


class ReviewRule(models.Model):
    """The review chain of observation notes (V1.6, V3.8, V5.8, V6.5, V7.4)."""

    class Reviewer(models.TextChoices):
        GROUP_LEADER = "group_leader", _("Group leader")
        OFFICE = "office", _("Teaching office")
        PRINCIPAL = "principal", _("Principal")

    class Reviewees(models.TextChoices):
        GROUP_TEACHERS = "group_teachers", _("the group's teachers")
        GROUP_LEADERS = "group_leaders", _("group leaders")
        LEADERS = "leaders", _("school leaders")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="review_rules")
    reviewer = models.CharField(_("reviewer"), max_length=20, choices=Reviewer.choices)
    reviewees = models.CharField(_("whose notes"), max_length=20, choices=Reviewees.choices)
    times = models.PositiveSmallIntegerField(_("times"), validators=[MinValueValidator(1)])
    per = models.CharField(
        _("per"), max_length=5, choices=[(Per.TERM, Per.TERM.label), (Per.MONTH, Per.MONTH.label)]
    )
    source = models.CharField(_("rule"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review of observation notes")
        verbose_name_plural = _("reviews of observation notes")
        ordering = ["policy_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "reviewer", "reviewees"], name="review_rule_unique"),
            models.CheckConstraint(condition=Q(times__gte=1), name="review_rule_times_positive"),
        ]

    def __str__(self):
        return f"{self.get_reviewer_display()} → {self.get_reviewees_display()}"


class RoundRule(models.Model):
    """A kind of inspection round the policy runs, when, and what it checks (DOMAIN.md "Inspection rounds")."""

    class Kind(models.TextChoices):
        START_OF_TERM = "start_of_term", _("Start of term")
        MONTHLY = "monthly", _("Monthly")
        MID_TERM = "mid_term", _("Mid-term")
        END_OF_TERM = "end_of_term", _("End of term")
        SPOT = "spot", _("Leaders' spot check")
        SPECIAL = "special", _("Special inspection")
        DAILY_PATROL = "daily_patrol", _("Daily patrol")
        WEEKLY_HOMEWORK = "weekly_homework", _("Weekly homework list")

    class Checker(models.TextChoices):
        GROUP_LEADERS = "group_leaders", _("Group leaders check their groups")
        OFFICE = "office", _("The teaching office")
        LEADERSHIP = "leadership", _("School leadership")
        CHAIN = "chain", _("Group leaders check teachers, the director checks group leaders")
        FACE_TO_FACE = "face_to_face", _("Each group checks face to face")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="round_rules")
    kind = models.CharField(_("round"), max_length=20, choices=Kind.choices)
    checked = models.JSONField(_("what is checked"), default=list)
    checker = models.CharField(_("who checks"), max_length=20, choices=Checker.choices)
    times_per_term = models.PositiveSmallIntegerField(
        _("times a term"), null=True, blank=True, help_text=_("Empty: as the calendar makes due")
    )
    opens_offset_days = models.SmallIntegerField(
        _("opens, in days from its date"),
        default=0,
        help_text=_("Negative: before the date. The date is the term's first day for the start-of-term round, the "
                    "school month's last day for monthly rounds, the mid-term exam date for the mid-term round and "
                    "the term's last day for the end-of-term round."),
    )
    window_days = models.PositiveSmallIntegerField(_("days to complete"), default=7)
    source = models.CharField(_("rule"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection round rule")
        verbose_name_plural = _("inspection round rules")
        ordering = ["policy_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "kind"], name="round_rule_one_per_kind"),
        ]

    def __str__(self):
        return self.get_kind_display()

    def get_checked_display(self) -> str:
        labels = dict(Checked.choices)
        return "、".join(str(labels.get(code, code)) for code in self.checked)


class FineRule(models.Model):
    """A fine and conduct-point deduction (扣款, 操行分; V4). Amounts are yuan, exact."""

    class Unit(models.TextChoices):
        PER_TIME = "time", _("each time")
        PER_LESSON = "lesson", _("each lesson")
        PER_DAY = "day", _("each day")
        PER_ITEM = "item", _("each item")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="fine_rules")
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=8, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    conduct_points = models.DecimalField(
        _("conduct points"), max_digits=5, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    discretionary = models.BooleanField(
        _("amount decided case by case"), default=False, help_text=_("V4.II: a discretionary fine or serious criticism")
    )
    noted_in_file = models.BooleanField(_("noted in the teacher's professional file"), default=False)
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("rule"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fine rule")
        verbose_name_plural = _("fine rules")
        ordering = ["policy_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="fine_rule_unique_code"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fine_rule_amount_positive"),
            models.CheckConstraint(condition=Q(conduct_points__gte=0), name="fine_rule_points_positive"),
        ]

    def __str__(self):
        return self.description


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task: the office sees whether background work
    (reminders, exports) is running."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self):
        return self.hostname


# --- inspection rounds and their assignments (DOMAIN.md "Inspection rounds") -------------------------------

# Rounds the daily tick opens from the policy's calendar; spot and special rounds the office opens by hand. The
# daily patrol and the weekly homework list are run by their own apps' pages (observations, homework_checks).
CALENDAR_KINDS = (
    RoundRule.Kind.START_OF_TERM,
    RoundRule.Kind.MONTHLY,
    RoundRule.Kind.MID_TERM,
    RoundRule.Kind.END_OF_TERM,
)
BY_HAND_KINDS = (RoundRule.Kind.SPOT, RoundRule.Kind.SPECIAL)


class InspectionRound(models.Model):
    """One inspection round of a central school's term (its village schools are checked in it too): when it runs,
    what it checks and who checks (copied from the policy's round rule when it opens, so a later edit of the rule
    never changes a round under way), and the summary (通报) the office publishes to all staff."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("round state", "Open")
        PUBLISHED = "published", _("Summary published")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("round"), max_length=20, choices=RoundRule.Kind.choices)
    month_number = models.PositiveSmallIntegerField(_("school month"), null=True, blank=True)
    rule = models.ForeignKey(
        RoundRule, verbose_name=_("round rule"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("Empty: named by its kind and school month")
    )
    checker = models.CharField(_("who checks"), max_length=20, choices=RoundRule.Checker.choices)
    checklist = models.JSONField(_("what is checked"), default=list)
    opens_on = models.DateField(_("opens"))
    due_on = models.DateField(_("due"))
    grade = models.ForeignKey(
        Grade, verbose_name=_("grade"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(_("summary (通报)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None: opened by the daily tick from the policy's calendar.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            # The tick may run any number of times, at once too: each calendar round exists once.
            models.UniqueConstraint(
                fields=["school", "term", "kind", "month_number"], condition=Q(month_number__isnull=False),
                name="round_once_per_school_month",
            ),
            models.UniqueConstraint(
                fields=["school", "term", "kind"],
                condition=Q(month_number__isnull=True) & Q(kind__in=[k.value for k in CALENDAR_KINDS]),
                name="round_once_per_term",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in CALENDAR_KINDS + BY_HAND_KINDS]), name="round_kind_known"
            ),
            models.CheckConstraint(
                condition=(Q(kind=RoundRule.Kind.MONTHLY) & Q(month_number__gte=1))
                | (~Q(kind=RoundRule.Kind.MONTHLY) & Q(month_number__isnull=True)),
                name="round_month_for_monthly_rounds",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("opens_on")), name="round_dates"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in BY_HAND_KINDS]) | (Q(grade__isnull=True) & Q(subject__isnull=True)),
                name="round_scope_for_spot_and_special_only",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="round_published_has_date"
            ),
        ]
        indexes = [models.Index(fields=["school", "term", "status"], name="round_school_term_idx")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The office's title, else the kind (and school month), in the reader's language."""
        if self.title:
            return self.title
        label = str(self.get_kind_display())
        if self.month_number:
            return _("%(round)s, school month %(month)s") % {"round": label, "month": self.month_number}
        return label

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_checklist_display(self) -> str:
        labels = dict(Checked.choices)
        return "、".join(str(labels.get(code, code)) for code in self.checklist)


class Assignment(models.Model):
    """One thing one person checks of another in a round, by a date: done when the domain app that records the
    check reports its record (see `inspections/evidence.py`), or, where no installed app records that kind of
    check, when the checker marks it done."""

    class Capacity(models.TextChoices):
        GROUP_LEADER = "group_leader", _("as group leader")
        OFFICE = "office", _("for the teaching office")
        LEADERSHIP = "leadership", _("for the school leadership")
        DIRECTOR = "director", _("as academic director")
        PRINCIPAL = "principal", _("as principal")
        VILLAGE_DIRECTOR = "village_director", _("as the village school's director")

    round = models.ForeignKey(InspectionRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="assignments")
    checker = models.ForeignKey(Staff, verbose_name=_("checker"), on_delete=models.PROTECT,
                                related_name="inspection_assignments")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher checked"), on_delete=models.PROTECT,
                                related_name="inspected_in")
    item = models.CharField(_("what is checked"), max_length=30, choices=Checked.choices)
    capacity = models.CharField(_("checks"), max_length=20, choices=Capacity.choices)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by_hand = models.BooleanField(_("marked done by the checker"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection assignment")
        verbose_name_plural = _("inspection assignments")
        ordering = ["round_id", "checker_id", "teacher_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["round", "checker", "teacher", "item"], name="assignment_once"),
            models.CheckConstraint(condition=~Q(checker=F("teacher")), name="assignment_not_of_oneself"),
            models.CheckConstraint(
                condition=Q(done_by_hand=False) | Q(done_at__isnull=False), name="assignment_by_hand_is_done"
            ),
        ]
        indexes = [
            models.Index(fields=["checker", "done_at"], name="assignment_checker_idx"),
            models.Index(fields=["round", "item"], name="assignment_round_item_idx"),
            models.Index(fields=["teacher", "round"], name="assignment_teacher_idx"),
        ]

    def __str__(self):
        return f"{self.checker} → {self.teacher}: {self.get_item_display()}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# --- notifications: in-app, email and the school's group robot --------------------------------------------


class Notification(models.Model):
    """A message to one person: shown under the bell, and sent by email if she wants it. Its key names the event
    (e.g. "round:12:checker:34:reminder"); the database refuses a second one with the same key for the same
    person, so every reminder is created, and sent, once."""

    recipient = models.ForeignKey(Staff, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(pgettext_lazy("message", "subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    in_app = models.BooleanField(_("shown under the bell"), default=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True, in_app=True),
                         name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.subject


class NotificationPreference(models.Model):
    """What a person wants besides the bell (which always shows everything)."""

    staff = models.OneToOneField(Staff, verbose_name=_("staff member"), on_delete=models.CASCADE,
                                 related_name="notification_preference")
    email = models.BooleanField(_("send me notifications by email"), default=True)
    weekly_digest = models.BooleanField(_("send me a weekly digest on Monday morning"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.staff)


class GroupRobot(models.Model):
    """A central school's group-chat robot (WeCom or DingTalk style: a JSON POST to a webhook URL), set up by the
    teaching office. Village schools post through their central school's robot."""

    class Flavour(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    school = models.OneToOneField(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    flavour = models.CharField(_("kind of robot"), max_length=10, choices=Flavour.choices, default=Flavour.WECOM)
    url = models.URLField(_("webhook address"), max_length=500)
    enabled = models.BooleanField(_("post to the group"), default=True)
    post_announcements = models.BooleanField(_("post announcements (summaries published)"), default=True)
    post_reminders = models.BooleanField(_("post reminders and nudges"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return f"{self.school} ({self.get_flavour_display()})"


class OutboxMessage(models.Model):
    """A message waiting to leave the system (the outbox): written in the same transaction as what caused it,
    delivered by a task. Its dedupe key is unique, and a delivery claims it with a conditional UPDATE (pending ->
    sending), so each is sent once however many senders run."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    dedupe_key = models.CharField(_("key"), max_length=255, unique=True)
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deliveries")
    school = models.ForeignKey(School, verbose_name=_("school"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    payload = models.JSONField(_("content"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="email") & Q(notification__isnull=False))
                | (Q(channel="webhook") & Q(school__isnull=False)),
                name="outbox_has_a_destination",
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_at"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_pending_idx")]

    def __str__(self):
        return self.dedupe_key


# --- the end-of-term "six earnests" evaluation (六认真, V4.III) --------------------------------------------


class Earnest(models.TextChoices):
    PREPARATION = "preparation", _("Lesson preparation")
    TEACHING = "teaching", _("Teaching the class")
    HOMEWORK = "homework", _("Homework grading")
    TUTORING = "tutoring", _("Tutoring")
    ASSESSMENT = "assessment", _("Assessment (unit tests)")
    SUMMARY = "summary", _("Term summary")


class EarnestGrade(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("six earnests grade", "Excellent")
    GOOD = "good", pgettext_lazy("six earnests grade", "Good")
    FAIR = "fair", pgettext_lazy("six earnests grade", "Fair")
    POOR = "poor", pgettext_lazy("six earnests grade", "Poor")


def _grade_field():
    return models.CharField(pgettext_lazy("evaluation", "grade"), max_length=10, choices=EarnestGrade.choices,
                            blank=True)


class SixEarnestsEvaluation(models.Model):
    """A leader's written evaluation of one teacher's term: a grade (优/良/中/差) and a comment for each of the six
    earnests, and overall. The evidence beside it is gathered from the domain apps when it is read; every change
    of a grade is kept in the history with who made it."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="six_earnests")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    preparation_grade = _grade_field()
    preparation_comment = models.TextField(_("comment"), blank=True)
    teaching_grade = _grade_field()
    teaching_comment = models.TextField(_("comment"), blank=True)
    homework_grade = _grade_field()
    homework_comment = models.TextField(_("comment"), blank=True)
    tutoring_grade = _grade_field()
    tutoring_comment = models.TextField(_("comment"), blank=True)
    assessment_grade = _grade_field()
    assessment_comment = models.TextField(_("comment"), blank=True)
    summary_grade = _grade_field()
    summary_comment = models.TextField(_("comment"), blank=True)
    overall_grade = _grade_field()
    overall_comment = models.TextField(_("comment"), blank=True)
    evaluator = models.ForeignKey(Staff, verbose_name=_("evaluated by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("six-earnests evaluation")
        verbose_name_plural = _("six-earnests evaluations")
        ordering = ["term_id", "teacher_id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "teacher"], name="six_earnests_once_per_term"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}_grade__in": ["", *EarnestGrade.values]}),
                    name=f"six_earnests_{name}_grade_known",
                )
                for name in [*Earnest.values, "overall"]
            ],
        ]

    def __str__(self):
        return f"{self.teacher} · {self.term}"

    def grade_of(self, earnest: str) -> str:
        return getattr(self, f"{earnest}_grade")

    def comment_of(self, earnest: str) -> str:
        return getattr(self, f"{earnest}_comment")
