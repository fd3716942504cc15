from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from deductions.models import LedgerEntry, TeacherLedger, Violation

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_a_term_of_fines_and_seeding_again_adds_none():
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    statuses = set(Violation.objects.values_list("status", flat=True))
    count = Violation.objects.count()
    assert count > 0
    if count >= 6:  # past the first weeks of term there is a waived appeal and one under appeal
        assert {"confirmed", "waived", "appealed", "proposed"} <= statuses
    ledger_total = TeacherLedger.objects.aggregate(total=Sum("amount"))["total"] or 0
    assert ledger_total == (LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or 0)
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    assert Violation.objects.count() == count
