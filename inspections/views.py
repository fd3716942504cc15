from django.views.generic import TemplateView

from school.mixins import RolePermissionMixin
from school.permissions import scope_for
from school.selectors import schools_visible_to

from .models import Checked, ObservationKind, Per
from .selectors import policy_for


class PolicyDetailView(RolePermissionMixin, TemplateView):
    """The school's rulebook as it stands: every number, with the rule it comes from."""

    permission_required = "inspections.see_policy"
    template_name = "inspections/policy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        school = scope.staff.school if scope.staff else schools_visible_to(self.request.user).first()
        policy = policy_for(school) if school else None
        context.update(
            school=school.root if school else None,
            policy=policy,
            can_manage=self.request.user.has_perm("inspections.manage_policy", school.root if school else None),
            checked_labels=dict(Checked.choices),
            kind_labels=dict(ObservationKind.choices),
            per_labels=dict(Per.choices),
        )
        return context
