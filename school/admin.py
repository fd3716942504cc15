"""The Django admin, in Chinese, for every model: the teaching office's setup screens (calendar, subjects,
groups, periods). Lists are limited to the schools the user may see."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Grade,
    Holiday,
    Period,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffRole,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)
from .permissions import restrict
from .services import staff_issue_password


# How each model reaches its School, for scoping admin lists, filters and choices.
SCHOOL_PATHS = {
    School: "pk",
    SchoolYear: "school",
    Term: "school_year__school",
    Grade: "school",
    SchoolClass: "grade__school",
    Subject: "school",
    Period: "school",
    TeachingGroup: "school",
    Staff: "school",
    Student: "school_class__grade__school",
}


def scoped_choices(model, request):
    return restrict(model._default_manager.all(), request.user, school=SCHOOL_PATHS[model], teacher=None)


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the user's schools (pages and their inlines alike)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in SCHOOL_PATHS:
            kwargs["queryset"] = scoped_choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in SCHOOL_PATHS:
            kwargs["queryset"] = scoped_choices(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Restrict an admin list, its filters and its choices to the user's schools. `school_path` leads from the
    model to its School; list filters on relations should use admin.RelatedOnlyFieldListFilter."""

    school_path = "school"

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, school=self.school_path, teacher=None)


class ScopedTabularInline(ScopedChoicesMixin, admin.TabularInline):
    pass


RELATED_ONLY = admin.RelatedOnlyFieldListFilter


@admin.register(School)
class SchoolAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "pk"
    list_display = ["name", "code", "stage", "parent"]
    search_fields = ["name", "code"]


class HolidayInline(ScopedTabularInline):
    model = Holiday
    extra = 0


class TermInline(ScopedTabularInline):
    model = Term
    extra = 0
    fields = ["number", "start_date", "end_date", "midterm_date", "weeks_per_school_month"]


@admin.register(SchoolYear)
class SchoolYearAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "school", "start_date", "end_date"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "school_year__school"
    list_display = ["__str__", "start_date", "end_date", "midterm_date", "teaching_week_count"]
    list_select_related = ["school_year"]
    inlines = [HolidayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("holidays")


@admin.register(Grade)
class GradeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "level", "school"]
    list_filter = [("school", RELATED_ONLY)]


@admin.register(SchoolClass)
class SchoolClassAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "grade__school"
    list_display = ["__str__", "grade", "head_teacher"]
    list_select_related = ["grade", "head_teacher"]
    list_filter = [("grade__school", RELATED_ONLY), ("grade", RELATED_ONLY)]
    autocomplete_fields = ["head_teacher"]
    search_fields = ["grade__name"]


@admin.register(Subject)
class SubjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "order", "has_labs", "school"]
    list_editable = ["order", "has_labs"]
    search_fields = ["name", "code"]


@admin.register(Period)
class PeriodAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "start_time", "end_time", "school"]
    list_filter = [("school", RELATED_ONLY)]


@admin.register(TeachingGroup)
class TeachingGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "leader", "is_central", "school"]
    list_select_related = ["leader", "school"]
    filter_horizontal = ["subjects"]
    autocomplete_fields = ["leader"]


class StaffRoleInline(ScopedTabularInline):
    model = StaffRole
    extra = 0


@admin.register(Staff)
class StaffAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["staff_no", "name", "school", "is_young", "is_new", "is_active"]
    list_filter = [("school", RELATED_ONLY), "is_young", "is_new", "is_active", "roles__role"]
    list_select_related = ["school"]
    search_fields = ["staff_no", "name"]
    filter_horizontal = ["groups"]
    raw_id_fields = ["user"]
    inlines = [StaffRoleInline]
    actions = ["issue_passwords"]

    @admin.action(description=_("Issue new passwords to the selected staff"))
    def issue_passwords(self, request, queryset):
        lines = [
            f"{staff.staff_no} {staff.name}: {staff_issue_password(staff=staff)}"
            for staff in queryset.select_related("user")
        ]
        self.message_user(
            request,
            _("New passwords (shown once, hand them over in person): %(list)s") % {"list": "; ".join(lines)},
            messages.WARNING,
        )


@admin.register(Student)
class StudentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    school_path = "school_class__grade__school"
    list_display = ["student_no", "name", "school_class", "baseline_score", "is_active"]
    list_select_related = ["school_class", "school_class__grade"]
    list_filter = [("school_class__grade__school", RELATED_ONLY), ("school_class__grade", RELATED_ONLY), "is_active"]
    search_fields = ["student_no", "name"]
    autocomplete_fields = ["school_class"]


@admin.register(TimetableEntry)
class TimetableEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    school_path = "school_class__grade__school"
    list_display = ["term", "school_class", "weekday", "period", "subject", "teacher"]
    list_select_related = ["term", "term__school_year", "school_class", "school_class__grade", "subject", "teacher"]
    list_filter = [("term", RELATED_ONLY), "weekday"]
    autocomplete_fields = ["school_class", "teacher"]
