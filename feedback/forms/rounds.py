"""Forms of the office's round pages. Each takes its choices (the calendar's terms, the school's questionnaires
and classes, the class's students) through its constructor."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Kind, Moderation, Round


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} · {obj.name}"


class RoundCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answered by"), choices=Kind.choices)
    name = forms.CharField(label=pgettext_lazy("title", "Name"), max_length=Round._meta.get_field("name").max_length)
    term = forms.ModelChoiceField(label=_("Term"), queryset=None, empty_label=None)
    questionnaire = QuestionnaireChoiceField(label=_("Questionnaire"), queryset=None)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput(),
                                help_text=_("Links stop working at the end of this day."))
    sample_size = forms.IntegerField(label=_("Respondents per class"), min_value=1, max_value=100)
    classes = forms.ModelMultipleChoiceField(label=_("Classes"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, terms, questionnaires, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["questionnaire"].queryset = questionnaires
        self.fields["classes"].queryset = classes
        self.fields["classes"].label_from_instance = (
            lambda c: f"{c.grade.school.name} {c}" if c.grade.school.parent_id else str(c))

    def clean(self):
        data = super().clean()
        questionnaire, kind = data.get("questionnaire"), data.get("kind")
        if questionnaire is not None and kind and questionnaire.kind != kind:
            self.add_error("questionnaire", _("This questionnaire is for %(kind)s.") % {
                "kind": questionnaire.get_kind_display()})
        return data


class RoundUpdateForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("title", "Name"), max_length=Round._meta.get_field("name").max_length)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput(),
                                help_text=_("Links stop working at the end of this day."))


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.student_no} {obj.name}"


class SampleForm(forms.Form):
    students = StudentChoiceField(label=_("Respondents"), queryset=None, required=False,
                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students


class SlipsForm(forms.Form):
    """Which slips to print: the whole round, one class, or one respondent (a lost slip)."""

    round_class = forms.IntegerField(required=False, widget=forms.HiddenInput)
    invitation = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[(Moderation.APPROVED, _("Show")), (Moderation.REJECTED, _("Hide")),
                                          (Moderation.PENDING, _("Undecided"))])
    answers = forms.MultipleChoiceField(choices=(), required=True,
                                        error_messages={"required": _("Choose at least one comment.")})

    def __init__(self, *args, answer_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = [(str(pk), str(pk)) for pk in answer_ids]
        self.fields["answers"].error_messages["invalid_choice"] = _(
            "These comments are not of this round. Reload the page.")
