"""Student and parent evaluation of teaching (评教评学) and forums (座谈会): questionnaires, evaluation rounds and
their samples, one-time links, anonymous responses, and the forums' opinions per teacher (DOMAIN.md "Student and
parent evaluation"; V2.IV, V3.11, V7.8).

Anonymity is a property of the schema (see `Response`): the respondent's side (`Invitation`: who was sampled,
her one-time link, whether it has been used) and the answers' side (`Response`, `Answer`) share no key, no
column and no order. Neither side keeps history (django-simple-history would record when a link was used), and
neither records a time finer than the day.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from school.models import School, SchoolClass, Staff, Student, Term

# The rating scale of every rated question: 1 (lowest) to 5 (highest).
SCALE_MIN, SCALE_MAX = 1, 5
COMMENT_MAX_LENGTH = 500
# Results of a teacher in a class (or of a class) are shown only from this many responses on (issue 7.6).
MIN_RESPONSES = 5


class Kind(models.TextChoices):
    """Who answers: students after the mid-term exam, parents before the end of term (V2.IV.1-2)."""

    STUDENT = "student", _("Students")
    PARENT = "parent", _("Parents")


class QuestionType(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    COMMENT = "comment", _("Open comment")


class Stratum(models.TextChoices):
    """Where a sampled student stands in her class (V2.IV.1: good, middle and weak performers)."""

    TOP = "top", _("Top third")
    MIDDLE = "middle", _("Middle third")
    BOTTOM = "bottom", _("Bottom third")
    NONE = "", _("Chosen by the office")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    APPROVED = "approved", _("Shown")
    REJECTED = "rejected", _("Not shown")


class Questionnaire(models.Model):
    """A questionnaire of a central school, edited by its teaching office; a default for students and one for
    parents ship as data (`feedback/defaults.py`). Once a round uses it, it is locked (answers refer to its
    questions as they were) and the office edits a copy."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("answered by"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions"))
    active = models.BooleanField(_("in use"), default=True, help_text=_("Offered for new rounds"))
    is_default = models.BooleanField(_("shipped default"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["school_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="questionnaire_unique_name"),
            models.UniqueConstraint(fields=["school", "kind"], condition=Q(is_default=True),
                                    name="questionnaire_one_default_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="questionnaire_kind_known"),
        ]

    def __str__(self):
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=200)
    type = models.CharField(_("type"), max_length=10, choices=QuestionType.choices, default=QuestionType.RATING)
    per_teacher = models.BooleanField(
        _("asked about every teacher"), default=True,
        help_text=_("Asked once for each teacher of the class (from the timetable); otherwise once about the class"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=QuestionType.values), name="question_type_known"),
            models.CheckConstraint(condition=~Q(text=""), name="question_text_given"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_rating(self) -> bool:
        return self.type == QuestionType.RATING


class Round(models.Model):
    """An evaluation round of one school: students after mid-term or parents before the end of term, in a window
    of days, over some of its classes, each with its sample (V2.IV.1-3). Results are shown once it has closed
    (the window has passed or the office closed it), so that no figure changes while people answer; a closed
    round never opens again."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("answered by"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="rounds"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    # The responses have been rewritten together in a random order (see `services.responses.round_seal`).
    sealed = models.BooleanField(_("responses sealed"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="round_window"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="evaluation_round_kind_known"),
            models.UniqueConstraint(fields=["school", "term", "name"], name="round_unique_name"),
        ]

    def __str__(self):
        return self.name

    def is_closed(self, today) -> bool:
        return self.closed_at is not None or today > self.closes_on

    def is_open(self, today) -> bool:
        return not self.is_closed(today) and self.opens_on <= today

    def status(self, today) -> str:
        if self.is_closed(today):
            return "closed"
        return "open" if self.opens_on <= today else "scheduled"


class RoundClass(models.Model):
    """A class of a round, with the sample size the office aims at (from the policy) and where the suggested
    sample's standings came from."""

    class Source(models.TextChoices):
        EXAM = "exam", _("Latest exam ranks")
        BASELINE = "baseline", _("Baseline scores")
        MANUAL = "manual", _("Chosen by the office")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_classes")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    sample_size = models.PositiveSmallIntegerField(_("sample size"))
    source = models.CharField(_("sample suggested from"), max_length=10, choices=Source.choices,
                              default=Source.MANUAL)

    class Meta:
        verbose_name = _("class of a round")
        verbose_name_plural = _("classes of a round")
        ordering = ["round_id", "school_class__grade__level", "school_class__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "school_class"], name="round_class_once"),
            models.CheckConstraint(condition=Q(sample_size__gte=1), name="round_class_sample_positive"),
        ]

    def __str__(self):
        return f"{self.round} · {self.school_class}"


class Invitation(models.Model):
    """One respondent of a class's sample (a student, or the parent of a student) and her one-time link.

    The link's secret is never stored: only the SHA-256 of the token and a keyed SHA-256 (HMAC) of the short code
    to type, both empty until the office prints the slips. The expiry is the end of the round's window, the same
    for every link of the round. `used` says that she has answered (the office sees who has answered); nothing
    records when, and nothing here leads to her answers."""

    round_class = models.ForeignKey(RoundClass, on_delete=models.CASCADE, related_name="invitations")
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+")
    stratum = models.CharField(_("stratum"), max_length=10, choices=Stratum.choices, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True, editable=False)
    used = models.BooleanField(_("answered"), default=False, editable=False)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["round_class_id", "student__student_no"]
        constraints = [
            models.UniqueConstraint(fields=["round_class", "student"], name="invitation_once_per_student"),
            # A link is issued whole (token, code, expiry) or not at all; only an issued link can be used.
            models.CheckConstraint(
                condition=(Q(token_hash__isnull=True) & Q(code_hash__isnull=True) & Q(expires_at__isnull=True))
                | (Q(token_hash__isnull=False) & Q(code_hash__isnull=False) & Q(expires_at__isnull=False)),
                name="invitation_issued_whole",
            ),
            models.CheckConstraint(condition=Q(used=False) | Q(token_hash__isnull=False),
                                   name="invitation_used_when_issued"),
            models.CheckConstraint(condition=Q(stratum__in=Stratum.values), name="invitation_stratum_known"),
        ]

    def __str__(self):
        return f"{self.round_class} · {self.student}"

    @property
    def is_issued(self) -> bool:
        return self.token_hash is not None


class Response(models.Model):
    """One anonymous questionnaire as submitted: its round, its class, the day, and its answers.

    Nothing joins it to an invitation, a student or a parent: no foreign key or column of theirs, no time finer
    than the day, and a random UUID for a key, so that neither the key nor the order of keys follows the order in
    which links were used (an integer key would: the n-th response would belong to the n-th link used)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "school_class"], name="response_round_class_idx")]

    def __str__(self):
        return f"{self.round} · {self.school_class}"


class Answer(models.Model):
    """One answer of a response: a rating (1-5) or a comment, about a teacher of the class or about the class.
    Comments are shown only once the office has approved them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    value = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("comment"), blank=True)
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.PENDING)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(text="")) | (Q(value__isnull=True) & ~Q(text="")),
                name="answer_rating_or_comment",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=SCALE_MIN) & Q(value__lte=SCALE_MAX)),
                name="answer_rating_range",
            ),
            models.CheckConstraint(condition=Q(moderation__in=Moderation.values), name="answer_moderation_known"),
            models.UniqueConstraint(fields=["response", "question", "teacher"], condition=Q(teacher__isnull=False),
                                    name="answer_once_per_teacher"),
            models.UniqueConstraint(fields=["response", "question"], condition=Q(teacher__isnull=True),
                                    name="answer_once_per_class"),
        ]
        indexes = [models.Index(fields=["question", "teacher"], name="answer_question_teacher_idx")]

    def __str__(self):
        return str(self.value) if self.value is not None else self.text[:40]


