"""Navigation per role: what the menu shows is what the user may open, grouped as a school's work is.

Each app adds its own sections from `<app>/menu.py`: `sections(scope) -> list[(position, section)]`, where a section
is `entry(label, url_name, icon)` or `group(label, icon, children)`, and `position` orders the sections across
apps (lower first). An app with nothing for this user returns an empty list.
"""

import importlib

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import scope_for

# Where each app's sections go in the menu, lower first; an app picks one of these or a number in between.
POSITION_HOME = 0
POSITION_CLASSROOM = 20  # observation, patrol, labs
POSITION_PREPARATION = 30  # lesson plans, homework
POSITION_EXAMS = 40
POSITION_FEEDBACK = 50
POSITION_ROUNDS = 60
POSITION_FINES = 70
POSITION_SCHOOL = 90


def entry(label, url_name, icon, *args):
    return {"label": label, "url": reverse(url_name, args=args), "icon": icon}


def group(label, icon, children):
    return {"label": label, "icon": icon, "children": children}


def app_sections(scope) -> list[dict]:
    """Every app's sections for this user, in menu order."""
    found = []
    for order, app_label in enumerate(settings.LOCAL_APPS):
        try:
            module = importlib.import_module(f"{app_label}.menu")
        except ModuleNotFoundError as error:
            if error.name == f"{app_label}.menu":
                continue
            raise
        for position, section in module.sections(scope):
            found.append((position, order, section))
    found.sort(key=lambda item: (item[0], item[1]))
    return [section for _position, _order, section in found]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    sections = [entry(_("My term"), "home", "bi-house"), *app_sections(scope)]
    path = request.path
    for section in sections:
        entries = section.get("children", [section])
        for item in entries:
            item["active"] = item["url"] == path or (item["url"] != "/" and path.startswith(item["url"]))
        section["active"] = any(item["active"] for item in entries)
    return {"nav_items": sections, "scope": scope, "show_admin_link": user.is_staff}
