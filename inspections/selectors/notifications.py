"""Reads of notifications: the bell's count, the list, and what the office sees of the outbox."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from school.models import Staff

from ..models import GroupRobot, Notification, OutboxMessage


def unread_count(staff: Staff | None) -> int:
    """Her unread notifications: one query, or none when the page already counted them (the home card)."""
    if staff is None:
        return 0
    cached = getattr(staff, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=staff, read_at__isnull=True, in_app=True).count()
        staff._unread_notifications = cached
    return cached


def notification_list(staff: Staff | None) -> QuerySet:
    if staff is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=staff, in_app=True).order_by("-created_at", "-pk")


def group_robot_of(school) -> GroupRobot | None:
    return GroupRobot.objects.filter(school_id=school.root_id).first() if school is not None else None


def outbox_summary(school) -> dict:
    """What the robot and email deliveries of the school's people came to (for the office's robot page)."""
    rows = OutboxMessage.objects.filter(
        Q(school_id=school.root_id)
        | Q(notification__recipient__school_id=school.root_id)
        | Q(notification__recipient__school__parent_id=school.root_id)
    )
    return rows.aggregate(
        pending=Count("pk", filter=Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING])),
        sent=Count("pk", filter=Q(status=OutboxMessage.Status.SENT)),
        failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
    )


def recent_robot_failures(school, limit: int = 5) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(school_id=school.root_id, channel=OutboxMessage.Channel.WEBHOOK)
        .exclude(last_error="").order_by("-created_at")[:limit]
    )
