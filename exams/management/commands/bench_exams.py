"""`manage.py bench_exams [--sizes 1000 10000] [--repeats 5]`: the exams benchmark (see exams/bench.py)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmark the score import, the statistics and the export against their floors (exams/bench.py)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="Students in the grade.")
        parser.add_argument("--repeats", type=int, default=5, help="Runs per figure (the median is shown).")

    def handle(self, *args, sizes, repeats, **options):
        from exams.bench import run

        try:
            run(sizes=sizes, repeats=repeats, out=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
