"""Forms of the public answer pages (no login): the code typed from a slip, and the questionnaire itself. Every
error message says, in the respondent's language, what to fix; nothing posted outside the questionnaire's own
fields is read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import tokens
from ..models import COMMENT_MAX_LENGTH, SCALE_MAX, SCALE_MIN

SCALE_LABELS = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Fair"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code on your slip"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "inputmode": "latin", "placeholder": "ABCD-EFGH"}),
        error_messages={"required": _("Type the 8-character code printed on your slip.")},
    )

    def clean_code(self):
        code = tokens.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A code has 8 letters and digits, like ABCD-EFGH. Check it and type it again."))
        return code


class RatingField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(str(value), SCALE_LABELS[value]) for value in range(SCALE_MIN, SCALE_MAX + 1)],
            error_messages={"required": _("Choose a rating for this."),
                            "invalid_choice": _("Ratings run from 1 to 5: choose one of them.")},
            **kwargs,
        )


class AnswerForm(forms.Form):
    """One field per answer: `q<question>_t<teacher>` about a teacher, `q<question>` about the class."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            for item in section.items:
                if item.question.is_rating:
                    field = RatingField(label=item.question.text)
                else:
                    field = forms.CharField(
                        label=item.question.text, required=False, max_length=COMMENT_MAX_LENGTH,
                        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
                        error_messages={"max_length": _(
                            "Keep it to %(limit_value)d characters (you wrote %(show_value)d).")},
                    )
                self.fields[item.field_name] = field

    def grouped(self):
        """(section, [(item, bound field)]) in the order the page shows them."""
        return [(section, [(item, self[item.field_name]) for item in section.items]) for section in self.sections]

    def answers(self) -> dict[str, object]:
        return {item.field_name: self.cleaned_data.get(item.field_name)
                for section in self.sections for item in section.items}
