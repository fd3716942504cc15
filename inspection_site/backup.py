"""Backup and restore of the whole database, checked row by row and yuan by yuan.

A backup is one gzip file of JSON lines: first a manifest (format, time, Django version, the latest migration of
every app, and for every model its row count and the sum of each of its Decimal fields: money in yuan and
scores), then every row of every model in dependency order, with natural keys for users, groups, permissions and
content types so that they match the rows that `migrate` creates in the empty target.

A restore goes into an empty, migrated database in one transaction: it loads the rows, resets the PostgreSQL
sequences, then recounts and re-sums every model and compares with the manifest; any difference rolls it all
back and says which model differs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from decimal import Decimal
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import DecimalField, Sum

FORMAT = "teaching-inspection-backup"
VERSION = 1
# Rebuilt by `migrate` in the target (content types and permissions) or not worth keeping (sessions).
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
BATCH = 1000


class RestoreError(Exception):
    pass


def backed_up_models() -> list:
    """Every concrete model whose rows a backup carries, parents before children."""
    app_list = {config: None for config in apps.get_app_configs() if config.models_module is not None}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model for model in ordered
        if model._meta.label_lower not in EXCLUDED and model._meta.managed and not model._meta.proxy
    ]


def totals(models, using=DEFAULT_DB_ALIAS) -> dict:
    """{model label: {"rows": n, "sums": {decimal field: "total"}}} for the given models."""
    result = {}
    for model in models:
        queryset = model._base_manager.using(using)
        decimals = [f.name for f in model._meta.concrete_fields if isinstance(f, DecimalField)]
        sums = queryset.aggregate(**{name: Sum(name) for name in decimals}) if decimals else {}
        result[model._meta.label_lower] = {
            "rows": queryset.count(),
            "sums": {name: str(value if value is not None else Decimal(0)) for name, value in sums.items()},
        }
    return result


def latest_migrations(using=DEFAULT_DB_ALIAS) -> dict:
    latest = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return latest


def backup(path: Path, *, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the backup; returns its manifest. One repeatable-read snapshot on PostgreSQL, so that rows written
    while it runs cannot make the totals and the rows disagree."""
    models = backed_up_models()
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(),
            "django": django.get_version(),
            "migrations": latest_migrations(using),
            "models": totals(models, using),
        }
        tmp = path.with_name(path.name + ".partial")
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps(manifest, ensure_ascii=False) + "\n")
            for model in models:
                rows = model._base_manager.using(using).order_by(model._meta.pk.name).iterator(chunk_size=BATCH)
                serializers.serialize(
                    "jsonl", rows, stream=out, use_natural_foreign_keys=True, use_natural_primary_keys=True
                )
        tmp.replace(path)
    return manifest


def read_manifest(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            manifest = json.loads(stream.readline())
    except (OSError, EOFError, ValueError) as error:
        raise RestoreError(f"{path} is not a backup of this system: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(f"{path} is not a backup of this system")
    if manifest.get("version") != VERSION:
        raise RestoreError(f"{path} is a backup of format version {manifest.get('version')}, not {VERSION}")
    return manifest


def rows_present(using=DEFAULT_DB_ALIAS) -> dict:
    """Rows already in the target that a restore would write to (the users and groups that a fresh `migrate`
    leaves are none)."""
    return {
        label: counted["rows"]
        for label, counted in totals(backed_up_models(), using).items()
        if counted["rows"]
    }


def differences(expected: dict, found: dict) -> list[str]:
    lines = []
    for label, want in expected.items():
        got = found.get(label)
        if got is None:
            lines.append(f"{label}: no such model here")
            continue
        if got["rows"] != want["rows"]:
            lines.append(f"{label}: {got['rows']} rows, the backup has {want['rows']}")
        for name, total in want["sums"].items():
            if Decimal(got["sums"].get(name, "0")) != Decimal(total):
                lines.append(f"{label}.{name}: total {got['sums'].get(name)}, the backup has {total}")
    return lines


def restore(path: Path, *, using=DEFAULT_DB_ALIAS) -> dict:
    """Load the backup into an empty, migrated database; everything or nothing."""
    manifest = read_manifest(path)
    here = latest_migrations(using)
    behind = sorted(app for app, name in manifest["migrations"].items() if here.get(app, "") < name)
    if behind:
        raise RestoreError(f"this database is behind the backup's migrations ({', '.join(behind)}): run migrate")
    present = rows_present(using)
    if present:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(present.items()))
        raise RestoreError(f"the database is not empty: {listed}")
    models = {model._meta.label_lower: model for model in backed_up_models()}
    with transaction.atomic(using=using):
        deferred = []
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            stream.readline()
            batch = []
            for line in stream:
                batch.append(line)
                if len(batch) >= BATCH:
                    deferred += _load(batch, using)
                    batch = []
            deferred += _load(batch, using)
        for obj in deferred:
            obj.save_deferred_fields(using=using)
        connection = connections[using]
        sql = connection.ops.sequence_reset_sql(no_style(), list(models.values()))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
        problems = differences(manifest["models"], totals(models.values(), using))
        if problems:
            raise RestoreError("the restored data differ from the backup:\n" + "\n".join(problems))
    return manifest


def _load(lines: list[str], using) -> list:
    if not lines:
        return []
    deferred = []
    objects = serializers.deserialize(
        "jsonl", io.StringIO("".join(lines)), using=using, handle_forward_references=True,
        ignorenonexistent=False,
    )
    for obj in objects:
        obj.save(using=using)
        if obj.deferred_fields:
            deferred.append(obj)
    return deferred
