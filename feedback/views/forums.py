"""Forum pages (issue 7.7; V3.11, V7.8): the term's forums with the count the policy asks for, a forum with the
opinions on each teacher a person may read, and the office's record of a forum with its follow-up and the
feedback each teacher was given."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from school.models import Staff
from school.permissions import scope_for
from school.selectors import today

from ..forms.forums import ForumForm, OpinionFormSet
from ..models import Forum
from ..selectors import forums as selectors
from ..selectors.rounds import classes_managed
from ..services import forums as services
from .common import LoginFirstMixin, TermPageMixin, form_errors_from


class ForumListView(TermPageMixin, LoginFirstMixin, TemplateView):
    permission_required = "feedback.see_forums"
    template_name = "feedback/forum_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = self.scope.staff
        school = staff.school if staff is not None else self.root
        context.update(
            forums=list(selectors.forum_list(self.request.user, self.term)) if self.term else [],
            counts=selectors.forum_count(school, self.term) if (self.term and school and self.scope.is_school_wide)
            else None,
            can_create=self.request.user.has_perm("feedback.manage_evaluation"),
        )
        return context


class ForumFormMixin(LoginFirstMixin):
    template_name = "feedback/forum_form.html"

    @cached_property
    def school(self):
        staff = self.scope.staff
        return staff.school if staff is not None else self.root

    def staff_choices(self):
        ids = {c.grade.school_id for c in classes_managed(self.request.user, self.school)} | {self.school.pk}
        return Staff.objects.filter(school_id__in=ids, is_active=True).order_by("school_id", "staff_no")

    def class_choices(self):
        return classes_managed(self.request.user, self.school)

    def forms(self, data=None, initial=None, opinions=None):
        staff = self.staff_choices()
        form = ForumForm(data, initial=initial, classes=self.class_choices(), staff=staff)
        formset = OpinionFormSet(data, initial=opinions, prefix="opinions", staff=staff)
        return form, formset

    def render_forms(self, form, formset, status=200):
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=status)


class ForumCreateView(TermPageMixin, ForumFormMixin, TemplateView):
    permission_required = "feedback.manage_evaluation"

    def get(self, request, *args, **kwargs):
        form, formset = self.forms(initial={"date": today()})
        return self.render_forms(form, formset)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset, status=400)
        data = form.cleaned_data
        term = next((t for t in self.terms if t.contains(data["date"])), None)
        if term is None:
            form.add_error("date", _("No term of the school calendar holds this date."))
            return self.render_forms(form, formset, status=400)
        try:
            forum = services.forum_create(
                school=self.school, term=term, kind=data["kind"], date=data["date"], topic=data["topic"],
                participants=data["participants"], participant_count=data["participant_count"],
                classes=list(data["classes"]), hosts=list(data["hosts"]), summary=data["summary"],
                follow_up=data["follow_up"], opinions=formset.opinions(), recorded_by=self.scope.staff,
                user=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.render_forms(form, formset, status=400)
        messages.success(request, _("Forum recorded."))
        return redirect("feedback:forum-detail", forum.pk)


class ForumObjectMixin(LoginFirstMixin):
    permission_required = "feedback.see_forums"

    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def forum(self) -> Forum:
        queryset = selectors.forum_for_page(self.request.user, selectors.forums_visible_to(self.request.user))
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class ForumDetailView(ForumObjectMixin, TemplateView):
    template_name = "feedback/forum_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(forum=self.forum, opinions=self.forum.visible_opinions,
                       can_manage=self.request.user.has_perm("feedback.manage_forum", self.forum),
                       sees_whole=self.forum.school_id in self.scope.school_ids or self.scope.everything)
        return context


class ForumUpdateView(TermPageMixin, ForumObjectMixin, ForumFormMixin, TemplateView):
    permission_required = "feedback.manage_forum"

    def get_permission_object(self):
        return self.forum

    @cached_property
    def school(self):
        return self.forum.school

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forum"] = self.forum
        return context

    def get(self, request, *args, **kwargs):
        forum = self.forum
        initial = {"kind": forum.kind, "date": forum.date, "topic": forum.topic, "participants": forum.participants,
                   "participant_count": forum.participant_count, "classes": list(forum.classes.all()),
                   "hosts": list(forum.hosts.all()), "summary": forum.summary, "follow_up": forum.follow_up}
        opinions = [{"teacher": o.teacher, "opinion": o.opinion, "follow_up": o.follow_up, "feedback": o.feedback,
                     "fed_back_on": o.fed_back_on} for o in forum.opinions.select_related("teacher")]
        form, formset = self.forms(initial=initial, opinions=opinions)
        return self.render_forms(form, formset)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset, status=400)
        data = form.cleaned_data
        try:
            services.forum_update(
                forum=self.forum, kind=data["kind"], date=data["date"], topic=data["topic"],
                participants=data["participants"], participant_count=data["participant_count"],
                classes=list(data["classes"]), hosts=list(data["hosts"]), summary=data["summary"],
                follow_up=data["follow_up"], opinions=formset.opinions(), user=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.render_forms(form, formset, status=400)
        messages.success(request, _("Forum saved."))
        return redirect("feedback:forum-detail", self.forum.pk)

