from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import HomeworkInspection, HomeworkPlan, HomeworkPlanItem, TutoringRecord


@admin.register(HomeworkInspection)
class HomeworkInspectionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "teacher", "school_class", "subject", "inspector", "round_kind", "gradings_counted",
                    "gradings_required", "verdict"]
    list_select_related = ["teacher", "inspector", "school_class__grade", "subject"]
    list_filter = ["round_kind", "verdict", ("term", RELATED_ONLY)]
    search_fields = ["teacher__name", "inspector__name"]
    raw_id_fields = ["inspector", "teacher", "school_class"]


class HomeworkPlanItemInline(ScopedTabularInline):
    model = HomeworkPlanItem
    extra = 0
    raw_id_fields = ["teacher", "inspector", "inspection"]


@admin.register(HomeworkPlan)
class HomeworkPlanAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["school", "term", "times_per_teacher", "generated_at"]
    list_select_related = ["school", "term__school_year"]
    inlines = [HomeworkPlanItemInline]


@admin.register(TutoringRecord)
class TutoringRecordAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "teacher", "school_class", "kind"]
    list_select_related = ["teacher", "school_class__grade"]
    list_filter = ["kind", ("term", RELATED_ONLY)]
    search_fields = ["teacher__name", "content"]
    raw_id_fields = ["teacher", "school_class", "students"]
