"""Compile every locale/*/LC_MESSAGES/*.po to .mo with polib, so a machine without GNU gettext can run the site."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the project's translations (.po -> .mo) without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalog = polib.pofile(str(po_path))
                if any(entry.obsolete is False and "fuzzy" in entry.flags for entry in catalog):
                    raise CommandError(f"{po_path} has fuzzy entries; review them before compiling.")
                catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
