"""Writes of excellent-work selections (评优: lesson designs, lesson plans, homework; V1.3, V3.6, V6.3, V7.3).

The office opens a selection for the period the policy says (`selection_per`: a term or a school year) and one of
the kinds it names (`selection_kinds`; any kind where it names none), for some subjects (or all) with its judges.
A teacher nominates her own work, a group leader her group's teachers' work, the office anyone's: one entry per
teacher and subject, a file and a title. Judges score each entry 0-100, never their own; the office publishes the
results (ranked by average score per subject, ties sharing a rank), and the winners are shown to all the staff.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Per, SelectionKind
from inspections.selectors import policy_for
from school.models import School, Staff, Subject
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..files import check_upload, store
from ..models import EntryScore, Selection, SelectionEntry
from .activities import family
from .common import acting_staff, leads_group_of, one_line, require_office, stamp


def allowed_kinds(school: School) -> list[str]:
    policy = policy_for(school)
    kinds = [k for k in (policy.selection_kinds if policy else []) if k in SelectionKind.values]
    return kinds or list(SelectionKind.values)


def default_per(school: School) -> str:
    policy = policy_for(school)
    return policy.selection_per if policy is not None and policy.selection_per in (Per.TERM, Per.YEAR) else Per.TERM


@transaction.atomic
def selection_open(*, school: School, kind: str, title: str, subjects=(), judges=(), prizes: int = 3,
                   entries_due: dt.date | None = None, per: str | None = None, user) -> Selection:
    """The office opens a selection of its school for this term or school year."""
    require_office(user, school)
    staff = acting_staff(user)
    per = per or default_per(school)
    if kind not in allowed_kinds(school):
        raise ValidationError(_("Your school's rules do not hold a selection of this kind."))
    term = current_term(school)
    if term is None:
        raise ValidationError(_("The school calendar has no term yet."))
    judges = list(judges)
    if not judges:
        raise ValidationError(_("Name at least one judge."))
    schools = family(school)
    if any(j.school_id not in schools or not j.is_active for j in judges):
        raise ValidationError(_("Judges are active staff of the school."))
    subjects = list(subjects)
    if any(s.school_id not in (school.pk, school.root_id) for s in subjects):
        raise ValidationError(_("Choose the school's own subjects."))
    if entries_due is not None and entries_due < today():
        raise ValidationError(_("The day entries are due cannot be past."))
    selection = Selection(
        school=school, school_year=term.school_year, term=term if per == Per.TERM else None, per=per, kind=kind,
        title=one_line(title, 120) or str(SelectionKind(kind).label), prizes=prizes, entries_due=entries_due,
        created_by=staff,
    )
    selection.full_clean()
    stamp(selection, user, "opened").save()
    selection.subjects.set(subjects)
    selection.judges.set(judges)
    return selection


def may_nominate(user, selection: Selection, teacher: Staff) -> bool:
    """Her own work; a group leader her group's teachers'; the office anyone's of its schools."""
    staff = scope_for(user).staff
    if staff is not None and staff.pk == teacher.pk:
        return True
    return manages_school(user, teacher.school) or leads_group_of(staff, teacher)


@transaction.atomic
def entry_nominate(*, selection: Selection, teacher: Staff, subject: Subject, title: str, upload,
                   user) -> SelectionEntry:
    """Nominate a piece of work while the selection is open and its entries are not yet due."""
    nominator = acting_staff(user)
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    if not selection.is_open:
        raise ValidationError(_("The results of this selection are published: it takes no more entries."))
    if selection.entries_due is not None and today() > selection.entries_due:
        raise ValidationError(_("Entries were due on %(day)s.") % {"day": selection.entries_due})
    if teacher.school_id not in family(selection.school) or not teacher.is_active:
        raise ValidationError(_("Only the school's staff take part in its selection."))
    if not may_nominate(user, selection, teacher):
        raise PermissionDenied(_("You nominate your own work, or your group's teachers' as their group leader."))
    subjects = list(selection.subjects.all())
    if subjects and subject not in subjects:
        raise ValidationError(_("This selection is for %(subjects)s.") % {"subjects": "、".join(map(str, subjects))})
    if not (title or "").strip():
        raise ValidationError(_("Give the entry a title."))
    entry = SelectionEntry(selection=selection, teacher=teacher, subject=subject, title=one_line(title, 200),
                           nominated_by=nominator)
    store(entry, check_upload(upload))
    entry.full_clean(exclude=["file"], validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(_("%(teacher)s already has an entry in %(subject)s.")
                              % {"teacher": teacher, "subject": subject}) from None
    return entry


def is_judge(staff: Staff | None, selection: Selection) -> bool:
    return staff is not None and selection.judges.filter(pk=staff.pk).exists()


@transaction.atomic
def entry_score(*, entry: SelectionEntry, score, user) -> EntryScore:
    """A judge scores an entry (0-100, one decimal), or changes her score, until the results are published.
    A judge never scores her own entry."""
    judge = acting_staff(user)
    # Read under the selection's lock: publishing takes it too, so no score lands after the results are out.
    selection = Selection.objects.select_for_update().get(pk=entry.selection_id)
    if not is_judge(judge, selection):
        raise PermissionDenied(_("Only the selection's judges score its entries."))
    if judge.pk == entry.teacher_id:
        raise PermissionDenied(_("A judge does not score her own entry."))
    if not selection.is_open:
        raise ValidationError(_("The results are published: scores no longer change."))
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a score from 0 to 100.")) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(_("Enter a score from 0 to 100."))
    row = EntryScore.objects.select_for_update().filter(entry=entry, judge=judge).first()
    if row is None:
        row = EntryScore(entry=entry, judge=judge, author_id=entry.teacher_id, score=value)
        reason = "scored"
    else:
        row.score, reason = value, "rescored"
    stamp(row, user, reason).save()
    return row


@transaction.atomic
def selection_publish(*, selection: Selection, user) -> Selection:
    """The office publishes the results: scores are final and the winners shown to the staff."""
    require_office(user, selection.school)
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    if not selection.is_open:
        raise ValidationError(_("The results are already published."))
    if not EntryScore.objects.filter(entry__selection=selection).exists():
        raise ValidationError(_("No entry has been scored yet."))
    selection.status = Selection.Status.PUBLISHED
    selection.published_at = timezone.now()
    stamp(selection, user, "published").save(update_fields=["status", "published_at"])
    return selection
