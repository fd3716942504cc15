"""Writes of the daily patrol (巡课), attendance incidents and lesson swaps (调课).

- The office checks every class daily and records what it finds (V2.II.1); a teacher late, leaving early or absent
  is an attendance incident, whose cause the office analyses and reports to the director (V2.II.2).
- V4.IV.2 fines lateness, leaving early and absence 2 / 5 / 20 yuan a time: each incident is recorded through
  `deductions` once (the incident is the violation's source). A policy with no such rule (V1 and the others)
  records no violation at all: the incident itself is the record, and there is no money to confirm.
- Any swap of lessons goes through the office (V2.II.3): a teacher asks, the office approves or rejects; an
  approved swap changes who is expected in the classroom; a swap found in the patrol that was never approved is
  an incident (without a fine: no variant fines it).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from deductions.models import Violation
from deductions.services import violation_dismiss, violation_record
from inspections.models import FineRule
from school.models import School, SchoolClass, Staff
from school.permissions import manages_school, scope_for
from school.selectors import today

from ..models import AttendanceIncident, LessonSwap, Patrol, PatrolMark
from ..selectors.patrol import (
    INCIDENT_STATUSES,
    NOTE_STATUSES,
    ExpectedLesson,
    expected_lessons,
    holiday_on,
    lesson_of_teacher,
    periods_for,
    teacher_is_free,
    term_of_day,
)

M = PatrolMark.Status
K = AttendanceIncident.Kind
SWAP = LessonSwap.Status

INCIDENT_KIND = {M.LATE: K.LATE, M.LEFT_EARLY: K.LEFT_EARLY, M.ABSENT: K.ABSENT, M.UNAPPROVED_SWAP: K.UNAPPROVED_SWAP}
# The fine rules of V4.IV.2, by incident kind.
FINE_CODE = {K.LATE: "late_to_class", K.LEFT_EARLY: "left_early", K.ABSENT: "absent"}


def _require_office(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def _stamp(obj, user):
    """Name who made the change on the history record the next save writes (outside a request too)."""
    if getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


def _patroller(user) -> Staff:
    staff = scope_for(user).staff
    if staff is None:
        raise ValidationError(_("Only a member of staff can patrol: your account has no staff record."))
    return staff


def _patrol_term(school: School, date: dt.date, period: int):
    """The term of a patrolled lesson; refused: a day to come, a day outside the terms or in a holiday, a period the
    school does not have."""
    if date > today():
        raise ValidationError(_("%(day)s has not come yet: only lessons already begun can be patrolled.")
                              % {"day": date})
    term = term_of_day(school, date)
    if term is None:
        raise ValidationError(_("%(day)s is not in a term of the school calendar.") % {"day": date})
    if (holiday := holiday_on(term, date)) is not None:
        raise ValidationError(_("%(day)s is in the holiday “%(holiday)s”.") % {"day": date, "holiday": holiday.name})
    numbers = [p.number for p in periods_for(school)]
    if period < 1 or (numbers and period not in numbers):
        raise ValidationError(_("The school has no period %(period)s.") % {"period": period})
    return term


def _patrol_locked(*, school: School, term, date: dt.date, period: int, staff: Staff) -> Patrol:
    """The patrol of (school, date, period), created by the first mark, and locked so that marks of the same
    period are written one after the other (a tap and "mark all" never both create a class's mark)."""
    try:
        with transaction.atomic():
            patrol, _created = Patrol.objects.get_or_create(
                school=school, date=date, period=period, defaults={"term": term, "patroller": staff}
            )
    except IntegrityError:
        pass  # another request created it at the same moment: theirs stands
    return Patrol.objects.select_for_update().get(school=school, date=date, period=period)


def _fine_rule_active(school: School, code: str) -> bool:
    return FineRule.objects.filter(policy__school_id=school.root_id, code=code, active=True).exists()


def _incident_open(*, mark: PatrolMark, lesson: ExpectedLesson, user) -> AttendanceIncident:
    """The mark's incident for the teacher who should have been there, and its fine where the policy has one:
    each once, however often the class is marked."""
    kind = INCIDENT_KIND[mark.status]
    patrol = mark.patrol
    incident, _created = AttendanceIncident.objects.get_or_create(
        mark=mark,
        defaults={"teacher": lesson.teacher, "school": patrol.school, "date": patrol.date,
                  "period": patrol.period, "kind": kind},
    )
    code = FINE_CODE.get(incident.kind)
    if code is not None and _fine_rule_active(patrol.school, code):
        violation_record(
            teacher=incident.teacher, code=code, occurred_on=incident.date, source=incident, user=user,
            note=_("Patrol of %(class)s, period %(period)s") % {"class": mark.school_class,
                                                                 "period": incident.period},
        )
    return incident


def _incident_withdraw(*, incident: AttendanceIncident, user) -> None:
    """A corrected mark takes its incident back: a proposed fine is dismissed; a fine the office has already
    confirmed (or one under appeal) stands, and the mark cannot change."""
    violations = list(
        Violation.objects.filter(
            source_type=ContentType.objects.get_for_model(AttendanceIncident), source_id=incident.pk
        )
    )
    for violation in violations:
        if violation.status not in (Violation.Status.PROPOSED, Violation.Status.DISMISSED):
            raise ValidationError(
                _("The office has already acted on the %(amount)s yuan fine for this finding, so the mark can no "
                  "longer be changed. While the fine is confirmed, %(teacher)s may appeal it on its page.")
                % {"amount": violation.amount, "teacher": incident.teacher}
            )
    for violation in violations:
        if violation.status == Violation.Status.PROPOSED:
            violation_dismiss(violation=violation, user=user, reason=_("patrol mark corrected"))
    incident.delete()


@transaction.atomic
def patrol_mark_set(
    *, school_class: SchoolClass, date: dt.date, period: int, status: str, note: str = "", user
) -> PatrolMark:
    """The office marks what it found in one classroom (V2.II.1): normal, late, left early, absent, a swap that
    was never approved (with a note of who was there), or another issue (with a note).

    The first mark of a period creates its patrol; a class has one mark per patrol, changed when re-marked. Late,
    left early, absent and an unapproved swap are an attendance incident of the expected teacher (the approved
    substitute, else the timetabled one), fined under V4.IV.2 (2 / 5 / 20 yuan) once. Re-marking takes the incident
    back only while its fine is still proposed (the fine is dismissed); once confirmed the mark stands."""
    school = school_class.grade.school
    _require_office(user, school)
    staff = _patroller(user)
    if status not in M.values:
        raise ValidationError(_("Unknown mark."))
    note = (note or "").strip()
    if status in NOTE_STATUSES and not note:
        raise ValidationError(
            _("Say who was in the room instead.") if status == M.UNAPPROVED_SWAP else _("Describe the issue.")
        )
    term = _patrol_term(school, date, period)
    lesson = expected_lessons(school, date, period, term=term, class_ids=[school_class.pk])[0]
    if status in INCIDENT_STATUSES and lesson.teacher is None:
        raise ValidationError(
            _("%(class)s has no lesson in period %(period)s: no teacher is expected there.")
            % {"class": school_class, "period": period}
        )
    patrol = _patrol_locked(school=school, term=term, date=date, period=period, staff=staff)
    values = {
        "status": status,
        "note": note,
        "expected_teacher": lesson.teacher,
        "expected_subject": lesson.subject,
        "swap": lesson.swap,
        "marked_by": user,
    }
    mark = PatrolMark.objects.filter(patrol=patrol, school_class=school_class).first()
    if mark is None:
        mark = PatrolMark(patrol=patrol, school_class=school_class, **values)
        mark.full_clean()
        _stamp(mark, user).save()
    else:
        incident = AttendanceIncident.objects.filter(mark=mark).first()
        if incident is not None and mark.status != status:
            _incident_withdraw(incident=incident, user=user)
        elif incident is not None:
            # The same finding again: it keeps the teacher it was recorded against.
            values.pop("expected_teacher"), values.pop("expected_subject"), values.pop("swap")
        for name, value in values.items():
            setattr(mark, name, value)
        mark.full_clean()
        _stamp(mark, user).save()
    if status in INCIDENT_STATUSES:
        _incident_open(mark=mark, lesson=lesson, user=user)
    return mark


@transaction.atomic
def patrol_mark_all_normal(*, school: School, date: dt.date, period: int, user) -> int:
    """The office marks every class it has not marked yet in this period as normal; returns how many."""
    _require_office(user, school)
    staff = _patroller(user)
    term = _patrol_term(school, date, period)
    patrol = _patrol_locked(school=school, term=term, date=date, period=period, staff=staff)
    marked = set(PatrolMark.objects.filter(patrol=patrol).values_list("school_class_id", flat=True))
    new = [
        PatrolMark(
            patrol=patrol, school_class=lesson.school_class, status=M.NORMAL, expected_teacher=lesson.teacher,
            expected_subject=lesson.subject, swap=lesson.swap, marked_by=user,
        )
        for lesson in expected_lessons(school, date, period, term=term)
        if lesson.school_class.pk not in marked
    ]
    if new:
        bulk_create_with_history(new, PatrolMark, default_user=user if user.is_authenticated else None)
    return len(new)


@transaction.atomic
def incident_update(*, incident: AttendanceIncident, cause: str, reported: bool, user) -> AttendanceIncident:
    """The office records the cause of an incident and when it reported it to the director (V2.II.2)."""
    _require_office(user, incident.school)
    incident = AttendanceIncident.objects.select_for_update().get(pk=incident.pk)
    incident.cause = cause.strip()
    if reported and incident.reported_at is None:
        incident.reported_at = timezone.now()
    elif not reported:
        incident.reported_at = None
    incident.full_clean()
    incident.save(update_fields=["cause", "reported_at"])
    return incident


# --- lesson swaps (调课, V2.II.3) ---------------------------------------------------------------------------


def _swap_day(school: School, date: dt.date, *, what: str):
    """The term of a day a swapped lesson falls on; refused: a past day, outside the terms, a holiday."""
    if date < today():
        raise ValidationError(_("%(what)s: %(day)s is past.") % {"what": what, "day": date})
    term = term_of_day(school, date)
    if term is None:
        raise ValidationError(_("%(what)s: %(day)s is not in a term of the school calendar.")
                              % {"what": what, "day": date})
    if (holiday := holiday_on(term, date)) is not None:
        raise ValidationError(_("%(what)s: %(day)s is in the holiday “%(holiday)s”.")
                              % {"what": what, "day": date, "holiday": holiday.name})
    return term


def _lesson_not_changed_yet(entry, date: dt.date) -> None:
    taken = LessonSwap.objects.filter(
        school_class=entry.school_class, date=date, period=entry.period,
        status__in=[SWAP.REQUESTED, SWAP.APPROVED],
    ).exists()
    if taken:
        raise ValidationError(
            _("The lesson of %(class)s on %(day)s, period %(period)s, already has a swap asked for or approved.")
            % {"class": entry.school_class, "day": date, "period": entry.period}
        )


@transaction.atomic
def swap_request(
    *,
    requester: Staff,
    substitute: Staff,
    date: dt.date,
    period: int,
    reason: str,
    exchange_date: dt.date | None = None,
    exchange_period: int | None = None,
) -> LessonSwap:
    """A teacher asks the office to change one of her lessons (V2.II.3).

    A substitute: another teacher of her school teaches her lesson of `date` and `period`. An exchange (when
    `exchange_date` and `exchange_period` are given): the other teacher's lesson then is taught by the requester in
    return; two rows, each pointing at the other. Refused: a lesson not in her timetable then, a day past, outside
    the term or in a holiday, a teacher who is not free then, a lesson that already has a swap."""
    if substitute.pk == requester.pk:
        raise ValidationError(_("Choose another teacher."))
    if substitute.school_id != requester.school_id or not substitute.is_active:
        raise ValidationError(_("The other teacher must be an active member of staff of your school."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the swap."))
    exchange = exchange_date is not None or exchange_period is not None
    if exchange and (exchange_date is None or exchange_period is None):
        raise ValidationError(_("An exchange needs the date and period of the other teacher's lesson."))
    school = requester.school
    term = _swap_day(school, date, what=_("Your lesson"))
    entry = lesson_of_teacher(requester, date, period, term=term)
    if entry is None:
        raise ValidationError(
            _("You have no lesson in your timetable on %(day)s, period %(period)s.") % {"day": date, "period": period}
        )
    _lesson_not_changed_yet(entry, date)
    other_entry, other_term = None, None
    if exchange:
        other_term = _swap_day(school, exchange_date, what=_("The other lesson"))
        other_entry = lesson_of_teacher(substitute, exchange_date, exchange_period, term=other_term)
        if other_entry is None:
            raise ValidationError(
                _("%(teacher)s has no lesson in her timetable on %(day)s, period %(period)s.")
                % {"teacher": substitute, "day": exchange_date, "period": exchange_period}
            )
        _lesson_not_changed_yet(other_entry, exchange_date)
    ignoring = [e.pk for e in (entry, other_entry) if e is not None]
    if not teacher_is_free(substitute, date, period, term=term, ignoring_entry_ids=ignoring):
        raise ValidationError(
            _("%(teacher)s is not free on %(day)s, period %(period)s: she teaches another class then.")
            % {"teacher": substitute, "day": date, "period": period}
        )
    if exchange and not teacher_is_free(requester, exchange_date, exchange_period, term=other_term,
                                        ignoring_entry_ids=ignoring):
        raise ValidationError(
            _("You are not free on %(day)s, period %(period)s: you teach another class then.")
            % {"day": exchange_date, "period": exchange_period}
        )
    same_class = other_entry is not None and other_entry.school_class_id == entry.school_class_id
    first = LessonSwap(
        term=term, school=entry.school_class.grade.school, date=date, period=period,
        school_class=entry.school_class,
        # Within one class the two teachers exchange periods, each bringing her own subject; across classes
        # each teaches the other's lesson.
        subject=other_entry.subject if same_class else entry.subject,
        teacher=requester, substitute=substitute, reason=reason.strip(), requested_by=requester,
    )
    first.full_clean()
    _stamp(first, requester.user).save()
    if other_entry is not None:
        second = LessonSwap(
            term=other_term, school=other_entry.school_class.grade.school, date=exchange_date,
            period=exchange_period, school_class=other_entry.school_class,
            subject=entry.subject if same_class else other_entry.subject,
            teacher=substitute, substitute=requester, reason=reason.strip(), requested_by=requester,
            paired_with=first,
        )
        second.full_clean()
        _stamp(second, requester.user).save()
        first.paired_with = second
        _stamp(first, requester.user).save(update_fields=["paired_with"])
    return first


def _swap_rows_locked(swap: LessonSwap) -> list[LessonSwap]:
    """The swap and, for an exchange, its pair, re-read under a row lock."""
    ids = [swap.pk] + ([swap.paired_with_id] if swap.paired_with_id else [])
    rows = list(
        LessonSwap.objects.select_for_update(of=("self",)).filter(pk__in=ids)
        .select_related("school", "school_class", "school_class__grade", "teacher", "substitute", "term")
        .order_by("id")
    )
    if not rows or rows[0].status != SWAP.REQUESTED or any(r.status != rows[0].status for r in rows):
        raise ValidationError(_("This swap has already been decided or cancelled."))
    return rows


def _swap_decide(rows: list[LessonSwap], *, status: str, user, note: str) -> None:
    now = timezone.now()
    for row in rows:
        row.status = status
        row.decided_by = user if getattr(user, "is_authenticated", False) else None
        row.decided_at = now
        row.decision_note = note.strip()[:300]
        _stamp(row, user).save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def swap_approve(*, swap: LessonSwap, user, note: str = "") -> LessonSwap:
    """The office approves a swap; an exchange's two rows together. Refused if a lesson is past or a teacher is
    no longer free (another swap approved since)."""
    _require_office(user, swap.school)
    rows = _swap_rows_locked(swap)
    entry_ids = []
    for row in rows:
        if row.date < today():
            raise ValidationError(_("The lesson of %(day)s is past.") % {"day": row.date})
        entry = lesson_of_teacher(row.teacher, row.date, row.period, term=row.term)
        if entry is not None:
            entry_ids.append(entry.pk)
    for row in rows:
        if not teacher_is_free(row.substitute, row.date, row.period, term=row.term, ignoring_entry_ids=entry_ids):
            raise ValidationError(
                _("%(teacher)s is no longer free on %(day)s, period %(period)s.")
                % {"teacher": row.substitute, "day": row.date, "period": row.period}
            )
    try:
        with transaction.atomic():
            _swap_decide(rows, status=SWAP.APPROVED, user=user, note=note)
    except IntegrityError:
        raise ValidationError(_("Another swap of this lesson has already been approved.")) from None
    return next(r for r in rows if r.pk == swap.pk)


@transaction.atomic
def swap_reject(*, swap: LessonSwap, user, note: str) -> LessonSwap:
    """The office rejects a swap, saying why; an exchange's two rows together."""
    _require_office(user, swap.school)
    if not note.strip():
        raise ValidationError(_("Say why the swap is rejected."))
    rows = _swap_rows_locked(swap)
    _swap_decide(rows, status=SWAP.REJECTED, user=user, note=note)
    return next(r for r in rows if r.pk == swap.pk)


@transaction.atomic
def swap_cancel(*, swap: LessonSwap, user) -> LessonSwap:
    """The teacher who asked withdraws her request while the office has not decided it."""
    staff = scope_for(user).staff
    if staff is None or staff.pk != swap.requested_by_id:
        raise PermissionDenied(_("Only the teacher who asked for the swap may cancel it."))
    rows = _swap_rows_locked(swap)
    for row in rows:
        row.status = SWAP.CANCELLED
        _stamp(row, user).save(update_fields=["status"])
    return next(r for r in rows if r.pk == swap.pk)
