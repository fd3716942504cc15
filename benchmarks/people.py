"""The demo school's person for each role, and what pages need (the root school, the current term…)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from school.models import Role, School, Staff

# Role -> how to find the person: the first (by staff number) of the central school with exactly these roles
# among hers, or of a village school for the village director.
ROLES = {
    "teacher": ({Role.TEACHER}, False),
    "group_leader": ({Role.GROUP_LEADER, Role.TEACHER}, False),
    "office": ({Role.DIRECTOR}, False),
    "principal": ({Role.PRINCIPAL}, False),
    "village_director": ({Role.DIRECTOR}, True),
}


@dataclass
class Demo:
    root: School

    @classmethod
    def find(cls) -> "Demo":
        root = School.objects.filter(parent__isnull=True, village_schools__isnull=False).distinct().order_by("pk").first()
        if root is None:
            raise SystemExit("No demo school with village schools: run `manage.py seed_demo --size large` first.")
        return cls(root=root)

    def person(self, role: str) -> Staff:
        wanted, village = ROLES[role]
        schools = School.objects.filter(parent=self.root) if village else School.objects.filter(pk=self.root.pk)
        for staff in Staff.objects.filter(school__in=schools, is_active=True).order_by("staff_no").prefetch_related(
                "roles"):
            codes = set(staff.role_codes)
            if wanted <= codes and (role != "teacher" or codes == {Role.TEACHER}):
                return staff
        raise SystemExit(f"The demo school has nobody for the role {role}.")

    @cached_property
    def term(self):
        from school.selectors import current_term

        return current_term(self.root)

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    @property
    def last_monday(self) -> dt.date:
        return self.today - dt.timedelta(days=self.today.weekday() + 7)
