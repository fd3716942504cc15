"""The classroom side of the rules: observations and their quotas, reviews of observation notes, the daily patrol,
attendance incidents, lesson swaps and lab sessions (DOMAIN.md "Class observation", "Teacher attendance, timetable
and patrol"; V4's fines go through `deductions`)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from inspections.models import ObservationKind
from school.models import School, SchoolClass, Staff, Subject, Term, TimetableEntry


class RubricItem(models.Model):
    """One line of the school's observation rubric (评课表), editable by the office; a default ships."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("item"), max_length=60)
    description = models.CharField(_("what to look for"), max_length=300, blank=True)
    max_score = models.DecimalField(
        _("full marks"), max_digits=5, decimal_places=1, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    # The full marks of past observations' items: a change keeps what it was.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")
        ordering = ["school_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="rubric_item_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="rubric_item_max_positive"),
        ]

    def __str__(self):
        return self.name


class Observation(models.Model):
    """A lesson observed (听课), with its notes, scores and the talk afterwards (V1.5)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey(
        Staff, verbose_name=_("observer"), on_delete=models.PROTECT, related_name="observations_given"
    )
    teacher = models.ForeignKey(
        Staff, verbose_name=_("teacher observed"), on_delete=models.PROTECT, related_name="observations_received"
    )
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    period = models.PositiveSmallIntegerField(_("period"))
    timetable_entry = models.ForeignKey(
        TimetableEntry, verbose_name=_("timetable lesson"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("lesson topic"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ObservationKind.choices, default=ObservationKind.PEER)
    notes = models.TextField(_("notes"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    total_score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    discussed = models.BooleanField(_("talked it over with the teacher"), default=False)
    discussed_on = models.DateField(_("talked on"), null=True, blank=True)
    # A phone that submits twice sends the same key: one record.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-date", "-period", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(observer=F("teacher")), name="observation_not_of_oneself"),
            models.UniqueConstraint(fields=["observer", "date", "period"], name="observation_one_lesson_at_a_time"),
            models.CheckConstraint(condition=Q(period__gte=1), name="observation_period_positive"),
        ]
        indexes = [
            models.Index(fields=["term", "observer"], name="observation_term_observer_idx"),
            models.Index(fields=["term", "teacher"], name="observation_term_teacher_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.school_class} {self.subject} · {self.teacher}"


class ObservationScore(models.Model):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RubricItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    # An edit within 24 hours changes the item scores: the history keeps who changed which, when, and from what.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric score")
        verbose_name_plural = _("rubric scores")
        constraints = [
            models.UniqueConstraint(fields=["observation", "item"], name="observation_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="observation_score_positive"),
        ]


class NotesReview(models.Model):
    """A review of someone's observation notes (the review chain: group leader -> the group's teachers, office ->
    group leaders, principal -> leaders; V1.6, V3.8, V5.8, V6.5, V7.4)."""

    class Verdict(models.TextChoices):
        GOOD = "good", _("Good")
        ADEQUATE = "adequate", _("Adequate")
        IMPROVE = "improve", _("Needs improvement")

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(Staff, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="reviews_given")
    reviewee = models.ForeignKey(Staff, verbose_name=_("whose notes"), on_delete=models.PROTECT,
                                 related_name="reviews_received")
    date = models.DateField(_("date"))
    observations = models.ManyToManyField(Observation, verbose_name=_("notes reviewed"), related_name="reviews")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review of observation notes")
        verbose_name_plural = _("reviews of observation notes")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reviewer=F("reviewee")), name="review_not_of_oneself"),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.reviewee} {self.date}"


class LessonSwap(models.Model):
    """A change to the timetable for one lesson (调课), through the office (V2.II.3): a substitute teaches it, or
    two teachers exchange lessons (two rows, each pointing at the other)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    period = models.PositiveSmallIntegerField(_("period"))
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("timetabled teacher"), on_delete=models.PROTECT,
                                related_name="swaps_out")
    substitute = models.ForeignKey(Staff, verbose_name=_("teaches it instead"), on_delete=models.PROTECT,
                                   related_name="swaps_in")
    paired_with = models.OneToOneField(
        "self", verbose_name=_("exchanged with"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(Staff, verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("office's note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson swap")
        verbose_name_plural = _("lesson swaps")
        ordering = ["-date", "period"]
        constraints = [
            models.CheckConstraint(condition=~Q(teacher=F("substitute")), name="swap_to_someone_else"),
            # One approved change per lesson.
            models.UniqueConstraint(
                fields=["school_class", "date", "period"], condition=Q(status="approved"),
                name="swap_one_approved_per_lesson",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.school_class} {self.teacher} → {self.substitute}"


class Patrol(models.Model):
    """The office's round of one school in one period (巡课, V2.II.1, V7.7)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    period = models.PositiveSmallIntegerField(_("period"))
    patroller = models.ForeignKey(Staff, verbose_name=_("patrolled by"), on_delete=models.PROTECT,
                                  related_name="patrols")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-date", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date", "period"], name="patrol_once_per_period"),
        ]

    def __str__(self):
        return f"{self.school} {self.date} {self.period}"


class PatrolMark(models.Model):
    """What the patrol found in one classroom."""

    class Status(models.TextChoices):
        NORMAL = "normal", _("Normal")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        ABSENT = "absent", _("Absent")
        UNAPPROVED_SWAP = "unapproved_swap", _("Swap not approved")
        OTHER = "other", _("Other issue")

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="marks")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    expected_teacher = models.ForeignKey(
        Staff, verbose_name=_("expected teacher"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expected_subject = models.ForeignKey(
        Subject, verbose_name=_("expected subject"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    swap = models.ForeignKey(LessonSwap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("found"), max_length=20, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol mark")
        verbose_name_plural = _("patrol marks")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "school_class"], name="patrol_mark_once_per_class"),
            models.CheckConstraint(condition=~Q(status="other") | ~Q(note=""), name="patrol_other_has_note"),
        ]

    def __str__(self):
        return f"{self.school_class}: {self.get_status_display()}"


class AttendanceIncident(models.Model):
    """A teacher late, leaving early, absent, or swapped without approval, as the patrol found it; the office
    analyses the cause and reports it to the director (V2.II.2). V4 fines it through `deductions`."""

    class Kind(models.TextChoices):
        LATE = "late", _("Late to class")
        LEFT_EARLY = "left_early", _("Left early")
        ABSENT = "absent", _("Absent")
        UNAPPROVED_SWAP = "unapproved_swap", _("Swap not approved")

    mark = models.OneToOneField(PatrolMark, on_delete=models.PROTECT, related_name="incident")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="attendance_incidents")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    period = models.PositiveSmallIntegerField(_("period"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cause = models.TextField(_("cause"), blank=True)
    reported_at = models.DateTimeField(_("reported to the director"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance incident")
        verbose_name_plural = _("attendance incidents")
        ordering = ["-date", "-period"]

    def __str__(self):
        return f"{self.teacher} {self.get_kind_display()} {self.date}"


class Experiment(models.Model):
    """A required experiment (演示 or 分组) of a subject and grade (V4.IV.6)."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", pgettext_lazy("experiment kind", "Demonstration")
        GROUP = "group", pgettext_lazy("experiment kind", "Group")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    grade_level = models.PositiveSmallIntegerField(_("grade"))
    term_number = models.PositiveSmallIntegerField(_("term"), choices=[(1, _("First term")), (2, _("Second term"))])
    name = models.CharField(_("experiment"), max_length=120)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    month_number = models.PositiveSmallIntegerField(_("due by school month"), null=True, blank=True)

    class Meta:
        verbose_name = _("required experiment")
        verbose_name_plural = _("required experiments")
        ordering = ["subject_id", "grade_level", "term_number", "month_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "subject", "grade_level", "term_number", "name"],
                                    name="experiment_unique"),
        ]

    def __str__(self):
        return self.name


class LabSession(models.Model):
    """An experiment done with a class (the lab log, 实验日志)."""

    experiment = models.ForeignKey(Experiment, verbose_name=_("experiment"), on_delete=models.PROTECT,
                                   related_name="sessions")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="lab_sessions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("done as"), max_length=15, choices=Experiment.Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lab session")
        verbose_name_plural = _("lab sessions")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "term", "school_class"], name="lab_session_once"),
        ]

    def __str__(self):
        return f"{self.experiment} · {self.school_class}"


class LabShortfall(models.Model):
    """A required experiment not done with a class by its school month: the finding V4 fines 5 yuan."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    month_number = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("experiment not done")
        verbose_name_plural = _("experiments not done")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "term", "school_class"], name="lab_shortfall_once"),
        ]

    def __str__(self):
        return f"{self.experiment} · {self.school_class}"


class LabTidinessCheck(models.Model):
    """A check of a lab or store room; untidy costs the teacher in charge 3 yuan under V4.IV.6."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    room = models.CharField(_("room"), max_length=60)
    teacher_in_charge = models.ForeignKey(Staff, verbose_name=_("teacher in charge"), on_delete=models.PROTECT,
                                          related_name="+")
    date = models.DateField(_("date"))
    tidy = models.BooleanField(_("tidy and clean"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(Staff, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lab tidiness check")
        verbose_name_plural = _("lab tidiness checks")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.room} {self.date}"
