"""What the rounds, notifications and six-earnests pages share: the central school the page is about, the term
chosen with `?term=`, and a ValidationError shown as messages."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError

from school.mixins import RolePermissionMixin
from school.permissions import scope_for
from school.selectors import current_term

from ..selectors.rounds import root_of, terms_of


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class StaffPageMixin(RolePermissionMixin):
    """A page of the inspections app: anonymous users go to the login page; `allowed()` says who else may
    open it (403 for the rest)."""

    permission_required = ()

    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def staff(self):
        return self.scope.staff

    @cached_property
    def root(self):
        return root_of(self.request.user)

    def allowed(self) -> bool:
        return self.scope.staff is not None or self.scope.everything

    def has_permission(self):
        return self.request.user.is_authenticated and self.allowed()


class TermMixin:
    """The term chosen with `?term=` among the central school's terms (default: the current one)."""

    @cached_property
    def terms(self):
        return list(terms_of(self.root))

    @cached_property
    def term(self):
        raw = self.request.GET.get("term")
        if raw:
            return next((t for t in self.terms if str(t.pk) == raw), None)
        return current_term(self.root) if self.root is not None else None
