"""The inspections app's views, one module per sub-domain (policy, rounds, notifications, earnests)."""
