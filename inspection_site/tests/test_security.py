"""Logins: lockout per username and address, the office's unlock, session renewal at login, sessions ended when
an account is deactivated."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from school.services import staff_sync_admin_access
from school.tests.world import PASSWORD

pytestmark = pytest.mark.django_db

SCHOOL_NAT = "127.0.0.20"  # one address for a whole school behind NAT
HOME = "127.0.0.21"


def attempt(username, password, address):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(reverse("login"), {"username": username, "password": password})


def lock_out(username, address):
    for number in range(1, settings.AXES_FAILURE_LIMIT + 1):
        _client, response = attempt(username, "wrong-password", address)
        # The form again with its error, until the last failure allowed locks the pair out.
        assert response.status_code == (429 if number == settings.AXES_FAILURE_LIMIT else 200)
    _client, response = attempt(username, PASSWORD, address)  # even the right password, now
    return response


def test_repeated_failures_lock_the_username_at_that_address_with_a_clear_message(world):
    response = lock_out(world.teacher.user.username, SCHOOL_NAT)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="locked-out"' in body
    assert "此账号在这台电脑上已被锁定" in body  # Chinese by default
    assert "30 分钟" in body
    assert SESSION_KEY not in response.wsgi_request.session
    # The form is still there, with the username kept.
    assert 'name="password"' in body and world.teacher.user.username in body


def test_colleagues_behind_the_same_address_and_the_teacher_elsewhere_still_log_in(world):
    assert lock_out(world.teacher.user.username, SCHOOL_NAT).status_code == 429
    _client, colleague = attempt(world.other_teacher.user.username, PASSWORD, SCHOOL_NAT)
    assert colleague.status_code == 302 and colleague.url == reverse("home")
    _client, elsewhere = attempt(world.teacher.user.username, PASSWORD, HOME)
    assert elsewhere.status_code == 302


def test_fewer_failures_than_the_limit_then_the_right_password_logs_in_and_resets_the_count(world):
    username = world.teacher.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(username, "wrong-password", SCHOOL_NAT)
    _client, response = attempt(username, PASSWORD, SCHOOL_NAT)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=username).exists()


def test_the_office_sees_and_unlocks_its_own_staff_only(world, client):
    assert lock_out(world.teacher.user.username, SCHOOL_NAT).status_code == 429
    assert lock_out(world.foreign_teacher.user.username, SCHOOL_NAT).status_code == 429
    staff_sync_admin_access(staff=world.director)
    client.force_login(world.director.user)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    body = page.content.decode()
    assert world.teacher.user.username in body
    assert world.foreign_teacher.user.username not in body

    foreign = AccessAttempt.objects.get(username=world.foreign_teacher.user.username)
    own = AccessAttempt.objects.get(username=world.teacher.user.username)
    client.post(changelist, {"action": "unlock", "_selected_action": [own.pk, foreign.pk], "post": "yes"})
    assert not AccessAttempt.objects.filter(pk=own.pk).exists()
    assert AccessAttempt.objects.filter(pk=foreign.pk).exists()  # not hers to unlock
    _client, response = attempt(world.teacher.user.username, PASSWORD, SCHOOL_NAT)
    assert response.status_code == 302


def test_a_teacher_cannot_open_the_lockout_list(world, client):
    client.force_login(world.teacher.user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 302  # to the admin login


def test_login_renews_the_session_key_and_the_old_one_is_gone(world):
    client = Client(REMOTE_ADDR=HOME)
    client.get(reverse("login"))
    session = client.session
    session["probe"] = "before login"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    response = client.post(reverse("login"), {"username": world.teacher.user.username, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()[SESSION_KEY] == str(world.teacher.user.pk)


def logged_in(user):
    client = Client(REMOTE_ADDR=HOME)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    return client


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def test_deactivating_a_user_ends_her_sessions(world):
    user = world.teacher.user
    phone, desk = logged_in(user), logged_in(user)
    other = logged_in(world.other_teacher.user)
    assert len(sessions_of(user)) == 2
    user.is_active = False
    user.save()
    assert sessions_of(user) == []
    for client in (phone, desk):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert other.get(reverse("home")).status_code == 200  # nobody else is logged out


def test_deactivating_a_staff_record_ends_her_sessions(world):
    client = logged_in(world.teacher.user)
    world.teacher.is_active = False
    world.teacher.save()
    assert sessions_of(world.teacher.user) == []
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_saving_an_active_user_ends_nothing(world):
    client = logged_in(world.teacher.user)
    world.teacher.user.first_name = "改名"
    world.teacher.user.save()
    world.teacher.save()
    assert client.get(reverse("home")).status_code == 200
