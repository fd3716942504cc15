"""Notifications: once per person and key, the outbox (claimed before sending, retried with backoff, given up
after five attempts), email by preference, the group robot's JSON, the bell and the weekly digest."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.utils import translation
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections.models import GroupRobot, Notification, NotificationPreference, OutboxMessage
from inspections.services import notifications as service
from inspections.services.notifications import notify, outbox_deliver, robot_payload
from inspections.services.schedule import weekly_digests_send

from .schedule_world import build_schedule_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def w():
    return build_schedule_world()


def test_notify_is_once_per_person_and_key(w):
    assert notify(recipients=[w.t1, w.t2.pk], key="test:1", subject="学期工作总结提交提醒",
                  body="请按时提交") == [w.t1.pk, w.t2.pk]
    assert notify(recipients=[w.t1, w.t3], key="test:1", subject="again", body="") == [w.t3.pk]
    assert Notification.objects.filter(key="test:1").count() == 3
    assert OutboxMessage.objects.filter(channel="email").count() == 3
    with pytest.raises(ValueError):
        notify(recipients=[w.t1], key="test:2", subject="x", kinds=("pigeon",))


def test_email_follows_the_preference_and_the_address(w):
    NotificationPreference.objects.create(staff=w.t1, email=False)
    w.t2.user.email = ""
    w.t2.user.save()
    notify(recipients=[w.t1, w.t2, w.t3], key="test:pref", subject="提醒")
    assert list(OutboxMessage.objects.values_list("notification__recipient__staff_no", flat=True)) == ["T03"]
    assert Notification.objects.filter(key="test:pref").count() == 3  # the bell shows all


def test_delivery_sends_each_row_once_and_retries_failures_with_backoff(w):
    notify(recipients=[w.t1, w.t2], key="test:send", subject="提醒", body="正文", url="/policy/checks/")
    assert outbox_deliver() == {"sent": 2, "failed": 0, "retry": 0}
    assert outbox_deliver() == {"sent": 0, "failed": 0, "retry": 0}
    assert len(mail.outbox) == 2 and "http://127.0.0.1:8000/policy/checks/" in mail.outbox[0].body

    notify(recipients=[w.t3], key="test:fail", subject="提醒")
    row = OutboxMessage.objects.get(notification__key="test:fail")
    with mock.patch.object(service, "_send_email", side_effect=OSError("mail server away")):
        assert outbox_deliver()["retry"] == 1
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 1 and "mail server away" in row.last_error
        assert row.next_attempt_at > timezone.now()
        assert outbox_deliver()["retry"] == 0  # not due yet
        for attempt in range(2, service.MAX_ATTEMPTS + 1):
            OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
            outbox_deliver()
        row.refresh_from_db()
        assert row.status == "failed" and row.attempts == service.MAX_ATTEMPTS
    assert [service.backoff(n).total_seconds() for n in (1, 2, 3, 9)] == [60, 120, 240, 3600]


def test_a_row_claimed_by_another_sender_is_not_sent_twice(w):
    notify(recipients=[w.t1], key="test:claim", subject="提醒")
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now())
    assert outbox_deliver() == {"sent": 0, "failed": 0, "retry": 0}
    # A sender that died mid-send: its claim is released after a while and the row is sent.
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=11))
    assert outbox_deliver()["sent"] == 1 and len(mail.outbox) == 1


class Robot(BaseHTTPRequestHandler):
    received: list = []
    answer = b'{"errcode": 0, "errmsg": "ok"}'

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        Robot.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(Robot.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot_server():
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Robot.received = []
    Robot.answer = b'{"errcode": 0, "errmsg": "ok"}'
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=abc"
    server.shutdown()
    server.server_close()


def test_the_group_robot_gets_the_announcement_as_wecom_json(w, robot_server):
    GroupRobot.objects.create(school=w.school, url=robot_server, post_reminders=True)
    w.leader_1.phone = "13800000001"
    w.leader_1.save()
    notify(recipients=[w.leader_1, w.village_teacher], key="test:robot", subject="第一学月检查提醒",
           body="请于周五前完成", url="/policy/checks/", kinds=("in_app", "webhook"), topic="reminders")
    assert OutboxMessage.objects.filter(channel="webhook").count() == 1  # one message for the school
    outbox_deliver()
    assert Robot.received == [{"msgtype": "text", "text": {
        "content": "第一学月检查提醒\n请于周五前完成\nhttp://127.0.0.1:8000/policy/checks/",
        "mentioned_mobile_list": ["13800000001"]}}]
    Robot.answer = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    notify(recipients=[w.leader_1], key="test:robot-2", subject="x", kinds=("webhook",), topic="reminders")
    outbox_deliver()
    failed = OutboxMessage.objects.get(dedupe_key__endswith="test:robot-2")
    assert failed.status == "pending" and "93000" in failed.last_error


def test_reminders_reach_the_robot_only_if_the_office_wants_them(w):
    GroupRobot.objects.create(school=w.school, url="https://robot.example/x", post_reminders=False)
    notify(recipients=[w.t1], key="test:quiet", subject="x", kinds=("webhook",), topic="reminders")
    notify(recipients=[w.t1], key="test:loud", subject="x", kinds=("webhook",), topic="announcements")
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == [f"webhook:{w.school.pk}:test:loud"]


def test_dingtalk_json():
    robot = GroupRobot(flavour=GroupRobot.Flavour.DINGTALK, url="https://oapi.example/robot/send")
    assert robot_payload(robot, {"subject": "通报", "body": "", "url": "", "mobiles": ["138"]}) == {
        "msgtype": "text", "text": {"content": "通报"}, "at": {"atMobiles": ["138"], "isAtAll": False}}


def test_the_bell_counts_unread_and_reading_clears_it(w, client):
    notify(recipients=[w.t1], key="test:bell-1", subject="第一条", url="/policy/checks/")
    notify(recipients=[w.t1], key="test:bell-2", subject="第二条")
    notify(recipients=[w.t2], key="test:bell-3", subject="别人的")
    client.force_login(w.t1.user)
    bell = client.get(reverse("inspections:notification-bell")).content.decode()
    assert 'id="unread-count">2<' in bell and "第一条" in bell and "别人的" not in bell
    first = Notification.objects.get(key="test:bell-1")
    response = client.post(reverse("inspections:notification-read"), {"id": first.pk, "next": first.url})
    assert response.status_code == 302 and response["Location"] == "/policy/checks/"
    assert 'id="unread-count">1<' in client.get(reverse("inspections:notification-bell")).content.decode()
    response = client.post(reverse("inspections:notification-read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("inspections:notification-list")
    assert not Notification.objects.filter(recipient=w.t1, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=w.t2, read_at__isnull=True).count() == 1


def test_preferences_are_saved_per_person(w, client):
    client.force_login(w.t1.user)
    response = client.post(reverse("inspections:notification-preferences"), {"weekly_digest": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(staff=w.t1)
    assert preference.email is False and preference.weekly_digest is True


def test_the_office_sets_up_the_group_robot(w, client):
    client.force_login(w.director.user)
    url = reverse("inspections:group-robot")
    bad = client.post(url, {"flavour": "wecom", "url": "ftp://robot.example/x"})
    assert bad.status_code == 200 and not GroupRobot.objects.exists()
    client.post(url, {"flavour": "dingtalk", "url": "https://oapi.example/robot/send?access_token=1",
                      "enabled": "on", "post_announcements": "on"})
    robot = GroupRobot.objects.get()
    assert robot.school == w.school and robot.flavour == "dingtalk" and not robot.post_reminders
    client.force_login(w.village_director.user)
    assert client.get(url).status_code == 403


def test_the_weekly_digest_goes_once_a_week_to_those_who_want_it(w):
    from inspections.services.rounds import round_open_by_hand

    round_open_by_hand(school=w.school, kind="spot", title="", checklist=["lesson_prep"], checker="office",
                       opens_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 6), user=w.director.user)
    NotificationPreference.objects.create(staff=w.office, weekly_digest=False)
    monday = dt.date(2026, 3, 2)
    first = weekly_digests_send(today=monday)
    again = weekly_digests_send(today=monday + dt.timedelta(days=1))
    assert again[w.school.pk] == []  # the same week: nothing new
    assert first[w.school.pk] == [w.director.pk, w.village_director.pk]
    digests = Notification.objects.filter(key="digest:2026-W10")
    assert sorted(digests.values_list("recipient__staff_no", flat=True)) == ["P03", "V01"]
    assert digests.count() == 2  # run again the same week: nothing new
    body = digests.get(recipient=w.director).body
    assert "due this week" in body or "本周" in body
