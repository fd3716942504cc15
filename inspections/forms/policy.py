"""Forms of the policy page: the preset chooser, the policy's fields in fieldsets, and one inline formset per
kind of row. JSON list fields are edited as checkboxes of their choices."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from school.models import Subject

from ..models import (
    Checked,
    ExamKind,
    FineRule,
    ObservationKind,
    ObservationQuota,
    Policy,
    Preset,
    ReviewRule,
    RoundRule,
    SelectionKind,
)

# The policy's fields, grouped as the rulebooks group them. The edit form and the detail page both follow it;
# tests check that it names every editable field.
POLICY_FIELDSETS = (
    (_("Name of the rules"), ("name",)),
    (_("Lesson preparation"), ("young_new_first", "advance_prep_weeks", "prep_threshold")),
    (
        _("Research-group activities"),
        ("leader_groups_min", "leader_groups_max", "leader_activities_min", "leader_activities_max"),
    ),
    (_("Excellent-work selections"), ("selection_per", "selection_kinds")),
    (_("Class observation"), ("unannounced_observation", "assessment_team", "observation_reports_per_term")),
    (
        _("Homework"),
        (
            "homework_checks_min",
            "homework_checks_max",
            "homework_checks_per",
            "homework_weekly_list",
            "homework_checks_per_teacher",
            "daily_graded_subjects",
            "gradings_equal_lessons",
        ),
    ),
    (_("Classroom and timetable"), ("daily_patrol", "swaps_through_office")),
    (
        _("Exams and quality analysis"),
        ("spot_tests", "quality_form_after", "quality_form_days", "analysis_after", "analysis_days",
         "scores_archived"),
    ),
    (
        _("Student and parent evaluation"),
        ("student_sample_min", "student_sample_max", "parent_sample_min", "parent_sample_max", "forums_min",
         "forums_max", "parent_meetings"),
    ),
    (
        _("End of term, fines and deadlines"),
        ("six_earnests", "term_summary", "yearly_paper", "village_director_checks", "appeal_days",
         "reminder_days"),
    ),
)
POLICY_FORM_FIELDS = tuple(name for _legend, names in POLICY_FIELDSETS for name in names)

# (at least, at most) pairs that the database also refuses out of order.
RANGES = (
    ("leader_groups_min", "leader_groups_max"),
    ("leader_activities_min", "leader_activities_max"),
    ("homework_checks_min", "homework_checks_max"),
    ("student_sample_min", "student_sample_max"),
    ("parent_sample_min", "parent_sample_max"),
    ("forums_min", "forums_max"),
)


def _checkboxes(choices, label, *, required=False):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Preset"), choices=Preset.choices)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PolicyForm(forms.ModelForm):
    """Every field of the policy. The school's subjects (by name) are the choices of daily grading."""

    selection_kinds = _checkboxes(SelectionKind.choices, _("what is selected"))
    daily_graded_subjects = _checkboxes((), _("subjects graded every day"))
    quality_form_after = _checkboxes(ExamKind.choices, _("teachers' quality-analysis forms after"))
    analysis_after = _checkboxes(ExamKind.choices, _("grade analysis presented after"))

    class Meta:
        model = Policy
        fields = POLICY_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = list(Subject.objects.filter(school_id=self.instance.school_id).values_list("name", flat=True))
        # A subject named by the preset that the school does not have stays a choice, so saving keeps it.
        subjects += [name for name in self.instance.daily_graded_subjects or [] if name not in subjects]
        self.fields["daily_graded_subjects"].choices = [(name, name) for name in subjects]
        self.fields["prep_threshold"].help_text = _("V4: 0.80, that is lessons prepared must be at least 0.8 × lessons taught")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(
                Fieldset(legend, Row(*(Column(name, css_class="col-12 col-md-6 col-xl-4") for name in names)))
                for legend, names in POLICY_FIELDSETS
            )
        )

    def clean(self):
        cleaned = super().clean()
        for low, high in RANGES:
            low_value, high_value = cleaned.get(low), cleaned.get(high)
            if low_value is not None and high_value is not None and low_value > high_value:
                self.add_error(
                    high,
                    _("The most (%(high)s) is below the least (%(low)s).") % {"high": high_value, "low": low_value},
                )
        threshold = cleaned.get("prep_threshold")
        if threshold is not None and not (0 < threshold <= 1):
            self.add_error("prep_threshold", _("Give a share above 0 and at most 1, e.g. 0.80."))
        return cleaned


class RowForm(forms.ModelForm):
    """A row of a formset table: the column header is the label; help texts would crowd every row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.help_text = ""


class QuotaForm(RowForm):
    counted_kinds = _checkboxes(ObservationKind.choices, _("observation kinds that count (none: every kind)"))

    class Meta:
        model = ObservationQuota
        fields = ["role", "count", "per", "central_group_only", "counted_kinds", "source"]


class ReviewRuleForm(RowForm):
    class Meta:
        model = ReviewRule
        fields = ["reviewer", "reviewees", "times", "per", "source"]


class RoundRuleForm(RowForm):
    checked = _checkboxes(Checked.choices, _("what is checked"), required=True)

    class Meta:
        model = RoundRule
        fields = ["kind", "checked", "checker", "times_per_term", "opens_offset_days", "window_days", "source"]


class FineRuleForm(RowForm):
    class Meta:
        model = FineRule
        fields = [
            "code", "description", "amount", "conduct_points", "unit", "discretionary", "noted_in_file", "active",
            "source",
        ]

    def clean(self):
        cleaned = super().clean()
        amount, points = cleaned.get("amount"), cleaned.get("conduct_points")
        if not cleaned.get("discretionary") and amount == 0 and points == 0:
            self.add_error(
                "amount", _("Give an amount or conduct points, or mark the amount as decided case by case.")
            )
        return cleaned


def _formset(model, form):
    return inlineformset_factory(Policy, model, form=form, extra=1, can_delete=True)


QuotaFormSet = _formset(ObservationQuota, QuotaForm)
ReviewRuleFormSet = _formset(ReviewRule, ReviewRuleForm)
RoundRuleFormSet = _formset(RoundRule, RoundRuleForm)
FineRuleFormSet = _formset(FineRule, FineRuleForm)

# (context name, formset class, prefix, legend): the formsets of the edit page, in page order.
ROW_FORMSETS = (
    ("quota_formset", QuotaFormSet, "quotas", _("Observation quotas")),
    ("review_formset", ReviewRuleFormSet, "reviews", _("Reviews of observation notes")),
    ("round_formset", RoundRuleFormSet, "rounds", _("Inspection rounds")),
    ("fine_formset", FineRuleFormSet, "fines", _("Fines and conduct points")),
)


def row_formset_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "bootstrap5/table_inline_formset.html"
    return helper


def policy_forms(policy: Policy, data=None) -> tuple[PolicyForm, dict]:
    """The policy form and its row formsets, bound to `data` on a POST. Fine rules list active ones first."""
    form = PolicyForm(data, instance=policy)
    formsets = {}
    for name, formset_class, prefix, _legend in ROW_FORMSETS:
        queryset = formset_class.model.objects.filter(policy=policy)
        queryset = queryset.order_by("-active", "id") if formset_class.model is FineRule else queryset.order_by("id")
        formsets[name] = formset_class(data, instance=policy, prefix=prefix, queryset=queryset)
    return form, formsets
