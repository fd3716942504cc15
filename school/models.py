"""Who and where: schools, people and roles, the calendar, classes, subjects, groups, students, timetable."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import calendar


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice-principal for teaching")
    DIRECTOR = "director", _("Academic director")
    OFFICE_STAFF = "office_staff", _("Teaching office staff")
    CADRE = "cadre", _("Administrative cadre")
    GROUP_LEADER = "group_leader", _("Group leader")
    TEACHER = "teacher", _("Teacher")


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class School(models.Model):
    """A school. A central school (中心校) has village schools (村校) under it, one level deep."""

    class Stage(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary")
        NINE_YEAR = "nine_year", _("Nine-year school")
        COMPLETE = "complete", _("Complete secondary")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.JUNIOR)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("central school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_schools",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["parent_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="school_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A village school's central school must itself be a central school.")})
        if self.parent_id and self.pk and self.village_schools.exists():
            raise ValidationError({"parent": _("A school with village schools cannot be a village school.")})

    @property
    def root(self) -> School:
        """The central school whose calendar, subjects and policy this school follows."""
        return self.parent if self.parent_id else self

    @property
    def root_id(self) -> int:
        return self.parent_id or self.pk


class SchoolYear(models.Model):
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="years")
    name = models.CharField(_("name"), max_length=40, help_text=_("For example 2026-2027"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_year_unique_name"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="school_year_dates"),
        ]

    def __str__(self):
        return self.name


class Term(models.Model):
    """A term (学期). Teaching weeks and school months are derived from its dates and holidays."""

    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term"), choices=[(1, _("First term")), (2, _("Second term"))])
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    midterm_date = models.DateField(_("mid-term exam date"), null=True, blank=True)
    weeks_per_school_month = models.PositiveSmallIntegerField(_("teaching weeks per school month"), default=4)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="term_unique_number"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="term_dates"),
            models.CheckConstraint(
                condition=Q(midterm_date__isnull=True)
                | (Q(midterm_date__gte=F("start_date")) & Q(midterm_date__lte=F("end_date"))),
                name="term_midterm_within",
            ),
            models.CheckConstraint(condition=Q(weeks_per_school_month__gte=1), name="term_month_weeks"),
        ]

    def __str__(self):
        return f"{self.school_year.name} {self.get_number_display()}"

    @property
    def school(self) -> School:
        return self.school_year.school

    @cached_property
    def holiday_spans(self) -> list[calendar.Span]:
        return [calendar.Span(h.start_date, h.end_date) for h in self.holidays.all()]

    def weeks(self) -> list[calendar.Week]:
        # Kept on the instance for its dates (its holidays are already kept, see holiday_spans): a page that
        # paces two hundred people's quotas asks for the same weeks hundreds of times.
        key = (self.start_date, self.end_date)
        cached = self.__dict__.get("_weeks_cache")
        if cached is None or cached[0] != key:
            cached = self.__dict__["_weeks_cache"] = (key, calendar.weeks(self.start_date, self.end_date,
                                                                          self.holiday_spans))
        return list(cached[1])

    @property
    def teaching_week_count(self) -> int:
        return sum(1 for w in self.weeks() if w.is_teaching)

    def week_number(self, day: dt.date) -> int:
        return calendar.week_number(self.start_date, day)

    def teaching_weeks_elapsed(self, day: dt.date) -> int:
        key = (self.start_date, self.end_date, day)
        cache = self.__dict__.setdefault("_elapsed_cache", {})
        if key not in cache:
            cache[key] = calendar.teaching_weeks_elapsed(self.start_date, self.end_date, day, self.holiday_spans)
        return cache[key]

    def school_months(self) -> list[calendar.SchoolMonth]:
        return calendar.school_months(
            self.start_date, self.end_date, self.holiday_spans, self.weeks_per_school_month
        )

    def school_month_of(self, day: dt.date) -> calendar.SchoolMonth | None:
        return calendar.school_month_of(self.school_months(), day)

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class Holiday(models.Model):
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("name"), max_length=60)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="holiday_dates"),
        ]

    def __str__(self):
        return self.name


class Grade(models.Model):
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="grades")
    level = models.PositiveSmallIntegerField(_("level"), help_text=_("1-6 primary, 7-9 junior, 10-12 senior"))
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["school_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["school", "level"], name="grade_unique_level"),
            models.UniqueConstraint(fields=["school", "name"], name="grade_unique_name"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=12), name="grade_level_range"),
        ]

    def __str__(self):
        return self.name


class SchoolClass(models.Model):
    grade = models.ForeignKey(Grade, verbose_name=_("grade"), on_delete=models.CASCADE, related_name="classes")
    number = models.PositiveSmallIntegerField(_("class number"))
    head_teacher = models.ForeignKey(
        "Staff",
        verbose_name=_("head teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="head_of_classes",
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade__school_id", "grade__level", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "number"], name="class_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="class_number_positive"),
        ]

    def __str__(self):
        return _("%(grade)s class %(number)s") % {"grade": self.grade.name, "number": self.number}

    @property
    def school(self) -> School:
        return self.grade.school


class Subject(models.Model):
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("name"), max_length=30)
    code = models.SlugField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    has_labs = models.BooleanField(_("has lab experiments"), default=False)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["school_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="subject_unique_name"),
            models.UniqueConstraint(fields=["school", "code"], name="subject_unique_code"),
        ]

    def __str__(self):
        return self.name


class Period(models.Model):
    """A lesson period of the day (节次) with its bell times."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("period"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["school_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="period_unique_number"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="period_times"),
            models.CheckConstraint(condition=Q(number__gte=1), name="period_number_positive"),
        ]

    def __str__(self):
        return f"{self.number} ({self.start_time:%H:%M}-{self.end_time:%H:%M})"


