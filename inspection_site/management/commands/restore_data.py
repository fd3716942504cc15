"""`manage.py restore_data FILE`: load a backup into an empty, migrated database and check every row and total."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection_site.backup import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_data into an empty database (run migrate first). Every model's rows "
        "and Decimal totals are compared with the backup's manifest; any difference undoes the whole restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist")
        try:
            manifest = restore(file)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        rows = sum(counted["rows"] for counted in manifest["models"].values())
        self.stdout.write(f"Restored {rows} rows of {len(manifest['models'])} models from {file} "
                          f"(backup of {manifest['created']}); every count and total matches.")
