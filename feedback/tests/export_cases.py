"""The evaluation results download, for the check that user text in an export is never a formula
(inspection_site/tests/test_exports_never_formulas.py): teachers' names and the comments let through."""

from feedback.models import Answer
from inspection_site.tests.registries import ExportCase
from school.models import Staff

from .world import add_feedback


def _plant(w, texts):
    f = add_feedback(w)
    Staff.objects.filter(pk=w.teacher.pk).update(name=texts[0])
    Staff.objects.filter(pk=w.other_teacher.pk).update(name=texts[1])
    shown = [c for c in f.past_comments if c.text in ("老师很负责0", "老师很负责1")]
    for answer, text in zip(shown, texts[2:]):
        Answer.objects.filter(pk=answer.pk).update(text=text)


EXPORTS = [
    ExportCase("feedback: the term's results", _plant, "feedback:results-export", "director"),
]
