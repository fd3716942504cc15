"""Forms of the fines pages. They check the input's shape; the rules (who, when, what it costs) are the services'.
Each takes its context (the user, the school, the month) through its constructor."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import FineRule
from school.models import Staff
from school.permissions import scope_for

REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff):
        return f"{staff.name} ({staff.staff_no} · {staff.school})"


def managed_teachers(user, root) -> QuerySet:
    """The active staff of `root`'s calendar whose school the user manages."""
    scope = scope_for(user)
    staff = Staff.objects.filter(is_active=True).select_related("school").order_by("school_id", "staff_no")
    if root is not None:
        staff = staff.filter(Q(school_id=root.pk) | Q(school__parent_id=root.pk))
    if not scope.everything:
        staff = staff.filter(school_id__in=scope.managed_school_ids)
    return staff


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=REASON_WIDGET, max_length=2000)


class DismissForm(ReasonForm):
    prefix = "dismiss"
    reason = forms.CharField(label=_("Why it is dismissed"), widget=REASON_WIDGET, max_length=2000)


class AppealForm(ReasonForm):
    prefix = "appeal"
    reason = forms.CharField(label=_("Why I appeal"), widget=REASON_WIDGET, max_length=2000)


class DecideForm(ReasonForm):
    prefix = "decide"
    reason = forms.CharField(label=_("Reason for the decision"), widget=REASON_WIDGET, max_length=2000)
    UPHOLD, WAIVE = "uphold", "waive"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHOLD, _("Reject the appeal: the fine stands")), (WAIVE, _("Waive the fine"))],
        widget=forms.RadioSelect,
    )

    field_order = ["decision", "reason"]

    @property
    def waive(self) -> bool:
        return self.cleaned_data["decision"] == self.WAIVE


class ViolationCreateForm(forms.Form):
    """The office adds a finding by hand: a teacher it manages, one of the policy's active fine rules (a policy
    without fines: the finding in words), the day, how many, the yuan for a discretionary rule, and why."""

    teacher = StaffChoiceField(label=_("Teacher"), queryset=Staff.objects.none())
    code = forms.ChoiceField(label=_("Finding"))
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    unit_amount = forms.DecimalField(
        label=_("Yuan each"), required=False, min_value=Decimal("0"), max_digits=8, decimal_places=2,
        help_text=_("Only for a fine decided case by case."),
    )
    reason = forms.CharField(label=_("Reason"), widget=REASON_WIDGET, max_length=2000,
                             help_text=_("What was found, where and by whom: the teacher reads it."))

    def __init__(self, *args, user, root, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = managed_teachers(user, root)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.rules = {
            rule.code: rule
            for rule in FineRule.objects.filter(policy__school_id=getattr(root, "pk", None), active=True).order_by("id")
        }
        if self.rules:
            self.fields["code"].choices = [("", "---------")] + [
                (code, self.rule_label(rule)) for code, rule in self.rules.items()
            ]
        else:
            # A policy without fines records the finding in the office's words, without money.
            self.fields["code"] = forms.CharField(
                label=_("Finding"), max_length=200,
                help_text=_("The school's rules set no fines: the finding is recorded without money."),
            )
            del self.fields["unit_amount"]

    @staticmethod
    def rule_label(rule: FineRule) -> str:
        if rule.discretionary:
            return _("%(description)s (decided case by case)") % {"description": rule.description}
        return _("%(description)s (%(amount)s yuan %(unit)s)") % {
            "description": rule.description, "amount": rule.amount, "unit": rule.get_unit_display(),
        }

    @property
    def has_rules(self) -> bool:
        return bool(self.rules)

    def clean(self):
        cleaned = super().clean()
        rule = self.rules.get(cleaned.get("code"))
        if rule is not None and rule.discretionary and cleaned.get("unit_amount") is None:
            self.add_error("unit_amount", _("This fine is decided case by case: enter the amount in yuan."))
        return cleaned

    def service_kwargs(self) -> dict:
        """The arguments of `services.violation_record` for what was entered."""
        data = self.cleaned_data
        kwargs = {
            "teacher": data["teacher"], "occurred_on": data["occurred_on"], "quantity": data["quantity"],
            "reason": data["reason"],
        }
        if self.has_rules:
            rule = self.rules[data["code"]]
            kwargs["code"] = rule.code
            if rule.discretionary:
                kwargs["unit_amount"] = data["unit_amount"]
        else:
            kwargs["code"] = "by-hand"
            kwargs["description"] = data["code"]
        return kwargs


class AdjustForm(forms.Form):
    """A correction of a closed month, booked in the first open month after it."""

    prefix = "adjust"
    teacher = StaffChoiceField(label=_("Teacher"), queryset=Staff.objects.none())
    amount = forms.DecimalField(label=_("Yuan"), max_digits=8, decimal_places=2,
                                help_text=_("Negative to give money back."))
    conduct_points = forms.DecimalField(label=_("Conduct points"), max_digits=6, decimal_places=2, initial=0,
                                        help_text=_("Negative to give points back."))
    note = forms.CharField(label=_("What it corrects"), max_length=300)

    def __init__(self, *args, user, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = managed_teachers(user, month.school)
