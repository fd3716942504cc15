"""Homework (作业): leaders' and the office's homework inspections with their grading counts, the weekly check list
of the second half of term, and teachers' tutoring records (DOMAIN.md "Homework"; V1.7-8, V2.I, V4.IV.3-4, V6.6-7,
V7.5). V4's fine for gradings short of the lessons taught goes through `deductions` (services/inspections.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from inspections.models import RoundRule
from school.models import School, SchoolClass, Staff, Student, Subject, Term

# The round kinds a homework inspection can belong to (the daily patrol checks classrooms, not notebooks).
INSPECTION_KINDS = [
    (kind, label) for kind, label in RoundRule.Kind.choices if kind != RoundRule.Kind.DAILY_PATROL
]


class Verdict(models.TextChoices):
    """优/良/中/差, the grades a Chinese teaching office gives a check."""

    EXCELLENT = "excellent", pgettext_lazy("homework verdict", "Excellent")
    GOOD = "good", pgettext_lazy("homework verdict", "Good")
    FAIR = "fair", pgettext_lazy("homework verdict", "Fair")
    POOR = "poor", pgettext_lazy("homework verdict", "Poor")


class Basis(models.TextChoices):
    """Where the required gradings of a check come from."""

    LESSONS = "lessons", _("one a lesson (V4.IV.3)")
    DAILY = "daily", _("one a day taught (V6.7)")
    ENTERED = "entered", _("entered by the inspector")


# The criteria every inspection ticks (V1.7, V6.6, V6.7, V4.IV.3), in the order of the form.
CRITERIA = (
    "is_standard",
    "amount_right",
    "difficulty_right",
    "graded_timely",
    "grade_and_date",
    "comments_targeted",
    "comments_guiding",
    "comments_encouraging",
    "handwriting_good",
)
# Writing subjects only (V4.IV.3: essays carry margin and closing comments).
ESSAY_CRITERIA = ("essay_margin_comments", "essay_closing_comments")


def _criterion(label):
    return models.BooleanField(label, default=True)


class HomeworkInspection(models.Model):
    """One inspection of a teacher's homework in one class and subject (作业检查): the notebooks sampled, the
    criteria, the gradings counted against the gradings required, a verdict and the talk with the teacher."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(
        Staff, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="homework_inspections_made"
    )
    teacher = models.ForeignKey(
        Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="homework_inspections"
    )
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    round_kind = models.CharField(_("round"), max_length=20, choices=INSPECTION_KINDS)
    # The school month holding the date (the monthly round's month; kept for every check, for the month's lists).
    month_number = models.PositiveSmallIntegerField(_("school month"))
    notebooks_sampled = models.PositiveSmallIntegerField(_("notebooks sampled"), default=5)

    is_standard = _criterion(pgettext_lazy("homework criterion", "Standard format"))
    amount_right = _criterion(pgettext_lazy("homework criterion", "Right amount"))
    difficulty_right = _criterion(pgettext_lazy("homework criterion", "Right difficulty"))
    graded_timely = _criterion(pgettext_lazy("homework criterion", "Graded promptly"))
    grade_and_date = _criterion(pgettext_lazy("homework criterion", "A grade and a date on every piece"))
    comments_targeted = _criterion(pgettext_lazy("homework criterion", "Comments are targeted"))
    comments_guiding = _criterion(pgettext_lazy("homework criterion", "Comments guide"))
    comments_encouraging = _criterion(pgettext_lazy("homework criterion", "Comments encourage"))
    handwriting_good = _criterion(pgettext_lazy("homework criterion", "Neat handwriting"))
    # V4.IV.3: essays carry margin and closing comments (empty: no essays in the sample).
    essay_margin_comments = models.BooleanField(
        pgettext_lazy("homework criterion", "Essays have margin comments"), null=True, blank=True
    )
    essay_closing_comments = models.BooleanField(
        pgettext_lazy("homework criterion", "Essays have closing comments"), null=True, blank=True
    )
    # V6.7: a subject the policy has graded every day (Chinese and maths) is flagged, and checked for it.
    daily_subject = models.BooleanField(_("subject graded every day"), default=False)
    graded_daily = models.BooleanField(
        pgettext_lazy("homework criterion", "Graded every day"), null=True, blank=True
    )

    # V4.IV.3: gradings required = lessons taught in the period checked (from `period_start` to `date`).
    period_start = models.DateField(_("lessons counted from"))
    gradings_required = models.PositiveIntegerField(_("gradings required"), null=True, blank=True)
    gradings_basis = models.CharField(_("required gradings counted as"), max_length=10, choices=Basis.choices,
                                      blank=True)
    gradings_counted = models.PositiveIntegerField(_("gradings counted"), null=True, blank=True)

    # Tutoring (辅导, V4 "six earnests"): the inspector looks at the teacher's tutoring records too.
    tutoring_checked = models.BooleanField(_("tutoring records checked"), default=False)
    tutoring_comment = models.CharField(_("on the tutoring"), max_length=300, blank=True)

    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    findings = models.TextField(_("what was found"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    discussed = models.BooleanField(_("talked it over with the teacher"), default=False)
    discussed_on = models.DateField(_("talked on"), null=True, blank=True)
    talk_notes = models.TextField(_("notes of the talk"), blank=True)

    # A phone that submits twice sends the same key: one record.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("homework inspection")
        verbose_name_plural = _("homework inspections")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(inspector=F("teacher")), name="hw_inspection_not_of_oneself"),
            models.CheckConstraint(condition=Q(notebooks_sampled__gte=1), name="hw_inspection_notebooks"),
            models.CheckConstraint(condition=Q(period_start__lte=F("date")), name="hw_inspection_period"),
            models.CheckConstraint(condition=Q(month_number__gte=1), name="hw_inspection_month"),
            models.CheckConstraint(
                condition=Q(gradings_required__isnull=True, gradings_counted__isnull=True, gradings_basis="")
                | Q(gradings_required__isnull=False, gradings_counted__isnull=False)
                & Q(gradings_basis__in=Basis.values),
                name="hw_inspection_gradings_pair",
            ),
            models.CheckConstraint(
                condition=Q(discussed=True) | Q(discussed_on__isnull=True), name="hw_inspection_talk_date"
            ),
            models.CheckConstraint(
                condition=Q(daily_subject=True) | Q(graded_daily__isnull=True), name="hw_inspection_daily_flag"
            ),
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="hw_inspection_verdict"),
        ]
        indexes = [
            models.Index(fields=["term", "teacher"], name="hw_inspection_term_teacher"),
            models.Index(fields=["term", "inspector"], name="hw_inspection_term_inspector"),
        ]

    def __str__(self):
        return f"{self.date} {self.school_class} {self.subject} · {self.teacher}"

    def get_absolute_url(self):
        return reverse("homework_checks:inspection-detail", args=[self.pk])

    @property
    def gradings_missing(self) -> int:
        """Gradings short of the required count (0 when none is counted)."""
        if self.gradings_required is None or self.gradings_counted is None:
            return 0
        return max(self.gradings_required - self.gradings_counted, 0)

    def criteria_results(self) -> list[tuple[str, bool]]:
        """(label, met) for each criterion that applies to this check, in the form's order."""
        names = list(CRITERIA) + [n for n in (*ESSAY_CRITERIA, "graded_daily") if getattr(self, n) is not None]
        return [(str(self._meta.get_field(n).verbose_name), getattr(self, n)) for n in names]

    @property
    def criteria_missed(self) -> list[str]:
        """The labels of the criteria the homework did not meet."""
        return [label for label, met in self.criteria_results() if met is False]


