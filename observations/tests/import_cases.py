"""The required-experiments import, for the bad-input suite (inspection_site/tests/test_bad_input.py)."""

import io

from inspection_site.tests.registries import ImportCase
from observations.imports import SPECS, experiments_import

from .test_labs_import import ROWS, book_with, snapshot


def _valid(world) -> bytes:
    out = io.BytesIO()
    book_with().save(out)
    return out.getvalue()


IMPORTS = [
    ImportCase(
        name="required experiments",
        specs=SPECS,
        rows={"实验": ROWS},
        valid=_valid,
        run=lambda w, file: experiments_import(file=file, school=w.school, user=w.director.user),
        written=snapshot,
        url_name="observations:experiment-import",
        role="director",
    ),
]
