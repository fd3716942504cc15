"""Exams in the admin, scoped to the user's schools. Scores and item scores change only through the import (which
keeps history), unit-test checks only through their page (which records the fines): here they are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import (
    Exam,
    ExportJob,
    GradeReport,
    Item,
    ItemScore,
    PanelMember,
    Paper,
    QualityForm,
    Score,
    ScoreImport,
    UnitTestCheck,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaperInline(ScopedTabularInline):
    model = Paper
    extra = 0
    fields = ["grade", "subject", "full_marks", "excellent_line", "pass_line", "low_line"]


@admin.register(Exam)
class ExamAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "held_on", "school", "term"]
    list_select_related = ["school", "term", "term__school_year"]
    list_filter = ["kind", ("school", RELATED_ONLY), ("term", RELATED_ONLY)]
    search_fields = ["name"]
    date_hierarchy = "held_on"
    inlines = [PaperInline]


class ItemInline(ScopedTabularInline):
    model = Item
    extra = 0
    fields = ["number", "label", "full_marks", "objective"]


class PanelMemberInline(ScopedTabularInline):
    model = PanelMember
    extra = 0


@admin.register(Paper)
class PaperAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "exam__school"
    list_display = ["exam", "grade", "subject", "full_marks", "excellent_line", "pass_line", "low_line"]
    list_select_related = ["exam", "grade", "subject"]
    list_filter = [("exam", RELATED_ONLY)]
    inlines = [ItemInline, PanelMemberInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "paper__exam__school"
    list_display = ["student", "paper", "score", "absent"]
    list_select_related = ["student", "paper", "paper__exam", "paper__grade", "paper__subject"]
    list_filter = [("paper__exam", RELATED_ONLY)]
    search_fields = ["student__name", "student__student_no"]


@admin.register(ItemScore)
class ItemScoreAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "item__paper__exam__school"
    list_display = ["student", "item", "score"]
    list_select_related = ["student", "item"]
    search_fields = ["student__name", "student__student_no"]


@admin.register(ScoreImport)
class ScoreImportAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    school_path = "exam__school"
    list_display = ["exam", "grade", "file_name", "imported_by", "imported_at", "created", "updated", "item_scores"]
    list_select_related = ["exam", "grade", "imported_by"]


@admin.register(QualityForm)
class QualityFormAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "paper__exam__school"
    list_display = ["paper", "teacher", "due_on", "submitted_at", "commented_at"]
    list_select_related = ["paper", "paper__exam", "paper__grade", "paper__subject", "teacher"]
    list_filter = [("paper__exam", RELATED_ONLY)]
    search_fields = ["teacher__name"]
    readonly_fields = ["submitted_at", "commented_at", "commented_by"]


@admin.register(GradeReport)
class GradeReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "exam__school"
    list_display = ["exam", "grade", "due_on", "presented_on"]
    list_select_related = ["exam", "grade"]


@admin.register(UnitTestCheck)
class UnitTestCheckAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["checked_on", "teacher", "school_class", "subject", "unit", "marked", "analysed", "checked_by"]
    list_select_related = ["teacher", "school_class", "school_class__grade", "subject", "checked_by"]
    list_filter = ["marked", "analysed", ("school", RELATED_ONLY)]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    school_path = "exam__school"
    list_display = ["exam", "grade", "status", "progress", "requested_by", "requested_at"]
    list_select_related = ["exam", "grade", "requested_by"]
    exclude = ["content"]
