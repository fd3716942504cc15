"""Every page of the permission matrix (so every app's pages, as they are added) carries the Content Security
Policy and holds to it: no inline script, no inline style, no event-handler attribute. Every POST of the matrix
refuses a request without a CSRF token.

JSON data blocks (`<script type="application/json">`, Django's `json_script`) are not scripts: the browser never
runs them, so the policy allows them and so does this test.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from school.tests.matrix import OK, REDIRECT, collect_cases
from school.tests.world import MATRIX_ROLES, user_for

from .registries import export_cases

pytestmark = pytest.mark.django_db

# The only views exempt from the CSRF check, each with its reason (test_the_csrf_exempt_views_are_the_documented_
# ones fails on any other). CSRF forges a request that rides on what the victim's browser carries without being
# asked (a session, a cookie); these pages read neither.
CSRF_EXEMPT = {
    # Students' and parents' questionnaire (feedback/views/public.py): no login and no session; the one-time key
    # from the slip, sent in the form, is the only thing that opens or submits anything. A forged request would
    # have to carry that key, with which its holder may answer directly anyway; a CSRF cookie would only turn
    # away the phones whose in-app browsers drop cookies. Guessing keys is limited per address.
    "feedback:answer-code": "public questionnaire: the slip's key is the only credential",
    "feedback:answer-submit": "public questionnaire: the slip's key is the only credential",
    "feedback:answer": "public questionnaire: the slip's key is the only credential (GET only)",
}

# The roles whose pages differ the most; each GET case is read as the first few of these it lets in.
READERS = ("teacher", "group_leader", "office_staff", "principal", "village_director", "superuser")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and "src" not in names and (names.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> block at line {self.getpos()[0]}")
        for name in names:
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            elif name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_problems(body: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(body)
    finder.close()
    return finder.problems


def csp_problems(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return ["no Content-Security-Policy header"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    problems = [f"{d} allows inline or eval" for d, v in directives.items() if "unsafe-" in v]
    for needed in ("default-src", "script-src", "style-src", "frame-ancestors", "object-src"):
        if needed not in directives:
            problems.append(f"no {needed}")
    return problems


def url_of(case, world):
    url = reverse(case.url_name, args=case.args(world))
    query = case.query(world) if callable(case.query) else case.query
    return f"{url}?{query}" if query else url


def request(client, case, world, url):
    return client.get(url) if case.method == "get" else client.post(url, case.data(world))


def test_the_finder_sees_each_kind_of_inline_code():
    page = ('<script>alert(1)</script><script src="/static/a.js"></script><script type="application/json">{}</script>'
            '<p style="color:red" onclick="x()"></p><div hx-on:click="x()"></div><style>p{}</style>'
            '<img src=x onerror=alert(1)/>')
    found = inline_problems(page)
    assert len(found) == 6, found


def test_every_page_has_the_policy_and_no_inline_code(world, client):
    """Also: every .xlsx download met on the way is listed in an app's export_cases.py, so that the check that
    user text is never a formula (test_exports_never_formulas.py) covers it."""
    registered = {case.url_name for case in export_cases()}
    problems, pages = [], 0
    for case in collect_cases():
        url = url_of(case, world)
        readers = [r for r in READERS if case.expected[r] == OK][:3]
        for role in ["anonymous", *readers]:
            client.logout()
            user = user_for(world, role)
            if user is not None:
                client.force_login(user)
            response = request(client, case, world, url)
            problems += [f"{case} as {role}: {p}" for p in csp_problems(response)]
            if "spreadsheetml" in response.get("Content-Type", "") and case.url_name not in registered:
                problems.append(f"{case}: an .xlsx download missing from the apps' export_cases.py")
            if response.get("Content-Type", "").startswith("text/html") and response.content:
                pages += 1
                problems += [f"{case} as {role}: {p}" for p in inline_problems(response.content.decode())]
    assert pages > 50  # the walk read real pages
    assert not problems, "\n".join(problems)


def test_error_pages_and_the_admin_carry_the_policy(world, client):
    assert not csp_problems(client.get("/no-such-page/"))
    client.force_login(world.superuser)
    for url in (reverse("admin:index"), reverse("admin:school_staff_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert not csp_problems(response), url


def url_callbacks(patterns=None, prefix=""):
    """(namespaced name, view) of every URL of the project."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_callbacks(pattern.url_patterns, prefix + (f"{pattern.namespace}:" if pattern.namespace
                                                                     else ""))
        else:
            yield prefix + (pattern.name or pattern.pattern.describe()), pattern.callback


def test_the_csrf_exempt_views_are_the_documented_ones():
    exempt = {name for name, view in url_callbacks() if getattr(view, "csrf_exempt", False)}
    assert exempt == set(CSRF_EXEMPT)


def test_the_csrf_exempt_views_answer_everyone_alike(world):
    """No ambient authority: a logged-in member of staff gets exactly what an anonymous visitor gets, so a forged
    request gains nothing from whose browser sends it."""
    cases = [case for case in collect_cases() if case.url_name in CSRF_EXEMPT]
    assert {case.url_name for case in cases} == set(CSRF_EXEMPT)
    for case in cases:
        assert len(set(case.expected.values())) == 1, case
        statuses = set()
        for role in ("anonymous", "director"):
            client = Client(enforce_csrf_checks=True)
            user = user_for(world, role)
            if user is not None:
                client.force_login(user)
            response = request(client, case, world, url_of(case, world))
            assert response.status_code == case.expected[role], f"{case} as {role}"
            body = response.content.decode()
            assert user is None or user.username not in body, f"{case} shows who is logged in"
            statuses.add(response.status_code)
        assert len(statuses) == 1


def test_every_post_refuses_a_request_without_a_csrf_token(world):
    refused, unchecked = 0, []
    posts = [case for case in collect_cases() if case.method == "post" and case.url_name not in CSRF_EXEMPT]
    assert posts
    for case in posts:
        # A role that gets past the permission check, so that only the missing token can refuse it.
        # (Anonymous is sent to the login page before the token is looked at.)
        role = next((r for r in MATRIX_ROLES if case.expected[r] in (OK, REDIRECT)
                     and not (r == "anonymous" and case.expected[r] == REDIRECT)), None)
        if role is None:
            unchecked.append(str(case))
            continue
        client = Client(enforce_csrf_checks=True)
        user = user_for(world, role)
        if user is not None:
            client.force_login(user)
        response = client.post(url_of(case, world), case.data(world))
        assert response.status_code == 403, f"{case} as {role}: {response.status_code} without a CSRF token"
        assert "CSRF" in response.content.decode(), f"{case} as {role}: refused, but not for the token"
        refused += 1
    assert not unchecked, f"POST cases no role may reach: {unchecked}"
    assert refused == len(posts)


def test_the_login_form_refuses_a_post_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": world.teacher.user.username, "password": "x"})
    assert response.status_code == 403
