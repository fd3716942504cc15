"""What the homework pages share: permissions asked of the rules themselves, and the term of the user's central
school's calendar a page shows (`?term=`, default the current term; another school's term is 404)."""

from __future__ import annotations

from functools import cached_property

import rules
from django.core.exceptions import ValidationError
from django.http import Http404

from school.mixins import RolePermissionMixin
from school.models import School, Term
from school.permissions import scope_for
from school.selectors import current_term


class PersonPermissionMixin(RolePermissionMixin):
    """`rules.has_perm` for each permission (a superuser is not waved through as an inspector she is not)."""

    def get_permission_object(self):
        return None

    def has_permission(self):
        if not self.request.user.is_authenticated:
            return False
        obj = self.get_permission_object()
        return all(rules.has_perm(perm, self.request.user, obj) for perm in self.get_permission_required())


class TermMixin:
    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def root(self) -> School | None:
        if self.scope.staff is not None:
            return self.scope.staff.school.root
        chosen = self.chosen_term
        if chosen is not None:
            return chosen.school_year.school
        return School.objects.filter(parent__isnull=True).order_by("pk").first()

    @cached_property
    def chosen_term(self) -> Term | None:
        value = self.request.POST.get("term") or self.request.GET.get("term")
        if not value:
            return None
        if not str(value).isdigit():
            raise Http404
        term = Term.objects.select_related("school_year", "school_year__school").prefetch_related("holidays") \
            .filter(pk=value).first()
        if term is None:
            raise Http404
        return term

    @cached_property
    def terms(self):
        if self.root is None:
            return Term.objects.none()
        return Term.objects.filter(school_year__school=self.root).select_related("school_year").order_by("-start_date")

    @cached_property
    def term(self) -> Term | None:
        if self.root is None:
            return None
        if self.chosen_term is not None:
            if self.chosen_term.school_year.school_id != self.root.pk:
                raise Http404  # another school's calendar
            return self.chosen_term
        return current_term(self.root)

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
