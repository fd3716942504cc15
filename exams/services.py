"""Writes of the exams app: exams and papers, items and the panel (with recusal), teachers' quality-analysis forms,
the grade report, unit-test checks (and their fines) and workbook exports. Score imports are in `imports`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from deductions.services import violation_record
from inspections.models import ExamKind
from inspections.selectors import policy_for
from school.models import Grade, School, SchoolClass, Staff, Subject, Term, TimetableEntry
from school.permissions import manages_school, scope_for

from .models import (
    Exam,
    ExportJob,
    GradeReport,
    Item,
    ItemScore,
    PanelMember,
    Paper,
    QualityForm,
    Score,
    UnitTestCheck,
)

DEFAULT_ANALYSIS_DAYS = 14  # "within two weeks of the exam" (V1.12, V3.9, V6.11) where the policy sets no number
FINE_UNMARKED = "unit_test_unmarked"
FINE_NO_ANALYSIS = "unit_test_no_analysis"


def _require_manager(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def _stamp(instance, user, reason: str = ""):
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    instance._change_reason = reason
    return instance


# --- exams and papers ------------------------------------------------------------------------------------------


@transaction.atomic
def exam_create(*, school: School, term: Term, kind: str, name: str, held_on: dt.date, grades, subjects,
                full_marks: Decimal = Decimal("100"), baseline_kind: str = "", compare_with: Exam | None = None,
                band_width: int = 10, user=None) -> Exam:
    """An exam of `school` with one paper per grade and subject (full marks as given, the cut scores at 85%, 60%
    and 40% of them until the office edits them). A spot test (V1.9, V6.8) only under a policy that holds them."""
    _require_manager(user, school)
    grades, subjects = list(grades), list(subjects)
    if kind == ExamKind.SPOT:
        policy = policy_for(school)
        if policy is not None and not policy.spot_tests:
            raise ValidationError({"kind": _("Your school's rules hold no spot tests.")})
    if not grades:
        raise ValidationError({"grades": _("Choose at least one grade.")})
    if not subjects:
        raise ValidationError({"subjects": _("Choose at least one subject.")})
    if any(g.school_id != school.pk for g in grades):
        raise ValidationError({"grades": _("Choose grades of the exam's school.")})
    if any(s.school_id != school.root_id for s in subjects):
        raise ValidationError({"subjects": _("Choose subjects of the school.")})
    exam = Exam(school=school, term=term, kind=kind, name=name.strip(), held_on=held_on, baseline_kind=baseline_kind,
                compare_with=compare_with, band_width=band_width, created_by=user if user else None)
    exam.full_clean()
    _stamp(exam, user, "created").save()
    exam.grades.set(grades)
    for grade in grades:
        for subject in subjects:
            paper = Paper(exam=exam, grade=grade, subject=subject, full_marks=full_marks)
            paper.full_clean()
            _stamp(paper, user, "created").save()
    return exam


@transaction.atomic
def exam_update(*, exam: Exam, user, **fields) -> Exam:
    """Name, date, comparison, composite weights and band width; the kind and grades stay as created."""
    _require_manager(user, exam.school)
    allowed = {"name", "held_on", "compare_with", "weight_mean", "weight_pass", "weight_excellent", "weight_low",
               "band_width", "baseline_kind"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(exam, name, value)
    exam.full_clean()
    _stamp(exam, user, "updated").save()
    return exam


@transaction.atomic
def paper_update(*, paper: Paper, user, full_marks: Decimal, excellent_line: Decimal, pass_line: Decimal,
                 low_line: Decimal) -> Paper:
    """Full marks and cut scores of a paper. Full marks below a score already recorded are refused."""
    _require_manager(user, paper.exam.school)
    highest = Score.objects.filter(paper=paper, absent=False).order_by("-score").values_list("score", flat=True).first()
    if highest is not None and full_marks < highest:
        raise ValidationError({"full_marks": _("A student already has %(score)s on this paper.") % {"score": highest}})
    paper.full_marks, paper.excellent_line, paper.pass_line, paper.low_line = (
        full_marks, excellent_line, pass_line, low_line)
    paper.full_clean()
    _stamp(paper, user, "lines").save()
    return paper


@transaction.atomic
def items_set(*, paper: Paper, items: list[tuple[str, Decimal, bool]], user) -> list[Item]:
    """The paper's items (label, full marks, objective), numbered in order, replacing those it had. Their full
    marks must add up to the paper's. Refused once item scores are recorded."""
    _require_manager(user, paper.exam.school)
    if ItemScore.objects.filter(item__paper=paper).exists():
        raise ValidationError(_("Item scores are already recorded for this paper; its items can no longer change."))
    labels = [label.strip() for label, _full, _objective in items]
    if len(set(labels)) != len(labels) or not all(labels):
        raise ValidationError(_("Every item needs a label of its own."))
    total = sum((full for _label, full, _objective in items), Decimal("0"))
    if items and total != paper.full_marks:
        raise ValidationError(_("The items add up to %(total)s marks but the paper has %(full)s.")
                              % {"total": total, "full": paper.full_marks})
    paper.items.all().delete()
    created = []
    for number, (label, full, objective) in enumerate(items, start=1):
        item = Item(paper=paper, number=number, label=label.strip(), full_marks=full, objective=objective)
        item.full_clean()
        _stamp(item, user, "items").save()
        created.append(item)
    return created


