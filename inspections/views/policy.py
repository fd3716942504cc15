"""The policy pages: everyone on staff reads the rules; the teaching office chooses a preset and edits every
number; the office and the principal read who changed what.

The policy always belongs to the central school (`school.root`); permissions are asked of that school, so a
village school's director reads the rules but does not manage them."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from school.mixins import RolePermissionMixin
from school.permissions import scope_for
from school.selectors import schools_visible_to

from ..forms.policy import ROW_FORMSETS, PresetForm, policy_forms, row_formset_helper
from ..models import Checked, ObservationKind, Per, Policy, Preset
from ..selectors.policy import policy_for, policy_history, policy_sections, preset_summaries
from ..services.policy import policy_load_preset, policy_update


class PolicySchoolMixin(RolePermissionMixin):
    """The central school whose policy the page is about: the user's school's root (a superuser with no staff
    record: the first central school). Permissions are checked against it."""

    @cached_property
    def school(self):
        scope = scope_for(self.request.user)
        if scope.staff is not None:
            return scope.staff.school.root
        return schools_visible_to(self.request.user).filter(parent__isnull=True).first()

    def get_permission_object(self):
        return self.school

    @cached_property
    def policy(self) -> Policy | None:
        return self.get_policy() if self.school else None

    def get_policy(self) -> Policy | None:
        return Policy.objects.filter(school=self.school).first()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "school": self.school,
            "policy": self.policy,
            "can_manage": user.has_perm("inspections.manage_policy", self.school),
            "can_see_history": user.has_perm("inspections.see_policy_history", self.school),
        }


class PolicyDetailView(PolicySchoolMixin, TemplateView):
    """The school's rulebook as it stands: every number, with the rule it comes from."""

    permission_required = "inspections.see_policy"
    template_name = "inspections/policy_detail.html"

    def get_policy(self):
        return policy_for(self.school)  # with every row

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sections=policy_sections(self.policy) if self.policy else [],
            checked_labels=dict(Checked.choices),
            kind_labels=dict(ObservationKind.choices),
            per_labels=dict(Per.choices),
        )
        return context


class PolicyPresetView(PolicySchoolMixin, FormView):
    """Choose one of the seven presets; a second step warns that every number will be replaced, then loads it."""

    permission_required = "inspections.manage_policy"
    template_name = "inspections/policy_preset.html"
    form_class = PresetForm

    def get_initial(self):
        return {"preset": self.policy.preset if self.policy and self.policy.preset else Preset.V1}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"summaries": preset_summaries()}

    def form_valid(self, form):
        preset = form.cleaned_data["preset"]
        if not form.cleaned_data["confirm"]:
            summary = next(s for s in preset_summaries() if s.code == preset)
            return self.render_to_response(self.get_context_data(form=form, confirming=summary))
        policy_load_preset(school=self.school, preset=preset, user=self.request.user)
        messages.success(
            self.request,
            _("Loaded the preset “%(preset)s”. Every number below comes from it: check and edit them.")
            % {"preset": Preset(preset).label},
        )
        return redirect("inspections:policy-update")


class PolicyUpdateView(PolicySchoolMixin, TemplateView):
    """Edit every number of the policy: its fields and its rows, saved all together or not at all."""

    permission_required = "inspections.manage_policy"
    template_name = "inspections/policy_form.html"

    def get(self, request, *args, **kwargs):
        if self.policy is None:
            messages.info(request, _("Choose a preset first; you can then edit every number of it."))
            return redirect("inspections:policy-preset")
        form, formsets = policy_forms(self.policy)
        return self.render_to_response(self.get_context_data(form=form, **formsets))

    def post(self, request, *args, **kwargs):
        if self.policy is None:
            return redirect("inspections:policy-preset")
        form, formsets = policy_forms(self.policy, request.POST)
        if form.is_valid() and all(formset.is_valid() for formset in formsets.values()):
            policy_update(policy=self.policy, form=form, formsets=formsets.values(), user=request.user)
            messages.success(request, _("Saved the inspection rules."))
            return redirect("inspections:policy-detail")
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return self.render_to_response(self.get_context_data(form=form, **formsets))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset_sections"] = [
            (legend, context[name], prefix) for name, _class, prefix, legend in ROW_FORMSETS if name in context
        ]
        context["formset_helper"] = row_formset_helper()
        return context


class PolicyHistoryView(PolicySchoolMixin, TemplateView):
    """Who changed which number of the rules, and when (the teaching office and the principal)."""

    permission_required = "inspections.see_policy_history"
    template_name = "inspections/policy_history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = policy_history(self.policy) if self.policy else []
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            entries=page.object_list,
            back_url=reverse("inspections:policy-detail"),
        )
        return context
