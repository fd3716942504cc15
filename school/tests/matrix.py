"""The permission matrix: every URL x every role -> the expected status, and no foreign rows in any page.

Each app lists its URLs in `<app>/tests/permission_cases.py` as `CASES`; `test_permission_matrix` runs them
all against the world of `world.py` and fails if a project URL has no case.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from .world import FOREIGN, MATRIX_ROLES

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
SCHOOL_WIDE = ("office_staff", "director", "vice_principal", "principal", "village_director", "superuser")
MANAGERS = ("office_staff", "director", "vice_principal", "village_director", "superuser")
STAFF = tuple(r for r in MATRIX_ROLES if r != "anonymous")


def expect(*, allowed=(), allowed_status=OK, denied_status=FORBIDDEN, anonymous=REDIRECT) -> dict[str, int]:
    """Statuses for every role: `allowed` roles get `allowed_status`, other staff `denied_status`."""
    result = {}
    for role in MATRIX_ROLES:
        if role == "anonymous":
            result[role] = anonymous
        else:
            result[role] = allowed_status if role in allowed else denied_status
    return result


@dataclass(frozen=True)
class Case:
    url_name: str
    expected: dict[str, int]
    args: Callable = lambda w: ()
    query: Callable | str = ""
    method: str = "get"
    data: Callable = lambda w: {}
    # Text that the named roles must never see on a 200 page (besides FOREIGN rows, which no one but the
    # superuser may see anywhere).
    hidden: dict[str, Callable] = field(default_factory=dict)

    def __str__(self):
        return f"{self.method.upper()} {self.url_name}{' (with a query)' if self.query else ''}"


def collect_cases() -> list[Case]:
    cases = []
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.tests.permission_cases")
        except ModuleNotFoundError as error:
            if error.name in (f"{app}.tests", f"{app}.tests.permission_cases"):
                continue
            raise
        cases.extend(module.CASES)
    return cases


def project_url_names(resolver=None, namespace="") -> set[str]:
    """Every named URL of the project except the admin's (which Django's own tests cover)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def run_matrix(cases, world, client, user_for) -> list[str]:
    """Request every case as every role; return one line per mismatch or leak."""
    from django.urls import reverse

    problems = []
    for case in cases:
        url = reverse(case.url_name, args=case.args(world))
        query = case.query(world) if callable(case.query) else case.query
        if query:
            url = f"{url}?{query}"
        for role in MATRIX_ROLES:
            user = user_for(world, role)
            client.logout()
            if user is not None:
                client.force_login(user)
            if case.method == "get":
                response = client.get(url)
            else:
                response = client.post(url, case.data(world))
            want = case.expected[role]
            if response.status_code != want:
                problems.append(f"{case} as {role}: {response.status_code}, expected {want}")
                continue
            # Downloads (an .xlsx template) are not pages: there is no text to search for leaks.
            is_page = response.get("Content-Type", "").startswith(("text/", "application/json"))
            if response.status_code == OK and role != "superuser" and is_page:
                body = response.content.decode()
                if FOREIGN in body:
                    problems.append(f"{case} as {role}: shows a row of another school")
                for hidden in case.hidden.get(role, lambda w: [])(world):
                    if hidden in body:
                        problems.append(f"{case} as {role}: shows {hidden!r}")
    return problems
