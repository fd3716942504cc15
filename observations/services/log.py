"""Writes of the observation log: an observation logged (听课记录) with its rubric scores, edited by its writer
for a while, acknowledged and answered by the observed teacher; and reviews of observation notes (the review
chain). DOMAIN.md "Class observation (听课) and its quotas"; every write keeps history."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from inspections.models import ObservationKind
from school.models import SchoolClass, Staff
from school.selectors import current_term

from ..models import NotesReview, Observation, ObservationScore, RubricItem
from ..rubric import rubric_for
from ..selectors.log import in_review_chain, lesson_at, observable_classes, periods_of

# The writer may correct an observation for a day, until the observed teacher has acknowledged it.
EDIT_WINDOW = dt.timedelta(hours=24)


def _stamp(obj, user, reason: str):
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    return obj


def _clean_scores(scores: dict, rubric: list[RubricItem]) -> dict[RubricItem, Decimal]:
    """Scores by rubric item (an item or its id -> a number); each between 0 and the item's full marks."""
    items = {item.pk: item for item in rubric}
    cleaned = {}
    for key, value in (scores or {}).items():
        item = items.get(getattr(key, "pk", key))
        if item is None:
            raise ValidationError(_("That rubric item is not in your school's rubric."))
        if value is None or value == "":
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(_("%(item)s: enter a number.") % {"item": item.name}) from None
        if not number.is_finite() or number < 0 or number > item.max_score:
            raise ValidationError(
                _("%(item)s: the score must be between 0 and %(max)s.") % {"item": item.name, "max": item.max_score}
            )
        cleaned[item] = number
    return cleaned


def _clean_talk(*, discussed: bool, discussed_on: dt.date | None, lesson_date: dt.date, today: dt.date):
    """V1.5: the talk with the teacher after class, on or after the lesson and not in the future."""
    if not discussed:
        return None
    discussed_on = discussed_on or today
    if discussed_on < lesson_date:
        raise ValidationError(_("The talk with the teacher cannot be before the lesson."))
    if discussed_on > today:
        raise ValidationError(_("The talk with the teacher cannot be in the future."))
    return discussed_on


def _save_scores(observation: Observation, scores: dict[RubricItem, Decimal], user=None) -> None:
    """The item scores as given, with history: a changed score is updated (its history row keeps the previous
    one), an item no longer scored deleted, a new one added; by `user`."""
    who = user if user is not None and getattr(user, "is_authenticated", False) else None
    existing = {row.item_id: row for row in observation.scores.all()}
    wanted = {item.pk: score for item, score in scores.items()}
    for item_id, row in existing.items():
        if item_id not in wanted:
            _stamp(row, user, "edited").delete()
    changed = [row for item_id, row in existing.items() if item_id in wanted and row.score != wanted[item_id]]
    for row in changed:
        row.score = wanted[row.item_id]
    if changed:
        bulk_update_with_history(changed, ObservationScore, ["score"], default_user=who,
                                 default_change_reason="edited")
    new = [ObservationScore(observation=observation, item_id=item_id, score=score)
           for item_id, score in wanted.items() if item_id not in existing]
    if new:
        bulk_create_with_history(new, ObservationScore, default_user=who,
                                 default_change_reason="edited" if existing else "created")


def _total(scores: dict[RubricItem, Decimal]) -> Decimal | None:
    return sum(scores.values(), Decimal("0")) if scores else None


def _seen(submission_key) -> Observation | None:
    return Observation.objects.filter(submission_key=submission_key).first()


def _already_observed(observer: Staff, date: dt.date, period: int) -> bool:
    return Observation.objects.filter(observer=observer, date=date, period=period).exists()


