"""The roster import pages: download a template, upload a filled workbook, see what it did or what is wrong."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from . import selectors
from .excel import xlsx_response
from .imports import ImportRefused, build_template, roster_import, template_filename
from .imports.forms import RosterImportForm
from .imports.sheets import ALL, KINDS, SPECS, kinds_for
from .mixins import RolePermissionMixin
from .models import Term
from .permissions import scope_for

MAX_ISSUES_SHOWN = 500


class ImportPermissionMixin(RolePermissionMixin):
    """The teaching office of the user's school (rule "school.import_roster"); a superuser anywhere."""

    permission_required = "school.import_roster"

    def get_permission_object(self):
        staff = scope_for(self.request.user).staff
        return staff.school if staff else None


def terms_for(user):
    """The terms of the calendar the user's schools follow: her central school's (a superuser: all)."""
    scope = scope_for(user)
    terms = Term.objects.select_related("school_year", "school_year__school").order_by(
        "school_year__school_id", "-start_date"
    )
    if scope.everything:
        return terms
    # A manager's schools are her own school and, for a central school, its village schools: one calendar.
    return terms.filter(school_year__school_id=scope.staff.school.root_id)


class RosterImportView(ImportPermissionMixin, FormView):
    """GET: the templates, the term and the file field. POST: import all or nothing; on any error the page
    shows every error (sheet, row, column, message) and nothing is written."""

    template_name = "school/roster_import.html"
    form_class = RosterImportForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"terms": terms_for(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = scope_for(self.request.user).staff
        context.update(
            school=staff.school if staff else None,
            current_term=selectors.current_term(staff.school) if staff else None,
            templates=[(ALL, _("All four sheets"))] + [(kind, SPECS[kind].title) for kind in KINDS],
        )
        return context

    def form_valid(self, form):
        staff = scope_for(self.request.user).staff
        try:
            result = roster_import(
                file=form.cleaned_data["file"],
                school=staff.school if staff else None,
                term=form.cleaned_data["term"],
                user=self.request.user,
            )
        except ImportRefused as refused:
            issues = refused.issues
            return self.render_to_response(self.get_context_data(
                form=form,
                refusal=refused.message,
                issues=issues[:MAX_ISSUES_SHOWN],
                issues_hidden=max(len(issues) - MAX_ISSUES_SHOWN, 0),
            ))
        parts = [
            _("%(sheet)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
            % {"sheet": sheet, "created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            if sheet != SPECS["timetable"].title
            else _("%(sheet)s: %(created)s lessons written, %(replaced)s replaced")
            % {"sheet": sheet, "created": c.created, "replaced": c.replaced}
            for sheet, c in result.for_display()
        ]
        message = _("Imported. %(parts)s.") % {"parts": "; ".join(parts)}
        if result.term is not None:
            message += " " + _("Timetable term: %(term)s.") % {"term": result.term}
        if result.empty_sheets:
            message += " " + _("Empty sheets skipped: %(sheets)s.") % {"sheets": "、".join(result.empty_sheets)}
        messages.success(self.request, message)
        return redirect("school:roster-import")


class RosterTemplateView(ImportPermissionMixin, View):
    """An empty template: `?kind=all` (the roster workbook, four sheets) or one of staff, classes, students,
    timetable."""

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("kind", ALL)
        try:
            kinds = kinds_for(kind)
        except KeyError:
            raise Http404 from None
        # An ASCII name for old clients, the Chinese one through RFC 5987 for the rest.
        return xlsx_response(build_template(kinds), ascii_name=f"roster-{kind}.xlsx", name=template_filename(kind))
