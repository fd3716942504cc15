"""Roles and permissions in one place.

Who sees what (DOMAIN.md "People and places"):
- a teacher sees her own records;
- a group leader also sees her group's members' records (read only);
- the principal, vice-principal, director and office staff see their school's records, and a central school's
  leaders and office also see its village schools';
- the teaching office (director, office staff, and the vice-principal in charge of teaching) manages its schools:
  imports, policy, rounds.
A superuser sees everything.

`scope_for(user)` says this once; `restrict()` applies it to any queryset by naming the paths to its school and
its teacher; the `rules` predicates below answer object-level questions with the same scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules
from django.db.models import Q, QuerySet

from .models import Role, School, Staff

SCHOOL_WIDE_ROLES = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.OFFICE_STAFF})
MANAGER_ROLES = frozenset({Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.OFFICE_STAFF})
LEADER_ROLES = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.DIRECTOR, Role.CADRE})


@dataclass(frozen=True)
class Scope:
    staff: Staff | None
    everything: bool = False
    roles: frozenset = frozenset()
    school_ids: frozenset = frozenset()  # schools whose records are all visible
    managed_school_ids: frozenset = frozenset()  # schools the user manages
    led_group_ids: frozenset = field(default_factory=frozenset)

    @property
    def staff_id(self):
        return self.staff.pk if self.staff else None

    @property
    def is_manager(self) -> bool:
        return self.everything or bool(self.managed_school_ids)

    @property
    def is_school_wide(self) -> bool:
        return self.everything or bool(self.school_ids)

    @property
    def is_group_leader(self) -> bool:
        return bool(self.led_group_ids)


def get_staff(user) -> Staff | None:
    """The user's staff record with school and roles, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_staff_cache"):
        user._staff_cache = (
            Staff.objects.select_related("school", "school__parent")
            .prefetch_related("roles", "led_groups")
            .filter(user_id=user.pk, is_active=True)
            .first()
        )
    return user._staff_cache


def _schools_under(school: School) -> set[int]:
    ids = {school.pk}
    if school.parent_id is None:
        ids.update(School.objects.filter(parent_id=school.pk).values_list("pk", flat=True))
    return ids


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(staff=None)
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    staff = get_staff(user)
    if user.is_superuser:
        scope = Scope(staff=staff, everything=True, roles=staff.role_codes if staff else frozenset())
    elif staff is None:
        scope = Scope(staff=None)
    else:
        roles = staff.role_codes
        schools = frozenset(_schools_under(staff.school)) if roles & SCHOOL_WIDE_ROLES else frozenset()
        managed = schools if roles & MANAGER_ROLES else frozenset()
        scope = Scope(
            staff=staff,
            roles=roles,
            school_ids=schools,
            managed_school_ids=managed,
            led_group_ids=frozenset(g.pk for g in staff.led_groups.all()),
        )
    user._scope_cache = scope
    return scope


def restrict(queryset: QuerySet, user, *, school: str | None = "school", teacher: str | None = "teacher") -> QuerySet:
    """Rows of `queryset` the user may see. `school` and `teacher` are lookup paths to the row's School and
    Staff (e.g. school="school_class__grade__school"); None where the model has no such link."""
    scope = scope_for(user)
    if scope.everything:
        return queryset
    condition = Q(pk__in=[])
    if school and scope.school_ids:
        condition |= Q(**{f"{school}__in": scope.school_ids})
    if teacher and scope.staff:
        condition |= Q(**{teacher: scope.staff.pk})
        if scope.led_group_ids:
            members = Staff.objects.filter(groups__in=scope.led_group_ids).values("pk")
            condition |= Q(**{f"{teacher}__in": members})
    return queryset.filter(condition)


def visible_staff(user) -> QuerySet:
    return restrict(Staff.objects.all(), user, school="school", teacher="pk")


# --- rules predicates -------------------------------------------------------------------------


@rules.predicate
def is_staff_member(user):
    return scope_for(user).staff is not None or scope_for(user).everything


@rules.predicate
def is_manager(user):
    return scope_for(user).is_manager


@rules.predicate
def is_school_wide(user):
    return scope_for(user).is_school_wide


@rules.predicate
def is_group_leader(user):
    return scope_for(user).is_group_leader


@rules.predicate
def manages_school(user, school):
    scope = scope_for(user)
    if school is None:
        return scope.is_manager
    return scope.everything or school.pk in scope.managed_school_ids


@rules.predicate
def can_see_staff(user, staff):
    scope = scope_for(user)
    if staff is None:
        return scope.staff is not None or scope.everything
    if scope.everything or staff.school_id in scope.school_ids or staff.pk == scope.staff_id:
        return True
    return bool(scope.led_group_ids) and staff.groups.filter(pk__in=scope.led_group_ids).exists()


rules.add_perm("school.see_staff", can_see_staff)
rules.add_perm("school.see_school", is_school_wide)
rules.add_perm("school.manage_school", manages_school)
rules.add_perm("school.import_roster", manages_school)
rules.add_perm("inspections.manage_policy", manages_school)
rules.add_perm("inspections.see_policy", is_staff_member)
