"""Writes of homework inspections (作业检查, DOMAIN.md "Homework"): an inspection recorded with its criteria, its
gradings counted against the gradings required and the V4 fine for each one missing, and the talk with the teacher
recorded afterwards. Every write keeps history."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from deductions.services import violation_record
from inspections.selectors import policy_for
from school.models import SchoolClass, Staff, Subject
from school.permissions import manages_school
from school.selectors import today

from ..models import CRITERIA, INSPECTION_KINDS, Basis, HomeworkInspection, HomeworkPlanItem, Verdict
from ..selectors import default_period_start, is_daily_subject, may_inspect, required_gradings, taught_by
from ._common import not_in_future, stamp, term_holding

# V4.IV.3: "homework gradings below the required count (= number of lessons): 2 yuan each".
GRADING_SHORT = "homework_grading_short"
KINDS = {kind for kind, _label in INSPECTION_KINDS}


def _seen(submission_key) -> HomeworkInspection | None:
    return HomeworkInspection.objects.filter(submission_key=submission_key).first()


def _clean_talk(*, discussed: bool, discussed_on: dt.date | None, checked_on: dt.date) -> dt.date | None:
    """The talk with the teacher (V1.7, V6.6): on or after the check, not in the future."""
    if not discussed:
        return None
    discussed_on = discussed_on or today()
    if discussed_on < checked_on:
        raise ValidationError({"discussed_on": _("The talk with the teacher cannot be before the check.")})
    if discussed_on > today():
        raise ValidationError({"discussed_on": _("The talk with the teacher cannot be in the future.")})
    return discussed_on


def _plan_item(item: HomeworkPlanItem | None, *, inspector: Staff, teacher: Staff, user) -> HomeworkPlanItem | None:
    """The item of the weekly list this check carries out: of this teacher, not done yet, and hers to do (or the
    office's, which may do any)."""
    if item is None:
        return None
    item = HomeworkPlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    if item.teacher_id != teacher.pk:
        raise ValidationError(_("That item of the weekly list is another teacher's."))
    if item.inspection_id is not None:
        raise ValidationError(_("That item of the weekly list is already done."))
    if item.inspector_id not in (None, inspector.pk) and not manages_school(user, item.plan.school):
        raise PermissionDenied(_("That item of the weekly list is another inspector's."))
    return item


@transaction.atomic
def homework_inspection_create(
    *,
    inspector: Staff,
    teacher: Staff,
    school_class: SchoolClass,
    subject: Subject,
    date: dt.date,
    round_kind: str,
    notebooks_sampled: int,
    criteria: dict[str, bool],
    verdict: str,
    period_start: dt.date | None = None,
    gradings_counted: int | None = None,
    gradings_required: int | None = None,
    essay_margin_comments: bool | None = None,
    essay_closing_comments: bool | None = None,
    graded_daily: bool | None = None,
    tutoring_checked: bool = False,
    tutoring_comment: str = "",
    findings: str = "",
    suggestions: str = "",
    discussed: bool = False,
    discussed_on: dt.date | None = None,
    talk_notes: str = "",
    plan_item: HomeworkPlanItem | None = None,
    submission_key: uuid.UUID | str | None = None,
    user=None,
) -> HomeworkInspection:
    """Record a homework inspection (V1.7, V6.6, V7.5: standard, amount, difficulty, timely grading, handwriting,
    a talk with the teacher; V4.IV.3: a grade and a date on every piece, essays with margin and closing comments;
    V6.7: comments targeted, guiding, encouraging, and Chinese and maths graded every day where the policy says so).

    Gradings: the inspector counts the gradings in the notebooks since `period_start` (default: the school month's
    first day). The required count is hers if she enters one, else the policy's (V4.IV.3: one a lesson taught,
    from the timetable; V6.7: one a day taught for a subject graded daily). Each grading missing is a
    `homework_grading_short` finding against the teacher through `deductions`, once for the inspection (V4: 2 yuan
    each; under a policy without the rule the finding carries no money).

    Refused: a date in the future or outside a term, a teacher she may not inspect (or herself), a class and
    subject the teacher does not teach this term, a period that starts after the check, an item of the weekly list
    that is not this teacher's, done, or another inspector's. A submission key seen before returns its record."""
    if submission_key and (existing := _seen(submission_key)) is not None:
        if existing.inspector_id != inspector.pk:
            raise ValidationError(_("This form was already used by someone else; reload the page."))
        return existing
    if teacher.pk == inspector.pk:
        raise ValidationError({"teacher": _("You cannot inspect your own homework.")})
    if not may_inspect(inspector, teacher):
        raise PermissionDenied(_("You may not inspect this teacher's homework."))
    not_in_future(date)
    term = term_holding(teacher.school, date)
    if not any(t.school_class.pk == school_class.pk and t.subject.pk == subject.pk for t in taught_by(teacher, term)):
        raise ValidationError({"lesson": _("%(teacher)s does not teach %(subject)s in %(class)s this term.") % {
            "teacher": teacher, "subject": subject, "class": school_class}})
    if round_kind not in KINDS:
        raise ValidationError({"round_kind": _("Choose the round of the check.")})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose the verdict.")})
    if notebooks_sampled is None or notebooks_sampled < 1:
        raise ValidationError({"notebooks_sampled": _("At least one notebook is looked at.")})
    unknown = set(criteria) - set(CRITERIA)
    if unknown:
        raise ValidationError(_("Unknown criteria: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    period_start = period_start or default_period_start(term, date)
    if period_start > date:
        raise ValidationError({"period_start": _("Lessons are counted up to the day of the check: start earlier.")})
    if period_start < term.start_date:
        raise ValidationError({"period_start": _("Lessons are counted from the term's first day at the earliest.")})

    policy = policy_for(teacher.school)
    daily = is_daily_subject(policy, subject)
    basis = ""
    if gradings_counted is not None:
        if gradings_required is not None:
            basis = Basis.ENTERED
        else:
            required = required_gradings(policy=policy, term=term, teacher=teacher, school_class=school_class,
                                         subject=subject, start=period_start, end=date)
            if required.count is None:
                raise ValidationError({"gradings_required": _(
                    "The school's rules set no required count: enter the gradings required."
                )})
            gradings_required, basis = required.count, required.basis
    elif gradings_required is not None:
        raise ValidationError({"gradings_counted": _("Enter the gradings counted in the notebooks.")})

    item = _plan_item(plan_item, inspector=inspector, teacher=teacher, user=user)
    inspection = HomeworkInspection(
        school=teacher.school, term=term, inspector=inspector, teacher=teacher, school_class=school_class,
        subject=subject, date=date, round_kind=round_kind, month_number=term.school_month_of(date).number,
        notebooks_sampled=notebooks_sampled,
        **{name: bool(criteria.get(name, False)) for name in CRITERIA},
        essay_margin_comments=essay_margin_comments, essay_closing_comments=essay_closing_comments,
        daily_subject=daily, graded_daily=(bool(graded_daily) if daily else None),
        period_start=period_start, gradings_required=gradings_required, gradings_basis=basis,
        gradings_counted=gradings_counted,
        tutoring_checked=bool(tutoring_checked), tutoring_comment=(tutoring_comment or "").strip(),
        verdict=verdict, findings=findings.strip(), suggestions=suggestions.strip(),
        discussed=bool(discussed), discussed_on=_clean_talk(discussed=discussed, discussed_on=discussed_on,
                                                            checked_on=date),
        talk_notes=talk_notes.strip() if discussed else "",
    )
    if submission_key:
        inspection.submission_key = submission_key
    # The checks above are the model's constraints; the database holds them too.
    inspection.full_clean(exclude=["submission_key"], validate_unique=False, validate_constraints=False)
    stamp(inspection, user, "recorded")
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the first one stands.
        if submission_key and (existing := _seen(submission_key)) is not None:
            return existing
        raise
    if item is not None:
        item.inspection = inspection
        item.inspector = item.inspector or inspector
        stamp(item, user, "done").save(update_fields=["inspection", "inspector"])
    if inspection.gradings_missing:
        violation_record(
            teacher=teacher, code=GRADING_SHORT, occurred_on=date, quantity=inspection.gradings_missing,
            source=inspection, user=user,
            note=_("%(class)s %(subject)s: %(counted)s gradings of %(required)s required") % {
                "class": school_class, "subject": subject, "counted": inspection.gradings_counted,
                "required": inspection.gradings_required},
        )
    return inspection


@transaction.atomic
def homework_inspection_talk(*, inspection: HomeworkInspection, inspector: Staff | None, discussed_on: dt.date | None,
                             talk_notes: str, user=None) -> HomeworkInspection:
    """The inspector records her talk with the teacher after the check (V1.7, V6.6: discuss with the teacher);
    once recorded, it stands."""
    inspection = HomeworkInspection.objects.select_for_update().get(pk=inspection.pk)
    if inspector is None or inspection.inspector_id != inspector.pk:
        raise PermissionDenied(_("Only the inspector records the talk with the teacher."))
    if inspection.discussed:
        raise ValidationError(_("The talk with the teacher is already recorded."))
    if not (talk_notes or "").strip():
        raise ValidationError({"talk_notes": _("Write down what you talked about.")})
    inspection.discussed_on = _clean_talk(discussed=True, discussed_on=discussed_on, checked_on=inspection.date)
    inspection.discussed = True
    inspection.talk_notes = talk_notes.strip()
    inspection.full_clean(exclude=["submission_key"], validate_unique=False, validate_constraints=False)
    stamp(inspection, user, "talked").save()
    return inspection
