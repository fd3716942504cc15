"""The homework download, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py)."""

from inspection_site.tests.registries import ExportCase

from .helpers import record


def _plant(w, texts):
    w.teacher.name = texts[0]
    w.teacher.save()
    record(w, findings=texts[1], suggestions=texts[2])


EXPORTS = [
    ExportCase("homework: the term's checks", _plant, "homework_checks:inspection-export", "director"),
]
