"""Forms of the homework pages. Each takes its context (whom she may inspect, what the teacher teaches, the weeks
of the list, the class's students) through its constructor; the rules are the services'."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from school.selectors import today

from .models import CRITERIA, INSPECTION_KINDS, HomeworkInspection, TutoringRecord, Verdict

DATE_INPUT = {"type": "date", "class": "form-control"}
TEXTAREA = {"rows": 2, "class": "form-control"}
NUMBER = {"class": "form-control", "inputmode": "numeric", "min": "0"}
CHECK = {"class": "form-check-input"}


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=dict(DATE_INPUT), format="%Y-%m-%d"), **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name}（{staff.staff_no}）"


ESSAY_CHOICES = [("", _("No essays in the sample")), ("yes", _("Yes")), ("no", _("No"))]


def _tristate(value):
    return {"yes": True, "no": False}.get(value)


class HomeworkInspectionForm(forms.Form):
    """A homework check on a phone: the teacher (fixed when it comes from the weekly list), the class and subject
    she teaches, the criteria as ticks, the gradings counted, the verdict and the talk."""

    teacher = StaffChoiceField(queryset=None, label=_("Teacher"), widget=forms.Select(attrs={"class": "form-select"}))
    lesson = forms.ChoiceField(
        label=_("Class and subject"), widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose a class and subject the teacher teaches this term.")})
    date = _date_field(_("Date of the check"))
    round_kind = forms.ChoiceField(label=_("Round"), choices=INSPECTION_KINDS,
                                   widget=forms.Select(attrs={"class": "form-select"}))
    notebooks_sampled = forms.IntegerField(label=_("Notebooks sampled"), min_value=1, max_value=200, initial=6,
                                           widget=forms.NumberInput(attrs=NUMBER | {"min": "1"}))
    essay_margin_comments = forms.ChoiceField(label=pgettext_lazy("homework criterion", "Essays have margin comments"),
                                              choices=ESSAY_CHOICES, required=False,
                                              widget=forms.Select(attrs={"class": "form-select"}))
    essay_closing_comments = forms.ChoiceField(
        label=pgettext_lazy("homework criterion", "Essays have closing comments"), choices=ESSAY_CHOICES,
        required=False, widget=forms.Select(attrs={"class": "form-select"}))
    graded_daily = forms.BooleanField(label=pgettext_lazy("homework criterion", "Graded every day"), required=False,
                                      initial=True, widget=forms.CheckboxInput(attrs=CHECK))
    period_start = _date_field(_("Gradings counted from"), required=False,
                               help_text=_("Empty: the first day of the school month."))
    gradings_counted = forms.IntegerField(label=_("Gradings counted"), min_value=0, max_value=1000, required=False,
                                          widget=forms.NumberInput(attrs=NUMBER),
                                          help_text=_("Graded assignments found in the notebooks over the period."))
    gradings_required = forms.IntegerField(
        label=_("Gradings required"), min_value=0, max_value=1000, required=False,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("Empty: as the school's rules count them (one a lesson taught, or one a day for a subject "
                    "graded daily)."))
    tutoring_checked = forms.BooleanField(label=_("I looked at the tutoring records too"), required=False,
                                          widget=forms.CheckboxInput(attrs=CHECK))
    tutoring_comment = forms.CharField(label=_("On the tutoring"), max_length=300, required=False,
                                       widget=forms.TextInput(attrs={"class": "form-control"}))
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label=_("What was found"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs=TEXTAREA))
    suggestions = forms.CharField(label=_("Suggestions"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs=TEXTAREA))
    discussed = forms.BooleanField(label=_("I talked it over with the teacher"), required=False,
                                   widget=forms.CheckboxInput(attrs=CHECK))
    discussed_on = _date_field(_("Talked on"), required=False)
    talk_notes = forms.CharField(label=_("Notes of the talk"), max_length=4000, required=False,
                                 widget=forms.Textarea(attrs=TEXTAREA))
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, teachers, taught, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.taught = {t.key: t for t in taught}
        self.fields["lesson"].choices = [("", "---------")] + [(t.key, str(t)) for t in taught]
        for name in CRITERIA:
            self.fields[name] = forms.BooleanField(
                label=HomeworkInspection._meta.get_field(name).verbose_name, required=False, initial=True,
                widget=forms.CheckboxInput(attrs=CHECK),
            )
        day = today().isoformat()
        for name in ("date", "discussed_on", "period_start"):
            self.fields[name].widget.attrs["max"] = day

    def criteria_fields(self):
        return [self[name] for name in CRITERIA]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > today():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean_lesson(self):
        value = self.cleaned_data["lesson"]
        if value not in self.taught:
            raise forms.ValidationError(_("Choose a class and subject the teacher teaches this term."))
        return self.taught[value]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "teacher": data["teacher"],
            "school_class": data["lesson"].school_class,
            "subject": data["lesson"].subject,
            "date": data["date"],
            "round_kind": data["round_kind"],
            "notebooks_sampled": data["notebooks_sampled"],
            "criteria": {name: data[name] for name in CRITERIA},
            "essay_margin_comments": _tristate(data["essay_margin_comments"]),
            "essay_closing_comments": _tristate(data["essay_closing_comments"]),
            "graded_daily": data["graded_daily"],
            "period_start": data["period_start"],
            "gradings_counted": data["gradings_counted"],
            "gradings_required": data["gradings_required"],
            "tutoring_checked": data["tutoring_checked"],
            "tutoring_comment": data["tutoring_comment"],
            "verdict": data["verdict"],
            "findings": data["findings"],
            "suggestions": data["suggestions"],
            "discussed": data["discussed"],
            "discussed_on": data["discussed_on"],
            "talk_notes": data["talk_notes"],
            "submission_key": data["submission_key"],
        }

    @staticmethod
    def new_key() -> uuid.UUID:
        return uuid.uuid4()


class TalkForm(forms.Form):
    """The inspector's talk with the teacher, recorded after the check."""

    discussed_on = _date_field(_("Talked on"))
    talk_notes = forms.CharField(label=_("Notes of the talk"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discussed_on"].initial = today()
        self.fields["discussed_on"].widget.attrs["max"] = today().isoformat()


class PlanItemForm(forms.Form):
    """The office places a teacher in a week of the list with an inspector (or moves an item)."""

    teacher = StaffChoiceField(queryset=None, label=_("Teacher"), widget=forms.Select(attrs={"class": "form-select"}))
    week_number = forms.TypedChoiceField(label=_("Week"), coerce=int,
                                         widget=forms.Select(attrs={"class": "form-select"}))
    inspector = StaffChoiceField(queryset=None, label=_("Inspector"), required=False,
                                 widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, teachers, inspectors, weeks, fixed_teacher=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["inspector"].queryset = inspectors
        self.fields["week_number"].choices = [
            (w.number, _("Week %(number)s (%(start)s – %(end)s)") % {"number": w.number, "start": w.start,
                                                                     "end": w.end})
            for w in weeks
        ]
        if fixed_teacher:
            del self.fields["teacher"]


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, student):
        if student.baseline_score is None:
            return student.name
        return _("%(name)s (baseline %(score)s)") % {"name": student.name,
                                                     "score": f"{student.baseline_score.normalize():f}"}


class TutoringForm(forms.Form):
    """A teacher logs tutoring: a class she teaches or heads, the students (the weakest by baseline first), what
    was tutored and how they are doing."""

    school_class = forms.ModelChoiceField(queryset=None, label=_("Class"),
                                          widget=forms.Select(attrs={"class": "form-select"}))
    date = _date_field(_("Date"))
    kind = forms.ChoiceField(label=_("For"), choices=TutoringRecord.Kind.choices, initial=TutoringRecord.Kind.STRUGGLING,
                             widget=forms.RadioSelect)
    students = StudentChoiceField(queryset=None, label=_("Students"),
                                  widget=forms.CheckboxSelectMultiple(attrs=CHECK))
    content = forms.CharField(label=_("What was tutored"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA))
    outcome = forms.CharField(label=_("How the students are doing"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, classes, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["students"].queryset = students
        self.fields["date"].initial = today()
        self.fields["date"].widget.attrs["max"] = today().isoformat()
