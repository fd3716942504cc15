"""Reads of evaluation rounds: which rounds a person sees, their progress (who has answered, never what), the
teachers each class evaluates, the questions a respondent answers, and the link behind a key.

Every function runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from inspections.models import Policy
from school.models import School, SchoolClass, Student, Term, TimetableEntry
from school.permissions import restrict, scope_for

from .. import tokens
from ..models import Invitation, Kind, Question, Questionnaire, Round, RoundClass


def rounds_visible_to(user) -> QuerySet:
    """The rounds of the schools a person sees whole (leaders and the office); none for a teacher."""
    return restrict(Round.objects.all(), user, school="school", teacher=None)


def round_list(user, term: Term | None) -> QuerySet:
    rounds = rounds_visible_to(user).select_related("school", "questionnaire", "term", "term__school_year")
    if term is not None:
        rounds = rounds.filter(term=term)
    return rounds.annotate(
        class_count=Count("round_classes", distinct=True),
        sampled=Count("round_classes__invitations", distinct=True),
        issued=Count("round_classes__invitations", filter=Q(round_classes__invitations__token_hash__isnull=False),
                     distinct=True),
        answered=Count("round_classes__invitations", filter=Q(round_classes__invitations__used=True),
                       distinct=True),
    ).order_by("-opens_on", "-pk")


def round_for_page(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("school", "questionnaire", "term", "term__school_year", "created_by")


def round_classes_of(round_: Round) -> list[RoundClass]:
    """The round's classes, each with its invitations (and their students) prefetched."""
    return list(
        RoundClass.objects.filter(round=round_)
        .select_related("school_class", "school_class__grade", "school_class__grade__school",
                        "school_class__head_teacher")
        .prefetch_related(Prefetch("invitations", queryset=Invitation.objects.select_related("student")
                                   .order_by("student__student_no")))
        .annotate(enrolled=Count("school_class__students", filter=Q(school_class__students__is_active=True),
                                 distinct=True))
        .order_by("school_class__grade__school_id", "school_class__grade__level", "school_class__number")
    )


def questionnaires_of(school: School, *, kind: str | None = None, active_only: bool = False) -> QuerySet:
    queryset = Questionnaire.objects.filter(school=school.root).annotate(
        question_count=Count("questions", distinct=True), round_count=Count("rounds", distinct=True))
    if kind:
        queryset = queryset.filter(kind=kind)
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset.order_by("kind", "name")


def classes_managed(user, school: School) -> QuerySet:
    """The classes a round of `school` may include: the school's, and a central school's village schools' too,
    among those the person manages."""
    scope = scope_for(user)
    ids = {school.pk}
    if school.parent_id is None:
        ids |= set(School.objects.filter(parent_id=school.pk).values_list("pk", flat=True))
    if not scope.everything:
        ids &= set(scope.managed_school_ids)
    return (SchoolClass.objects.filter(grade__school_id__in=ids)
            .select_related("grade", "grade__school").order_by("grade__school_id", "grade__level", "number"))


def sample_bounds(school: School, kind: str) -> tuple[int, int]:
    """How many respondents a class's sample holds, from the policy (V2.IV.1-2: 5-10 students, 5-10 parents);
    (0, 0) when the policy asks for no evaluation by them."""
    fields = ("student_sample_min", "student_sample_max") if kind == Kind.STUDENT else (
        "parent_sample_min", "parent_sample_max")
    found = Policy.objects.filter(school_id=school.root_id).values_list(*fields).first()
    return found or (0, 0)


# --- the teachers of a class and the questions about them ------------------------------------------------------


@dataclass(frozen=True)
class ClassTeacher:
    teacher_id: int
    name: str
    subjects: tuple[str, ...]

    @property
    def subjects_display(self) -> str:
        return "、".join(self.subjects)


