"""`manage.py seed_demo --size small|large [--preset v1..v7]`: the demo school, created or completed."""

from __future__ import annotations

import importlib
import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from inspections.models import Policy
from inspections.presets import PRESETS
from inspections.services import policy_load_preset
from school.demo.builder import DemoSeedError, demo_seed
from school.demo.names import LOGIN_ROLES
from school.demo.plan import SIZES

DEFAULT_PRESET = "v4"

CREATED_LABELS = {
    "schools": gettext_lazy("schools"),
    "subjects": gettext_lazy("subjects"),
    "periods": gettext_lazy("periods"),
    "grades": gettext_lazy("grades"),
    "classes": gettext_lazy("classes"),
    "school years": gettext_lazy("school years"),
    "terms": gettext_lazy("terms"),
    "groups": gettext_lazy("teaching-research groups"),
    "staff": gettext_lazy("staff"),
    "students": gettext_lazy("students"),
    "timetable lessons": gettext_lazy("timetable lessons"),
    "superusers": gettext_lazy("superusers"),
}


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Create the demo school (deterministic, fictional), or complete it if it exists, and print its logins. "
            "small: one junior secondary school with 6 classes; large: a central school with three village "
            "schools, 60 classes, 200 staff and 3,000 students."
        )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default="small", help=_("How big a school."))
        parser.add_argument(
            "--preset",
            choices=sorted(PRESETS),
            help=_(
                "The policy preset to load (default: %(default)s when the school has no policy yet; "
                "given explicitly, it replaces a policy loaded from another preset)."
            ) % {"default": DEFAULT_PRESET.upper()},
        )

    def handle(self, *args, size, preset, **options):
        started = time.monotonic()
        try:
            with transaction.atomic():
                result = demo_seed(size=size)
                policy = self._ensure_policy(result.root, preset)
                activity = demo_activity(root=result.root, size=size)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error

        for line in activity:
            self.stdout.write(line)
        if result.created:
            parts = [f"{CREATED_LABELS.get(what, what)} {n}" for what, n in result.created.items()]
            self.stdout.write(_("Created: %(parts)s.") % {"parts": ", ".join(parts)})
        else:
            self.stdout.write(_("The demo school was already complete; nothing was changed."))
        self.stdout.write(
            _("Demo school: %(schools)s. Policy: %(policy)s.")
            % {"schools": "、".join(s.name for s in result.schools), "policy": policy.name}
        )
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
        self.stdout.write("")
        self.stdout.write(_("Demo logins:"))
        rows = [
            (
                pgettext("demo logins", "Role"),
                pgettext("demo logins", "Name"),
                pgettext("demo logins", "Username"),
                pgettext("demo logins", "Password"),
            )
        ]
        for login in result.logins:
            chinese, english = LOGIN_ROLES[login.role]
            rows.append((f"{chinese} {english}", login.name or "-", login.username, login.password))
        self.stdout.write(_table(rows))

    def _ensure_policy(self, root, preset: str | None) -> Policy:
        """V4 by default for a school without a policy; an explicit preset replaces a different one."""
        policy = Policy.objects.filter(school=root).first()
        if policy is None or (preset and policy.preset != preset):
            policy = policy_load_preset(school=root, preset=preset or DEFAULT_PRESET)
        return policy


def demo_activity(*, root, size: str) -> list[str]:
    """A term of activity from each domain app: `<app>.demo.seed_demo_activity(root=, size=, today=)` where an
    app has one (DESIGN.md: each domain app adds its part of a living school). Each is idempotent and returns a
    line to print, or nothing when it had nothing to add. A module with `AFTER_THE_OTHERS = True` runs once the
    others have (the inspection rounds, which find the checks the other apps recorded)."""
    lines, modules = [], []
    for app_label in settings.LOCAL_APPS:
        try:
            modules.append(importlib.import_module(f"{app_label}.demo"))
        except ModuleNotFoundError as error:
            if error.name == f"{app_label}.demo":
                continue
            raise
    modules.sort(key=lambda module: getattr(module, "AFTER_THE_OTHERS", False))
    for module in modules:
        seed = getattr(module, "seed_demo_activity", None)
        if seed is not None and (line := seed(root=root, size=size, today=timezone.localdate())):
            lines.append(line)
    return lines


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [str(cell) + " " * (width - _width(str(cell))) for cell, width in zip(row, widths)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)
