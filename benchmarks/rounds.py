"""The inspection rounds' and six earnests' pages, and the nightly work of the whole central school: the daily tick
(due rounds opened, assignments made, what was recorded marked done) and the reminder run (reminders and nudges
made and delivered). The apps' own `benchmarks.py` hold their pages; these live here because inspections'
benchmarks.py is the dashboards'."""

from __future__ import annotations

from .registry import Operation, Page


def _quiet_mail():
    """Mail to memory during the run (the development setting prints it), and no group robot reached."""
    from django.test.utils import override_settings

    return override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _tick(demo, _):
    from inspections.services.schedule import daily_tick

    with _quiet_mail():
        daily_tick(today=demo.today, school_ids=[demo.root.pk])


def _reminders(demo, _):
    from inspections.services.schedule import reminders_send

    with _quiet_mail():
        reminders_send(today=demo.today, school_ids=[demo.root.pk])


BENCHMARKS = [
    Page("teacher", "inspections:six-earnests"),
    Page("teacher", "inspections:notification-list"),
    Page("group_leader", "inspections:assignment-list"),
    Page("office", "inspections:round-list"),
    Page("office", "inspections:assignment-list"),
    Page("office", "inspections:six-earnests"),
    Page("principal", "inspections:round-list"),
    Page("principal", "inspections:six-earnests"),
    Operation("nightly", "daily tick of the central school and its village schools", _tick, repeat=5),
    Operation("nightly", "reminder run of the central school and its village schools", _reminders, repeat=5),
]
