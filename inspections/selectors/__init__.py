"""The inspections app's selectors, one module per sub-domain: the policy, rounds and assignments, notifications
and the six-earnests evaluation.

The policy's selectors are re-exported here, where the other apps have always imported them from."""

from .policy import (  # noqa: F401
    DEPENDS_ON,
    HISTORY_SOURCES,
    LIST_CHOICES,
    HistoryEntry,
    PresetSummary,
    display_value,
    fine_line,
    policy_for,
    policy_history,
    policy_sections,
    preset_summaries,
    quota_line,
    quotas_for_roles,
    review_line,
    round_line,
    worker_last_seen,
)
