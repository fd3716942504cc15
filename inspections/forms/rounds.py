"""Forms of the rounds pages: the office opens a spot check or a special inspection; the office publishes a
round's summary (通报). Each takes its context (the school) through the constructor."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import Grade, Subject

from ..models import BY_HAND_KINDS, Checked, RoundRule


class RoundOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"),
                             choices=[(k.value, k.label) for k in BY_HAND_KINDS])
    title = forms.CharField(label=_("Title"), max_length=120, required=False,
                            help_text=_("Empty: named by its kind"))
    checklist = forms.MultipleChoiceField(label=_("What is checked"), choices=Checked.choices,
                                          widget=forms.CheckboxSelectMultiple)
    checker = forms.ChoiceField(label=_("Who checks"), choices=RoundRule.Checker.choices)
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.ModelChoiceField(label=_("Only this grade"), queryset=Grade.objects.none(), required=False)
    subject = forms.ModelChoiceField(label=_("Only this subject"), queryset=Subject.objects.none(), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["grade"].queryset = Grade.objects.filter(
            school__in=[school, *school.village_schools.all()]).select_related("school").order_by("school_id", "level")
        self.fields["subject"].queryset = Subject.objects.filter(school=school).order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", _("The round cannot be due before it opens."))
        return data


class RoundPublishForm(forms.Form):
    summary = forms.CharField(label=_("Summary (通报)"), widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("What was found, what was good, what must be corrected, and by when. "
                                          "Every member of staff reads it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