@transaction.atomic
def observation_create(
    *,
    observer: Staff,
    school_class: SchoolClass | None,
    date: dt.date,
    period: int,
    topic: str,
    kind: str,
    scores: dict,
    notes: str = "",
    strengths: str = "",
    suggestions: str = "",
    discussed: bool = False,
    discussed_on: dt.date | None = None,
    submission_key: uuid.UUID | str | None = None,
    user=None,
) -> Observation:
    """Log a lesson observed (V1.5: notes, opinions or suggestions, and a talk with the teacher afterwards).

    The teacher and the subject come from the timetable of the class at that date and period, or from an
    approved swap of that lesson (V2.II.3). Refused: a lesson in the future (a later day, or today before the
    period's bell), observing yourself, a class outside her schools, a time with no lesson, a score out of its
    range, a second observation by the same observer in the same period. A submission key seen before returns
    the observation it made (a phone that submits twice makes one record)."""
    if submission_key:
        existing = _seen(submission_key)
        if existing is not None:
            if existing.observer_id != observer.pk:
                raise ValidationError(_("This form was already used by someone else; reload the page."))
            return existing
    if school_class is None or not observable_classes(observer).filter(pk=school_class.pk).exists():
        raise ValidationError(_("That class is not one of your school's classes."))
    school = school_class.grade.school
    now = timezone.localtime()
    today = now.date()
    if date > today:
        raise ValidationError(_("You cannot log a lesson in the future."))
    bells = periods_of(school)
    bell = next((p for p in bells if p.number == period), None)
    # A school with no bell times set up: any period the timetable knows.
    if period is None or period < 1 or (bells and bell is None):
        raise ValidationError(_("Period %(period)s is not one of the school's periods.") % {"period": period})
    if bell is not None and date == today and bell.start_time > now.time():
        raise ValidationError(
            _("Period %(period)s has not started yet (it starts at %(time)s).")
            % {"period": period, "time": bell.start_time.strftime("%H:%M")}
        )
    term = current_term(school, date)
    if term is None or not term.contains(date):
        raise ValidationError(_("No term of the school calendar holds %(day)s.") % {"day": date})
    lesson = lesson_at(school_class=school_class, date=date, period=period, term=term)
    if lesson is None:
        raise ValidationError(
            _("%(class)s has no lesson on the timetable in period %(period)s on %(day)s.")
            % {"class": school_class, "period": period, "day": date}
        )
    if lesson.teacher.pk == observer.pk:
        raise ValidationError(_("You cannot observe your own lesson."))
    if _already_observed(observer, date, period):
        raise ValidationError(
            _("You have already logged an observation in period %(period)s on %(day)s.")
            % {"period": period, "day": date}
        )
    if kind not in ObservationKind.values:
        raise ValidationError(_("Choose the kind of observation."))
    if not (topic or "").strip():
        raise ValidationError(_("Enter the lesson topic."))
    clean_scores = _clean_scores(scores, rubric_for(school))
    observation = Observation(
        school=school,
        term=term,
        observer=observer,
        teacher=lesson.teacher,
        school_class=school_class,
        subject=lesson.subject,
        date=date,
        period=period,
        timetable_entry=lesson.entry,
        topic=topic.strip(),
        kind=kind,
        notes=notes,
        strengths=strengths,
        suggestions=suggestions,
        total_score=_total(clean_scores),
        discussed=bool(discussed),
        discussed_on=_clean_talk(discussed=discussed, discussed_on=discussed_on, lesson_date=date, today=today),
    )
    if submission_key:
        observation.submission_key = submission_key
    # Uniqueness was checked above; two requests racing past those checks meet the database's constraints,
    # and the IntegrityError below settles it.
    observation.full_clean(exclude=["submission_key"], validate_unique=False, validate_constraints=False)
    _stamp(observation, user, "logged")
    try:
        with transaction.atomic():
            observation.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the first one stands.
        if submission_key and (existing := _seen(submission_key)) is not None:
            return existing
        raise ValidationError(
            _("You have already logged an observation in period %(period)s on %(day)s.")
            % {"period": period, "day": date}
        ) from None
    _save_scores(observation, clean_scores, user)
    _tell_the_observed_teacher(observation)
    return observation


def _tell_the_observed_teacher(observation: Observation) -> None:
    """V2.II.4: feedback goes to the teacher: she is told (bell and email, through the outbox, in this
    transaction) that her lesson was observed, to read the notes, acknowledge and reply."""
    from django.urls import reverse
    from django.utils import translation

    from inspections.services.notifications import notify

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(observer)s observed your lesson (%(class)s, %(day)s, period %(period)s)") % {
            "observer": observation.observer.name, "class": observation.school_class,
            "day": observation.date.isoformat(), "period": observation.period,
        }
        body = _("Read the notes and suggestions, acknowledge them and reply if you wish.")
    notify(recipients=[observation.teacher_id], key=f"observation:{observation.pk}:observed", subject=subject,
           body=body, url=reverse("observations:observation-detail", args=[observation.pk]))