def recusal_conflicts(paper: Paper, staff_ids) -> set[int]:
    """The staff among `staff_ids` who teach the paper's subject to a class that sits it this term: for a spot
    test they recuse from setting and marking it (V1.10, V6.9)."""
    if paper.exam.kind != ExamKind.SPOT:
        return set()
    return set(
        TimetableEntry.objects.filter(term_id=paper.exam.term_id, school_class__grade_id=paper.grade_id,
                                      subject_id=paper.subject_id, teacher_id__in=list(staff_ids))
        .values_list("teacher_id", flat=True)
    )


@transaction.atomic
def panel_member_add(*, paper: Paper, staff: Staff, duty: str, user) -> PanelMember:
    """Put `staff` on the paper's panel (setting the questions or marking). The tested classes' own teachers
    recuse for a spot test."""
    _require_manager(user, paper.exam.school)
    if staff.school.root_id != paper.exam.school.root_id:
        raise ValidationError({"staff": _("Choose a member of staff of the school.")})
    if recusal_conflicts(paper, [staff.pk]):
        raise ValidationError({"staff": _("%(name)s teaches a class that sits this spot test and must recuse.")
                               % {"name": staff.name}})
    member, _created = PanelMember.objects.get_or_create(paper=paper, staff=staff, duty=duty)
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, user) -> None:
    _require_manager(user, member.paper.exam.school)
    member.delete()


@transaction.atomic
def item_markers_set(*, item: Item, markers, user) -> Item:
    """Who marks the item on the assembly line; for a spot test not a teacher of a tested class."""
    _require_manager(user, item.paper.exam.school)
    markers = list(markers)
    conflicts = recusal_conflicts(item.paper, [m.pk for m in markers])
    if conflicts:
        names = "、".join(m.name for m in markers if m.pk in conflicts)
        raise ValidationError(_("%(names)s teach a class that sits this spot test and must recuse.") % {"names": names})
    item.markers.set(markers)
    return item


# --- after an exam: the teachers' forms and the grade's report ------------------------------------------------


def form_due_on(exam: Exam, policy) -> dt.date:
    return exam.held_on + dt.timedelta(days=policy.quality_form_days)


def report_due_on(exam: Exam, policy) -> dt.date:
    return exam.held_on + dt.timedelta(days=policy.analysis_days or DEFAULT_ANALYSIS_DAYS)


