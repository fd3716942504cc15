"""Writes of evaluation rounds: creating one with its classes and suggested samples, editing the samples, printing
the one-time links, changing the window, closing it.

The rules (DOMAIN.md "Student and parent evaluation"): after mid-term 5-10 students per class, chosen across good,
middle and weak performers, evaluate teaching; before the end of term 5-10 parents per class do the same
(V2.IV.1-2). The numbers come from the policy (`student_sample_min/max`, `parent_sample_min/max`). Only the
teaching office of the round's school does any of this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import School, SchoolClass, Student, Term
from school.permissions import manages_school

from .. import sampling, tokens
from ..models import Invitation, Kind, Questionnaire, Round, RoundClass, Stratum
from ..ranking import standings_for_class
from ..selectors.rounds import sample_bounds


def _require_office(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def link_expiry(round_: Round) -> dt.datetime:
    """Links expire at the end of the round's last day (school time)."""
    end = dt.datetime.combine(round_.closes_on + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end)


def _check_window(*, term: Term, kind: str, opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round cannot close before it opens.")})
    if not (term.contains(opens_on) and term.contains(closes_on)):
        raise ValidationError({"opens_on": _("The window must lie within the term (%(start)s – %(end)s).") % {
            "start": term.start_date, "end": term.end_date}})
    if kind == Kind.STUDENT and term.midterm_date and opens_on <= term.midterm_date:
        raise ValidationError({"opens_on": _(
            "Students evaluate teaching after the mid-term exam (%(date)s): open the round after it (V2.IV.1)."
        ) % {"date": term.midterm_date}})


def _check_sample_size(school: School, kind: str, size: int) -> None:
    low, high = sample_bounds(school, kind)
    if high == 0:
        who = _("students") if kind == Kind.STUDENT else _("parents")
        raise ValidationError(_(
            "The school's policy asks no %(who)s to evaluate teaching: set how many per class under Policy first."
        ) % {"who": who})
    if not low <= size <= high:
        raise ValidationError({"sample_size": _("The policy asks for %(low)s to %(high)s per class.") % {
            "low": low, "high": high}})


def _eligible_classes(school: School) -> set[int]:
    ids = {school.pk}
    if school.parent_id is None:
        ids |= set(School.objects.filter(parent_id=school.pk).values_list("pk", flat=True))
    return ids


@transaction.atomic
def round_create(*, school: School, term: Term, kind: str, name: str, questionnaire: Questionnaire,
                 opens_on: dt.date, closes_on: dt.date, classes: list[SchoolClass], sample_size: int, user,
                 today: dt.date | None = None) -> Round:
    """A round over these classes (of the school, and of a central school's village schools), each with the
    suggested sample of `sample_size` (V2.IV.1-2), stratified where the class has standings."""
    _require_office(user, school)
    today = _today(today)
    if term.school_year.school_id != school.root_id:
        raise ValidationError({"term": _("Choose a term of the school's calendar.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose who answers.")})
    if questionnaire.school_id != school.root_id or questionnaire.kind != kind or not questionnaire.active:
        raise ValidationError({"questionnaire": _("Choose a questionnaire in use for these respondents.")})
    if not questionnaire.questions.exists():
        raise ValidationError({"questionnaire": _("This questionnaire has no questions.")})
    if opens_on < today:
        raise ValidationError({"opens_on": _("A round cannot open in the past.")})
    _check_window(term=term, kind=kind, opens_on=opens_on, closes_on=closes_on)
    _check_sample_size(school, kind, sample_size)
    classes = list(classes)
    if not classes:
        raise ValidationError({"classes": _("Choose at least one class.")})
    allowed = _eligible_classes(school)
    for school_class in classes:
        if school_class.grade.school_id not in allowed or not manages_school(user, school_class.grade.school):
            raise ValidationError({"classes": _("%(class)s is not a class of this school.") % {"class": school_class}})
    round_ = Round(school=school, term=term, kind=kind, name=name.strip(), questionnaire=questionnaire,
                   opens_on=opens_on, closes_on=closes_on,
                   created_by=user if getattr(user, "is_authenticated", False) else None)
    round_.full_clean()
    round_.save()
    for school_class in sorted(classes, key=lambda c: c.pk):
        round_class = RoundClass.objects.create(round=round_, school_class=school_class, sample_size=sample_size)
        _apply_suggestion(round_class)
    return round_


def _apply_suggestion(round_class: RoundClass) -> None:
    """Replace the class's unused invitations by the suggested sample (used ones stay: she has answered)."""
    round_ = round_class.round
    standings = standings_for_class(round_class.school_class, term=round_.term)
    round_class.source = standings.source
    round_class.save(update_fields=["source"])
    used = set(round_class.invitations.filter(used=True).values_list("student_id", flat=True))
    picks = []
    if standings.source != RoundClass.Source.MANUAL:
        size = max(round_class.sample_size - len(used), 0)
        candidates = [row for row in standings.rows if row.student.pk not in used]
        picks = sampling.suggest(candidates, size, seed=f"{round_.pk}-{round_class.school_class_id}")
    wanted = {pick.standing.student.pk: pick.stratum for pick in picks}
    round_class.invitations.filter(used=False).exclude(student_id__in=wanted).delete()
    existing = {inv.student_id: inv for inv in round_class.invitations.filter(used=False)}
    for student_id, stratum in wanted.items():
        invitation = existing.get(student_id)
        if invitation is None:
            Invitation.objects.create(round_class=round_class, student_id=student_id, stratum=stratum)
        elif invitation.stratum != stratum:
            invitation.stratum = stratum
            invitation.save(update_fields=["stratum"])


def _require_not_closed(round_: Round, today: dt.date) -> None:
    if round_.is_closed(today):
        raise ValidationError(_("This round has closed: nothing about it can change any more."))


@transaction.atomic
def round_class_sample_suggest(*, round_class: RoundClass, user, today: dt.date | None = None) -> RoundClass:
    """The suggested sample again (after an exam, or to undo the office's changes); links of students taken
    out stop working."""
    round_ = Round.objects.select_for_update().get(pk=round_class.round_id)
    _require_office(user, round_.school)
    _require_not_closed(round_, _today(today))
    round_class = RoundClass.objects.select_related("round", "round__term", "school_class").get(pk=round_class.pk)
    _apply_suggestion(round_class)
    return round_class


@transaction.atomic
def round_class_sample_set(*, round_class: RoundClass, students: list[Student], user,
                           today: dt.date | None = None) -> RoundClass:
    """The office's own choice of the class's sample: exactly these students (each keeps the third she stands
    in). Someone who has answered stays in it; a student taken out loses her link."""
    round_ = Round.objects.select_for_update().get(pk=round_class.round_id)
    _require_office(user, round_.school)
    _require_not_closed(round_, _today(today))
    round_class = RoundClass.objects.select_related("round", "round__term", "school_class").get(pk=round_class.pk)
    chosen = {s.pk: s for s in students}
    for student in chosen.values():
        if student.school_class_id != round_class.school_class_id or not student.is_active:
            raise ValidationError(_("%(student)s is not a student of %(class)s.") % {
                "student": student, "class": round_class.school_class})
    invitations = {inv.student_id: inv for inv in round_class.invitations.all()}
    kept_used = [inv for sid, inv in invitations.items() if inv.used and sid not in chosen]
    if kept_used:
        raise ValidationError(_("%(student)s has already answered and stays in the sample.") % {
            "student": kept_used[0].student})
    low, high = sample_bounds(round_.school, round_.kind)
    if high == 0:
        low, high = 1, round_class.sample_size
    enrolled = Student.objects.filter(school_class=round_class.school_class, is_active=True).count()
    low = min(low, enrolled)
    if not low <= len(chosen) <= high:
        raise ValidationError(_("Choose %(low)s to %(high)s students (you chose %(count)s).") % {
            "low": low, "high": high, "count": len(chosen)})
    standings = standings_for_class(round_class.school_class, term=round_.term)
    strata = sampling.strata_of(standings.rows)
    round_class.invitations.filter(used=False).exclude(student_id__in=chosen).delete()
    for student_id in chosen:
        stratum = strata.get(student_id, Stratum.NONE)
        invitation = invitations.get(student_id)
        if invitation is None:
            Invitation.objects.create(round_class=round_class, student_id=student_id, stratum=stratum)
        elif invitation.stratum != stratum:
            invitation.stratum = stratum
            invitation.save(update_fields=["stratum"])
    if standings.source != round_class.source:
        round_class.source = standings.source
        round_class.save(update_fields=["source"])
    return round_class


# --- slips ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    """A printed slip: the secrets exist only here, on their way to the printer."""

    invitation: Invitation
    token: str
    code: str

    @property
    def code_display(self) -> str:
        return tokens.display_code(self.code)


@transaction.atomic
def invitations_issue(*, round_: Round, user, round_class: RoundClass | None = None,
                      invitation: Invitation | None = None, today: dt.date | None = None) -> list[Slip]:
    """New one-time links (a token of 192 bits and a code to type) for every respondent of the round who has not
    answered, or of one class, or for one respondent (a lost slip). Links printed before for them stop working.
    The secrets are returned for printing and never stored: only their hashes are."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_office(user, round_.school)
    _require_not_closed(round_, _today(today))
    invitations = Invitation.objects.filter(round_class__round=round_, used=False).select_related(
        "student", "round_class", "round_class__school_class", "round_class__school_class__grade")
    if round_class is not None:
        invitations = invitations.filter(round_class=round_class)
    if invitation is not None:
        invitations = invitations.filter(pk=invitation.pk)
    invitations = list(invitations.order_by("round_class__school_class__grade__level",
                                            "round_class__school_class__number", "student__student_no"))
    expiry = link_expiry(round_)
    slips = []
    for each in invitations:
        for _attempt in range(5):
            token, code = tokens.new_token(), tokens.new_code()
            each.token_hash, each.code_hash, each.expires_at = tokens.token_hash(token), tokens.code_hash(code), expiry
            try:
                with transaction.atomic():
                    each.save(update_fields=["token_hash", "code_hash", "expires_at"])
            except IntegrityError:
                continue  # a code already live (one chance in billions): draw again
            break
        else:  # pragma: no cover - five collisions in a row do not happen
            raise ValidationError(_("Could not draw unique codes; try again."))
        slips.append(Slip(each, token, code))
    return slips


# --- the window -----------------------------------------------------------------------------------------------


@transaction.atomic
def round_update(*, round_: Round, name: str, opens_on: dt.date, closes_on: dt.date, user,
                 today: dt.date | None = None) -> Round:
    """Rename the round or move its window while it has not closed: its opening day only before it opens, its
    closing day never before today. Printed links follow the new closing day. A closed round stays closed:
    reopening it would let figures already read change by a few answers (and so show those answers)."""
    round_ = Round.objects.select_for_update().select_related("term").get(pk=round_.pk)
    _require_office(user, round_.school)
    today = _today(today)
    _require_not_closed(round_, today)
    if opens_on != round_.opens_on:
        if round_.opens_on <= today:
            raise ValidationError({"opens_on": _("The round has opened: its first day cannot change.")})
        if opens_on < today:
            raise ValidationError({"opens_on": _("A round cannot open in the past.")})
    if closes_on < today:
        raise ValidationError({"closes_on": _("The last day cannot be before today; close the round instead.")})
    _check_window(term=round_.term, kind=round_.kind, opens_on=opens_on, closes_on=closes_on)
    round_.name, round_.opens_on, round_.closes_on = name.strip(), opens_on, closes_on
    round_.full_clean()
    round_.save()
    Invitation.objects.filter(round_class__round=round_, token_hash__isnull=False).update(
        expires_at=link_expiry(round_))
    return round_


@transaction.atomic
def round_close(*, round_: Round, user, today: dt.date | None = None) -> Round:
    """Close the round now: every link stops working, results can be read, and the responses are sealed."""
    from .responses import round_seal

    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_office(user, round_.school)
    _require_not_closed(round_, _today(today))
    now = timezone.now()
    round_.closed_at = now
    round_.save(update_fields=["closed_at"])
    Invitation.objects.filter(round_class__round=round_, token_hash__isnull=False).update(expires_at=now)
    round_seal(round_=round_, today=today)
    return round_


@transaction.atomic
def round_delete(*, round_: Round, user) -> None:
    """Delete a round nobody has answered yet (its printed links stop working)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_office(user, round_.school)
    if round_.responses.exists() or Invitation.objects.filter(round_class__round=round_, used=True).exists():
        raise ValidationError(_("People have answered this round: it is kept. Close it instead."))
    round_.delete()
