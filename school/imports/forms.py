"""The upload page's form: the workbook and the term its timetable belongs to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Term


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, term):
        return f"{term.school_year.school} · {term}" if self.show_school else str(term)


class RosterImportForm(forms.Form):
    """The term lists the terms of the calendars of the user's schools (their central schools')."""

    term = TermChoiceField(
        queryset=Term.objects.none(),
        required=False,
        label=_("Term of the timetable"),
        help_text=_("The 课程表 sheet replaces each of its classes' timetable for this term."),
    )
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("The downloaded template, filled in. Sheets: 教职工, 班级, 学生, 课程表; any of them."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["term"]
        field.queryset = terms
        field.show_school = len({t.school_year.school_id for t in terms}) > 1
        field.empty_label = _("The current term")
