"""Login lockout (django-axes) and sessions.

- A username is locked out from one address after `AXES_FAILURE_LIMIT` wrong passwords (the pair, so that a
  school behind one NAT address is not locked out together); the login page then says so in the user's language
  and for how long. The teaching office unlocks a person early in the admin.
- Django's `login()` renews the session key (no session fixation); `end_sessions_of()` deletes every session of a
  user the moment she or her staff record is deactivated, so a stolen or open session ends with the account.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from school.models import Staff


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password backends. A call with no request (a management command, a shell)
    is no web login and has no address to lock: it passes on to the password backends unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted reverse proxy sets (DJANGO_CLIENT_IP_HEADER)."""
    value = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR") or ""
    # X-Forwarded-For may hold a chain: the left-most entry is what the proxy saw as the client.
    return value.split(",")[0].strip()


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the form and a message saying the account is locked here and until when."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    form = AuthenticationForm(request)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form.initial["username"] = username
    context = {
        "form": form,
        "locked_out": True,
        "lockout_minutes": minutes,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def end_sessions_of(user_id) -> int:
    """Delete every unexpired session that belongs to the user; returns how many were ended.

    Sessions are not indexed by user, so this decodes them; it runs only when an account is deactivated."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _being_deactivated(sender, instance, raw, update_fields) -> bool:
    """True when this save turns an active row inactive (one query, and only when saving an inactive row)."""
    if raw or instance.pk is None or instance.is_active:
        return False
    if update_fields is not None and "is_active" not in update_fields:
        return False
    return sender._default_manager.filter(pk=instance.pk, is_active=True).exists()


@receiver(pre_save, sender=get_user_model(), dispatch_uid="site-user-deactivated")
@receiver(pre_save, sender=Staff, dispatch_uid="site-staff-deactivated")
def _note_deactivation(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._site_deactivated = _being_deactivated(sender, instance, raw, update_fields)


@receiver(post_save, sender=get_user_model(), dispatch_uid="site-end-sessions-of-inactive-user")
@receiver(post_save, sender=Staff, dispatch_uid="site-end-sessions-of-inactive-staff")
def _end_sessions_when_deactivated(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_site_deactivated", False):
        instance._site_deactivated = False
        end_sessions_of(instance.pk if sender is not Staff else instance.user_id)
