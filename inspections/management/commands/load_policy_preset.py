"""Load one of the seven rulebooks (V1..V7 of DOMAIN.md) as a school's inspection policy."""

from django.core.management.base import BaseCommand, CommandError

from inspections.presets import PRESETS
from inspections.services import policy_load_preset
from school.models import School


class Command(BaseCommand):
    help = (
        "Load a preset (v1..v7) as the inspection policy of a central school, or of every central school. "
        "Every number of the policy is replaced; fine rules the preset lacks are deactivated."
    )

    def add_arguments(self, parser):
        parser.add_argument("preset", help=f"one of {', '.join(PRESETS)}")
        parser.add_argument(
            "--school", metavar="CODE", help="the central school's code (default: every central school)"
        )

    def handle(self, *args, preset, school=None, **options):
        preset = preset.strip().lower()
        if preset not in PRESETS:
            raise CommandError(f"Unknown preset {preset!r}: choose one of {', '.join(PRESETS)}.")
        if school is not None:
            found = School.objects.select_related("parent").filter(code=school).first()
            if found is None:
                raise CommandError(f"No school has the code {school!r}.")
            if found.parent_id is not None:
                # The policy belongs to the central school; loading through a village school would silently
                # change every school of that central school.
                raise CommandError(
                    f"{found.code} is a village school; it follows the policy of its central school "
                    f"{found.parent.code}. Use --school {found.parent.code}."
                )
            schools = [found]
        else:
            schools = list(School.objects.filter(parent__isnull=True).order_by("id"))
            if not schools:
                raise CommandError("There is no central school to load the preset into.")
        for target in schools:
            policy = policy_load_preset(school=target, preset=preset)
            self.stdout.write(f"Loaded preset {preset} into {target.code} ({target.name}): {policy.name}.")
