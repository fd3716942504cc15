import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from school.filters import StyledFilterSet
from school.permissions import scope_for, visible_staff

from . import selectors
from .models import Violation


class ViolationFilter(StyledFilterSet):
    """The fines list's filters. The term defaults to the current one (the view supplies it); the months, the
    teachers and the findings offered are those of the user's calendar and scope."""

    term = django_filters.ModelChoiceFilter(label=_("Term"), queryset=None, empty_label=_("Every term"))
    month_number = django_filters.TypedChoiceFilter(label=_("School month"), choices=(), coerce=int)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Violation.Status.choices)
    teacher = django_filters.ModelChoiceFilter(label=_("Teacher"), queryset=None)
    code = django_filters.ChoiceFilter(label=_("Finding"), choices=())
    # The dashboards' drill-down: the findings of one group's members, of one school.
    group = django_filters.NumberFilter(label=_("Group"), method="filter_group", widget=forms.HiddenInput)
    school = django_filters.NumberFilter(label=_("School"), field_name="school_id", widget=forms.HiddenInput)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Violation
        fields = ["term", "month_number", "status", "teacher", "code", "group", "school", "date_from", "date_to"]

    def __init__(self, *args, user=None, root=None, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["term"].queryset = selectors.calendar_terms(root)
        self.filters["month_number"].extra["choices"] = [
            (m.number, _("Month %(number)s (%(start)s – %(end)s)") % {
                "number": m.number, "start": f"{m.start:%m-%d}", "end": f"{m.end:%m-%d}"})
            for m in (term.school_months() if term is not None else [])
        ]
        self.filters["code"].extra["choices"] = selectors.finding_codes(root)
        scope = scope_for(user)
        if scope.is_school_wide or scope.is_group_leader:
            self.filters["teacher"].queryset = visible_staff(user).filter(is_active=True).order_by("school_id",
                                                                                                   "staff_no")
        else:
            # A teacher sees only her own findings: choosing a teacher means nothing to her.
            del self.filters["teacher"]

    def filter_group(self, queryset, name, value):
        return queryset.filter(teacher__groups=value)
