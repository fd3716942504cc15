"""The fines ledger in the admin: for looking things up. Money moves only through the services (the pages), so
violations are read-mostly, and ledger entries cannot be added, changed or deleted here at all."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import LedgerEntry, LedgerMonth, TeacherLedger, Violation

# Fields that carry money or the workflow's state: changed only through the services.
VIOLATION_LOCKED = [
    "school", "teacher", "term", "month_number", "occurred_on", "code", "rule", "quantity", "unit_amount", "amount",
    "conduct_points", "status", "source_type", "source_id", "recorded_by", "recorded_at", "confirmed_at", "seen_at",
    "appeal_reason", "appealed_at", "decision_reason", "decided_by", "decided_at",
]


@admin.register(Violation)
class ViolationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["occurred_on", "teacher", "description", "quantity", "amount", "conduct_points", "status",
                    "school"]
    list_select_related = ["teacher", "school"]
    list_filter = ["status", ("school", RELATED_ONLY), ("term", RELATED_ONLY), "code"]
    search_fields = ["teacher__name", "teacher__staff_no", "description", "code"]
    date_hierarchy = "occurred_on"
    readonly_fields = VIOLATION_LOCKED
    # Only the wording (description, reason, note) can be touched here.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TeacherLedgerInline(ScopedTabularInline):
    model = TeacherLedger
    extra = 0
    fields = ["teacher", "amount", "conduct_points"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerMonth)
class LedgerMonthAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "school", "start_date", "end_date", "closed_at", "closed_by"]
    list_select_related = ["school", "term", "term__school_year", "closed_by"]
    list_filter = [("school", RELATED_ONLY), ("term", RELATED_ONLY)]
    readonly_fields = ["school", "term", "number", "start_date", "end_date", "closed_at", "closed_by"]
    inlines = [TeacherLedgerInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerEntryInline(ScopedTabularInline):
    model = LedgerEntry
    extra = 0
    fields = ["kind", "violation", "amount", "conduct_points", "corrects_month", "note", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TeacherLedger)
class TeacherLedgerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "teacher__school"
    list_display = ["teacher", "month", "amount", "conduct_points"]
    list_select_related = ["teacher", "month", "month__term", "month__term__school_year"]
    list_filter = [("month", RELATED_ONLY)]
    search_fields = ["teacher__name", "teacher__staff_no"]
    readonly_fields = ["month", "teacher", "amount", "conduct_points"]
    inlines = [LedgerEntryInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "ledger__teacher__school"
    list_display = ["created_at", "ledger", "kind", "amount", "conduct_points", "corrects_month", "note"]
    list_select_related = ["ledger", "ledger__teacher", "ledger__month", "ledger__month__term",
                           "ledger__month__term__school_year", "corrects_month", "corrects_month__term",
                           "corrects_month__term__school_year"]
    list_filter = ["kind", ("ledger__month", RELATED_ONLY)]
    search_fields = ["ledger__teacher__name", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
