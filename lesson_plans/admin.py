"""Lesson preparation in the admin, scoped to the user's schools, for looking things up and small corrections of
wording. What gives fines or changes a workflow's state (a check's figures and findings, a plan's status, a
summary's lateness, the missing plans) is written only through the services (the pages), so it is read-only here;
uploaded files are opened through the pages' permission-checked downloads, never a media URL."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import (
    ActivityCheck,
    Deadlines,
    EntryScore,
    GroupActivity,
    MissingPlan,
    PlanReview,
    PrepCheck,
    PrepCheckFinding,
    Selection,
    SelectionEntry,
    TeachingPlan,
    TermSummary,
)


class ReadOnlyInline(ScopedTabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def download_link(url_name):
    @admin.display(description=_("file"))
    def link(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), obj.file_name or _("download"))

    return link


@admin.register(Deadlines)
class DeadlinesAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "term__school_year__school"
    list_display = ["term", "plans_due", "summaries_due", "papers_due", "plans_recorded_at", "summaries_closed_at"]
    list_select_related = ["term__school_year"]
    readonly_fields = ["term", "plans_recorded_at", "summaries_closed_at"]

    def has_add_permission(self, request):
        return False


class PlanReviewInline(ReadOnlyInline):
    model = PlanReview
    fields = ["created_at", "reviewer", "stage", "verdict", "comment"]
    readonly_fields = fields


@admin.register(TeachingPlan)
class TeachingPlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["teacher", "subject", "school_class", "status", "submitted_at", "submissions", "school"]
    list_select_related = ["teacher", "subject", "school_class__grade", "school"]
    list_filter = ["status", ("term", RELATED_ONLY), ("subject", RELATED_ONLY)]
    search_fields = ["teacher__name", "teacher__staff_no", "file_name"]
    fields = ["school", "term", "teacher", "subject", "school_class", "status", "download", "file_size",
              "submitted_at", "first_submitted_at", "submissions"]
    readonly_fields = fields
    download = download_link("lesson_plans:plan-file")
    inlines = [PlanReviewInline]

    def has_add_permission(self, request):
        return False


@admin.register(MissingPlan)
class MissingPlanAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["teacher", "subject", "school_class", "due", "recorded_at", "school"]
    list_select_related = ["teacher", "subject", "school_class__grade", "school"]
    list_filter = [("term", RELATED_ONLY)]
    readonly_fields = ["school", "term", "teacher", "subject", "school_class", "due", "recorded_at", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FindingInline(ReadOnlyInline):
    model = PrepCheckFinding
    fk_name = "check_record"
    fields = ["code", "quantity", "unit_amount", "created_at", "superseded_at"]
    readonly_fields = fields


# A check's figures give its fines: they change only through the check's page (which keeps the findings in step).
CHECK_FIGURES = [
    "school", "term", "teacher", "checker", "round_kind", "month_number", "checked_on", "weekly_lessons",
    "lessons_taught_computed", "lessons_taught", "lessons_prepared", "lessons_ahead", "taught_without_plan",
    "below_requirement_amount", "copied_plan", "grade",
]


@admin.register(PrepCheck)
class PrepCheckAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["checked_on", "teacher", "checker", "round_kind", "month_number", "lessons_taught",
                    "lessons_prepared", "grade", "school"]
    list_select_related = ["teacher", "checker", "school"]
    list_filter = ["round_kind", "grade", ("term", RELATED_ONLY), ("school", RELATED_ONLY)]
    search_fields = ["teacher__name", "teacher__staff_no", "checker__name", "comments"]
    date_hierarchy = "checked_on"
    readonly_fields = CHECK_FIGURES
    inlines = [FindingInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActivityCheckInline(ScopedTabularInline):
    model = ActivityCheck
    extra = 0
    fields = ["leader", "comment", "checked_at"]
    readonly_fields = ["leader", "checked_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GroupActivity)
class GroupActivityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "group", "topic", "kind", "host", "school"]
    list_select_related = ["group", "host", "school"]
    list_filter = ["kind", ("term", RELATED_ONLY), ("group", RELATED_ONLY)]
    search_fields = ["topic", "minutes"]
    date_hierarchy = "date"
    fields = ["school", "term", "group", "date", "topic", "kind", "place", "host", "attendees", "minutes",
              "download", "created_by"]
    readonly_fields = ["school", "term", "group", "download", "created_by"]
    raw_id_fields = ["host", "attendees"]
    download = download_link("lesson_plans:activity-file")
    inlines = [ActivityCheckInline]

    def has_add_permission(self, request):
        return False


class EntryInline(ReadOnlyInline):
    model = SelectionEntry
    fields = ["subject", "title", "teacher", "nominated_by", "created_at"]
    readonly_fields = fields


@admin.register(Selection)
class SelectionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "per", "term", "school_year", "status", "school"]
    list_select_related = ["term__school_year", "school_year", "school"]
    list_filter = ["status", "kind", ("school", RELATED_ONLY)]
    fields = ["school", "school_year", "term", "per", "kind", "title", "subjects", "judges", "prizes", "entries_due",
              "status", "published_at", "created_by"]
    readonly_fields = ["school", "school_year", "term", "per", "kind", "status", "published_at", "created_by"]
    raw_id_fields = ["judges"]
    inlines = [EntryInline]

    def has_add_permission(self, request):
        return False


class ScoreInline(ReadOnlyInline):
    model = EntryScore
    fields = ["judge", "score", "scored_at"]
    readonly_fields = fields


@admin.register(SelectionEntry)
class SelectionEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "selection__school"
    list_display = ["title", "teacher", "subject", "selection", "created_at"]
    list_select_related = ["teacher", "subject", "selection"]
    list_filter = [("selection", RELATED_ONLY)]
    search_fields = ["title", "teacher__name"]
    fields = ["selection", "teacher", "subject", "title", "download", "nominated_by", "created_at"]
    readonly_fields = ["selection", "teacher", "subject", "download", "nominated_by", "created_at"]
    download = download_link("lesson_plans:entry-file")
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False


@admin.register(TermSummary)
class TermSummaryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["teacher", "kind", "term", "due", "submitted_at", "days_late", "school"]
    list_select_related = ["teacher", "term__school_year", "school"]
    list_filter = ["kind", ("term", RELATED_ONLY), ("school", RELATED_ONLY)]
    search_fields = ["teacher__name", "teacher__staff_no", "text"]
    fields = ["school", "term", "teacher", "kind", "due", "submitted_at", "days_late", "download", "text"]
    readonly_fields = ["school", "term", "teacher", "kind", "due", "submitted_at", "days_late", "download"]
    download = download_link("lesson_plans:summary-file")

    def has_add_permission(self, request):
        return False
