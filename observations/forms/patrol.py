"""Forms of the daily patrol, attendance incidents and lesson swaps. They check the shape of the input; the rules
live in `observations.services.patrol`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import Staff

from ..models import AttendanceIncident, PatrolMark
from ..selectors.patrol import NOTE_STATUSES, periods_for

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatrolSlotForm(forms.Form):
    """Which day and period the patrol page shows (a GET form; each falls back to now). The school is the view's."""

    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    period = forms.IntegerField(label=_("Period"), required=False, min_value=1)


class PatrolMarkForm(forms.Form):
    """One tap of the patrol: what was found in a classroom (the class is chosen by the view, within the user's
    schools)."""

    date = forms.DateField(label=_("Date"))
    period = forms.IntegerField(label=_("Period"), min_value=1)
    status = forms.ChoiceField(label=_("Found"), choices=PatrolMark.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        status, note = cleaned.get("status"), (cleaned.get("note") or "").strip()
        if status in NOTE_STATUSES and not note:
            message = (
                _("Say who was in the room instead.") if status == PatrolMark.Status.UNAPPROVED_SWAP
                else _("Describe the issue.")
            )
            self.add_error("note", message)
        return cleaned


class PatrolMarkAllForm(forms.Form):
    date = forms.DateField(label=_("Date"))
    period = forms.IntegerField(label=_("Period"), min_value=1)


class PatrolSummaryForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)


class IncidentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *AttendanceIncident.Kind.choices]
    )
    unreported = forms.BooleanField(label=_("Not yet reported to the director"), required=False)


class IncidentForm(forms.ModelForm):
    """The office's analysis of an incident and its report to the director (V2.II.2)."""

    reported = forms.BooleanField(label=_("Reported to the director"), required=False)

    class Meta:
        model = AttendanceIncident
        fields = ["cause"]
        widgets = {"cause": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"cause": _("Why it happened, as the office found out.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported"].initial = self.instance.reported_at is not None


class SwapRequestForm(forms.Form):
    """A teacher asks for a swap of one of her lessons (V2.II.3)."""

    SUBSTITUTE, EXCHANGE = "substitute", "exchange"
    kind = forms.ChoiceField(
        label=_("What kind of swap"),
        choices=[(SUBSTITUTE, _("Another teacher teaches my lesson")),
                 (EXCHANGE, _("Exchange lessons with another teacher"))],
        initial=SUBSTITUTE,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Date of my lesson"), widget=DATE_INPUT)
    period = forms.TypedChoiceField(label=_("Period of my lesson"), coerce=int, choices=())
    substitute = forms.ModelChoiceField(label=_("Other teacher"), queryset=Staff.objects.none())
    exchange_date = forms.DateField(
        label=_("Date of her lesson I teach in return"), required=False, widget=DATE_INPUT,
        help_text=_("Only for an exchange."),
    )
    exchange_period = forms.TypedChoiceField(
        label=_("Period of her lesson I teach in return"), coerce=int, empty_value=None, required=False, choices=(),
        help_text=_("Only for an exchange."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, requester: Staff | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester = requester
        periods = [(p.number, str(p)) for p in periods_for(requester.school)] if requester else []
        self.fields["period"].choices = periods
        self.fields["exchange_period"].choices = [("", "—"), *periods]
        if requester is not None:
            self.fields["substitute"].queryset = (
                Staff.objects.filter(school_id=requester.school_id, is_active=True)
                .exclude(pk=requester.pk)
                .order_by("staff_no")
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == self.EXCHANGE:
            if not cleaned.get("exchange_date"):
                self.add_error("exchange_date", _("An exchange needs the date of the other teacher's lesson."))
            if not cleaned.get("exchange_period"):
                self.add_error("exchange_period", _("An exchange needs the period of the other teacher's lesson."))
        else:
            cleaned["exchange_date"] = cleaned["exchange_period"] = None
        return cleaned


class SwapDecisionForm(forms.Form):
    note = forms.CharField(label=_("Office's note"), max_length=300, required=False)
