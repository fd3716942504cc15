"""The roster import, for the bad-input suite (inspection_site/tests/test_bad_input.py)."""

import io

from inspection_site.tests.registries import ImportCase
from school.imports import roster_import
from school.imports.sheets import SPEC_BY_TITLE

from .test_imports import CLASS_ROWS, STAFF_ROWS, STUDENT_ROWS, TIMETABLE_ROWS, counts, roster_book


def _valid(world) -> bytes:
    out = io.BytesIO()
    roster_book().save(out)
    return out.getvalue()


IMPORTS = [
    ImportCase(
        name="roster",
        specs=SPEC_BY_TITLE,
        rows={"教职工": STAFF_ROWS, "班级": CLASS_ROWS, "学生": STUDENT_ROWS, "课程表": TIMETABLE_ROWS},
        valid=_valid,
        run=lambda w, file: roster_import(file=file, school=w.director.school, user=w.director.user),
        written=counts,
        url_name="school:roster-import",
        role="director",
        form_data=lambda w: {"term": w.term.pk},
    ),
]
