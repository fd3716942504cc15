"""Reads of research-group activities: the activities a person may see, the list, one activity with its
attendance and checks, and the leaders' attendance against the policy (V1.1, V6.1, V7.1). Each runs a fixed number
of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from inspections.models import Policy
from school.models import Staff, StaffRole, TeachingGroup, Term
from school.permissions import LEADER_ROLES, restrict, scope_for

from ..models import ActivityCheck, GroupActivity


def activities_visible_to(user) -> QuerySet:
    """Everyone on the staff sees her own school's activities (they are the school's calendar of research work);
    the office and the principal also their village schools'."""
    scope = scope_for(user)
    if scope.everything:
        return GroupActivity.objects.all()
    schools = set(scope.school_ids)
    if scope.staff is not None:
        schools.add(scope.staff.school_id)
    return GroupActivity.objects.filter(school_id__in=schools)


def activity_list(user, term: Term, *, group=None, kind="", school=None, mine=False) -> QuerySet:
    activities = activities_visible_to(user).filter(term=term)
    if group is not None:
        activities = activities.filter(group=group)
    if kind:
        activities = activities.filter(kind=kind)
    if school is not None:
        activities = activities.filter(school=school)
    staff = scope_for(user).staff
    if mine and staff is not None:
        activities = activities.filter(Q(group__members=staff) | Q(group__leader=staff) | Q(attendees=staff))
    return (
        activities.select_related("group", "host", "school")
        .annotate(present=Count("attendees", distinct=True), checked=Count("checks", distinct=True))
        .order_by("-date", "-id")
        .distinct()
    )


def activity_detail(user) -> QuerySet:
    return activities_visible_to(user).select_related("group", "group__leader", "host", "school", "created_by").prefetch_related(
        Prefetch("attendees", queryset=Staff.objects.order_by("staff_no")),
        Prefetch("checks", queryset=ActivityCheck.objects.select_related("leader")),
    )


def groups_run_by(user) -> QuerySet:
    """The groups whose activities she schedules: those she leads, and every group of the schools she manages."""
    scope = scope_for(user)
    groups = TeachingGroup.objects.select_related("school").order_by("school_id", "id")
    if scope.everything:
        return groups
    condition = Q(pk__in=scope.led_group_ids)
    if scope.managed_school_ids:
        condition |= Q(school_id__in=scope.managed_school_ids)
    return groups.filter(condition)


def attendance_candidates(activity: GroupActivity) -> QuerySet:
    """Who may be marked present: the group's members, and the leaders and office of its schools."""
    root = activity.school.root_id
    in_family = Q(school_id=root) | Q(school__parent_id=root)
    leaders = StaffRole.objects.filter(role__in=[*LEADER_ROLES, "office_staff"]).values("staff_id")
    return (
        Staff.objects.filter(in_family, is_active=True)
        .filter(Q(groups=activity.group) | Q(pk__in=leaders) | Q(pk=activity.group.leader_id or 0))
        .distinct()
        .order_by("school_id", "staff_no")
    )


@dataclass
class LeaderRow:
    leader: Staff
    groups: list[TeachingGroup]
    attended: int
    groups_min: int | None
    groups_max: int | None
    activities_min: int | None
    activities_max: int | None

    @property
    def groups_short(self) -> bool:
        return self.groups_min is not None and len(self.groups) < self.groups_min

    @property
    def groups_over(self) -> bool:
        return self.groups_max is not None and len(self.groups) > self.groups_max

    @property
    def attendance_short(self) -> bool:
        return self.activities_min is not None and self.attended < self.activities_min

    @property
    def attendance_over(self) -> bool:
        return self.activities_max is not None and self.attended > self.activities_max

    @property
    def short(self) -> bool:
        return self.groups_short or self.attendance_short


def leader_attendance(user, term: Term, policy: Policy | None, *, school=None) -> list[LeaderRow]:
    """Each leader of the schools the user sees (principal, vice-principal, director, other cadres), the groups she
    joined and the activities of this term she attended, against the policy's ranges; those short first. Two
    queries."""
    leaders = restrict(Staff.objects.filter(is_active=True, roles__role__in=LEADER_ROLES), user,
                       school="school", teacher=None)
    if school is not None:
        leaders = leaders.filter(school=school)
    leaders = (
        Staff.objects.filter(pk__in=leaders.values("pk"))
        .annotate(attended=Count("group_activities_attended", filter=Q(group_activities_attended__term=term),
                                 distinct=True))
        .select_related("school")
        .prefetch_related(Prefetch("groups", queryset=TeachingGroup.objects.order_by("id")), "roles")
        .order_by("school_id", "staff_no")
    )
    p = policy
    rows = [
        LeaderRow(
            leader=person, groups=list(person.groups.all()), attended=person.attended,
            groups_min=p.leader_groups_min if p else None, groups_max=p.leader_groups_max if p else None,
            activities_min=p.leader_activities_min if p else None,
            activities_max=p.leader_activities_max if p else None,
        )
        for person in leaders
    ]
    rows.sort(key=lambda r: not r.short)
    return rows


def coming_activities(staff: Staff, term: Term, day, *, limit: int = 5) -> list[GroupActivity]:
    """The next activities of the groups she belongs to or leads, from `day` on. One query."""
    return list(
        GroupActivity.objects.filter(term=term, date__gte=day)
        .filter(Q(group__members=staff) | Q(group__leader=staff))
        .select_related("group", "host")
        .distinct()
        .order_by("date", "id")[:limit]
    )
