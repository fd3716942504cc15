"""Forms of the forum pages: the forum and the opinions on each teacher (a formset)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Forum, ForumOpinion, Kind
from ..services.forums import OpinionIn
from .rounds import DateInput


class ForumForm(forms.Form):
    kind = forms.ChoiceField(label=_("With"), choices=[(Kind.STUDENT, _("Students")), (Kind.PARENT, _("Parents"))])
    date = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=pgettext_lazy("forum", "Topic"), max_length=Forum._meta.get_field("topic").max_length)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=Forum._meta.get_field("participants").help_text)
    participant_count = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=1000)
    classes = forms.ModelMultipleChoiceField(label=_("Classes"), queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    hosts = forms.ModelMultipleChoiceField(label=_("Held by"), queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    summary = forms.CharField(label=_("Opinions on teaching in general"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, classes, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].queryset = classes
        self.fields["hosts"].queryset = staff


class OpinionForm(forms.Form):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=None, required=False)
    opinion = forms.CharField(label=_("Opinions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    feedback = forms.CharField(label=ForumOpinion._meta.get_field("feedback").verbose_name, required=False,
                               widget=forms.Textarea(attrs={"rows": 1}))
    fed_back_on = forms.DateField(label=_("Fed back on"), required=False, widget=DateInput())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = staff

    def clean(self):
        data = super().clean()
        if data.get("teacher") is None and (data.get("opinion") or "").strip():
            self.add_error("teacher", _("Choose the teacher these opinions are about."))
        if data.get("teacher") is not None and not (data.get("opinion") or "").strip():
            self.add_error("opinion", _("Write the opinions on this teacher."))
        return data


class BaseOpinionFormSet(forms.BaseFormSet):
    def __init__(self, *args, staff, **kwargs):
        self.staff = staff
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"staff": self.staff}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, staff=self.staff, renderer=self.renderer)
        self.add_fields(form, None)
        return form

    def clean(self):
        seen = set()
        for form in self.forms:
            teacher = (getattr(form, "cleaned_data", None) or {}).get("teacher")
            if teacher is None:
                continue
            if teacher.pk in seen:
                raise forms.ValidationError(_("%(name)s is listed twice: put all the opinions on one teacher together.")
                                            % {"name": teacher})
            seen.add(teacher.pk)

    def opinions(self) -> list[OpinionIn]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("teacher") is None:
                continue
            rows.append(OpinionIn(teacher=data["teacher"], opinion=data.get("opinion") or "",
                                  follow_up=data.get("follow_up") or "", feedback=data.get("feedback") or "",
                                  fed_back_on=data.get("fed_back_on")))
        return rows


OpinionFormSet = formset_factory(OpinionForm, formset=BaseOpinionFormSet, extra=3, max_num=200)