class HomeworkPlan(models.Model):
    """The weekly homework check list of one school for the second half of a term (V2.I): every teacher is
    checked `times_per_teacher` times, spread over the weeks and by group, with the office's inspectors."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="+")
    times_per_teacher = models.PositiveSmallIntegerField(_("checks of every teacher"), default=1)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("weekly homework check list")
        verbose_name_plural = _("weekly homework check lists")
        ordering = ["school_id", "-term_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="hw_plan_one_per_term"),
            models.CheckConstraint(condition=Q(times_per_teacher__gte=1), name="hw_plan_times_positive"),
        ]

    def __str__(self):
        return f"{self.school} · {self.term}"


class HomeworkPlanItem(models.Model):
    """One teacher to check in one teaching week, and who checks her. Done when an inspection is linked."""

    plan = models.ForeignKey(HomeworkPlan, verbose_name=_("list"), on_delete=models.CASCADE, related_name="items")
    teacher = models.ForeignKey(
        Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="homework_plan_items"
    )
    week_number = models.PositiveSmallIntegerField(_("week"))
    week_start = models.DateField(_("week of"))
    inspector = models.ForeignKey(
        Staff, verbose_name=_("inspector"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="homework_plan_duties",
    )
    inspection = models.OneToOneField(
        HomeworkInspection, verbose_name=_("inspection"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="plan_item",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("weekly homework check")
        verbose_name_plural = _("weekly homework checks")
        ordering = ["plan_id", "week_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "teacher", "week_number"], name="hw_plan_teacher_once_a_week"),
            models.CheckConstraint(
                condition=Q(inspector__isnull=True) | ~Q(inspector=F("teacher")), name="hw_plan_not_of_oneself"
            ),
            models.CheckConstraint(condition=Q(week_number__gte=1), name="hw_plan_week_positive"),
        ]
        indexes = [models.Index(fields=["inspector", "week_start"], name="hw_plan_inspector_week")]

    def __str__(self):
        return f"{self.week_start} · {self.teacher}"

    @property
    def is_done(self) -> bool:
        return self.inspection_id is not None


class TutoringRecord(models.Model):
    """A teacher's tutoring of named students of one of her classes (辅导, V4.IV.4)."""

    class Kind(models.TextChoices):
        STRUGGLING = "struggling", _("Struggling students")
        TOP = "top", _("Top students")
        OTHER = "other", _("Other")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="tutoring_records"
    )
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STRUGGLING)
    students = models.ManyToManyField(Student, verbose_name=_("students"), related_name="tutoring_records")
    content = models.TextField(_("what was tutored"))
    # V4.IV.4: the teacher analyses how the students are doing.
    outcome = models.TextField(_("how the students are doing"), blank=True)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tutoring record")
        verbose_name_plural = _("tutoring records")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="tutoring_has_content"),
            models.CheckConstraint(condition=Q(kind__in=["struggling", "top", "other"]), name="tutoring_kind"),
        ]
        indexes = [models.Index(fields=["term", "teacher"], name="tutoring_term_teacher")]

    def __str__(self):
        return f"{self.date} {self.school_class} · {self.teacher}"
