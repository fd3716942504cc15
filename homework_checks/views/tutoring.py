"""Tutoring records (辅导, V4.IV.4): a teacher logs tutoring of named students, struggling students first; the term's
records she may see, with each teacher's counts."""

from __future__ import annotations

import uuid
from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from school.models import SchoolClass, Student
from school.selectors import current_term

from .. import selectors
from ..forms import TutoringForm
from ..services.tutoring import tutoring_record_create
from ._common import PersonPermissionMixin, TermMixin, form_errors_from


class TutoringListView(PersonPermissionMixin, TermMixin, ListView):
    """The term's tutoring records she may see (hers, her group's, her schools'), struggling students first, with
    the counts of each teacher shown."""

    permission_required = "homework_checks.see_tutoring"
    template_name = "homework_checks/tutoring_list.html"
    context_object_name = "records"
    paginate_by = 30

    def get_queryset(self):
        if self.term is None:
            return selectors.TutoringRecord.objects.none()
        queryset = selectors.tutoring_list(self.request.user, self.term)
        teacher = self.request.GET.get("teacher")
        if teacher and teacher.isdigit():
            queryset = queryset.filter(teacher_id=teacher)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = self.scope.staff
        if staff is not None and self.term is not None:
            context["my_count"] = selectors.tutoring_counts(self.term, [staff.pk]).get(staff.pk,
                                                                                       selectors.TutoringCount())
        context["can_log"] = rules.has_perm("homework_checks.log_tutoring", self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class TutoringCreateView(PersonPermissionMixin, FormView):
    """Log tutoring on a phone: the class (the students reload with it, htmx), the students ticked (the weakest by
    baseline first), what was tutored and how they are doing."""

    permission_required = "homework_checks.log_tutoring"
    template_name = "homework_checks/tutoring_form.html"
    form_class = TutoringForm

    @cached_property
    def teacher(self):
        return self.request.user.staff

    @cached_property
    def term(self):
        return current_term(self.teacher.school)

    @cached_property
    def classes(self):
        if self.term is None:
            return SchoolClass.objects.none()
        return selectors.tutoring_classes(self.teacher, self.term)

    @cached_property
    def school_class(self):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        value = source.get("school_class")
        classes = list(self.classes)
        if value and str(value).isdigit():
            return next((c for c in classes if c.pk == int(value)), None)
        return classes[0] if len(classes) == 1 else None

    def get(self, request, *args, **kwargs):
        if request.htmx:
            return render(request, f"{self.template_name}#students", {"form": self.get_form()})
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        students = (selectors.tutoring_students(self.school_class) if self.school_class is not None
                    else Student.objects.none())
        return super().get_form_kwargs() | {"classes": self.classes, "students": students}

    def get_initial(self):
        initial = {"submission_key": uuid.uuid4()}
        if self.school_class is not None:
            initial["school_class"] = self.school_class.pk
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            tutoring_record_create(
                teacher=self.teacher, school_class=data["school_class"], date=data["date"], kind=data["kind"],
                students=data["students"], content=data["content"], outcome=data["outcome"],
                submission_key=data["submission_key"], user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Tutoring logged."))
        return redirect("homework_checks:tutoring-list")