def is_editable(observation: Observation, now: dt.datetime | None = None) -> bool:
    """The writer may edit for 24 hours after writing, and not after the teacher has acknowledged it."""
    now = now or timezone.now()
    return observation.acknowledged_at is None and now - observation.created_at < EDIT_WINDOW


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    editor: Staff,
    topic: str,
    kind: str,
    scores: dict,
    notes: str = "",
    strengths: str = "",
    suggestions: str = "",
    discussed: bool = False,
    discussed_on: dt.date | None = None,
    user=None,
) -> Observation:
    """Its writer corrects an observation within 24 hours and before the teacher acknowledges it; the lesson
    (class, date, period, teacher) stays. The previous version stays in the history."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.observer_id != editor.pk:
        raise PermissionDenied(_("Only the observer may edit an observation."))
    if not is_editable(observation):
        raise ValidationError(
            _("This observation can no longer be edited: it was acknowledged or written more than 24 hours ago.")
        )
    if kind not in ObservationKind.values:
        raise ValidationError(_("Choose the kind of observation."))
    if not (topic or "").strip():
        raise ValidationError(_("Enter the lesson topic."))
    clean_scores = _clean_scores(scores, rubric_for(observation.school))
    observation.topic = topic.strip()
    observation.kind = kind
    observation.notes = notes
    observation.strengths = strengths
    observation.suggestions = suggestions
    observation.total_score = _total(clean_scores)
    observation.discussed = bool(discussed)
    observation.discussed_on = _clean_talk(
        discussed=discussed, discussed_on=discussed_on, lesson_date=observation.date,
        today=timezone.localdate(),
    )
    observation.full_clean(exclude=["submission_key"])
    _stamp(observation, user, "edited").save()
    _save_scores(observation, clean_scores, user)
    return observation


@transaction.atomic
def observation_acknowledge(*, observation: Observation, teacher: Staff, user=None) -> Observation:
    """The observed teacher has read the observation (once; acknowledging again changes nothing)."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.teacher_id != teacher.pk:
        raise PermissionDenied(_("Only the observed teacher may acknowledge an observation."))
    if observation.acknowledged_at is None:
        observation.acknowledged_at = timezone.now()
        _stamp(observation, user, "acknowledged").save()
    return observation


@transaction.atomic
def observation_reply(*, observation: Observation, teacher: Staff, text: str, user=None) -> Observation:
    """The observed teacher answers the observation; replying acknowledges it. A new reply replaces the last
    one, which stays in the history."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.teacher_id != teacher.pk:
        raise PermissionDenied(_("Only the observed teacher may reply to an observation."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a reply."))
    now = timezone.now()
    observation.reply = text
    observation.replied_at = now
    observation.acknowledged_at = observation.acknowledged_at or now
    _stamp(observation, user, "replied").save()
    return observation


@transaction.atomic
def notes_review_create(
    *,
    reviewer: Staff,
    reviewee: Staff,
    verdict: str,
    comment: str = "",
    observations=(),
    date: dt.date | None = None,
) -> NotesReview:
    """A review of someone's observation notes by the person the review chain names (group leader -> the
    group's teachers, office -> group leaders, principal -> leaders; V1.6, V3.8, V5.8, V6.5, V7.4), with a
    verdict and comment and the notes reviewed (her observations of this term). Refused: reviewing yourself,
    someone outside her chain, notes someone else wrote."""
    if reviewer.pk == reviewee.pk:
        raise ValidationError(_("You cannot review your own observation notes."))
    if not in_review_chain(reviewer, reviewee):
        raise PermissionDenied(_("Your school's rules do not give you %(name)s's notes to review.")
                               % {"name": reviewee.name})
    if verdict not in NotesReview.Verdict.values:
        raise ValidationError(_("Choose a verdict."))
    date = date or timezone.localdate()
    term = current_term(reviewer.school, date)
    if term is None or not term.contains(date):
        raise ValidationError(_("No term of the school calendar holds %(day)s.") % {"day": date})
    observations = list(observations)
    if any(o.observer_id != reviewee.pk or o.term_id != term.pk for o in observations):
        raise ValidationError(_("Only %(name)s's notes of this term can be part of this review.")
                              % {"name": reviewee.name})
    review = NotesReview(term=term, reviewer=reviewer, reviewee=reviewee, date=date, verdict=verdict,
                         comment=comment.strip())
    review.full_clean()
    review.save()
    review.observations.set(observations)
    return review
