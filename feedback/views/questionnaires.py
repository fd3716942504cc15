"""The office's questionnaire pages (issue 7.1): the school's questionnaires (the defaults are created on first
use), a new one, editing one no round has used, copying one, and reading one as respondents see it."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View
from django.utils.translation import gettext as _

from deductions.selectors import calendar_root

from ..forms.questionnaires import QuestionFormSet, QuestionnaireForm, question_initial
from ..models import Questionnaire
from ..selectors.rounds import questionnaires_of
from ..services import questionnaires as services
from .common import LoginFirstMixin, form_errors_from


class QuestionnaireListView(LoginFirstMixin, TemplateView):
    permission_required = "feedback.manage_evaluation"
    template_name = "feedback/questionnaire_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root = calendar_root(self.request.user)
        questionnaires = []
        if root is not None:
            services.questionnaire_defaults_ensure(school=root)
            questionnaires = list(questionnaires_of(root))
        context.update(questionnaires=questionnaires,
                       can_edit=root is not None and self.request.user.has_perm("school.manage_school", root))
        return context


class QuestionnaireFormMixin(LoginFirstMixin):
    template_name = "feedback/questionnaire_form.html"
    questionnaire = None

    def render_form(self, form, formset, status=200):
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["questionnaire"] = self.questionnaire
        return context

    def bound(self):
        creating = self.questionnaire is None
        form = QuestionnaireForm(self.request.POST, instance=self.questionnaire, creating=creating)
        formset = QuestionFormSet(self.request.POST, prefix="questions") if self.edits_questions else None
        return form, formset

    @property
    def edits_questions(self) -> bool:
        return self.questionnaire is None or not services.questionnaire_is_locked(self.questionnaire)


class QuestionnaireCreateView(QuestionnaireFormMixin, TemplateView):
    permission_required = "feedback.manage_evaluation"

    def get(self, request, *args, **kwargs):
        form = QuestionnaireForm(creating=True, initial={"kind": request.GET.get("kind", "student")})
        return self.render_form(form, QuestionFormSet(prefix="questions"))

    def post(self, request, *args, **kwargs):
        form, formset = self.bound()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(form, formset, status=400)
        root = calendar_root(request.user)
        try:
            questionnaire = services.questionnaire_create(
                school=root, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                intro=form.cleaned_data["intro"], questions=formset.questions(), user=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.render_form(form, formset, status=400)
        messages.success(request, _("Questionnaire saved."))
        return redirect("feedback:questionnaire-detail", questionnaire.pk)


class QuestionnaireObjectMixin(QuestionnaireFormMixin):
    permission_required = "feedback.manage_questionnaire"

    def get_permission_object(self):
        return self.questionnaire

    @cached_property
    def questionnaire(self) -> Questionnaire:
        root = calendar_root(self.request.user)
        queryset = Questionnaire.objects.all() if self.request.user.is_superuser else Questionnaire.objects.filter(
            school=root)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class QuestionnaireDetailView(QuestionnaireObjectMixin, TemplateView):
    """The questionnaire as respondents read it, with the rounds that used it."""

    permission_required = "feedback.manage_evaluation"
    template_name = "feedback/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(questions=list(self.questionnaire.questions.order_by("order", "pk")),
                       rounds=list(self.questionnaire.rounds.select_related("term", "term__school_year")),
                       locked=not self.edits_questions,
                       can_edit=self.request.user.has_perm("feedback.manage_questionnaire", self.questionnaire))
        return context


class QuestionnaireUpdateView(QuestionnaireObjectMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        form = QuestionnaireForm(instance=self.questionnaire)
        formset = QuestionFormSet(prefix="questions", initial=question_initial(self.questionnaire)) \
            if self.edits_questions else None
        return self.render_form(form, formset)

    def post(self, request, *args, **kwargs):
        form, formset = self.bound()
        if not form.is_valid() or (formset is not None and not formset.is_valid()):
            return self.render_form(form, formset, status=400)
        try:
            services.questionnaire_update(
                questionnaire=self.questionnaire, name=form.cleaned_data["name"], intro=form.cleaned_data["intro"],
                active=form.cleaned_data["active"], questions=formset.questions() if formset is not None else None,
                user=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.render_form(form, formset, status=400)
        messages.success(request, _("Questionnaire saved."))
        return redirect("feedback:questionnaire-detail", self.questionnaire.pk)


class QuestionnaireCopyView(QuestionnaireObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        copy = services.questionnaire_copy(questionnaire=self.questionnaire, user=request.user)
        messages.success(request, _("Copied as “%(name)s”: edit the copy.") % {"name": copy.name})
        return redirect("feedback:questionnaire-update", copy.pk)
