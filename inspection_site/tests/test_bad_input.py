"""Bad input through every import of the project (each app lists its imports in `tests/import_cases.py`):
over a thousand malformed or hostile workbooks per import (`badinput/hostile.py`), each refused whole with a
clear message in Chinese and not a row written; a sample of each kind through the HTTP view, with no server
error. The files are made in memory; the services are called directly, so the whole run stays quick."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from school.imports.workbook import ImportRefused
from school.tests.world import user_for

from .badinput.hostile import Hostile, control_file, hostile_files
from .registries import import_cases

pytestmark = pytest.mark.django_db

CASES = import_cases()
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_FILES = 1000
# The huge files and zip bombs are made just over the limits: lower limits make the same refusals with smaller
# files (the limits at their defaults are tested by the roster import's own tests).
MAX_ROWS, MAX_UNPACKED = 2000, 20 * 1024 * 1024
_made: dict[str, list[Hostile]] = {}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IMPORT_MAX_ROWS = MAX_ROWS
    settings.IMPORT_MAX_UNPACKED_BYTES = MAX_UNPACKED


def files_for(case, world) -> list[Hostile]:
    if case.name not in _made:
        _made[case.name] = hostile_files(specs=case.specs, rows=case.rows, valid=case.valid(world))
    return _made[case.name]


def upload(hostile: Hostile) -> SimpleUploadedFile:
    return SimpleUploadedFile(hostile.filename, hostile.data, content_type="application/octet-stream")


def test_every_import_of_the_project_is_registered():
    assert {case.name for case in CASES} >= {"roster", "required experiments", "exam scores"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_valid_files_of_the_harness_are_accepted(case, world):
    """Controls: the import accepts its valid workbook and the same rows written as raw XML, so that the refusals
    below are those of the damage, and a write would show in `written()`."""
    for label, data in (("template", case.valid(world)), ("raw", control_file(specs=case.specs, rows=case.rows))):
        with transaction.atomic():
            before = case.written()
            case.run(world, SimpleUploadedFile("good.xlsx", data))
            assert case.written() != before, f"{label}: the valid file wrote nothing"
            transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_thousand_hostile_files_are_refused_whole_with_a_clear_message(case, world):
    files = files_for(case, world)
    assert len(files) >= MIN_FILES
    assert len({f.category for f in files}) >= 14
    before = case.written()
    problems = []
    with translation.override("zh-hans"):
        for index, hostile in enumerate(files):
            try:
                case.run(world, upload(hostile))
            except ImportRefused as refused:
                messages = [refused.message] + [issue.message for issue in refused.issues]
                if not all(m and CJK.search(m) for m in messages):
                    problems.append(f"{hostile}: a message without Chinese: {messages[:3]}")
                if any("Traceback" in m or "Error:" in m for m in messages):
                    problems.append(f"{hostile}: a message shows an exception: {messages[:3]}")
            except Exception as error:  # noqa: BLE001 - any other exception would be a server error
                problems.append(f"{hostile}: {type(error).__name__}: {error}"[:300])
            else:
                problems.append(f"{hostile}: accepted")
            # Rows are counted at the end of each category (counting after each file would double the time).
            last = index + 1 == len(files) or files[index + 1].category != hostile.category
            if last and case.written() != before:
                problems.append(f"the {hostile.category} files wrote rows")
                break
    assert not problems, f"{len(problems)} of {len(files)} files:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_sample_of_each_kind_through_the_page_gives_the_error_table_and_no_server_error(case, world):
    files = files_for(case, world)
    per_category = Counter()
    sample = []
    for hostile in files:
        if per_category[hostile.category] < 3:
            per_category[hostile.category] += 1
            sample.append(hostile)
    client = Client(raise_request_exception=False)
    client.force_login(user_for(world, case.role))
    url = reverse(case.url_name, args=case.url_args(world))
    before = case.written()
    problems = []
    for hostile in sample:
        response = client.post(url, case.form_data(world) | {case.file_field: upload(hostile)})
        body = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{hostile}: status {response.status_code}")
        elif not any(mark in body for mark in ("alert-danger", "errorlist", "invalid-feedback")):
            problems.append(f"{hostile}: no error shown")
    assert case.written() == before
    assert len(sample) >= 30
    assert not problems, "\n".join(problems)
