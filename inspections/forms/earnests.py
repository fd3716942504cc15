"""The six-earnests evaluation form (V4.III): a grade and a comment for each earnest, and overall."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Earnest, EarnestGrade

PARTS = [*Earnest.choices, ("overall", _("Overall"))]


class EvaluationForm(forms.Form):
    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in PARTS:
            self.fields[f"{code}_grade"] = forms.ChoiceField(
                label=label, choices=[("", "—"), *EarnestGrade.choices], required=code != "overall")
            self.fields[f"{code}_comment"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{code}_grade"].required = code == "overall"
            if evaluation is not None:
                self.initial.setdefault(f"{code}_grade", evaluation.grade_of(code))
                self.initial.setdefault(f"{code}_comment", evaluation.comment_of(code))

    def parts(self):
        """(label, grade field, comment field) for each part, for the template."""
        return [(label, self[f"{code}_grade"], self[f"{code}_comment"]) for code, label in PARTS]

    def grades(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{code}_grade", "") for code, _label in PARTS}

    def comments(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{code}_comment", "") for code, _label in PARTS}
