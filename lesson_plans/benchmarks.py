"""The lesson-plan, preparation-check, research-activity, selection and summary pages of `make bench`
(benchmarks/registry.py)."""

from __future__ import annotations

from benchmarks.registry import Page

BENCHMARKS = [
    Page("teacher", "lesson_plans:my-work"),
    Page("teacher", "lesson_plans:check-list"),
    Page("teacher", "lesson_plans:selection-list"),
    Page("group_leader", "lesson_plans:plan-list"),
    Page("group_leader", "lesson_plans:check-list"),
    Page("group_leader", "lesson_plans:activity-list"),
    Page("office", "lesson_plans:plan-list"),
    Page("office", "lesson_plans:plan-missing"),
    Page("office", "lesson_plans:deadlines"),
    Page("office", "lesson_plans:check-list"),
    Page("office", "lesson_plans:activity-list"),
    Page("office", "lesson_plans:leader-attendance"),
    Page("office", "lesson_plans:selection-list"),
    Page("office", "lesson_plans:summary-list"),
    Page("principal", "lesson_plans:summary-list"),
]
