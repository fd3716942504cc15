from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import ScopedAdminMixin, ScopedTabularInline

from .models import FineRule, ObservationQuota, Policy, ReviewRule, RoundRule, WorkerHeartbeat


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
