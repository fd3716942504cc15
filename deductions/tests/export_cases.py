"""The fines downloads, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py)."""

from decimal import Decimal

from deductions import services
from deductions.models import TeacherLedger
from inspection_site.tests.registries import ExportCase
from school.tests.world import add_fines


def _plant(w, texts):
    w.teacher.name = texts[0]
    w.teacher.save()
    w.other_teacher.name = texts[1]
    w.other_teacher.save()
    w.planted_fines = add_fines(w)
    services.ledger_adjust(teacher=w.teacher, month=w.planted_fines.month, amount=Decimal("-1.00"), note=texts[2],
                           user=w.director.user)


def _open_ledger(w):
    return TeacherLedger.objects.filter(teacher=w.teacher).exclude(month=w.planted_fines.month).get().pk


EXPORTS = [
    ExportCase("fines: month summary", _plant, "deductions:ledger-month-export", "director",
               url_args=lambda w: (w.planted_fines.month.pk,)),
    ExportCase("fines: a teacher's statement", _plant, "deductions:statement-export", "director",
               url_args=lambda w: (_open_ledger(w),)),
    ExportCase("fines: conduct points", _plant, "deductions:conduct-points-export", "director"),
]
