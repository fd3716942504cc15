"""What the evaluation pages share: the calendar a page follows and the term chosen with `?term=`."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from deductions.selectors import calendar_root, calendar_terms
from school.mixins import RolePermissionMixin
from school.permissions import scope_for
from school.selectors import current_term


class LoginFirstMixin(RolePermissionMixin):
    """Anonymous users go to the login page before any object is looked up (which would be a 404 for them)."""

    def has_permission(self):
        if not self.request.user.is_authenticated:
            return False
        return super().has_permission()


class TermPageMixin:
    """The central school whose calendar the page follows, its terms, and the term chosen with `?term=` (default:
    the current one). A term of another calendar is 404."""

    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def root(self):
        return calendar_root(self.request.user)

    @cached_property
    def terms(self):
        return list(calendar_terms(self.root))

    @cached_property
    def term(self):
        raw = self.request.GET.get("term")
        if not raw:
            return current_term(self.root) if self.root is not None else None
        chosen = next((t for t in self.terms if str(t.pk) == raw), None)
        if chosen is None:
            raise Http404
        return chosen

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(term=self.term, terms=self.terms)
        return context


def form_errors_from(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one the form has, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
