"""What the lesson-preparation pages share: permissions asked of the rules themselves, the term a page shows and
its filters, and answering htmx with a fragment of the page."""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from inspections.selectors import policy_for
from school.mixins import RolePermissionMixin
from school.permissions import scope_for

from ..selectors.common import page_term


class PersonPermissionMixin(RolePermissionMixin):
    """`permission_required` asked of `rules.has_perm` with `get_permission_object()` (None unless a view says),
    so that a superuser with no staff record is not waved through as a teacher, a checker or a judge. A view of one
    row lists its object mixin before this one, so that the row (404 when she may not see it) is the object."""

    def get_permission_object(self):
        return None

    def has_permission(self):
        if not self.request.user.is_authenticated:
            return False  # to the login page, before any lookup of the object
        obj = self.get_permission_object()
        return all(rules.has_perm(perm, self.request.user, obj) for perm in self.get_permission_required())


class StaffMixin:
    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def staff(self):
        return self.scope.staff


class TermMixin(StaffMixin):
    """The term the page shows (`?term=`, else the current one) and the filters' data with it filled in."""

    @cached_property
    def term(self):
        return page_term(self.request.user, self.request.GET.get("term"))

    @cached_property
    def policy(self):
        if self.term is None:
            return None
        return policy_for(self.term.school_year.school)

    def filter_data(self):
        data = self.request.GET.copy()
        if self.term is not None:
            data["term"] = str(self.term.pk)
        return data

    def query_without(self, *names) -> str:
        query = self.request.GET.copy()
        for name in ("page", *names):
            query.pop(name, None)
        return query.urlencode()


def partial_or_page(request, template: str, partial: str, context: dict):
    """The fragment for htmx, the whole page otherwise."""
    if getattr(request, "htmx", False):
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


def error_message(request, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def form_errors_from(form, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form: on its field where it names one the form has, else on top."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not do this."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
