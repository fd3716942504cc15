from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import (
    AttendanceIncident,
    Experiment,
    LabSession,
    LabShortfall,
    LabTidinessCheck,
    LessonSwap,
    NotesReview,
    Observation,
    ObservationScore,
    Patrol,
    PatrolMark,
    RubricItem,
)


@admin.register(RubricItem)
class RubricItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "max_score", "order", "active", "school"]
    list_editable = ["max_score", "order", "active"]
    list_filter = [("school", RELATED_ONLY)]


class ObservationScoreInline(ScopedTabularInline):
    model = ObservationScore
    extra = 0


@admin.register(Observation)
class ObservationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "period", "school_class", "subject", "teacher", "observer", "kind", "total_score"]
    list_select_related = ["school_class__grade", "subject", "teacher", "observer"]
    list_filter = ["kind", ("term", RELATED_ONLY)]
    search_fields = ["teacher__name", "observer__name", "topic"]
    raw_id_fields = ["observer", "teacher", "school_class", "timetable_entry"]
    inlines = [ObservationScoreInline]


@admin.register(NotesReview)
class NotesReviewAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "reviewee__school"
    list_display = ["date", "reviewer", "reviewee", "verdict"]
    list_select_related = ["reviewer", "reviewee"]
    raw_id_fields = ["reviewer", "reviewee", "observations"]


@admin.register(LessonSwap)
class LessonSwapAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "period", "school_class", "teacher", "substitute", "status"]
    list_select_related = ["school_class__grade", "teacher", "substitute"]
    list_filter = ["status"]
    raw_id_fields = ["teacher", "substitute", "requested_by", "school_class", "paired_with"]


class PatrolMarkInline(ScopedTabularInline):
    model = PatrolMark
    extra = 0
    raw_id_fields = ["school_class", "expected_teacher", "swap"]


@admin.register(Patrol)
class PatrolAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "period", "school", "patroller"]
    list_select_related = ["school", "patroller"]
    inlines = [PatrolMarkInline]


@admin.register(AttendanceIncident)
class AttendanceIncidentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "period", "teacher", "kind", "reported_at"]
    list_select_related = ["teacher"]
    list_filter = ["kind"]
    raw_id_fields = ["mark", "teacher"]


@admin.register(Experiment)
class ExperimentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "subject", "grade_level", "term_number", "kind", "month_number"]
    list_select_related = ["subject"]
    list_filter = [("subject", RELATED_ONLY), "grade_level", "term_number", "kind"]


@admin.register(LabSession)
class LabSessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "school_class__grade__school"
    list_display = ["date", "experiment", "school_class", "teacher", "kind"]
    list_select_related = ["experiment", "school_class__grade", "teacher"]
    raw_id_fields = ["experiment", "school_class", "teacher"]


@admin.register(LabShortfall)
class LabShortfallAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "school_class__grade__school"
    list_display = ["experiment", "school_class", "teacher", "month_number"]
    list_select_related = ["experiment", "school_class__grade", "teacher"]
    raw_id_fields = ["experiment", "school_class", "teacher"]


@admin.register(LabTidinessCheck)
class LabTidinessCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "room", "teacher_in_charge", "tidy"]
    list_select_related = ["teacher_in_charge"]
    raw_id_fields = ["teacher_in_charge", "checked_by"]
