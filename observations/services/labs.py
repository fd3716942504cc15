"""Writes of the lab side (V4.IV.6): a teacher logs an experiment done with a class; the office records the
required experiments not done by a school month and the lab-room tidiness checks. Fines go through
`deductions.services.violation_record`, once per finding (V4: 5 yuan per experiment not done, 3 yuan per untidy
check; a policy without the rule records the finding without money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from deductions.services import violation_record
from school.models import SchoolClass, Staff, Term
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..models import Experiment, LabSession, LabShortfall, LabTidinessCheck
from ..selectors.labs import Reach, shortfalls_for_month, teaches

LAB_NOT_DONE = "lab_not_done"
LAB_UNTIDY = "lab_untidy"


def _term_holding(school, day: dt.date) -> Term:
    term = current_term(school, day)
    if term is None or not term.contains(day):
        raise ValidationError({"date": _("No term of the school calendar holds %(day)s.") % {"day": day}})
    return term


def _not_in_future(day: dt.date) -> None:
    if day > today():
        raise ValidationError({"date": _("The date is in the future.")})


@transaction.atomic
def lab_session_create(
    *,
    teacher: Staff,
    experiment: Experiment,
    school_class: SchoolClass,
    date: dt.date,
    kind: str,
    note: str = "",
) -> LabSession:
    """Log an experiment done with a class. Refused: a date in the future or outside a term, an experiment of
    another term, a class she does not teach the experiment's subject in (from the timetable) or of another
    grade, and a second log of the same experiment for the same class this term."""
    _not_in_future(date)
    term = _term_holding(teacher.school, date)
    if experiment.term_number != term.number:
        raise ValidationError({"experiment": _("This experiment belongs to the other term.")})
    if not teaches(teacher, term, experiment, school_class):
        raise ValidationError({"school_class": _(
            "You do not teach %(subject)s in %(class)s this term, or the class is not of the experiment's grade."
        ) % {"subject": experiment.subject, "class": school_class}})
    existing = (
        LabSession.objects.filter(experiment=experiment, term=term, school_class=school_class)
        .select_related("teacher").first()
    )
    if existing is not None:
        raise ValidationError(_duplicate_message(existing))
    session = LabSession(
        experiment=experiment, term=term, school_class=school_class, teacher=teacher, date=date, kind=kind,
        note=note.strip(),
    )
    session.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # Logged by someone else at the same moment (a double submit, a co-teacher).
        existing = LabSession.objects.select_related("teacher").get(
            experiment=experiment, term=term, school_class=school_class
        )
        raise ValidationError(_duplicate_message(existing)) from None
    return session


def _duplicate_message(existing: LabSession) -> str:
    return _(
        "“%(experiment)s” is already logged for %(class)s this term (%(date)s, by %(teacher)s)."
    ) % {"experiment": existing.experiment, "class": existing.school_class, "date": existing.date,
         "teacher": existing.teacher}


@dataclass
class ShortfallRecord:
    created: int = 0  # new shortfalls (each with its finding in deductions)
    already: int = 0  # recorded before
    no_teacher: int = 0  # no one teaches the subject in the class: nothing to record


@transaction.atomic
def lab_shortfalls_record(*, reach: Reach, term: Term, month: int, user) -> ShortfallRecord:
    """Record the school month's required-but-not-done experiments (V4.IV.6): a LabShortfall per (experiment,
    class) once a term, each with a `lab_not_done` finding against the teacher of the subject in that class
    (V4: 5 yuan each). Recording again adds only what is new. The office of every school covered only, and
    only for a month that has begun."""
    scope = scope_for(user)
    if not scope.everything and not (reach.school_ids and reach.school_ids <= scope.managed_school_ids):
        raise PermissionDenied(_("Only the teaching office may record experiments not done."))
    if term.school_year.school_id != reach.root.pk:
        raise PermissionDenied
    months = {m.number: m for m in term.school_months()}
    if month not in months:
        raise ValidationError(_("The term has no school month %(number)s.") % {"number": month})
    day = today()
    if months[month].start > day:
        raise ValidationError(_("School month %(number)s has not begun.") % {"number": month})
    occurred_on = min(months[month].end, day)
    result = ShortfallRecord()
    for pair in shortfalls_for_month(root=reach.root, school_ids=reach.school_ids, term=term, month=month):
        if pair.shortfall is not None:
            result.already += 1
            continue
        if pair.teacher is None:
            result.no_teacher += 1
            continue
        try:
            with transaction.atomic():
                shortfall = LabShortfall.objects.create(
                    experiment=pair.experiment, term=term, school_class=pair.school_class, teacher=pair.teacher,
                    month_number=month, recorded_by=user if user.is_authenticated else None,
                )
        except IntegrityError:
            result.already += 1  # recorded by another request at the same moment
            continue
        violation_record(
            teacher=pair.teacher, code=LAB_NOT_DONE, occurred_on=occurred_on, source=shortfall, user=user,
            note=f"{pair.experiment} · {pair.school_class}",
        )
        result.created += 1
    return result


@transaction.atomic
def lab_tidiness_check_create(
    *, room: str, teacher_in_charge: Staff, date: dt.date, tidy: bool, note: str = "", checked_by: Staff | None,
    user,
) -> LabTidinessCheck:
    """Record a check of a lab or store room. Untidy costs the teacher in charge a `lab_untidy` finding
    (V4.IV.6: 3 yuan each time), once per check. The office of the teacher's school only; an untidy room needs a
    note saying what was found."""
    if not manages_school(user, teacher_in_charge.school):
        raise PermissionDenied(_("Only the teaching office may record lab checks."))
    if checked_by is None:
        raise ValidationError(_("Only a member of staff can record a check."))
    _not_in_future(date)
    term = _term_holding(teacher_in_charge.school, date)
    if not tidy and not note.strip():
        raise ValidationError({"note": _("Say what was untidy.")})
    check = LabTidinessCheck(
        school=teacher_in_charge.school, term=term, room=room.strip(), teacher_in_charge=teacher_in_charge,
        date=date, tidy=tidy, note=note.strip(), checked_by=checked_by,
    )
    check.full_clean()
    check.save()
    if not tidy:
        violation_record(
            teacher=teacher_in_charge, code=LAB_UNTIDY, occurred_on=date, source=check, user=user,
            note=f"{check.room}: {check.note}",
        )
    return check