class Forum(models.Model):
    """A forum (座谈会) with students or parents that collects opinions on teaching and on each teacher (V3.11: a
    student representatives' forum 1-2 times a term; V7.8: student forums and parent meetings)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("with"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    topic = models.CharField(pgettext_lazy("forum", "topic"), max_length=200)
    participants = models.TextField(_("participants"), help_text=_("Who took part (names, or classes and numbers)"))
    participant_count = models.PositiveSmallIntegerField(_("number of participants"))
    classes = models.ManyToManyField(SchoolClass, verbose_name=_("classes"), blank=True, related_name="+")
    hosts = models.ManyToManyField(Staff, verbose_name=_("held by"), blank=True, related_name="+")
    summary = models.TextField(_("opinions on teaching in general"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(Staff, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(participant_count__gte=1), name="forum_participants_positive"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="forum_kind_known"),
        ]

    def __str__(self):
        return f"{self.date} {self.topic}"


class ForumOpinion(models.Model):
    """What a forum said about one teacher, what follows from it, and the feedback given to her (V2.IV.3-4)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="opinions")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT,
                                related_name="forum_opinions")
    opinion = models.TextField(_("opinions"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    feedback = models.TextField(_("feedback given to the teacher"), blank=True)
    fed_back_on = models.DateField(_("fed back on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum opinion")
        verbose_name_plural = _("forum opinions")
        ordering = ["forum_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "teacher"], name="forum_opinion_once_per_teacher"),
            models.CheckConstraint(condition=~Q(opinion=""), name="forum_opinion_given"),
            models.CheckConstraint(condition=Q(fed_back_on__isnull=True) | ~Q(feedback=""),
                                   name="forum_feedback_dated_when_given"),
        ]

    def __str__(self):
        return f"{self.forum} · {self.teacher}"
