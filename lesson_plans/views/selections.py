"""Excellent-work selections (评优): the list, opening one (the office), a selection's page (entries, the judge's
scores as an htmx fragment per entry, the ranked results, publishing), nominating an entry, and the entry's file.
Once published, the winners are on display to all the school's staff."""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from inspections.models import Per, SelectionKind
from school.models import Staff, Subject

from ..files import file_response
from ..forms.groups import EntryForm, ScoreForm, SelectionForm
from ..models import Selection, SelectionEntry
from ..selectors import selections as selectors
from ..services.activities import family
from ..services.selections import (
    allowed_kinds,
    default_per,
    entry_nominate,
    entry_score,
    is_judge,
    selection_open,
    selection_publish,
)
from .common import PersonPermissionMixin, StaffMixin, error_message, form_errors_from


class SelectionListView(PersonPermissionMixin, StaffMixin, ListView):
    permission_required = "lesson_plans.see_selections"
    template_name = "lesson_plans/selection_list.html"
    context_object_name = "selections"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        return selectors.selection_list(self.request.user, status=status if status in Selection.Status.values else "")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(**kwargs) | {
            "can_open": rules.has_perm("lesson_plans.open_selection", self.request.user),
            "status": self.request.GET.get("status", ""), "statuses": Selection.Status.choices,
            "query_without_page": query.urlencode(),
        }


class SelectionCreateView(PersonPermissionMixin, StaffMixin, FormView):
    """The office opens a selection for the period and of a kind its policy holds."""

    permission_required = "lesson_plans.open_selection"
    template_name = "lesson_plans/selection_form.html"
    form_class = SelectionForm

    @cached_property
    def school(self):
        return self.staff.school

    def get_form_kwargs(self):
        root = self.school.root_id
        return super().get_form_kwargs() | {
            "kinds": allowed_kinds(self.school),
            "subjects": Subject.objects.filter(school_id=root).order_by("order", "id"),
            "judges": Staff.objects.filter(school_id__in=family(self.school), is_active=True)
            .order_by("school_id", "staff_no"),
        }

    def get_initial(self):
        kinds = allowed_kinds(self.school)
        return {"kind": kinds[0], "per": default_per(self.school), "prizes": 3,
                "title": _("Excellent %(kind)s selection") % {"kind": SelectionKind(kinds[0]).label}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"per_label": Per(default_per(self.school)).label}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            selection = selection_open(
                school=self.school, kind=data["kind"], title=data["title"], subjects=data["subjects"],
                judges=data["judges"], prizes=data["prizes"], entries_due=data.get("entries_due"),
                per=data["per"], user=self.request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Selection opened."))
        return redirect("lesson_plans:selection-detail", selection.pk)


class SelectionObjectMixin(StaffMixin):
    @cached_property
    def selection(self) -> Selection:
        queryset = selectors.selections_visible_to(self.request.user).select_related(
            "school", "term", "school_year").prefetch_related("subjects", "judges")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.selection


class SelectionDetailView(SelectionObjectMixin, PersonPermissionMixin, TemplateView):
    """Open: the judges and the office see every entry (judges score them here); others see the entries they wrote
    or nominated. Published: everyone sees the winners; the judges and the office the whole ranking."""

    permission_required = "lesson_plans.see_selections"
    template_name = "lesson_plans/selection_detail.html"

    def get_context_data(self, **kwargs):
        selection = self.selection
        user = self.request.user
        sees_all = selectors.sees_all_entries(user, selection)
        judge = self.staff if self.staff is not None and is_judge(self.staff, selection) else None
        if sees_all:
            groups = selectors.results(selection, judge=judge)
        elif selection.status == Selection.Status.PUBLISHED:
            groups = selectors.winners(selection)
        else:
            groups = selectors.results(selection, entries=selectors.my_entries(user, selection))
        return super().get_context_data(**kwargs) | {
            "selection": selection, "groups": groups, "sees_all": sees_all, "judge": judge,
            "score_form": ScoreForm() if judge is not None and selection.is_open else None,
            "can_publish": rules.has_perm("lesson_plans.publish_selection", user, selection) and selection.is_open,
            "can_nominate": selection.is_open and self.staff is not None,
            "subjects": list(selection.subjects.all()), "judges": list(selection.judges.all()),
        }


class EntryCreateView(SelectionObjectMixin, PersonPermissionMixin, FormView):
    """Nominate a piece of work: her own, her group's teachers' (a group leader), anyone's (the office)."""

    permission_required = "lesson_plans.nominate"
    template_name = "lesson_plans/entry_form.html"
    form_class = EntryForm

    def get_form_kwargs(self):
        selection = self.selection
        subjects = list(selection.subjects.all()) or None
        root = selection.school.root_id
        return super().get_form_kwargs() | {
            "teachers": selectors.nominees(self.request.user, selection),
            "subjects": Subject.objects.filter(pk__in=[s.pk for s in subjects]) if subjects
            else Subject.objects.filter(school_id=root).order_by("order", "id"),
        }

    def get_initial(self):
        return {"teacher": self.staff.pk if self.staff else None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"selection": self.selection}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry_nominate(selection=self.selection, teacher=data["teacher"], subject=data["subject"],
                           title=data["title"], upload=data["file"], user=self.request.user)
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Entry nominated."))
        return redirect("lesson_plans:selection-detail", self.selection.pk)


class EntryObjectMixin(StaffMixin):
    @cached_property
    def entry(self) -> SelectionEntry:
        visible = selectors.selections_visible_to(self.request.user)
        queryset = SelectionEntry.objects.filter(selection__in=visible).select_related(
            "selection", "selection__school", "teacher", "subject")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.entry


class EntryScoreView(EntryObjectMixin, PersonPermissionMixin, View):
    """A judge's score of an entry; with htmx the entry's row comes back."""

    http_method_names = ["post"]
    permission_required = "lesson_plans.score_entry"

    def post(self, request, *args, **kwargs):
        entry = self.entry
        form = ScoreForm(request.POST)
        problem = ""
        if form.is_valid():
            try:
                entry_score(entry=entry, score=form.cleaned_data["score"], user=request.user)
            except (ValidationError, PermissionDenied) as error:
                problem = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        else:
            problem = " ".join(e for errors in form.errors.values() for e in errors)
        if not request.htmx:
            if problem:
                messages.error(request, problem)
            else:
                messages.success(request, _("Score saved."))
            return redirect("lesson_plans:selection-detail", entry.selection_id)
        row = next(r for group in selectors.results(entry.selection, judge=self.staff) for r in group.entries
                   if r.entry.pk == entry.pk)
        return render(request, "lesson_plans/selection_detail.html#entry", {
            "row": row, "selection": entry.selection, "judge": self.staff, "score_form": ScoreForm(),
            "sees_all": True, "problem": problem, "saved": not problem,
        })


class EntryFileView(EntryObjectMixin, PersonPermissionMixin, View):
    permission_required = "lesson_plans.download_entry"

    def get(self, request, *args, **kwargs):
        return file_response(self.entry)


class SelectionPublishView(SelectionObjectMixin, PersonPermissionMixin, View):
    http_method_names = ["post"]
    permission_required = "lesson_plans.publish_selection"

    def post(self, request, *args, **kwargs):
        try:
            selection_publish(selection=self.selection, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            error_message(request, error)
        else:
            messages.success(request, _("Results published: the winners are shown to the staff."))
        return redirect("lesson_plans:selection-detail", self.selection.pk)