@transaction.atomic
def quality_forms_create(*, exam: Exam, papers=None) -> list[QualityForm]:
    """Every teacher's quality-analysis form for the papers that have scores, one per teacher and paper, naming
    her classes (from the term's timetable); due `policy.quality_form_days` after the exam (V1.11, V3.9, V6.10),
    where the policy asks for forms after this kind of exam. Never for a spot test. Idempotent: an existing form
    keeps what the teacher wrote; her classes are brought up to date."""
    policy = policy_for(exam.school)
    if policy is None or exam.is_spot or exam.kind not in (policy.quality_form_after or []):
        return []
    papers = list(papers if papers is not None else exam.papers.all())
    scored = set(Score.objects.filter(paper__in=papers).values_list("paper_id", flat=True).distinct())
    papers = [p for p in papers if p.pk in scored]
    if not papers:
        return []
    due = form_due_on(exam, policy)
    paper_of = {(p.grade_id, p.subject_id): p.pk for p in papers}
    wanted: dict[tuple[int, int], set[int]] = {}  # (paper, teacher) -> classes
    for grade_id, subject_id, teacher_id, class_id in TimetableEntry.objects.filter(
        term_id=exam.term_id, school_class__grade_id__in={p.grade_id for p in papers},
        subject_id__in={p.subject_id for p in papers},
    ).values_list("school_class__grade_id", "subject_id", "teacher_id", "school_class_id").distinct():
        paper_id = paper_of.get((grade_id, subject_id))
        if paper_id is not None:
            wanted.setdefault((paper_id, teacher_id), set()).add(class_id)
    existing = {(f.paper_id, f.teacher_id): f for f in QualityForm.objects.filter(paper__in=papers)}
    new = [QualityForm(paper_id=paper_id, teacher_id=teacher_id, due_on=due)
           for paper_id, teacher_id in wanted if (paper_id, teacher_id) not in existing]
    created = bulk_create_with_history(new, QualityForm, default_change_reason="created after the scores")
    forms = {**existing, **{(f.paper_id, f.teacher_id): f for f in
                            QualityForm.objects.filter(paper__in=papers, teacher_id__in={t for _p, t in wanted})}}
    through = QualityForm.classes.through
    links = {(forms[key].pk, class_id) for key, class_ids in wanted.items() for class_id in class_ids}
    present = set(through.objects.filter(qualityform__in=[f.pk for f in forms.values()])
                  .values_list("qualityform_id", "schoolclass_id"))
    stale = present - links
    if stale:
        for form_id, class_id in stale:
            through.objects.filter(qualityform_id=form_id, schoolclass_id=class_id).delete()
    through.objects.bulk_create([through(qualityform_id=f, schoolclass_id=c) for f, c in links - present])
    return list(created)


@transaction.atomic
def grade_reports_create(*, exam: Exam) -> list[GradeReport]:
    """The office's analysis of each grade, due `policy.analysis_days` (two weeks) after the exam, where the
    policy asks for one after this kind of exam (V1.12, V3.9, V6.11). Idempotent."""
    policy = policy_for(exam.school)
    if policy is None or exam.kind not in (policy.analysis_after or []):
        return []
    due = report_due_on(exam, policy)
    created = []
    for grade in exam.grades.all():
        report, made = GradeReport.objects.get_or_create(exam=exam, grade=grade, defaults={"due_on": due})
        if made:
            created.append(report)
    return created


@transaction.atomic
def quality_form_submit(*, form: QualityForm, user, mastered: str, problems: str, measures: str,
                        student_opinions: str = "", submit: bool = True) -> QualityForm:
    """The teacher writes her analysis (V1.11): what the students mastered, the problems and her measures are
    required to hand it in; saving a draft keeps it open. Only she may write it."""
    staff = scope_for(user).staff
    if staff is None or staff.pk != form.teacher_id:
        raise PermissionDenied(_("Only the teacher herself fills in her form."))
    form.mastered, form.problems, form.measures, form.student_opinions = (
        mastered.strip(), problems.strip(), measures.strip(), student_opinions.strip())
    if submit:
        missing = {name: _("This field is required to hand in the form.")
                   for name in ("mastered", "problems", "measures") if not getattr(form, name)}
        if missing:
            raise ValidationError(missing)
        if form.submitted_at is None:
            form.submitted_at = timezone.now()
    form.full_clean()
    _stamp(form, user, "submitted" if submit else "draft").save()
    return form


def can_comment(user, form: QualityForm) -> bool:
    """Leaders read the forms (V1.13, V6.12): the school's leaders and office, and the teacher's group leader."""
    scope = scope_for(user)
    if scope.everything or form.paper.exam.school_id in scope.school_ids:
        return True
    return bool(scope.led_group_ids) and form.teacher.groups.filter(pk__in=scope.led_group_ids).exists()


