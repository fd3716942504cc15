"""Forms of research-group activities and excellent-work selections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import Per, SelectionKind

from ..models import GroupActivity
from .common import CheckedFileMixin, DateInput, StaffChoiceField, StaffMultipleChoiceField, document_field


class ActivityForm(forms.Form):
    """Schedule an activity (the group is chosen when creating), or change it."""

    group = forms.ModelChoiceField(label=_("Group"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupActivity.Kind.choices)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    host = StaffChoiceField(label=_("Host"), queryset=None, required=False)

    def __init__(self, *args, groups=None, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups
        self.fields["host"].queryset = hosts

    def activity_data(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("date", "topic", "kind", "place", "host")} | {
            "place": data.get("place") or ""}


class ActivityRecordForm(CheckedFileMixin, ActivityForm):
    """After the activity: who came and the record (minutes, and optionally a file)."""

    attendees = StaffMultipleChoiceField(label=_("Present"), queryset=None, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("Record"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    file = document_field(required=False, label=_("Record file"))
    remove_file = forms.BooleanField(label=_("Remove the record file"), required=False)

    def __init__(self, *args, candidates, has_file: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = candidates
        if not has_file:
            del self.fields["remove_file"]

    def activity_data(self) -> dict:
        data = self.cleaned_data
        return super().activity_data() | {
            "attendees": list(data.get("attendees") or []), "minutes": data.get("minutes") or "",
            "upload": data.get("file") or None, "remove_file": bool(data.get("remove_file")),
        }


class ActivityCheckForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SelectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is selected"))
    title = forms.CharField(label=_("Title"), max_length=120)
    per = forms.ChoiceField(label=_("Held"), choices=[(Per.TERM, Per.TERM.label), (Per.YEAR, Per.YEAR.label)])
    subjects = forms.ModelMultipleChoiceField(label=_("Subjects"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("None: every subject"))
    judges = StaffMultipleChoiceField(label=_("Judges"), queryset=None, widget=forms.SelectMultiple(
        attrs={"size": 8}))
    prizes = forms.IntegerField(label=_("Winning places per subject"), min_value=1, max_value=50, initial=3)
    entries_due = forms.DateField(label=_("Entries due"), required=False, widget=DateInput())

    def __init__(self, *args, kinds, subjects, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, SelectionKind(k).label) for k in kinds]
        self.fields["subjects"].queryset = subjects
        self.fields["judges"].queryset = judges


class EntryForm(CheckedFileMixin, forms.Form):
    teacher = StaffChoiceField(label=_("Author"), queryset=None)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = document_field()

    def __init__(self, *args, teachers, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["subject"].queryset = subjects


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=4, decimal_places=1,
                               widget=forms.NumberInput(attrs={"class": "form-control form-control-sm",
                                                               "inputmode": "decimal", "step": "0.5",
                                                               "min": "0", "max": "100"}))
