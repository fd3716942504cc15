"""Writes of questionnaires: the shipped defaults, and the office's own questionnaires and their questions.

A questionnaire belongs to a central school; its teaching office edits it (a village school's office uses it). A
questionnaire a round has used is locked: the round's answers refer to its questions as they were, so the office
edits a copy instead."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from school.models import School
from school.permissions import manages_school

from ..defaults import DEFAULTS
from ..models import Kind, Question, Questionnaire, QuestionType

MAX_QUESTIONS = 40


@dataclass(frozen=True)
class QuestionIn:
    text: str
    type: str = QuestionType.RATING
    per_teacher: bool = True


def _require_office(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def questionnaire_is_locked(questionnaire: Questionnaire) -> bool:
    return questionnaire.rounds.exists()


@transaction.atomic
def questionnaire_defaults_ensure(*, school: School) -> list[Questionnaire]:
    """The shipped questionnaires (students, parents) of the school's central school, created the first time it
    has none of a kind. An office that has made its own questionnaires of a kind gets no default added."""
    root = school.root
    created = []
    for kind, spec in DEFAULTS.items():
        if Questionnaire.objects.filter(school=root, kind=kind).exists():
            continue
        try:
            with transaction.atomic():
                questionnaire = Questionnaire.objects.create(
                    school=root, kind=kind, name=spec["name"], intro=spec["intro"], is_default=True
                )
                Question.objects.bulk_create(
                    Question(questionnaire=questionnaire, order=index, text=text, type=type_, per_teacher=per_teacher)
                    for index, (text, type_, per_teacher) in enumerate(spec["questions"], start=1)
                )
        except IntegrityError:
            continue  # another request created it at the same moment
        created.append(questionnaire)
    return created


def _clean_questions(questions: list[QuestionIn]) -> list[QuestionIn]:
    cleaned = [QuestionIn(q.text.strip(), q.type, q.per_teacher) for q in questions if q.text.strip()]
    if not cleaned:
        raise ValidationError(_("A questionnaire needs at least one question."))
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(_("A questionnaire has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    if not any(q.type == QuestionType.RATING for q in cleaned):
        raise ValidationError(_("A questionnaire needs at least one rated question: results are averages of ratings."))
    for q in cleaned:
        if q.type not in QuestionType.values:
            raise ValidationError(_("Unknown question type: %(type)s.") % {"type": q.type})
    return cleaned


def _write_questions(questionnaire: Questionnaire, questions: list[QuestionIn]) -> None:
    for index, q in enumerate(questions, start=1):
        question = Question(questionnaire=questionnaire, order=index, text=q.text, type=q.type,
                            per_teacher=q.per_teacher)
        question.full_clean()
        question.save()


@transaction.atomic
def questionnaire_create(*, school: School, kind: str, name: str, intro: str = "", questions: list[QuestionIn],
                         user) -> Questionnaire:
    """A new questionnaire of the central school, with its questions in the order given."""
    root = school.root
    _require_office(user, root)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose who answers.")})
    questions = _clean_questions(questions)
    questionnaire = Questionnaire(school=root, kind=kind, name=name.strip(), intro=intro.strip())
    questionnaire.full_clean()
    questionnaire.save()
    _write_questions(questionnaire, questions)
    return questionnaire


@transaction.atomic
def questionnaire_update(*, questionnaire: Questionnaire, name: str, intro: str, active: bool,
                         questions: list[QuestionIn] | None, user) -> Questionnaire:
    """Rename, describe, take out of use, and (while no round has used it) replace the questions."""
    _require_office(user, questionnaire.school)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    locked = questionnaire_is_locked(questionnaire)
    if locked and questions is not None:
        raise ValidationError(_("A round has used this questionnaire: its questions can no longer change. "
                                "Make a copy and edit the copy."))
    questionnaire.name = name.strip()
    questionnaire.intro = intro.strip()
    questionnaire.active = active
    questionnaire.full_clean()
    questionnaire.save()
    if questions is not None:
        questions = _clean_questions(questions)
        questionnaire.questions.all().delete()
        _write_questions(questionnaire, questions)
    return questionnaire


@transaction.atomic
def questionnaire_copy(*, questionnaire: Questionnaire, user) -> Questionnaire:
    """A copy to edit, named "… (copy)" (numbered when that name is taken)."""
    _require_office(user, questionnaire.school)
    base = _("%(name)s (copy)") % {"name": questionnaire.name}
    taken = set(Questionnaire.objects.filter(school=questionnaire.school).values_list("name", flat=True))
    name, number = base[:100], 2
    while name in taken:
        name = f"{base} {number}"[:100]
        number += 1
    copy = Questionnaire(school=questionnaire.school, kind=questionnaire.kind, name=name, intro=questionnaire.intro)
    copy.full_clean()
    copy.save()
    _write_questions(copy, [QuestionIn(q.text, q.type, q.per_teacher) for q in questionnaire.questions.all()])
    return copy
