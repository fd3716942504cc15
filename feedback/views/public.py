"""The public answer pages (issue 7.4, 7.8): a student or a parent opens her one-time link (or types the code from
her slip), answers on her phone and submits, with no login.

- Nothing here uses a session or a login: the link is the only key. So the forms are exempt from CSRF checks: a
  forged submission would need the link's secret, with which one may submit directly anyway, and a phone whose
  in-app browser drops cookies must still be able to answer.
- Every request counts against a per-address limit, and every key that opens nothing against a stricter one (a
  code has about 40 bits: guessing must stay hopeless). Over a limit: a clear page, status 429.
- A used, expired, not yet open or unknown link gets a page saying so; bad answers re-render the form with what to
  fix; nothing is stored unless everything is right. No error here shows a traceback.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import get_usage, is_ratelimited

from ..forms.public import AnswerForm, CodeForm
from ..selectors.rounds import LinkStatus, answer_sections, invitation_by_key, link_status
from ..services.responses import LinkUnusable, response_submit

# Requests of one address to the public pages, and keys of one address that open nothing.
RATE_REQUESTS = getattr(settings, "FEEDBACK_RATE_REQUESTS", "120/m")
RATE_MISSES = getattr(settings, "FEEDBACK_RATE_MISSES", "40/10m")
GROUP_REQUESTS, GROUP_MISSES = "feedback-public", "feedback-public-misses"

STATUS_CODES = {LinkStatus.UNKNOWN: 404, LinkStatus.USED: 410, LinkStatus.EXPIRED: 410, LinkStatus.NOT_OPEN: 200}


def _limited(request) -> bool:
    if is_ratelimited(request, group=GROUP_REQUESTS, key="ip", rate=RATE_REQUESTS, increment=True):
        return True
    # Misses are counted when they happen; once an address has used up its misses, it waits.
    usage = get_usage(request, group=GROUP_MISSES, key="ip", rate=RATE_MISSES, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def _count_miss(request) -> None:
    is_ratelimited(request, group=GROUP_MISSES, key="ip", rate=RATE_MISSES, increment=True)


def too_many(request):
    return render(request, "feedback/public/too_many.html", status=429)


def status_page(request, status: str, invitation=None):
    round_ = invitation.round_class.round if invitation is not None and status != LinkStatus.UNKNOWN else None
    return render(request, "feedback/public/link_status.html", {"status": status, "round": round_},
                  status=STATUS_CODES.get(status, 400))


def answer_page(request, invitation, form, status=200):
    round_ = invitation.round_class.round
    return render(request, "feedback/public/answer.html", {
        "form": form, "round": round_, "questionnaire": round_.questionnaire,
        "school_class": invitation.round_class.school_class,
        "unanswered": sum(1 for name in form.errors if name != "__all__") if form.is_bound else 0,
    }, status=status)


def _open(request, key: str):
    """The invitation behind `key` and its status; a key that opens nothing counts as a miss."""
    invitation = invitation_by_key(key)
    status = link_status(invitation)
    if status == LinkStatus.UNKNOWN:
        _count_miss(request)
    return invitation, status


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class CodeEntryView(View):
    """GET: the field for the code on the slip. POST: the questionnaire of that code (or why it cannot open)."""

    def get(self, request):
        if _limited(request):
            return too_many(request)
        return render(request, "feedback/public/code.html", {"form": CodeForm()})

    def post(self, request):
        if _limited(request):
            return too_many(request)
        form = CodeForm(request.POST)
        if not form.is_valid():
            _count_miss(request)
            return render(request, "feedback/public/code.html", {"form": form}, status=400)
        code = form.cleaned_data["code"]
        invitation, status = _open(request, code)
        if status == LinkStatus.UNKNOWN:
            form.add_error("code", _("No slip has this code. Check it against your slip and type it again."))
            return render(request, "feedback/public/code.html", {"form": form}, status=404)
        if status != LinkStatus.OK:
            return status_page(request, status, invitation)
        sections = answer_sections(invitation.round_class.round, invitation.round_class.school_class)
        return answer_page(request, invitation, AnswerForm(initial={"key": code}, sections=sections))


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class AnswerView(View):
    """GET: the questionnaire behind a link from a slip's QR code (or why it cannot open)."""

    def get(self, request, key):
        if _limited(request):
            return too_many(request)
        invitation, status = _open(request, key)
        if status != LinkStatus.OK:
            return status_page(request, status, invitation)
        sections = answer_sections(invitation.round_class.round, invitation.round_class.school_class)
        return answer_page(request, invitation, AnswerForm(initial={"key": key}, sections=sections))


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class SubmitView(View):
    """POST: the answers. Stored whole or not at all; the link is spent by the one submission that stores them."""

    http_method_names = ["post"]

    def post(self, request):
        if _limited(request):
            return too_many(request)
        key = str(request.POST.get("key", ""))[:100]
        invitation, status = _open(request, key)
        if status != LinkStatus.OK:
            return status_page(request, status, invitation)
        sections = answer_sections(invitation.round_class.round, invitation.round_class.school_class)
        form = AnswerForm(request.POST, sections=sections)
        if not form.is_valid():
            return answer_page(request, invitation, form, status=400)
        try:
            response_submit(key=key, answers=form.answers())
        except LinkUnusable as unusable:
            return status_page(request, unusable.status, invitation)
        except ValidationError as error:
            form.add_error(None, error)
            return answer_page(request, invitation, form, status=400)
        return redirect("feedback:answer-done")


@method_decorator(never_cache, name="dispatch")
class DoneView(View):
    def get(self, request):
        if _limited(request):
            return too_many(request)
        return render(request, "feedback/public/done.html")
