"""The six-earnests and the dashboards' downloads, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py)."""

from inspection_site.tests.registries import ExportCase
from inspections.services.earnests import six_earnests_evaluate
from school.models import Staff
from school.tests.world import add_fines


def _plant_earnests(w, texts):
    """Teachers' names and the evaluators' comments."""
    Staff.objects.filter(pk=w.teacher.pk).update(name=texts[0])
    w.teacher.refresh_from_db()
    six_earnests_evaluate(term=w.term, teacher=w.teacher, grades={"overall": "good", "teaching": "excellent"},
                          comments={"overall": texts[1], "teaching": texts[2]}, user=w.director.user)


def _plant_dashboard(w, texts):
    """Names that start like formulas: a teaching-research group's (the fines by group) and a teacher's."""
    add_fines(w)
    w.maths_group.name = texts[0]
    w.maths_group.save()
    w.other_teacher.name = texts[1]
    w.other_teacher.save()


EXPORTS = [
    ExportCase("inspections: six earnests", _plant_earnests, "inspections:six-earnests-export", "director"),
    ExportCase("dashboards: fines by group", _plant_dashboard, "inspections:dashboard-figure-export", "principal",
               url_args=lambda w: ("fines-groups",)),
]
