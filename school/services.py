"""Writes to the school model."""

from __future__ import annotations

import secrets
from typing import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import School, Staff, StaffRole, TeachingGroup
from .permissions import MANAGER_ROLES

OFFICE_GROUP_NAME = "teaching_office"
# The admin is the teaching office's setup screen for these apps' models (rubrics, experiments, calendars…).
OFFICE_ADMIN_APPS = ("school", "inspections", "observations", "lesson_plans", "homework_checks", "exams", "feedback")
# Money moves only through the fines services: the office reads the ledger in the admin but never edits it.
OFFICE_READ_ONLY_APPS = ("deductions",)


def office_admin_group() -> Group:
    """The auth group that lets the teaching office use the admin for school setup (lists stay scoped)."""
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP_NAME)
    wanted = set(
        Permission.objects.filter(
            Q(content_type__app_label__in=OFFICE_ADMIN_APPS)
            | Q(content_type__app_label__in=OFFICE_READ_ONLY_APPS, codename__startswith="view_")
        ).values_list("pk", flat=True)
    )
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group


def staff_sync_admin_access(*, staff: Staff, group: Group | None = None) -> None:
    """Office roles get the admin (is_staff and the office group); others lose it. Superusers are left alone."""
    user = staff.user
    if user.is_superuser:
        return
    is_office = bool(set(staff.role_codes) & MANAGER_ROLES) and staff.is_active
    group = group or office_admin_group()
    if user.is_staff != is_office:
        user.is_staff = is_office
        user.save(update_fields=["is_staff"])
    if is_office:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def staff_upsert(
    *,
    school: School,
    staff_no: str,
    name: str,
    roles: Iterable[str],
    gender: str = "",
    phone: str = "",
    email: str = "",
    is_young: bool = False,
    is_new: bool = False,
    groups: Iterable[TeachingGroup] | None = None,
    is_active: bool = True,
    password_hash: str | None = None,
    admin_group: Group | None = None,
) -> tuple[Staff, bool]:
    """Create or update a member of staff, keyed by staff number, with her login (username = staff number).

    A new account has no usable password until the office issues one (`staff_issue_password`), unless a
    password hash is given (the demo school). `admin_group` spares a bulk caller (the roster import) fetching
    the office's admin group for every person."""
    User = get_user_model()
    staff = Staff.objects.select_related("user").filter(staff_no=staff_no).first()
    created = staff is None
    if created:
        user = User(username=staff_no)
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
    else:
        user = staff.user
    user.first_name = name[:150]
    user.email = email
    user.is_active = is_active
    user.save()
    if created:
        staff = Staff(user=user, staff_no=staff_no)
    staff.school = school
    staff.name = name
    staff.gender = gender
    staff.phone = phone
    staff.is_young = is_young
    staff.is_new = is_new
    staff.is_active = is_active
    staff.full_clean(exclude=["user"])
    staff.save()
    staff_set_roles(staff=staff, roles=roles)
    if groups is not None:
        staff.groups.set(groups)
    staff_sync_admin_access(staff=staff, group=admin_group)
    return staff, created


def staff_set_roles(*, staff: Staff, roles: Iterable[str]) -> None:
    wanted = set(roles)
    current = set(staff.roles.values_list("role", flat=True))
    staff.roles.filter(role__in=current - wanted).delete()
    StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in sorted(wanted - current)])
    staff.__dict__.pop("role_codes", None)
    staff._prefetched_objects_cache = {}


def staff_issue_password(*, staff: Staff) -> str:
    """Give the person a new random password to hand over; she changes it after logging in."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    password = "".join(secrets.choice(alphabet) for _ in range(10))
    staff.user.set_password(password)
    staff.user.save(update_fields=["password"])
    return password
