"""Notifications: the bell, email and the school's group robot, sent once each, through an outbox.

`notify()` is the service every app calls. It writes, in the caller's transaction, one Notification per
recipient (unique per recipient and key: INSERT ... ON CONFLICT DO NOTHING, so the same event notified twice, or
by ten workers at once, is one notification) and an outbox row per email and per group-robot message (unique by
its dedupe key). Requests never talk to the broker: a stopped or frozen Redis cannot slow or break a page. The
rows are sent by a task: the periodic sender (`deliver_outbox`, run by beat every few seconds, see
`setup_periodic_tasks`), and the tick and reminder tasks right after they write. A delivery claims a row with a
conditional UPDATE (pending -> sending) before sending it, so two senders never send the same row; a sender that
dies mid-send leaves its claim, which is released after `STALE_CLAIM` for another try (email and webhooks cannot be
made exactly-once across a crash at the moment of sending; everything else is).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from typing import Iterable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from school.models import Staff

from ..models import GroupRobot, Notification, NotificationPreference, OutboxMessage

logger = logging.getLogger(__name__)

IN_APP, EMAIL, WEBHOOK = "in_app", "email", "webhook"
KINDS = (IN_APP, EMAIL, WEBHOOK)
DEFAULT_KINDS = (IN_APP, EMAIL)
# What a group robot posts, each switched on or off by the office (GroupRobot.post_*).
ANNOUNCEMENTS, REMINDERS = "announcements", "reminders"

MAX_ATTEMPTS = 5
STALE_CLAIM = dt.timedelta(minutes=10)


def _staff_id(recipient) -> int:
    return recipient.pk if isinstance(recipient, Staff) else int(recipient)


def preference_of(staff: Staff) -> NotificationPreference:
    """Her preferences (the defaults until she changes them)."""
    try:
        return staff.notification_preference
    except ObjectDoesNotExist:
        return NotificationPreference(staff=staff)


def notify(
    *,
    recipients: Iterable,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    kinds: Iterable[str] = DEFAULT_KINDS,
    topic: str = ANNOUNCEMENTS,
) -> list[int]:
    """Tell `recipients` (Staff or staff ids) something, once per recipient and `key`.

    `kinds`: "in_app" (under the bell), "email" (to those who want email and have an address), "webhook" (one
    message to each recipient's central school's group robot, if the office set one up for this `topic`:
    "announcements" or "reminders"). Written in the caller's transaction; sent by the outbox's sender once it
    has committed. `key` must name the event uniquely, e.g. "round:12:checker:34:reminder". Returns the ids of
    the staff this call notified (those notified of `key` before are left out). Two queries when no email or
    robot message goes out, a few more when one does."""
    kinds = set(kinds)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    staff_ids = sorted({_staff_id(r) for r in recipients})
    if not staff_ids:
        return []
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        people = [
            person for person in Staff.objects.filter(pk__in=staff_ids)
            .select_related("user", "school", "notification_preference")
            .annotate(told=Exists(Notification.objects.filter(recipient=OuterRef("pk"), key=key)))
            .order_by("pk")
            if not person.told
        ]
        if not people:
            return []
        Notification.objects.bulk_create(
            [Notification(recipient=person, key=key, subject=subject[:200], body=body, url=url[:300],
                          in_app=IN_APP in kinds) for person in people],
            ignore_conflicts=True,
        )
        outbox = []
        if EMAIL in kinds:
            wanting = [p.pk for p in people if p.is_active and p.user.email and preference_of(p).email]
            if wanting:
                outbox += [
                    OutboxMessage(channel=OutboxMessage.Channel.EMAIL, dedupe_key=f"email:{pk}", notification_id=pk,
                                  next_attempt_at=now)
                    for pk in Notification.objects.filter(key=key, recipient_id__in=wanting)
                    .order_by("pk").values_list("pk", flat=True)
                ]
        if WEBHOOK in kinds:
            outbox += _robot_messages(people, key=key, subject=subject, body=body, url=url, topic=topic, now=now)
        if outbox:
            OutboxMessage.objects.bulk_create(outbox, ignore_conflicts=True)
    return [person.pk for person in people]


def _robot_messages(people, *, key, subject, body, url, topic, now) -> list[OutboxMessage]:
    by_root: dict[int, list[Staff]] = {}
    for person in people:
        by_root.setdefault(person.school.root_id, []).append(person)
    flag = "post_reminders" if topic == REMINDERS else "post_announcements"
    robots = GroupRobot.objects.filter(school_id__in=list(by_root), enabled=True, **{flag: True})
    messages = []
    for robot in robots:
        people = by_root[robot.school_id]
        # Reminders name their people (@ by mobile); announcements to everyone do not ping the whole group.
        mobiles = sorted({p.phone for p in people if p.phone}) if topic == REMINDERS else []
        messages.append(
            OutboxMessage(
                channel=OutboxMessage.Channel.WEBHOOK, dedupe_key=f"webhook:{robot.school_id}:{key}"[:255],
                school_id=robot.school_id, next_attempt_at=now,
                payload={"subject": subject, "body": body, "url": url, "mobiles": mobiles},
            )
        )
    return messages


# --- delivery ---------------------------------------------------------------------------------------------------


class DeliveryError(Exception):
    pass


def _release_stale_claims(now: dt.datetime) -> int:
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutboxMessage.Status.PENDING, claimed_at=None)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def outbox_deliver(*, ids: Iterable[int] | None = None, limit: int = 500) -> dict[str, int]:
    """Send pending outbox rows that are due (those of `ids`, or all), each claimed first with a conditional
    UPDATE so that concurrent senders send it once. A failure is retried with backoff; after `MAX_ATTEMPTS` the row
    is marked failed. Must run outside a transaction (each claim and result commits at once)."""
    now = timezone.now()
    _release_stale_claims(now)
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    result = {"sent": 0, "failed": 0, "retry": 0}
    for pk in list(pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        claimed = OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.PENDING).update(
            status=OutboxMessage.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not claimed:
            continue  # another sender has it
        message = OutboxMessage.objects.select_related("notification__recipient__user").get(pk=pk)
        try:
            _send(message)
        except Exception as error:  # noqa: BLE001 — a failed message must not stop the others
            logger.warning("outbox %s: %s", message.dedupe_key, error)
            gave_up = message.attempts >= MAX_ATTEMPTS
            OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.SENDING).update(
                status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
                next_attempt_at=timezone.now() + backoff(message.attempts),
                last_error=str(error)[:2000] or error.__class__.__name__,
                claimed_at=None,
            )
            result["failed" if gave_up else "retry"] += 1
        else:
            OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.SENDING).update(
                status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            result["sent"] += 1
    return result


def absolute_url(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.NOTIFICATION_SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        _send_email(message)
    else:
        _send_webhook(message)


def _send_email(message: OutboxMessage) -> None:
    notification = message.notification
    address = notification.recipient.user.email
    if not address:
        raise DeliveryError("no email address")
    text = notification.body
    if notification.url:
        text = f"{text}\n\n{absolute_url(notification.url)}".strip()
    EmailMessage(subject=notification.subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                 to=[address]).send(fail_silently=False)


def robot_payload(robot: GroupRobot, payload: dict) -> dict:
    """The JSON a WeCom or DingTalk group robot takes: a text message, with @ by mobile."""
    parts = [payload.get("subject", ""), payload.get("body", ""), absolute_url(payload.get("url", ""))]
    content = "\n".join(part for part in parts if part)
    mobiles = list(payload.get("mobiles") or [])
    if robot.flavour == GroupRobot.Flavour.DINGTALK:
        return {"msgtype": "text", "text": {"content": content}, "at": {"atMobiles": mobiles, "isAtAll": False}}
    text = {"content": content}
    if mobiles:
        text["mentioned_mobile_list"] = mobiles
    return {"msgtype": "text", "text": text}


def _send_webhook(message: OutboxMessage) -> None:
    robot = GroupRobot.objects.filter(school_id=message.school_id, enabled=True).first()
    if robot is None:
        raise DeliveryError("the school's group robot is switched off")
    data = json.dumps(robot_payload(robot, message.payload), ensure_ascii=False).encode()
    request = urllib.request.Request(robot.url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATION_WEBHOOK_TIMEOUT) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    # Both robots answer 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure.
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        reply = {}
    if isinstance(reply, dict) and reply.get("errcode", 0) != 0:
        raise DeliveryError(f"robot refused: {reply.get('errcode')} {reply.get('errmsg', '')}")


# --- the bell and preferences -------------------------------------------------------------------------------------


def notifications_mark_read(*, staff: Staff, ids: Iterable[int] | None = None) -> int:
    """Mark her notifications read (those of `ids`, or all)."""
    unread = Notification.objects.filter(recipient=staff, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preference_update(*, staff: Staff, email: bool, weekly_digest: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(staff=staff)
    preference.email = bool(email)
    preference.weekly_digest = bool(weekly_digest)
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def group_robot_save(*, school, flavour: str, url: str, enabled: bool, post_announcements: bool,
                     post_reminders: bool, user) -> GroupRobot:
    """The office sets up (or changes) its central school's group robot."""
    school = school.root
    robot = GroupRobot.objects.select_for_update().filter(school=school).first() or GroupRobot(school=school)
    robot.flavour = flavour
    robot.url = url.strip()
    robot.enabled = bool(enabled)
    robot.post_announcements = bool(post_announcements)
    robot.post_reminders = bool(post_reminders)
    robot.updated_by = user if getattr(user, "is_authenticated", False) else None
    robot.full_clean()
    if user is not None and getattr(user, "is_authenticated", False):
        robot._history_user = user
    robot.save()
    return robot
