"""Exams and quality analysis (DOMAIN.md "Exams and quality analysis", "Exam statistics").

An exam (mid-term, final, unit test, spot test, baseline) is sat by one or more grades; each grade sits one paper
per subject, with its full marks and cut scores. A paper may have items (for item analysis), a question-setting
panel and markers. Scores are exact decimals, one row per student and paper, absent (缺考) apart from zero; every
change keeps history. After an exam each teacher fills in a quality-analysis form and the office presents the
grade's analysis; both have deadlines from the policy.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.models import ExamKind
from school.models import Grade, School, SchoolClass, Staff, Student, Subject, Term

ZERO = Decimal("0")
HUNDREDTH = Decimal("0.01")
# Cut scores as shares of full marks when the office sets none (DOMAIN.md: 85%, 60%, 40%).
DEFAULT_LINES = {"excellent_line": Decimal("0.85"), "pass_line": Decimal("0.60"), "low_line": Decimal("0.40")}
ABSENT_MARK = "缺考"


def score_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)


class Exam(models.Model):
    """One exam of a term, sat by some grades of one school. Spot tests (V1.9, V6.8) are seen only by the office
    and the principal until they are held and never count toward students' records or teachers' assessment."""

    class BaselineKind(models.TextChoices):
        ENTRANCE = "entrance", _("Entrance test")
        ZHONGKAO = "zhongkao", _("Zhongkao")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="exams")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="exams")
    kind = models.CharField(_("kind"), max_length=10, choices=ExamKind.choices)
    baseline_kind = models.CharField(
        _("baseline"), max_length=10, choices=BaselineKind.choices, blank=True,
        help_text=_("For a baseline exam: the entrance test (junior) or the zhongkao (senior), V2.III.1."),
    )
    name = models.CharField(_("name"), max_length=100)
    held_on = models.DateField(_("date"))
    grades = models.ManyToManyField(Grade, verbose_name=_("grades"), related_name="exams")
    compare_with = models.ForeignKey(
        "self", verbose_name=_("value-added against"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("A baseline or earlier exam; empty: the students' baseline scores."),
    )
    weight_mean = models.DecimalField(
        _("composite weight of the mean (as % of full marks)"), max_digits=4, decimal_places=2,
        default=Decimal("0.40"), validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    weight_pass = models.DecimalField(
        _("composite weight of the pass rate"), max_digits=4, decimal_places=2, default=Decimal("0.40"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    weight_excellent = models.DecimalField(
        _("composite weight of the excellent rate"), max_digits=4, decimal_places=2, default=Decimal("0.20"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    weight_low = models.DecimalField(
        _("composite weight of the low-score rate (subtracted)"), max_digits=4, decimal_places=2,
        default=Decimal("0.00"), validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    band_width = models.PositiveSmallIntegerField(
        _("score band width"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExamKind.values), name="exam_kind_known"),
            models.CheckConstraint(condition=Q(band_width__gte=1), name="exam_band_width_positive"),
            models.CheckConstraint(condition=~Q(compare_with=F("id")), name="exam_not_compared_with_itself"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.term_id and self.school_id and self.term.school_year.school_id != self.school.root_id:
            raise ValidationError({"term": _("The term must belong to the school's calendar.")})
        if self.term_id and self.held_on and not self.term.contains(self.held_on):
            raise ValidationError({"held_on": _("The exam date must fall within the term.")})
        if self.kind == ExamKind.BASELINE and not self.baseline_kind:
            raise ValidationError({"baseline_kind": _("Say whether the baseline is the entrance test or the "
                                                      "zhongkao.")})
        if self.kind != ExamKind.BASELINE and self.baseline_kind:
            raise ValidationError({"baseline_kind": _("Only a baseline exam has a baseline kind.")})
        if self.compare_with_id and self.compare_with.school_id != self.school_id:
            raise ValidationError({"compare_with": _("Compare with an exam of the same school.")})

    @property
    def is_spot(self) -> bool:
        return self.kind == ExamKind.SPOT

    @property
    def counts_toward_records(self) -> bool:
        """Spot tests never count toward students' records or teachers' assessment (V1.9, V6.8)."""
        return self.kind != ExamKind.SPOT


class Paper(models.Model):
    """The paper one grade sits in one subject of an exam: full marks W and the cut scores (defaults 85%, 60%,
    40% of W, editable)."""

    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="papers")
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    full_marks = score_field(_("full marks"), default=Decimal("100"),
                             validators=[MinValueValidator(Decimal("1"))])
    excellent_line = score_field(_("excellent line"), blank=True)
    pass_line = score_field(_("pass line"), blank=True)
    low_line = score_field(_("low-score line"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["exam_id", "grade__level", "subject__order", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "grade", "subject"], name="paper_unique_subject"),
            models.CheckConstraint(condition=Q(full_marks__gt=0), name="paper_full_marks_positive"),
            models.CheckConstraint(
                condition=Q(low_line__gte=0) & Q(low_line__lte=F("pass_line"))
                & Q(pass_line__lte=F("excellent_line")) & Q(excellent_line__lte=F("full_marks")),
                name="paper_lines_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.exam} {self.grade} {self.subject}"

    def fill_default_lines(self) -> None:
        for name, share in DEFAULT_LINES.items():
            if getattr(self, name) is None and self.full_marks is not None:
                setattr(self, name, (self.full_marks * share).quantize(HUNDREDTH, ROUND_HALF_UP))

    def clean(self):
        self.fill_default_lines()
        if None in (self.full_marks, self.excellent_line, self.pass_line, self.low_line):
            return
        if not (ZERO <= self.low_line <= self.pass_line <= self.excellent_line <= self.full_marks):
            raise ValidationError(_("The lines must satisfy 0 ≤ low ≤ pass ≤ excellent ≤ full marks."))


class PanelMember(models.Model):
    """A member of a paper's question-setting panel or of its markers (V1.10, V6.9). For a spot test the teacher
    of a tested class recuses: she may neither set nor mark that paper."""

    class Duty(models.TextChoices):
        SETTER = "setter", _("Sets the questions")
        MARKER = "marker", _("Marks")

    paper = models.ForeignKey(Paper, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="panel")
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+")
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["paper_id", "duty", "staff__staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "staff", "duty"], name="panel_member_once"),
        ]

    def __str__(self):
        return f"{self.staff} · {self.get_duty_display()}"


class Item(models.Model):
    """A question of a paper with its full marks, for item analysis; its markers mark it on the assembly line."""

    paper = models.ForeignKey(Paper, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("item number"), validators=[MinValueValidator(1)])
    label = models.CharField(_("item label"), max_length=20)
    full_marks = score_field(_("full marks"), validators=[MinValueValidator(Decimal("0.5"))])
    objective = models.BooleanField(_("objective question"), default=False)
    markers = models.ManyToManyField(Staff, verbose_name=_("markers"), blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["paper_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="item_unique_number"),
            models.UniqueConstraint(fields=["paper", "label"], name="item_unique_label"),
            models.CheckConstraint(condition=Q(full_marks__gt=0), name="item_full_marks_positive"),
        ]

    def __str__(self):
        return self.label


class Score(models.Model):
    """A student's score on a paper, exact; an absent student (缺考) has no score and is not a zero."""

    paper = models.ForeignKey(Paper, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+")
    score = score_field(_("score"), null=True, blank=True)
    absent = models.BooleanField(_("absent"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["paper", "student"], name="score_once_per_paper"),
            models.CheckConstraint(
                condition=(Q(absent=True) & Q(score__isnull=True)) | (Q(absent=False) & Q(score__gte=0)),
                name="score_absent_or_value",
            ),
        ]

    def __str__(self):
        return ABSENT_MARK if self.absent else str(self.score)


class ItemScore(models.Model):
    """A student's score on one item of a paper."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+")
    score = score_field(_("score"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["item", "student"], name="item_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="item_score_positive"),
        ]

    def __str__(self):
        return str(self.score)


class ScoreImport(models.Model):
    """One upload of a score workbook that was imported: who, when, what it wrote. The scores it replaced are in
    the scores' history."""

    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="imports")
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    papers = models.PositiveIntegerField(_("papers"), default=0)
    created = models.PositiveIntegerField(_("scores added"), default=0)
    updated = models.PositiveIntegerField(_("scores changed"), default=0)
    unchanged = models.PositiveIntegerField(_("scores unchanged"), default=0)
    item_scores = models.PositiveIntegerField(_("item scores written"), default=0)

    class Meta:
        verbose_name = _("score import")
        verbose_name_plural = _("score imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.exam} {self.imported_at:%Y-%m-%d %H:%M}"


class QualityForm(models.Model):
    """A teacher's quality-analysis form for her classes on one paper (V1.11, V3.9, V6.10): the statistics come
    from the scores; she writes what the students mastered, the problems, her measures and the students'
    opinions, by the policy's days after the exam; leaders read and comment (V1.13, V6.12)."""

    paper = models.ForeignKey(Paper, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="forms")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="quality_forms")
    classes = models.ManyToManyField(SchoolClass, verbose_name=_("classes"), related_name="+")
    due_on = models.DateField(_("due"))
    mastered = models.TextField(_("what the students have mastered"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    measures = models.TextField(_("improvement measures"), blank=True)
    student_opinions = models.TextField(_("students' opinions"), blank=True)
    submitted_at = models.DateTimeField(_("handed in"), null=True, blank=True)
    comment = models.TextField(_("leader's comment"), blank=True)
    commented_by = models.ForeignKey(Staff, verbose_name=_("commented by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    commented_at = models.DateTimeField(_("commented"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("quality-analysis form")
        verbose_name_plural = _("quality-analysis forms")
        ordering = ["due_on", "paper_id", "teacher__staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "teacher"], name="quality_form_once"),
        ]

    def __str__(self):
        return f"{self.paper} · {self.teacher}"

    @property
    def on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) <= self.due_on


class GradeReport(models.Model):
    """The office's quality analysis of one grade after an exam, presented to all teachers within the policy's
    days (two weeks: V1.12, V3.9, V6.11); tabulated and archived (V2.III.3)."""

    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="reports")
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("to be presented by"))
    summary = models.TextField(_("overall analysis"), blank=True)
    trends = models.TextField(_("trends from the teachers' forms"), blank=True)
    measures = models.TextField(_("measures for the grade"), blank=True)
    presented_on = models.DateField(_("presented on"), null=True, blank=True)
    prepared_by = models.ForeignKey(Staff, verbose_name=_("prepared by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade analysis")
        verbose_name_plural = _("grade analyses")
        ordering = ["due_on", "grade__level"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "grade"], name="grade_report_once"),
        ]

    def __str__(self):
        return f"{self.exam} {self.grade}"


class UnitTestCheck(models.Model):
    """A check of a teacher's unit test (单元检测): was it marked (not sent home as homework), was it analysed
    (V4.IV.5). Not marked: 5 yuan; no analysis: 2 yuan, noted in the teacher's file."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="unit_test_checks")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit test"), max_length=100)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(Staff, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+")
    marked = models.BooleanField(_("marked by the teacher"), default=True)
    analysed = models.BooleanField(_("scores analysed"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit test check")
        verbose_name_plural = _("unit test checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.teacher} {self.unit}"


class ExportJob(models.Model):
    """A workbook built in the background (a Celery task) with its progress; the file is kept in the database
    so that any web process can serve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="exports")
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    error = models.TextField(_("error message"), blank=True)

    class Meta:
        verbose_name = _("workbook export")
        verbose_name_plural = _("workbook exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_range"),
        ]

    def __str__(self):
        return f"{self.exam} {self.grade} {self.get_status_display()}"
