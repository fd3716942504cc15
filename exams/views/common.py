"""What the exam pages share: the exam (or paper, or grade of an exam) the URL names, if the user may see it."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from school.mixins import RolePermissionMixin
from school.models import Grade
from school.permissions import scope_for

from .. import selectors
from ..models import Exam, Paper


def form_errors_from(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one the form has, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StaffPageMixin(RolePermissionMixin):
    """Any member of staff (or a superuser); anonymous users go to the login page."""

    def has_permission(self):
        scope = self.scope
        return scope.everything or scope.staff is not None

    @cached_property
    def scope(self):
        return scope_for(self.request.user)


class ExamMixin(StaffPageMixin):
    """A page of one exam the user may see (another school's, or a spot test not yet held for a teacher: 404).
    `managing` pages are the teaching office's (403 for the others)."""

    managing = False

    @cached_property
    def exam(self) -> Exam:
        return get_object_or_404(selectors.exams_visible(self.request.user), pk=self.kwargs["pk"])

    def has_permission(self):
        if not super().has_permission():
            return False
        exam = self.exam
        return selectors.can_manage(self.request.user, exam) if self.managing else True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(exam=self.exam, can_manage=selectors.can_manage(self.request.user, self.exam))
        return context


class ExamGradeMixin(ExamMixin):
    """A page of one grade of an exam."""

    @cached_property
    def grade(self) -> Grade:
        grade = self.exam.grades.filter(pk=self.kwargs["grade"]).first()
        if grade is None:
            raise Http404
        return grade

    def has_permission(self):
        if not super().has_permission():
            return False
        self.grade  # noqa: B018 - a grade the exam does not have is 404
        return True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"grade": self.grade}


class PaperMixin(StaffPageMixin):
    managing = False

    @cached_property
    def paper(self) -> Paper:
        paper = get_object_or_404(Paper.objects.select_related("exam", "exam__school", "exam__term", "grade",
                                                               "subject"), pk=self.kwargs["pk"])
        if not selectors.exams_visible(self.request.user).filter(pk=paper.exam_id).exists():
            raise Http404
        return paper

    @property
    def exam(self) -> Exam:
        return self.paper.exam

    def has_permission(self):
        if not super().has_permission():
            return False
        paper = self.paper
        return selectors.can_manage(self.request.user, paper.exam) if self.managing else True
