"""The dashboards' benchmark (issue 9): each dashboard of the large demo school with a term of activity, fetched
as its role's person, beside its floor (the same template rendered again from the same context with no query).
Target: under 150 ms of server time each. Run: `make bench BENCH_ARGS="--only dashboard"`."""

from benchmarks.registry import Page

BENCHMARKS = [
    Page("principal", "inspections:dashboard-principal", label="dashboard: principal"),
    Page("office", "inspections:dashboard-office", label="dashboard: office"),
    Page("group_leader", "inspections:dashboard-group", label="dashboard: group leader"),
    Page("teacher", "home", label="dashboard: teacher's my term"),
]