@transaction.atomic
def quality_form_comment(*, form: QualityForm, user, comment: str) -> QualityForm:
    if not can_comment(user, form) or scope_for(user).staff_id == form.teacher_id:
        raise PermissionDenied(_("Only a leader may comment on this form."))
    if form.submitted_at is None:
        raise ValidationError(_("The form has not been handed in yet."))
    if not comment.strip():
        raise ValidationError({"comment": _("Write a comment.")})
    form.comment = comment.strip()
    form.commented_by = scope_for(user).staff
    form.commented_at = timezone.now()
    form.full_clean()
    _stamp(form, user, "commented").save()
    return form


@transaction.atomic
def grade_report_update(*, report: GradeReport, user, summary: str, trends: str, measures: str,
                        presented_on: dt.date | None) -> GradeReport:
    """The office writes the grade's analysis and records the day it was presented to the teachers."""
    _require_manager(user, report.exam.school)
    if presented_on is not None:
        if presented_on < report.exam.held_on:
            raise ValidationError({"presented_on": _("The analysis cannot be presented before the exam.")})
        if presented_on > timezone.localdate():
            raise ValidationError({"presented_on": _("The day it was presented cannot be in the future.")})
        if not summary.strip():
            raise ValidationError({"summary": _("Write the analysis before recording its presentation.")})
    report.summary, report.trends, report.measures, report.presented_on = (
        summary.strip(), trends.strip(), measures.strip(), presented_on)
    report.prepared_by = scope_for(user).staff or report.prepared_by
    report.full_clean()
    _stamp(report, user, "updated").save()
    return report


# --- unit tests (V4.IV.5) --------------------------------------------------------------------------------------


@transaction.atomic
def unit_test_check_record(*, teacher: Staff, school_class: SchoolClass, subject: Subject, unit: str,
                           checked_on: dt.date, marked: bool, analysed: bool, note: str = "", user) -> UnitTestCheck:
    """A check of a teacher's unit test. V4.IV.5: a unit test not marked (or handed out as homework) is fined
    5 yuan (`unit_test_unmarked`); one with no score analysis 2 yuan (`unit_test_no_analysis`), noted in the
    teacher's file. The findings go to the fines ledger as proposals, once per check."""
    scope = scope_for(user)
    checker = scope.staff
    allowed = manages_school(user, teacher.school) or (
        scope.led_group_ids and teacher.groups.filter(pk__in=scope.led_group_ids).exists())
    if not allowed or checker is None:
        raise PermissionDenied(_("Only the teaching office or the teacher's group leader checks unit tests."))
    if checker.pk == teacher.pk:
        raise PermissionDenied(_("No one checks her own unit tests."))
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The check cannot be in the future.")})
    if school_class.grade.school_id != teacher.school_id and school_class.grade.school.root_id != teacher.school.root_id:
        raise ValidationError({"school_class": _("Choose a class of the teacher's school.")})
    from school.selectors import current_term

    term = current_term(teacher.school, checked_on)
    if term is None or not term.contains(checked_on):
        raise ValidationError({"checked_on": _("No term of the school calendar holds this day.")})
    check = UnitTestCheck(school=teacher.school, term=term, teacher=teacher, school_class=school_class,
                          subject=subject, unit=unit.strip(), checked_on=checked_on, checked_by=checker,
                          marked=marked, analysed=analysed, note=note.strip())
    check.full_clean()
    _stamp(check, user, "checked").save()
    reason = _("Unit test %(unit)s, %(class)s %(subject)s") % {"unit": check.unit, "class": school_class,
                                                                 "subject": subject}
    if not marked:
        violation_record(teacher=teacher, code=FINE_UNMARKED, occurred_on=checked_on, source=check, reason=reason,
                         user=user)
    if not analysed:
        violation_record(teacher=teacher, code=FINE_NO_ANALYSIS, occurred_on=checked_on, source=check,
                         reason=reason, user=user)
    return check


# --- exports ---------------------------------------------------------------------------------------------------


def export_start(*, exam: Exam, grade: Grade, user) -> ExportJob:
    """Queue the analysis workbook of a grade (a Celery task) and return its job, whose progress the page
    shows. Finished jobs of the same exam and grade older than an hour are dropped with their files (a link
    handed out stays good for an hour)."""
    from .tasks import build_export

    ExportJob.objects.filter(exam=exam, grade=grade, status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED],
                             requested_at__lt=timezone.now() - dt.timedelta(hours=1)).delete()
    job = ExportJob.objects.create(exam=exam, grade=grade, requested_by=user)
    build_export.delay_on_commit(job.pk)
    return job
