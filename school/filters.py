import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Grade, Role, SchoolClass, Staff, Student, TeachingGroup
from .permissions import restrict


class StyledFilterSet(django_filters.FilterSet):
    """Filters rendered with Bootstrap's small controls."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            small = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", small)
        return form


class StaffFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name or staff number"), method="filter_q")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, field_name="roles__role")
    group = django_filters.ModelChoiceFilter(label=_("Group"), field_name="groups", queryset=TeachingGroup.objects.none())
    young_or_new = django_filters.BooleanFilter(label=_("Young or new teachers"), method="filter_young_or_new")

    class Meta:
        model = Staff
        fields = ["q", "role", "group", "young_or_new"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = restrict(TeachingGroup.objects.all(), user, school="school", teacher="leader")

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(staff_no__icontains=value))

    def filter_young_or_new(self, queryset, name, value):
        condition = Q(is_young=True) | Q(is_new=True)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ClassFilter(StyledFilterSet):
    grade = django_filters.ModelChoiceFilter(label=_("Grade"), queryset=Grade.objects.none())

    class Meta:
        model = SchoolClass
        fields = ["grade"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["grade"].queryset = restrict(
            Grade.objects.select_related("school"), user, school="school", teacher=None
        )


class StudentFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name or student number"), method="filter_q")
    school_class = django_filters.ModelChoiceFilter(label=_("Class"), queryset=SchoolClass.objects.none())

    class Meta:
        model = Student
        fields = ["q", "school_class"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school_class"].queryset = restrict(
            SchoolClass.objects.select_related("grade"), user, school="grade__school", teacher=None
        )

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(student_no__icontains=value))
