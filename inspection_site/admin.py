"""Locked-out logins in the admin: the teaching office sees those of its own schools' staff and unlocks them
(deleting the attempts is django-axes' unlock); a superuser sees all."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from school.models import Staff
from school.permissions import restrict, scope_for


def _is_office(request) -> bool:
    return request.user.is_active and request.user.is_staff and scope_for(request.user).is_manager


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockedOutLoginAdmin(AccessAttemptAdmin):
    actions = ["unlock"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        usernames = restrict(Staff.objects.all(), request.user, school="school", teacher=None).values(
            "user__username"
        )
        return queryset.filter(username__in=usernames)

    def has_module_permission(self, request):
        return request.user.is_superuser or _is_office(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or _is_office(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or _is_office(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock the selected logins"))
    def unlock(self, request, queryset):
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext("%(count)d login unlocked.", "%(count)d logins unlocked.", count) % {"count": count},
            messages.SUCCESS,
        )
