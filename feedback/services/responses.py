"""Writes of the answers' side: submitting a questionnaire through a one-time link, sealing a closed round's
responses, and the office's moderation of comments.

Anonymity (issue 7.5): the link is spent and the response written in one transaction, so that an answer is stored
exactly when its link is used up; but nothing written names the link, the student or the parent, and the day is the
finest time kept. The database itself remembers more than the application's columns: the order rows were written
in, and (PostgreSQL) the transaction that wrote each row, which the spent link shares with its response. Sealing a
closed round rewrites all its responses in one transaction in a random order, so that both traces are gone."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.permissions import manages_school

from ..models import COMMENT_MAX_LENGTH, SCALE_MAX, SCALE_MIN, Answer, Invitation, Moderation, Response, Round
from ..selectors.rounds import LinkStatus, answer_sections, invitation_by_key, link_status


class LinkUnusable(Exception):
    """The key names no usable link; `status` says why (a `LinkStatus` value)."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Submitted:
    round_name: str


def _clean_answers(sections, answers: dict[str, object]) -> list[tuple]:
    """(question, teacher id, value, text) for every answer, or a ValidationError naming what is wrong. Every
    rating must be there and lie on the scale; comments are optional and short; nothing else is accepted."""
    expected = {item.field_name: item for section in sections for item in section.items}
    unexpected = set(answers) - set(expected)
    if unexpected:
        raise ValidationError(_("The answers do not match this questionnaire. Open the link again."))
    rows, errors = [], []
    for name, item in expected.items():
        raw = answers.get(name)
        teacher_id = item.teacher.teacher_id if item.teacher else None
        if item.question.is_rating:
            try:
                value = int(str(raw))
            except (TypeError, ValueError):
                errors.append(_("Every rating is needed: %(question)s") % {"question": item.question.text})
                continue
            if not SCALE_MIN <= value <= SCALE_MAX:
                errors.append(_("Ratings run from %(low)s to %(high)s.") % {"low": SCALE_MIN, "high": SCALE_MAX})
                continue
            rows.append((item.question, teacher_id, value, ""))
        else:
            text = "" if raw is None else str(raw).strip()
            if len(text) > COMMENT_MAX_LENGTH:
                errors.append(_("A comment has at most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH})
                continue
            if text:
                rows.append((item.question, teacher_id, None, text))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def response_submit(*, key: str, answers: dict[str, object], today: dt.date | None = None) -> Submitted:
    """Spend the link behind `key` (a token or a typed code) and store the answers without anything that leads
    back to it (issue 7.4-5). Refused whole, with nothing stored: an unknown, used, expired or not yet open link
    (`LinkUnusable`), answers missing, off the scale or not of this questionnaire (`ValidationError`). Of any
    number of submissions of one link at the same moment exactly one is accepted: the link is spent by a
    conditional update that only one transaction can make."""
    if today is None:
        now = timezone.now()
        today = timezone.localdate(now)
    else:  # a day given (the demo's past rounds): its middle
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    invitation = invitation_by_key(key)
    status = link_status(invitation, today=today, now=now)
    if status != LinkStatus.OK:
        raise LinkUnusable(status)
    round_class = invitation.round_class
    round_ = round_class.round
    rows = _clean_answers(answer_sections(round_, round_class.school_class), answers)
    spent = Invitation.objects.filter(pk=invitation.pk, used=False, expires_at__gt=now).update(used=True)
    if spent != 1:
        raise LinkUnusable(LinkStatus.USED)
    response = Response(round=round_, school_class_id=round_class.school_class_id, submitted_on=today)
    response.full_clean()
    response.save()
    Answer.objects.bulk_create(
        Answer(response=response, question=question, teacher_id=teacher_id, value=value, text=text)
        for question, teacher_id, value, text in rows
    )
    return Submitted(round_name=round_.name)


@transaction.atomic
def round_seal(*, round_: Round, today: dt.date | None = None) -> bool:
    """Rewrite a closed round's responses and answers together, in a random order, under new random keys: after
    this, neither where a row lies in the table nor the transaction that wrote it follows the order in which
    links were used. Idempotent; False when there was nothing to do (not closed yet, or sealed before)."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.sealed or not round_.is_closed(today):
        return False
    responses = list(Response.objects.filter(round=round_))
    answers = list(Answer.objects.filter(response__round=round_))
    by_response: dict = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(answer)
    shuffle = random.SystemRandom().shuffle
    shuffle(responses)
    new_responses, new_answers = [], []
    for old in responses:
        new = Response(id=uuid.uuid4(), round_id=old.round_id, school_class_id=old.school_class_id,
                       submitted_on=old.submitted_on)
        new_responses.append(new)
        for answer in by_response.get(old.pk, []):
            new_answers.append(Answer(id=uuid.uuid4(), response=new, question_id=answer.question_id,
                                      teacher_id=answer.teacher_id, value=answer.value, text=answer.text,
                                      moderation=answer.moderation))
    shuffle(new_answers)
    Answer.objects.filter(response__round=round_).delete()
    Response.objects.filter(round=round_).delete()
    Response.objects.bulk_create(new_responses, batch_size=500)
    Answer.objects.bulk_create(new_answers, batch_size=1000)
    round_.sealed = True
    round_.save(update_fields=["sealed"])
    return True


@transaction.atomic
def comments_moderate(*, round_: Round, answer_ids, decision: str, user, today: dt.date | None = None) -> int:
    """Show or hide comments of a closed round (issue 7.6: comments are shown after the office moderates them).
    Only comments of groups with enough responses to be shown are the office's to read; others are refused."""
    from ..selectors.results import moderation_queue

    if not manages_school(user, round_.school):
        raise PermissionDenied(_("Only the teaching office may do this."))
    if decision not in (Moderation.APPROVED, Moderation.REJECTED, Moderation.PENDING):
        raise ValidationError(_("Choose to show or hide the comments."))
    today = today or timezone.localdate()
    if not round_.is_closed(today):
        raise ValidationError(_("Comments are read once the round has closed."))
    allowed = {answer.pk for answer in moderation_queue(round_)}
    wanted = set()
    for value in answer_ids:
        try:
            wanted.add(uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError(_("These comments are not of this round. Reload the page.")) from None
    if not wanted:
        raise ValidationError(_("Choose at least one comment."))
    if not wanted <= allowed:
        raise ValidationError(_("These comments are not of this round. Reload the page."))
    return Answer.objects.filter(pk__in=wanted).update(moderation=decision)
