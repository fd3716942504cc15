"""Forms of the questionnaire pages: the questionnaire's own fields and its questions as a formset."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ..models import Kind, Question, Questionnaire, QuestionType
from ..services.questionnaires import MAX_QUESTIONS, QuestionIn


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["kind", "name", "intro", "active"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = Kind.choices


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=Question._meta.get_field("text").max_length,
                           required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices, initial=QuestionType.RATING,
                             required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    per_teacher = forms.BooleanField(label=_("About every teacher"), required=False, initial=True,
                                     widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class BaseQuestionFormSet(forms.BaseFormSet):
    def questions(self) -> list[QuestionIn]:
        """The filled rows in order (empty rows and rows ticked for deletion left out)."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not (data.get("text") or "").strip():
                continue
            kind = data.get("type") or QuestionType.RATING
            rows.append(QuestionIn(data["text"], kind, bool(data.get("per_teacher"))))
        return rows


QuestionFormSet = formset_factory(QuestionForm, formset=BaseQuestionFormSet, extra=3, can_delete=True,
                                  max_num=MAX_QUESTIONS, validate_max=True)


def question_initial(questionnaire: Questionnaire | None) -> list[dict]:
    if questionnaire is None:
        return []
    return [{"text": q.text, "type": q.type, "per_teacher": q.per_teacher}
            for q in questionnaire.questions.order_by("order", "pk")]
