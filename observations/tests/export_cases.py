"""The term report workbook, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py); the experiments template holds no user text."""

from inspection_site.tests.registries import ExportCase
from school.models import Staff, TeachingGroup

from .test_report import build_activity


def _plant(w, texts):
    Staff.objects.filter(pk=w.teacher.pk).update(name=texts[0])
    Staff.objects.filter(pk=w.other_teacher.pk).update(name=texts[1])
    TeachingGroup.objects.filter(pk=w.maths_group.pk).update(name=texts[2])
    build_activity(w)


EXPORTS = [
    ExportCase("observations: term report", _plant, "observations:report-export", "office_staff",
               query=lambda w: f"term={w.term.pk}"),
    ExportCase("observations: experiments template", None, "observations:experiment-template", "director"),
]
