"""The inspections app's services, one module per sub-domain: the policy, rounds and assignments, notifications
(with the outbox), the schedule (the daily tick, reminders, the weekly digest) and the six-earnests evaluation.

The policy's services are re-exported here, where the other apps have always imported them from."""

from .policy import (  # noqa: F401
    FINE_FIELDS,
    REASON_EDIT,
    REASON_PRESET,
    ROW_KEYS,
    policy_load_preset,
    policy_update,
)
