"""Forms of teaching plans, deadlines and term summaries. They take their context through the constructor; the
rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Deadlines, PlanReview
from .common import CheckedFileMixin, DateInput, document_field


class PlanUploadForm(CheckedFileMixin, forms.Form):
    """Hand in (or resubmit) a teaching plan for one subject and class of her timetable."""

    slot = forms.ChoiceField(label=_("Subject and class"))
    file = document_field(label=_("Teaching plan"))

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {self.key(s.subject.pk, s.school_class.pk): s for s in slots if s.can_upload}
        self.fields["slot"].choices = [
            (key, f"{slot.subject} · {slot.school_class}") for key, slot in self.slots.items()
        ]

    @staticmethod
    def key(subject_id, class_id) -> str:
        return f"{subject_id}-{class_id}"

    def chosen(self):
        return self.slots[self.cleaned_data["slot"]]


class PlanReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        V = PlanReview.Verdict
        verdicts = (V.ACCEPTED, V.RETURNED) if office else (V.PASSED, V.RETURNED)
        self.fields["verdict"].choices = [(v.value, v.label) for v in verdicts]

    def clean(self):
        data = super().clean()
        if data.get("verdict") == PlanReview.Verdict.RETURNED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what to change: the teacher reads your comments."))
        return data


class DeadlinesForm(forms.ModelForm):
    class Meta:
        model = Deadlines
        fields = ["plans_due", "summaries_due", "papers_due"]
        widgets = {"plans_due": DateInput(), "summaries_due": DateInput(), "papers_due": DateInput()}


class SummaryForm(CheckedFileMixin, forms.Form):
    """A term summary or yearly paper: a file, text, or both."""

    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = document_field(required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Upload a file or write the text."))
        return data
