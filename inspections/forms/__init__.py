"""The inspections app's forms, one module per sub-domain. The policy's forms are re-exported here."""

from .policy import (  # noqa: F401
    POLICY_FIELDSETS,
    POLICY_FORM_FIELDS,
    RANGES,
    ROW_FORMSETS,
    FineRuleForm,
    FineRuleFormSet,
    PolicyForm,
    PresetForm,
    QuotaForm,
    QuotaFormSet,
    ReviewRuleForm,
    ReviewRuleFormSet,
    RoundRuleForm,
    RoundRuleFormSet,
    RowForm,
    policy_forms,
    row_formset_helper,
)
