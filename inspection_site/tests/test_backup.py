"""backup_data and restore_data: the demo school's round trip into an empty database keeps every row of every
model and every Decimal total (money in yuan, scores), and a restore never writes over data or half-loads."""

import gzip
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from deductions.models import LedgerEntry
from inspection_site.backup import backed_up_models, totals
from school.models import Staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def empty_the_database():
    """What a fresh `migrate` leaves: no rows but content types and permissions."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo_backup(tmp_path):
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    path = tmp_path / "school.jsonl.gz"
    out = StringIO()
    call_command("backup_data", str(path), stdout=out)
    assert "Backed up" in out.getvalue()
    return path


def numeric_sums() -> dict:
    """The sum of every number field (money, scores, ratings, points, counts) of every domain model: `totals`
    sums the decimals only; ratings and conduct points are integers."""
    from django.apps import apps
    from django.conf import settings
    from django.db import models as m

    sums = {}
    for app in settings.LOCAL_APPS:
        for model in apps.get_app_config(app.rsplit(".", 1)[-1]).get_models():
            names = [f.name for f in model._meta.concrete_fields
                     if isinstance(f, (m.IntegerField, m.DecimalField, m.FloatField)) and not f.is_relation
                     and not f.primary_key]
            if names:
                sums[model._meta.label] = model._base_manager.aggregate(**{n: m.Sum(n) for n in names})
    return sums


# Each app's activity in the demo term, with the rows that hold its money or scores: the round trip is checked
# on all of them, not on an empty table.
ACTIVITY = ("deductions.Violation", "deductions.LedgerEntry", "observations.Observation",
            "observations.ObservationScore", "exams.Score", "exams.ItemScore", "feedback.Answer",
            "lesson_plans.PrepCheck", "homework_checks.HomeworkInspection", "inspections.InspectionRound")


def test_the_demo_school_round_trip_keeps_every_row_and_every_total(demo_backup):
    from django.apps import apps
    from django.conf import settings

    models = backed_up_models()
    before = totals(models)
    for label in ACTIVITY:
        assert before[label.lower()]["rows"] > 0, f"the demo has no {label}: the round trip would not test it"
    for app in settings.LOCAL_APPS:
        config = apps.get_app_config(app.rsplit(".", 1)[-1])
        assert sum(before[model._meta.label_lower]["rows"] for model in config.get_models()) > 0, app
    numbers = numeric_sums()
    assert numbers["exams.Score"]["score"] and numbers["feedback.Answer"]["value"]
    money = sum(Decimal(e) for e in LedgerEntry.objects.values_list("amount", flat=True))
    assert money > 0  # the demo term has fines: the money check is not vacuous
    assert sum(counted["rows"] for counted in before.values()) > 1000
    ledger = sorted(LedgerEntry.objects.values_list("pk", "amount", "kind"))
    teacher = Staff.objects.filter(roles__role="teacher").order_by("staff_no").first()

    empty_the_database()
    assert LedgerEntry.objects.count() == 0 and Staff.objects.count() == 0
    out = StringIO()
    call_command("restore_data", str(demo_backup), stdout=out)
    assert "every count and total matches" in out.getvalue()

    after = totals(models)
    assert after == before
    assert numeric_sums() == numbers
    assert sorted(LedgerEntry.objects.values_list("pk", "amount", "kind")) == ledger
    # The accounts come back with their passwords.
    assert authenticate(username=teacher.staff_no, password="demo2026") is not None


@pytest.fixture
def world_backup(tmp_path):
    """The small test world with its fines: quicker than the demo school for the refusals."""
    from school.tests.world import add_fines, build_world

    add_fines(build_world())
    path = tmp_path / "world.jsonl.gz"
    call_command("backup_data", str(path), stdout=StringIO())
    return path


def test_a_restore_refuses_a_database_that_is_not_empty(world_backup):
    rows = totals(backed_up_models())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_data", str(world_backup))
    assert totals(backed_up_models()) == rows


def test_a_backup_whose_rows_do_not_match_its_manifest_is_not_restored(world_backup, tmp_path):
    with gzip.open(world_backup, "rt", encoding="utf-8") as stream:
        manifest, *rows = stream.read().splitlines()
    manifest = json.loads(manifest)
    # One fine's amount altered after the manifest was written: the totals no longer agree.
    for index, line in enumerate(rows):
        row = json.loads(line)
        if row["model"] == "deductions.ledgerentry":
            row["fields"]["amount"] = str(Decimal(row["fields"]["amount"]) + 1)
            rows[index] = json.dumps(row, ensure_ascii=False)
            break
    tampered = tmp_path / "tampered.jsonl.gz"
    with gzip.open(tampered, "wt", encoding="utf-8") as stream:
        stream.write("\n".join([json.dumps(manifest, ensure_ascii=False), *rows]) + "\n")
    empty_the_database()
    with pytest.raises(CommandError, match="deductions.ledgerentry.amount"):
        call_command("restore_data", str(tampered))
    assert Staff.objects.count() == 0  # nothing half-loaded


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.jsonl.gz"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore_data", str(junk))
