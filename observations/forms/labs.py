"""Forms of the lab pages and of the term report. Each takes its context (the teacher and term, the office's
schools, the school's terms) through its constructor; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from school.selectors import today

from ..models import Experiment
from ..selectors.labs import grade_label

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExperimentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, experiment):
        grade = grade_label(experiment.grade_level)
        return f"{experiment.subject} · {grade} · {experiment.name} ({experiment.get_kind_display()})"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AutoSubmitSelect(forms.Select):
    """A filter's drop-down that reloads the page when changed (static/js/site.js; a button without scripts)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select form-select-sm", "data-autosubmit": ""} | (attrs or {}), choices)


class ExperimentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("The downloaded template, filled in: the 实验 sheet."),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class ExperimentFilterForm(forms.Form):
    """The experiments list: the term, and optionally one subject or grade."""

    term = forms.ModelChoiceField(queryset=None, required=False, label=_("Term"), empty_label=None,
                           widget=AutoSubmitSelect)
    subject = forms.ChoiceField(required=False, label=_("Subject"), widget=AutoSubmitSelect)
    grade = forms.TypedChoiceField(required=False, label=_("Grade"), coerce=int, empty_value=None,
                                   widget=AutoSubmitSelect)

    def __init__(self, *args, terms, subjects, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["subject"].choices = [("", _("All subjects"))] + [(str(s.pk), s.name) for s in subjects]
        self.fields["grade"].choices = [("", _("All grades"))] + [(level, grade_label(level)) for level in levels]


class LabSessionForm(forms.Form):
    """A teacher logs an experiment done: the experiments of the grades and subjects she teaches this term, her
    classes, the date (today by default, never in the future) and how it was done."""

    experiment = ExperimentChoiceField(queryset=None, label=_("Experiment"))
    school_class = forms.ModelChoiceField(queryset=None, label=_("Class"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Done as"), choices=Experiment.Kind.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, experiments, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experiment"].queryset = experiments
        # Choosing an experiment narrows the classes to those of its grade (htmx; checked again on saving).
        self.fields["experiment"].widget.attrs.update({
            "hx-get": reverse("observations:lab-session-create"), "hx-trigger": "change",
            "hx-target": "#class-field", "hx-swap": "outerHTML",
        })
        self.fields["school_class"].queryset = classes
        self.fields["date"].initial = today()
        self.fields["date"].widget.attrs["max"] = today().isoformat()


class ShortfallMonthForm(forms.Form):
    """The required-but-not-done page: a term and one of its school months."""

    term = forms.ModelChoiceField(queryset=None, label=_("Term"), empty_label=None,
                           widget=AutoSubmitSelect)
    month = forms.TypedChoiceField(label=_("School month"), coerce=int,
                                   widget=AutoSubmitSelect)

    def __init__(self, *args, terms, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["month"].choices = [
            (m.number, _("Month %(number)s (%(start)s – %(end)s)") % {"number": m.number, "start": m.start,
                                                                      "end": m.end})
            for m in months
        ]


class LabTidinessCheckForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=60, help_text=_("A lab or its store room"))
    teacher_in_charge = forms.ModelChoiceField(queryset=None, label=_("Teacher in charge"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    # Two explicit choices, never a checkbox: an unticked box would fine the teacher by mistake.
    tidy = forms.TypedChoiceField(
        label=_("Found"), coerce=lambda value: value == "1", widget=forms.RadioSelect,
        choices=[("1", _("Tidy and clean")), ("0", _("Untidy"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           help_text=_("Required when untidy: what was found"))

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher_in_charge"].queryset = teachers
        self.fields["date"].initial = today()
        self.fields["date"].widget.attrs["max"] = today().isoformat()


class ReportTermForm(forms.Form):
    term = forms.ModelChoiceField(queryset=None, label=_("Term"), empty_label=None,
                           widget=AutoSubmitSelect)

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