class TeachingGroup(models.Model):
    """A teaching-research group (教研组) of one or more subjects, with its leader."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=40)
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True, related_name="groups")
    leader = models.ForeignKey(
        "Staff",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    is_central = models.BooleanField(
        _("central group"), default=False, help_text=_("A central school's group that leads its village schools")
    )

    class Meta:
        verbose_name = _("teaching-research group")
        verbose_name_plural = _("teaching-research groups")
        ordering = ["school_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="group_unique_name"),
        ]

    def __str__(self):
        return self.name


class Staff(models.Model):
    """A member of staff with a login. Roles are rows of StaffRole; a person can hold several."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), on_delete=models.CASCADE, related_name="staff"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="staff")
    staff_no = models.CharField(_("staff number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    is_young = models.BooleanField(_("young teacher"), default=False)
    is_new = models.BooleanField(_("new teacher"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    groups = models.ManyToManyField(
        TeachingGroup, verbose_name=_("teaching-research groups"), blank=True, related_name="members"
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["school_id", "staff_no"]

    def __str__(self):
        return self.name

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles.all())

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def get_roles_display(self) -> str:
        labels = dict(Role.choices)
        return "、".join(str(labels[c]) for c in Role.values if c in self.role_codes)


class StaffRole(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="staff_role_known"),
        ]

    def __str__(self):
        return self.get_role_display()


class Student(models.Model):
    """A student. Students have no accounts; they answer evaluations through one-time links."""

    class BaselineKind(models.TextChoices):
        ENTRANCE = "entrance", _("Entrance test")
        ZHONGKAO = "zhongkao", _("Zhongkao")

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="students"
    )
    student_no = models.CharField(_("student number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    baseline_score = models.DecimalField(
        _("baseline score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    baseline_kind = models.CharField(_("baseline"), max_length=10, choices=BaselineKind.choices, blank=True)
    is_active = models.BooleanField(_("enrolled"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school_class_id", "student_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_score__isnull=True) | Q(baseline_score__gte=0), name="student_baseline_positive"
            ),
        ]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class TimetableEntry(models.Model):
    """One lesson of the weekly timetable. The database refuses a class or a teacher booked twice at once."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="timetable")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="timetable"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="lessons")

    class Meta:
        verbose_name = _("timetable lesson")
        verbose_name_plural = _("timetable")
        ordering = ["term_id", "school_class_id", "weekday", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "school_class", "weekday", "period"], name="timetable_class_once_per_period"
            ),
            models.UniqueConstraint(
                fields=["term", "teacher", "weekday", "period"], name="timetable_teacher_once_per_period"
            ),
            models.CheckConstraint(condition=Q(weekday__gte=1) & Q(weekday__lte=7), name="timetable_weekday"),
            models.CheckConstraint(condition=Q(period__gte=1), name="timetable_period_positive"),
        ]
        indexes = [models.Index(fields=["term", "weekday", "period"], name="timetable_slot_idx")]

    def __str__(self):
        return f"{self.school_class} {self.get_weekday_display()} {self.period} {self.subject}"
