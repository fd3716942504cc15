"""Forms of the exam pages. Each takes its context (the office's schools, the exam's school, the term) through its
constructor; the rules are the services'."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inspections.models import ExamKind

from .models import Exam, GradeReport, PanelMember, Paper, QualityForm

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OBJECTIVE_WORDS = ("客观", "objective", "客观题")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExamCreateForm(forms.Form):
    """A new exam: its school (where the office manages several), term, kind, name, date, grades and subjects
    (one paper each), the papers' full marks, and what value-added compares with."""

    school = forms.ModelChoiceField(queryset=None, label=_("School"), empty_label=None)
    term = forms.ModelChoiceField(queryset=None, label=_("Term"), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExamKind.choices)
    baseline_kind = forms.ChoiceField(label=_("Baseline"), choices=[("", "—"), *Exam.BaselineKind.choices],
                                      required=False, help_text=_("Only for a baseline exam."))
    name = forms.CharField(label=_("Name"), max_length=100)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    grades = forms.ModelMultipleChoiceField(queryset=None, label=_("Grades"), widget=forms.CheckboxSelectMultiple)
    subjects = forms.ModelMultipleChoiceField(queryset=None, label=_("Subjects"),
                                              widget=forms.CheckboxSelectMultiple)
    full_marks = forms.DecimalField(label=_("Full marks of each paper"), initial=Decimal("100"), min_value=1,
                                    max_digits=6, decimal_places=2,
                                    help_text=_("Each paper's full marks and cut scores can be changed afterwards."))
    compare_with = forms.ModelChoiceField(queryset=None, label=_("Value-added against"), required=False,
                                          empty_label=_("The students' baseline scores"))

    def __init__(self, *args, schools, terms, grades, subjects, exams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["term"].queryset = terms
        self.fields["grades"].queryset = grades
        self.fields["grades"].label_from_instance = lambda g: f"{g.school.name} · {g.name}" if len(
            {x.school_id for x in grades}) > 1 else g.name
        self.fields["subjects"].queryset = subjects
        self.fields["compare_with"].queryset = exams

    def clean(self):
        data = super().clean()
        school, grades = data.get("school"), data.get("grades")
        if school is not None and grades and any(g.school_id != school.pk for g in grades):
            self.add_error("grades", _("Choose grades of the chosen school."))
        return data


class ExamUpdateForm(forms.ModelForm):
    class Meta:
        model = Exam
        fields = ["name", "held_on", "baseline_kind", "compare_with", "weight_mean", "weight_pass",
                  "weight_excellent", "weight_low", "band_width"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, exams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compare_with"].queryset = exams
        self.fields["compare_with"].empty_label = _("The students' baseline scores")


class PaperLinesForm(forms.ModelForm):
    class Meta:
        model = Paper
        fields = ["full_marks", "excellent_line", "pass_line", "low_line"]


def parse_items(text: str) -> list[tuple[str, Decimal, bool]]:
    """Lines such as "一、选择题 30 客观" or "17 12": a label, its full marks, and "客观" for an objective item."""
    items, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        objective = any(line.endswith(word) for word in OBJECTIVE_WORDS)
        for word in OBJECTIVE_WORDS:
            if line.endswith(word):
                line = line[: -len(word)].strip()
                break
        match = re.match(r"^(.*?)[\s,，]+(\d+(?:\.\d{1,2})?)$", line)
        if not match or not match.group(1).strip():
            errors.append(_("Line %(number)s: write the item's label and its full marks, e.g. “一、选择题 30”.")
                          % {"number": number})
            continue
        try:
            full = Decimal(match.group(2))
        except InvalidOperation:
            errors.append(_("Line %(number)s: the full marks are not a number.") % {"number": number})
            continue
        if full <= 0:
            errors.append(_("Line %(number)s: the full marks must be above 0.") % {"number": number})
            continue
        items.append((match.group(1).strip()[:20], full, objective))
    if errors:
        raise ValidationError(errors)
    return items


class ItemsForm(forms.Form):
    items = forms.CharField(
        label=_("Items"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item a line: its label and full marks, and 客观 for an objective item, e.g. “一、选择题 30 "
                    "客观”. The full marks must add up to the paper's."),
    )

    def clean_items(self):
        return parse_items(self.cleaned_data["items"])


class PanelMemberForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label=_("Staff member"))
    duty = forms.ChoiceField(label=_("Duty"), choices=PanelMember.Duty.choices)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class ItemMarkersForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None, label=_("Item"))
    markers = forms.ModelMultipleChoiceField(queryset=None, label=_("Markers"), required=False)

    def __init__(self, *args, items, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["markers"].queryset = staff


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("The downloaded template, filled in: the 成绩 sheet and any item sheets."),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class QualityFormForm(forms.ModelForm):
    class Meta:
        model = QualityForm
        fields = ["mastered", "problems", "measures", "student_opinions"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class GradeReportForm(forms.ModelForm):
    class Meta:
        model = GradeReport
        fields = ["summary", "trends", "measures", "presented_on"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "trends": forms.Textarea(attrs={"rows": 4}),
                   "measures": forms.Textarea(attrs={"rows": 4}), "presented_on": DateInput()}


class UnitTestCheckForm(forms.Form):
    teacher = forms.ModelChoiceField(queryset=None, label=_("Teacher"))
    school_class = forms.ModelChoiceField(queryset=None, label=_("Class"))
    subject = forms.ModelChoiceField(queryset=None, label=_("Subject"))
    unit = forms.CharField(label=_("Unit test"), max_length=100)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput())
    marked = forms.BooleanField(label=_("Marked by the teacher (not handed out as homework)"), required=False,
                                initial=True)
    analysed = forms.BooleanField(label=_("Scores analysed"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=500)

    def __init__(self, *args, teachers, classes, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["school_class"].queryset = classes
        self.fields["subject"].queryset = subjects
