"""Fines (扣款) and conduct points (操行分), V4: violations traced to their findings, appeals, and a monthly ledger
that is never edited once closed.

Money flows only through ledger entries: confirming a violation books a charge, waiving it books a reversal, and
a correction to a closed month is an adjustment booked in an open one. Each teacher's monthly totals are kept by
F() updates in the same transaction as the entry, and always equal the sum of the entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.models import FineRule
from school.models import School, Staff, Term

ZERO = Decimal("0.00")


class Violation(models.Model):
    """A finding against a teacher under a fine rule of her school's policy, with what it costs.

    The rule's amount and points are copied when the violation is recorded, so a later change to the policy
    never changes a recorded fine. A policy without the rule records the finding without money."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        APPEALED = "appealed", _("Appealed")
        UPHELD = "upheld", _("Upheld")
        WAIVED = "waived", _("Waived")
        DISMISSED = "dismissed", _("Dismissed")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="violations")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    month_number = models.PositiveSmallIntegerField(_("school month"))
    occurred_on = models.DateField(_("date"))
    code = models.SlugField(_("finding"), max_length=40)
    rule = models.ForeignKey(
        FineRule, verbose_name=_("fine rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_amount = models.DecimalField(_("yuan each"), max_digits=8, decimal_places=2, default=ZERO)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2, default=ZERO)
    conduct_points = models.DecimalField(_("conduct points"), max_digits=7, decimal_places=2, default=ZERO)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # What the finding came from: a patrol mark, a lesson-preparation check… (none when added by hand).
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the office added it by hand"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    seen_at = models.DateTimeField(_("seen by the teacher"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    decision_reason = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # One finding, one fine: the same source never produces the same violation twice.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "code"],
                condition=Q(source_id__isnull=False),
                name="violation_once_per_source_and_rule",
            ),
            models.CheckConstraint(
                condition=Q(source_id__isnull=True, source_type__isnull=True)
                | Q(source_id__isnull=False, source_type__isnull=False),
                name="violation_source_complete",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="violation_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(conduct_points__gte=0),
                                   name="violation_amount_positive"),
            models.CheckConstraint(
                condition=~Q(source_id__isnull=True) | ~Q(reason=""), name="violation_by_hand_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "term", "month_number"], name="violation_teacher_month_idx"),
            models.Index(fields=["school", "status"], name="violation_school_status_idx"),
        ]

    def __str__(self):
        return f"{self.teacher} {self.description} ×{self.quantity}"

    @property
    def counts(self) -> bool:
        """Whether its money is on the ledger: confirmed, under appeal, or upheld."""
        return self.status in (self.Status.CONFIRMED, self.Status.APPEALED, self.Status.UPHELD)


class LedgerMonth(models.Model):
    """A school month (学月) of a school's fines ledger. Closing it locks every entry in it."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("school month"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger month")
        verbose_name_plural = _("ledger months")
        ordering = ["school_id", "term_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "number"], name="ledger_month_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="ledger_month_dates"),
        ]

    def __str__(self):
        return _("%(term)s, school month %(number)s") % {"term": self.term, "number": self.number}

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class TeacherLedger(models.Model):
    """A teacher's account for one ledger month. Its totals are the sums of its entries, kept with F()."""

    month = models.ForeignKey(LedgerMonth, verbose_name=_("month"), on_delete=models.PROTECT, related_name="ledgers")
    teacher = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="ledgers")
    amount = models.DecimalField(_("fines (yuan)"), max_digits=10, decimal_places=2, default=ZERO)
    conduct_points = models.DecimalField(_("conduct points"), max_digits=8, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("teacher's monthly ledger")
        verbose_name_plural = _("teachers' monthly ledgers")
        constraints = [models.UniqueConstraint(fields=["month", "teacher"], name="teacher_ledger_unique")]

    def __str__(self):
        return f"{self.teacher} · {self.month}"


class LedgerEntry(models.Model):
    """One movement of money and points. Entries are only ever added, never changed or deleted."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Fine")
        REVERSAL = "reversal", _("Reversal of a waived fine")
        ADJUSTMENT = "adjustment", _("Adjustment")

    ledger = models.ForeignKey(TeacherLedger, verbose_name=_("ledger"), on_delete=models.PROTECT,
                               related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries",
    )
    amount = models.DecimalField(_("yuan"), max_digits=10, decimal_places=2)
    conduct_points = models.DecimalField(_("conduct points"), max_digits=8, decimal_places=2, default=ZERO)
    # An adjustment corrects a month that was closed: which one, and why.
    corrects_month = models.ForeignKey(
        LedgerMonth, verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
