"""The exam downloads, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py): the score template (openpyxl) and the quality-analysis
workbook built by the export task (XlsxWriter), each showing the students' and teachers' names."""

from exams.models import ExportJob
from exams.tasks import build_export
from inspection_site.tests.registries import ExportCase
from school.models import Staff, Student

from .permission_cases import seed_exams


def _plant_names(w, texts):
    seed_exams(w)
    students = list(Student.objects.filter(school_class__grade=w.grade).order_by("student_no")[:len(texts) - 1])
    for student, text in zip(students, texts):
        Student.objects.filter(pk=student.pk).update(name=text)
    Staff.objects.filter(pk=w.teacher.pk).update(name=texts[-1])


def _plant_export(w, texts):
    _plant_names(w, texts)
    # The job as the office's click queues it, built by the real task (run here in the test's process).
    w.planted_job = ExportJob.objects.create(exam=w.exam, grade=w.grade)
    build_export(w.planted_job.pk)
    w.planted_job.refresh_from_db()
    assert w.planted_job.status == ExportJob.Status.DONE, w.planted_job.error


EXPORTS = [
    ExportCase("exams: score template", _plant_names, "exams:score-template", "director",
               url_args=lambda w: (w.exam.pk, w.grade.pk)),
    ExportCase("exams: quality analysis", _plant_export, "exams:export-download", "director",
               url_args=lambda w: (w.planted_job.pk,)),
]
