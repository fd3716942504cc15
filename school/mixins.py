from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin


class RolePermissionMixin(PermissionRequiredMixin):
    """Object-level permission through `rules`: anonymous users go to the login page, others get 403."""

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return redirect_to_login(self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name())
        raise PermissionDenied(self.get_permission_denied_message())
