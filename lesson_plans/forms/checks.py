"""The lesson-preparation check form and the sampling list's choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import PREP_ROUND_KINDS, PrepGrade, RoundKind
from .common import DateInput, StaffChoiceField

NUMBER = {"class": "form-control", "inputmode": "numeric", "min": "0"}
QUALITY = ("standard_format", "three_dimensions", "student_centred", "reflection")
FLAGS = ("copied_plan",)
FIGURES = ("lessons_prepared", "lessons_ahead", *QUALITY, "copied_plan", "taught_without_plan", "grade",
           "comments", "below_requirement_amount")


def month_choices(months) -> list[tuple[int, str]]:
    return [(m.number, _("School month %(number)s (%(start)s – %(end)s)") % {
        "number": m.number, "start": f"{m.start:%m-%d}", "end": f"{m.end:%m-%d}"}) for m in months]


class PrepCheckForm(forms.Form):
    """A check: whose, which round, the figures (lessons taught default to the timetable's count), the quality
    items, the flags, the grade and comments; on a monthly round, where the policy has it, a discretionary fine."""

    teacher = StaffChoiceField(label=_("Teacher"), queryset=None, widget=forms.Select(attrs={"class": "form-select"}))
    round_kind = forms.ChoiceField(label=_("Round"), widget=forms.Select(attrs={"class": "form-select"}))
    month_number = forms.TypedChoiceField(label=_("School month"), coerce=int, required=False, empty_value=None,
                                          widget=forms.Select(attrs={"class": "form-select"}))
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput(attrs={"class": "form-control"}))
    lessons_taught = forms.IntegerField(
        label=_("Lessons taught"), min_value=0, required=False,
        help_text=_("Leave empty to use the count from the timetable."), widget=forms.NumberInput(attrs=NUMBER),
    )
    lessons_prepared = forms.IntegerField(label=_("Lessons prepared"), min_value=0,
                                          widget=forms.NumberInput(attrs=NUMBER))
    lessons_ahead = forms.IntegerField(label=_("Lessons prepared ahead"), min_value=0, initial=0,
                                       widget=forms.NumberInput(attrs=NUMBER),
                                       help_text=_("Lessons prepared beyond those taught so far."))
    standard_format = forms.BooleanField(label=_("Careful, standard format"), required=False)
    three_dimensions = forms.BooleanField(label=_("The three dimensions"), required=False,
                                          help_text=_("Knowledge and skills; process and method; attitudes and "
                                                      "values"))
    student_centred = forms.BooleanField(label=_("Student-centred design"), required=False)
    reflection = forms.BooleanField(label=_("Post-lesson reflection"), required=False)
    copied_plan = forms.BooleanField(label=_("Copied an existing plan"), required=False)
    taught_without_plan = forms.IntegerField(label=_("Lessons taught without a plan"), min_value=0, initial=0,
                                             widget=forms.NumberInput(attrs=NUMBER))
    grade = forms.ChoiceField(label=pgettext_lazy("preparation grade", "Grade"), choices=PrepGrade.choices,
                              widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Comments"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    below_requirement_amount = forms.DecimalField(
        label=_("Work below requirement: fine (yuan)"), min_value=0, max_digits=8, decimal_places=2,
        required=False, help_text=_("Monthly checks only; decided case by case. Leave empty for none."),
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal", "min": "0", "step": "0.5"}),
    )

    def __init__(self, *args, teachers=None, rounds=(), months=(), discretionary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is None:
            del self.fields["teacher"]
        else:
            self.fields["teacher"].queryset = teachers
        labels = dict((k.value, k.label) for k in PREP_ROUND_KINDS)
        self.fields["round_kind"].choices = [(k, labels[k]) for k in rounds or labels]
        self.fields["month_number"].choices = [("", "---------")] + month_choices(months)
        if not discretionary:
            del self.fields["below_requirement_amount"]

    def clean(self):
        data = super().clean()
        if data.get("round_kind") == RoundKind.MONTHLY and not data.get("month_number"):
            self.add_error("month_number", _("Choose the school month this monthly check is for."))
        return data

    def check_data(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in FIGURES if name in self.fields}
        values.setdefault("below_requirement_amount", None)
        values["comments"] = values.get("comments") or ""
        return values | {
            "round_kind": data["round_kind"],
            "month_number": data.get("month_number") if data["round_kind"] == RoundKind.MONTHLY else None,
            "checked_on": data["checked_on"],
            "lessons_taught": data.get("lessons_taught"),
        }

    def quality_fields(self):
        return [self[name] for name in QUALITY]


class SamplingForm(forms.Form):
    month = forms.TypedChoiceField(label=_("School month"), coerce=int, required=False, empty_value=None)
    size = forms.IntegerField(label=_("How many to check"), min_value=1, max_value=500, required=False,
                              widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(months)
        self.fields["month"].widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})
