"""Forms of the observation log. They take their context (the observer, the rubric, the reviewee's notes) through
the constructor; the rules are the services' (services/log.py)."""

from __future__ import annotations

import uuid

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import ObservationKind
from school.filters import StyledFilterSet
from school.models import Period, Role, TeachingGroup

from ..models import NotesReview, Observation, RubricItem

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXTAREA = {"rows": 3, "class": "form-control"}


class ObservationNotesForm(forms.Form):
    """What the observer writes about a lesson: topic, kind, rubric scores, notes, and the talk afterwards."""

    topic = forms.CharField(label=_("Lesson topic"), max_length=200,
                            widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ObservationKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    suggestions = forms.CharField(label=_("Suggestions"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    discussed = forms.BooleanField(label=_("I talked it over with the teacher"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    discussed_on = forms.DateField(label=_("Talked on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, rubric: list[RubricItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for item in rubric:
            self.fields[self.score_name(item)] = forms.DecimalField(
                label=item.name,
                help_text=item.description,
                required=False,
                min_value=0,
                max_value=item.max_score,
                max_digits=5,
                decimal_places=1,
                widget=forms.NumberInput(attrs={
                    "class": "form-control", "inputmode": "decimal", "step": "0.5", "min": "0",
                    "max": f"{item.max_score.normalize():f}", "data-score": "",
                }),
            )

    @staticmethod
    def score_name(item: RubricItem) -> str:
        return f"score_{item.pk}"

    def score_fields(self):
        return [(item, self[self.score_name(item)]) for item in self.rubric]

    def scores(self) -> dict:
        """Rubric item id -> score, for the items scored."""
        return {
            item.pk: self.cleaned_data[self.score_name(item)]
            for item in self.rubric
            if self.cleaned_data.get(self.score_name(item)) is not None
        }

    def notes_data(self) -> dict:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "kind": data["kind"],
            "scores": self.scores(),
            "notes": data["notes"],
            "strengths": data["strengths"],
            "suggestions": data["suggestions"],
            "discussed": data["discussed"],
            "discussed_on": data["discussed_on"],
        }


def period_choices(periods: list[Period]) -> list[tuple[int, str]]:
    """The school's periods with their bell times; a school with none set up numbers eight periods."""
    if not periods:
        return [(n, _("Period %(number)s") % {"number": n}) for n in range(1, 9)]
    return [
        (p.number, _("Period %(number)s (%(start)s)") % {"number": p.number, "start": p.start_time.strftime("%H:%M")})
        for p in periods
    ]


class ObservationForm(ObservationNotesForm):
    """A new observation: the lesson (date, period, class: the teacher and subject follow from the timetable),
    then the notes. The hidden submission key makes a double submit one record."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    period = forms.TypedChoiceField(label=_("Period"), coerce=int,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    school_class = forms.ModelChoiceField(label=_("Class"), queryset=None,
                                          widget=forms.Select(attrs={"class": "form-select"}))
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    field_order = ["date", "period", "school_class", "topic", "kind"]

    def __init__(self, *args, classes, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["period"].choices = [("", "---------")] + period_choices(periods)
        today = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        self.fields["discussed_on"].widget.attrs["max"] = today.isoformat()

    @staticmethod
    def new_key() -> uuid.UUID:
        return uuid.uuid4()


class ObservationReplyForm(forms.Form):
    reply = forms.CharField(label=_("Your reply"), max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class NotesReviewForm(forms.Form):
    """A review of one person's observation notes: the notes reviewed (ticked), a verdict and a comment."""

    observations = forms.ModelMultipleChoiceField(
        label=_("Notes reviewed"), queryset=Observation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), choices=NotesReview.Verdict.choices,
                                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))

    def __init__(self, *args, notes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = notes
        # The labels come from the rows already fetched, not a query per note.
        self.fields["observations"].label_from_instance = lambda o: (
            f"{o.date:%m-%d} · {o.school_class} · {o.subject} · {o.teacher} · {o.topic}"
        )


class ObservationFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Teacher, observer or topic"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ObservationKind.choices, empty_label=_("Every kind"))
    acknowledged = django_filters.ChoiceFilter(
        label=_("Acknowledged"), method="filter_acknowledged", empty_label=_("Either"),
        choices=[("yes", _("Acknowledged")), ("no", _("Not yet acknowledged"))],
    )

    class Meta:
        model = Observation
        fields = ["q", "kind", "acknowledged"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(teacher__name__icontains=value) | Q(observer__name__icontains=value) | Q(topic__icontains=value)
        )

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=value != "yes")


QUOTA_SORT_CHOICES = [
    ("behind", _("Behind first")),
    ("name", _("Name")),
    ("done", _("Most observed")),
]


class QuotaFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Every role")), *Role.choices],
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    group = forms.ModelChoiceField(label=_("Group"), required=False, queryset=TeachingGroup.objects.none(),
                                   empty_label=_("Every group"),
                                   widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=QUOTA_SORT_CHOICES,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
