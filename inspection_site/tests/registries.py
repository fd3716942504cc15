"""Registries of the imports and exports of every app, so that the bad-input suite and the export check cover
each of them as apps add them (the integrator adds e.g. the exam score import).

An app lists its imports in `<app>/tests/import_cases.py` as `IMPORTS = [ImportCase(...)]` and its .xlsx
exports in `<app>/tests/export_cases.py` as `EXPORTS = [ExportCase(...)]`, discovered over settings.LOCAL_APPS
as the permission matrix discovers `permission_cases.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class ImportCase:
    """One import. `run(world, file)` calls the import service as a user who may import (file: an uploaded
    file); `written()` returns a snapshot of every row the import could write (compared before and after each
    refused file); `valid(world)` is a workbook the import accepts, made as its users make one (the template,
    filled); `rows` are those rows by sheet title (header -> value), `specs` the sheets it reads by title.
    Through HTTP: `url_name` (with `url_args(world)`), posted by the matrix role `role` with `form_data(world)`
    and the file in `file_field`."""

    name: str
    specs: Mapping
    rows: Mapping[str, list[dict]]
    valid: Callable
    run: Callable
    written: Callable
    url_name: str
    role: str
    url_args: Callable = lambda w: ()
    form_data: Callable = lambda w: {}
    file_field: str = "file"

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class ExportCase:
    """One .xlsx download. `plant(world, text)` puts user text (a person's name, a note, a reason…) that the
    export shows into the world, through the app's services or models; `url_name` with `url_args(world)` and
    `query(world)` is the download, fetched as the matrix role `role`."""

    name: str
    plant: Callable
    url_name: str
    role: str
    url_args: Callable = lambda w: ()
    query: Callable = lambda w: ""
    notes: str = field(default="")

    def __str__(self):
        return self.name


def collect(module: str, attribute: str) -> list:
    found = []
    for app in settings.LOCAL_APPS:
        try:
            loaded = importlib.import_module(f"{app}.tests.{module}")
        except ModuleNotFoundError as error:
            if error.name in (f"{app}.tests", f"{app}.tests.{module}"):
                continue
            raise
        found.extend(getattr(loaded, attribute))
    return found


def import_cases() -> list[ImportCase]:
    return collect("import_cases", "IMPORTS")


def export_cases() -> list[ExportCase]:
    return collect("export_cases", "EXPORTS")
