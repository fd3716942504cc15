"""Celery tasks: interfaces that take ids and call the exams code (STYLE.md)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from .models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def build_export(job_id: int) -> None:
    """Build the analysis workbook of an export job, recording progress as it goes. Idempotent: a job already
    done is left as it is."""
    from .analysis import grade_analysis
    from .export import build_workbook

    job = ExportJob.objects.select_related("exam", "exam__school", "grade").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.RUNNING, progress=5)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(max(int(percent), 0), 99))

    try:
        analysis = grade_analysis(job.exam, job.grade)
        content = build_workbook(analysis, progress)
    except Exception as error:  # recorded for the office; the traceback goes to the worker's log
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(error)[:500])
        return
    with transaction.atomic():
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.DONE, progress=100, content=content)
