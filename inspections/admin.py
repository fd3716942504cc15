from django.contrib import admin
from django.db import models
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from school.admin import ScopedAdminMixin, ScopedTabularInline
from school.permissions import scope_for

from .models import (
    Assignment,
    FineRule,
    GroupRobot,
    InspectionRound,
    Notification,
    NotificationPreference,
    ObservationQuota,
    OutboxMessage,
    Policy,
    ReviewRule,
    RoundRule,
    SixEarnestsEvaluation,
    WorkerHeartbeat,
)

RELATED_ONLY = admin.RelatedOnlyFieldListFilter


class QuotaInline(ScopedTabularInline):
    model = ObservationQuota
    extra = 0


class ReviewRuleInline(ScopedTabularInline):
    model = ReviewRule
    extra = 0


class RoundRuleInline(ScopedTabularInline):
    model = RoundRule
    extra = 0


@admin.register(Policy)
class PolicyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "school", "preset"]
    inlines = [QuotaInline, ReviewRuleInline, RoundRuleInline]


@admin.register(FineRule)
class FineRuleAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "policy__school"
    list_display = ["code", "description", "amount", "conduct_points", "unit", "active"]
    list_filter = [("policy", admin.RelatedOnlyFieldListFilter), "active"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at", "task_id"]
    readonly_fields = ["hostname", "seen_at", "task_id"]

    def has_add_permission(self, request):
        return False


@admin.register(InspectionRound)
class InspectionRoundAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "term", "kind", "opens_on", "due_on", "status"]
    list_filter = ["kind", "status", ("term", RELATED_ONLY)]
    list_select_related = ["term", "term__school_year"]
    date_hierarchy = "opens_on"


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "round__school"
    list_display = ["round", "checker", "teacher", "item", "due_on", "done_at", "done_by_hand"]
    list_filter = ["item", "capacity", ("round", RELATED_ONLY)]
    list_select_related = ["round", "checker", "teacher"]
    search_fields = ["checker__name", "teacher__name"]


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "recipient__school"
    list_display = ["subject", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__name", "key"]
    readonly_fields = ["key", "created_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "staff__school"
    list_display = ["staff", "email", "weekly_digest"]
    list_select_related = ["staff"]


@admin.register(GroupRobot)
class GroupRobotAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["school", "flavour", "enabled", "post_announcements", "post_reminders"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What waits to leave, was sent or failed: read only (the senders own it)."""

    list_display = ["dedupe_key", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.everything:
            return rows
        return rows.filter(Q(school__in=scope.school_ids) | Q(notification__recipient__school__in=scope.school_ids))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SixEarnestsEvaluation)
class SixEarnestsEvaluationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["teacher", "term", "overall_grade", "evaluator", "evaluated_at"]
    list_filter = [("term", RELATED_ONLY), "overall_grade"]
    list_select_related = ["teacher", "term", "term__school_year", "evaluator"]
