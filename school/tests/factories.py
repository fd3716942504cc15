import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from school.models import (
    Grade,
    Period,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffRole,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"测试学校{n}")
    code = factory.Sequence(lambda n: f"school-{n}")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"{2000 + n}-{2001 + n}")
    start_date = dt.date(2026, 9, 1)
    end_date = dt.date(2027, 7, 15)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school_year = factory.SubFactory(SchoolYearFactory)
    number = 1
    start_date = dt.date(2026, 9, 1)
    end_date = dt.date(2027, 1, 22)
    midterm_date = dt.date(2026, 11, 12)


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade

    school = factory.SubFactory(SchoolFactory)
    level = factory.Sequence(lambda n: 7 + n % 3)
    name = factory.LazyAttribute(lambda o: {7: "七年级", 8: "八年级", 9: "九年级"}.get(o.level, f"{o.level}年级"))


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    grade = factory.SubFactory(GradeFactory)
    number = factory.Sequence(lambda n: n + 1)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"学科{n}")
    code = factory.Sequence(lambda n: f"subject-{n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    school = factory.SubFactory(SchoolFactory)
    number = 1
    start_time = dt.time(8, 0)
    end_time = dt.time(8, 45)


class TeachingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"教研组{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password("pass-word-123"))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    staff_no = factory.Sequence(lambda n: f"T{n:05d}")
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..staff_no"))
    name = factory.Sequence(lambda n: f"教师{n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ["teacher"]:
            StaffRole.objects.create(staff=self, role=role)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school_class = factory.SubFactory(SchoolClassFactory)
    student_no = factory.Sequence(lambda n: f"S{n:06d}")
    name = factory.Sequence(lambda n: f"学生{n}")


class TimetableEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableEntry

    term = factory.SubFactory(TermFactory)
    school_class = factory.SubFactory(SchoolClassFactory)
    weekday = 1
    period = 1
    subject = factory.SubFactory(SubjectFactory)
    teacher = factory.SubFactory(StaffFactory)
