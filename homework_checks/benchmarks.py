"""The homework-inspection, week-plan and tutoring pages of `make bench` (benchmarks/registry.py), and the term's
inspection workbook."""

from __future__ import annotations

from benchmarks.registry import Operation, Page


def _export(demo, _):
    from homework_checks import selectors
    from homework_checks.exports import inspections_workbook

    inspections = list(selectors.inspection_list(demo.person("office").user, demo.term))
    inspections_workbook(term=demo.term, school=demo.root, inspections=inspections,
                         fines=selectors.fines_of(inspections))


BENCHMARKS = [
    Page("teacher", "homework_checks:inspection-list"),
    Page("teacher", "homework_checks:tutoring-list"),
    Page("office", "homework_checks:inspection-list"),
    Page("office", "homework_checks:week"),
    Page("office", "homework_checks:plan"),
    Page("office", "homework_checks:tutoring-list"),
    Page("principal", "homework_checks:inspection-list"),
    Operation("export", "homework: the term's inspections workbook", _export, repeat=5),
]
