"""The dashboards' downloads, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py)."""

from inspection_site.tests.registries import ExportCase
from school.tests.world import add_fines


def _plant(w, texts):
    """Names that start like formulas: a teaching-research group's (the fines by group) and a teacher's."""
    add_fines(w)
    w.maths_group.name = texts[0]
    w.maths_group.save()
    w.other_teacher.name = texts[1]
    w.other_teacher.save()


EXPORTS = [
    ExportCase("dashboards: fines by group", _plant, "inspections:dashboard-figure-export", "principal",
               url_args=lambda w: ("fines-groups",)),
]
