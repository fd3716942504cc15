"""The filters of the lists (by term, school, group, grade, subject, status): built once from what the user may
see, and read back as objects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from school.models import Grade, Subject, TeachingGroup
from school.permissions import restrict
from school.selectors import schools_visible_to

from ..selectors.common import visible_terms
from .common import FilterForm, filter_choices


class ListFilter(FilterForm):
    """Term, school (when she sees more than one), group, grade, subject, and the list's own `status` choices."""

    term = forms.ChoiceField(label=_("Term"))
    school = forms.ChoiceField(label=_("School"))
    group = forms.ChoiceField(label=_("Group"))
    grade = forms.ChoiceField(label=_("Grade"))
    subject = forms.ChoiceField(label=_("Subject"))
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args, user, term, fields=("term", "school", "group", "grade", "subject", "status"),
                 statuses=(), status_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.terms = visible_terms(user)
        self.schools = schools_visible_to(user).order_by("parent_id", "pk")
        self.groups = restrict(TeachingGroup.objects.select_related("school"), user, school="school",
                               teacher="leader").order_by("school_id", "id")
        self.grades = restrict(Grade.objects.select_related("school"), user, school="school",
                               teacher=None).order_by("school_id", "level")
        root = term.school_year.school_id if term is not None else None
        self.subjects = Subject.objects.filter(school_id=root).order_by("order", "id")
        self.fields["term"].choices = [(str(t.pk), str(t)) for t in self.terms]
        self.fields["school"].choices = filter_choices(self.schools, empty=_("All schools"))
        self.fields["group"].choices = filter_choices(self.groups, empty=_("All groups"))
        self.fields["grade"].choices = [("", _("All grades"))] + [
            (str(g.pk), f"{g.school} · {g.name}") for g in self.grades
        ]
        self.fields["subject"].choices = filter_choices(self.subjects, empty=_("All subjects"))
        self.fields["status"].choices = [("", _("Any status"))] + list(statuses)
        if status_label:
            self.fields["status"].label = status_label
        self.initial.setdefault("term", str(term.pk) if term is not None else "")
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "school" in self.fields and len(self.fields["school"].choices) <= 2:
            del self.fields["school"]  # one school: nothing to choose

    def objects(self) -> dict:
        """The chosen school, group, grade and subject (None: all) and status ("": any)."""
        return {
            "school": self.picked(self.schools, "school") if "school" in self.fields else None,
            "group": self.picked(self.groups, "group") if "group" in self.fields else None,
            "grade": self.picked(self.grades, "grade") if "grade" in self.fields else None,
            "subject": self.picked(self.subjects, "subject") if "subject" in self.fields else None,
            "status": (self.value("status") or "") if "status" in self.fields else "",
        }