def class_teachers(term: Term, class_ids) -> dict[int, list[ClassTeacher]]:
    """Each class's teachers this term from the timetable, in the order of their first subject (one query)."""
    rows = (
        TimetableEntry.objects.filter(term=term, school_class_id__in=list(class_ids))
        .values_list("school_class_id", "teacher_id", "teacher__name", "subject__name", "subject__order",
                     "subject_id")
        .distinct()
    )
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    for class_id, teacher_id, name, subject, order, subject_id in rows:
        entry = found[class_id].setdefault(teacher_id, {"name": name, "subjects": {}, "order": (order, subject_id)})
        entry["subjects"][(order, subject_id)] = subject
        entry["order"] = min(entry["order"], (order, subject_id))
    result = {}
    for class_id, teachers in found.items():
        ordered = sorted(teachers.items(), key=lambda item: (item[1]["order"], item[0]))
        result[class_id] = [
            ClassTeacher(teacher_id, entry["name"], tuple(entry["subjects"][k] for k in sorted(entry["subjects"])))
            for teacher_id, entry in ordered
        ]
    return result


@dataclass(frozen=True)
class Item:
    """One answer a respondent gives: a question, about a teacher (None: about the class)."""

    question: Question
    teacher: ClassTeacher | None

    @property
    def key(self) -> tuple[int, int | None]:
        return self.question.pk, self.teacher.teacher_id if self.teacher else None

    @property
    def field_name(self) -> str:
        return f"q{self.question.pk}" + (f"_t{self.teacher.teacher_id}" if self.teacher else "")


@dataclass
class Section:
    """The questions about one teacher (or, with teacher None, about the class), as the form shows them."""

    teacher: ClassTeacher | None
    items: list[Item] = field(default_factory=list)


def answer_sections(round_: Round, school_class: SchoolClass) -> list[Section]:
    """What a respondent of this class answers: the questions about each teacher of the class, then the questions
    about the class. A class with no timetable has only the latter."""
    questions = list(round_.questionnaire.questions.order_by("order", "pk"))
    teachers = class_teachers(round_.term, [school_class.pk]).get(school_class.pk, [])
    sections = [Section(t, [Item(q, t) for q in questions if q.per_teacher]) for t in teachers]
    sections = [s for s in sections if s.items]
    general = [Item(q, None) for q in questions if not q.per_teacher]
    if general:
        sections.append(Section(None, general))
    return sections


# --- links --------------------------------------------------------------------------------------------------


class LinkStatus:
    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    NOT_OPEN = "not_open"


def invitation_by_key(key: str) -> Invitation | None:
    """The issued invitation behind a token or a typed code, with its round and class; None for anything else."""
    token_hash, code_hash = tokens.hashes_for_key(key or "")
    if token_hash is None and code_hash is None:
        return None
    queryset = Invitation.objects.select_related(
        "round_class", "round_class__round", "round_class__round__questionnaire", "round_class__round__school",
        "round_class__round__term", "round_class__school_class", "round_class__school_class__grade",
    )
    if token_hash is not None:
        return queryset.filter(token_hash=token_hash).first()
    return queryset.filter(code_hash=code_hash).first()


def link_status(invitation: Invitation | None, *, today: dt.date | None = None, now: dt.datetime | None = None) -> str:
    if invitation is None or not invitation.is_issued:
        return LinkStatus.UNKNOWN
    if invitation.used:
        return LinkStatus.USED
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    round_ = invitation.round_class.round
    if round_.is_closed(today) or invitation.expires_at <= now:
        return LinkStatus.EXPIRED
    if round_.opens_on > today:
        return LinkStatus.NOT_OPEN
    return LinkStatus.OK


# --- the office's view of a round ---------------------------------------------------------------------------


def students_of(school_class: SchoolClass) -> list[Student]:
    return list(Student.objects.filter(school_class=school_class, is_active=True).order_by("student_no"))


def rounds_in_progress(school_ids, today: dt.date) -> QuerySet:
    """Rounds not yet closed of these schools, with their counts (for the office's home card)."""
    return (
        Round.objects.filter(school_id__in=school_ids, closed_at__isnull=True, closes_on__gte=today)
        .annotate(
            sampled=Count("round_classes__invitations", distinct=True),
            answered=Count("round_classes__invitations", filter=Q(round_classes__invitations__used=True),
                           distinct=True),
        )
        .order_by("closes_on", "pk")
    )
