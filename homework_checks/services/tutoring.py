"""Writes of tutoring records (辅导, V4.IV.4): "besides caring for the top students, pay special attention to
struggling students ... teachers keep tutoring records and analyse how the students are doing"."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from school.models import SchoolClass, Staff, Student

from ..models import TutoringRecord
from ..selectors import tutoring_classes
from ._common import not_in_future, stamp, term_holding


def _seen(submission_key) -> TutoringRecord | None:
    return TutoringRecord.objects.filter(submission_key=submission_key).first()


@transaction.atomic
def tutoring_record_create(
    *,
    teacher: Staff,
    school_class: SchoolClass,
    date: dt.date,
    kind: str,
    students,
    content: str,
    outcome: str = "",
    submission_key: uuid.UUID | str | None = None,
    user=None,
) -> TutoringRecord:
    """A teacher logs tutoring of named students of a class she teaches this term (or heads), with what was
    tutored and how the students are doing (V4.IV.4). Refused: no student, a student of another class or no
    longer enrolled, a class she neither teaches nor heads, a date in the future or outside a term, no content.
    A submission key seen before returns its record."""
    if submission_key and (existing := _seen(submission_key)) is not None:
        if existing.teacher_id != teacher.pk:
            raise ValidationError(_("This form was already used by someone else; reload the page."))
        return existing
    not_in_future(date)
    term = term_holding(teacher.school, date)
    if not tutoring_classes(teacher, term).filter(pk=school_class.pk).exists():
        raise ValidationError({"school_class": _("You neither teach nor head %(class)s this term.")
                               % {"class": school_class}})
    students = list(students)
    if not students:
        raise ValidationError({"students": _("Choose the students you tutored.")})
    ids = {s.pk for s in students}
    enrolled = set(
        Student.objects.filter(pk__in=ids, school_class=school_class, is_active=True).values_list("pk", flat=True)
    )
    if enrolled != ids:
        raise ValidationError({"students": _("Every student must be enrolled in %(class)s.") % {"class": school_class}})
    if kind not in TutoringRecord.Kind.values:
        raise ValidationError({"kind": _("Choose whom the tutoring was for.")})
    if not (content or "").strip():
        raise ValidationError({"content": _("Say what was tutored.")})
    record = TutoringRecord(
        school=teacher.school, term=term, teacher=teacher, school_class=school_class, date=date, kind=kind,
        content=content.strip(), outcome=(outcome or "").strip(),
    )
    if submission_key:
        record.submission_key = submission_key
    # The checks above are the model's constraints; the database holds them too.
    record.full_clean(exclude=["submission_key"], validate_unique=False, validate_constraints=False)
    stamp(record, user, "logged")
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        if submission_key and (existing := _seen(submission_key)) is not None:
            return existing
        raise
    record.students.set(sorted(ids))
    return record
