"""The bell and its list, one's notification preferences, and the office's group robot.

The bell in the navbar is loaded by htmx after the page (`notification-bell`), so that no page pays a query for
it and a page without JavaScript still links to the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.permissions import manages_school

from ..forms.notifications import GroupRobotForm, PreferenceForm
from ..selectors.notifications import group_robot_of, notification_list, outbox_summary, recent_robot_failures, \
    unread_count
from ..services.notifications import group_robot_save, notifications_mark_read, preference_of, preference_update
from .common import StaffPageMixin


class NotificationListView(StaffPageMixin, TemplateView):
    template_name = "inspections/notification_list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(notification_list(self.staff), 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "page_obj": page,
            "notifications": page.object_list,
            "unread": unread_count(self.staff),
        }


class NotificationBellView(StaffPageMixin, TemplateView):
    """The bell's fragment: the unread count and the five latest."""

    template_name = "inspections/_bell.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "unread": unread_count(self.staff),
            "latest": list(notification_list(self.staff)[:5]),
        }


class NotificationReadView(StaffPageMixin, View):
    """Mark one (`id`) or all of her notifications read, then follow the notification's link (or go back)."""

    http_method_names = ["post"]

    def post(self, request):
        if self.staff is not None:
            raw = request.POST.get("id")
            ids = [int(raw)] if raw and raw.isdigit() else None
            notifications_mark_read(staff=self.staff, ids=ids)
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = ""
        return redirect(target or "inspections:notification-list")


class PreferenceView(StaffPageMixin, FormView):
    form_class = PreferenceForm
    template_name = "inspections/notification_preferences.html"

    def allowed(self):
        return self.staff is not None

    def get_initial(self):
        preference = preference_of(self.staff)
        return {"email": preference.email, "weekly_digest": preference.weekly_digest}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"has_email": bool(self.staff.user.email)}

    def form_valid(self, form):
        preference_update(staff=self.staff, **form.cleaned_data)
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("inspections:notification-preferences")


class GroupRobotView(StaffPageMixin, FormView):
    """The office sets up its central school's group robot (WeCom or DingTalk) and sees how deliveries went."""

    form_class = GroupRobotForm
    template_name = "inspections/group_robot.html"

    def allowed(self):
        return self.root is not None and manages_school(self.request.user, self.root)

    def get_initial(self):
        robot = group_robot_of(self.root)
        if robot is None:
            return {"enabled": True, "post_announcements": True}
        return {name: getattr(robot, name) for name in
                ("flavour", "url", "enabled", "post_announcements", "post_reminders")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "school": self.root,
            "outbox": outbox_summary(self.root),
            "failures": recent_robot_failures(self.root),
        }

    def form_valid(self, form):
        group_robot_save(school=self.root, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The group robot is saved."))
        return redirect("inspections:group-robot")
