"""Every .xlsx download of the project (each app lists them in `tests/export_cases.py`; the page walk of
test_pages_csp_csrf.py fails on a download that is not listed): user text that looks like a formula is written
as text, never as a formula, whichever export shows it."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from school.tests.world import user_for

from .registries import export_cases

pytestmark = pytest.mark.django_db

# Each starts as Excel or a CSV reader would take for a formula; all fit a person's name (40 characters).
PLANTED = ['=HYPERLINK("http://127.0.0.1/","看")', "@SUM(A1)", "+1+1", "-2+3", '=cmd|" /C calc"!A0']
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def formula_parts(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and FORMULA_ELEMENT.search(archive.read(name))]


@pytest.mark.parametrize("case", export_cases(), ids=str)
def test_user_text_in_the_export_is_text_never_a_formula(case, world, client):
    if case.plant:
        case.plant(world, PLANTED)
    client.force_login(user_for(world, case.role))
    url = reverse(case.url_name, args=case.url_args(world))
    query = case.query(world)
    response = client.get(f"{url}?{query}" if query else url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX)
    assert formula_parts(response.content) == []
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value in PLANTED:
                    found.append(cell.value)
                    assert cell.data_type == "s" and cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
    if case.plant:
        assert found, "the planted text does not reach this export: the check would prove nothing"


def test_every_app_export_is_registered():
    names = {case.url_name for case in export_cases()}
    assert {"deductions:ledger-month-export", "deductions:statement-export", "deductions:conduct-points-export",
            "observations:report-export", "exams:score-template", "exams:export-download", "feedback:results-export",
            "inspections:six-earnests-export", "homework_checks:inspection-export"} <= names
