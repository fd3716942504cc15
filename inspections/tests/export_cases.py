"""The six-earnests download, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py): teachers' names and the evaluators' comments."""

from inspection_site.tests.registries import ExportCase
from inspections.services.earnests import six_earnests_evaluate
from school.models import Staff


def _plant(w, texts):
    Staff.objects.filter(pk=w.teacher.pk).update(name=texts[0])
    w.teacher.refresh_from_db()
    six_earnests_evaluate(term=w.term, teacher=w.teacher, grades={"overall": "good", "teaching": "excellent"},
                          comments={"overall": texts[1], "teaching": texts[2]}, user=w.director.user)


EXPORTS = [
    ExportCase("inspections: six earnests", _plant, "inspections:six-earnests-export", "director"),
]
