"""Forms of the notifications pages: one's own preferences; the office's group robot."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import GroupRobot


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Send me notifications by email"), required=False)
    weekly_digest = forms.BooleanField(label=_("Send me a weekly digest on Monday morning"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class GroupRobotForm(forms.Form):
    flavour = forms.ChoiceField(label=_("Kind of robot"), choices=GroupRobot.Flavour.choices)
    url = forms.URLField(label=_("Webhook address"), max_length=500, assume_scheme="https",
                         help_text=_("The address the group chat gives when a robot is added to it."))
    enabled = forms.BooleanField(label=_("Post to the group"), required=False, initial=True)
    post_announcements = forms.BooleanField(label=_("Post announcements (summaries published)"), required=False,
                                            initial=True)
    post_reminders = forms.BooleanField(label=_("Post reminders and nudges"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter the robot's http or https address."))
        return url
