"""`manage.py backup_data FILE`: every row of the database, with a manifest of counts and Decimal totals."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection_site.backup import backup


class Command(BaseCommand):
    help = "Write a verified backup of the whole database to FILE (.jsonl.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, *args, file: Path, force: bool, **options):
        if file.exists() and not force:
            raise CommandError(f"{file} exists; use --force to overwrite it")
        if not file.parent.is_dir():
            raise CommandError(f"{file.parent} is not a directory")
        manifest = backup(file)
        rows = sum(counted["rows"] for counted in manifest["models"].values())
        self.stdout.write(f"Backed up {rows} rows of {len(manifest['models'])} models to {file}.")
