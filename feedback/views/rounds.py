"""The office's round pages (issue 7.2-4): the term's rounds, a new round, a round with its classes and who has
answered (never what), each class's sample, the printed slips, the window and closing, and the moderation of
comments once the round has closed.

Leaders (the principal) follow the rounds read-only; the teaching office of the round's school acts. Another
school's round is a 404."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from deductions.selectors import calendar_terms
from school.models import SchoolClass, Student
from school.selectors import today

from .. import sampling
from ..forms.rounds import ModerationForm, RoundCreateForm, RoundUpdateForm, SampleForm, SlipsForm
from ..models import MIN_RESPONSES, Invitation, Kind, Questionnaire, RoundClass
from ..ranking import standings_for_class
from ..selectors import rounds as selectors
from ..selectors.results import moderation_queue
from ..services import questionnaires as questionnaire_services
from ..services import responses as response_services
from ..services import rounds as services
from .common import LoginFirstMixin, TermPageMixin, form_errors_from, show_errors


class RoundListView(TermPageMixin, LoginFirstMixin, TemplateView):
    """The term's rounds with their progress: classes, respondents, slips printed, answered."""

    permission_required = "feedback.see_rounds"
    template_name = "feedback/round_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rounds=list(selectors.round_list(self.request.user, self.term)) if self.term else [],
            today=today(),
            can_create=self.request.user.has_perm("feedback.manage_evaluation"),
        )
        return context


class RoundCreateView(TermPageMixin, LoginFirstMixin, FormView):
    permission_required = "feedback.manage_evaluation"
    template_name = "feedback/round_form.html"
    form_class = RoundCreateForm

    @cached_property
    def school(self):
        """The school the round belongs to: the manager's own (a central office's rounds may take its village
        schools' classes too)."""
        staff = self.scope.staff
        if staff is not None:
            return staff.school
        return self.root

    def get_form_kwargs(self):
        if self.school is not None:
            questionnaire_services.questionnaire_defaults_ensure(school=self.school)
        current = [t for t in self.terms if t.end_date >= today()]
        return super().get_form_kwargs() | {
            "terms": calendar_terms(self.root).filter(pk__in=[t.pk for t in current]),
            "questionnaires": selectors.questionnaires_of(self.school, active_only=True) if self.school
            else Questionnaire.objects.none(),
            "classes": selectors.classes_managed(self.request.user, self.school) if self.school
            else SchoolClass.objects.none(),
        }

    def get_initial(self):
        kind = self.request.GET.get("kind")
        kind = kind if kind in Kind.values else (Kind.STUDENT if self.term and self.term.midterm_date and
                                                 today() > self.term.midterm_date else Kind.PARENT)
        low, high = selectors.sample_bounds(self.school, kind) if self.school else (0, 0)
        initial = {"kind": kind, "term": self.term, "sample_size": high or None}
        if self.term is not None:
            start = max(today(), self.term.midterm_date + dt.timedelta(days=1)) if (
                kind == Kind.STUDENT and self.term.midterm_date) else today()
            initial.update(opens_on=start, closes_on=min(start + dt.timedelta(days=7), self.term.end_date),
                           name=_("%(term)s %(kind)s evaluation") % {"term": self.term,
                                                                     "kind": Kind(kind).label})
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.school is not None:
            context["bounds"] = {kind: selectors.sample_bounds(self.school, kind) for kind in Kind.values}
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                school=self.school, term=data["term"], kind=data["kind"], name=data["name"],
                questionnaire=data["questionnaire"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                classes=list(data["classes"]), sample_size=data["sample_size"], user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Round created with its suggested samples. Check them, then print the slips."))
        return redirect("feedback:round-detail", round_.pk)


class RoundMixin(LoginFirstMixin):
    """One round the user sees (else 404); `manage` pages need the office of its school (else 403)."""

    permission_required = "feedback.see_rounds"
    manage = False

    def get_permission_object(self):
        return self.round if self.manage else None

    def get_permission_required(self):
        return ("feedback.manage_round",) if self.manage else (self.permission_required,)

    @cached_property
    def round(self):
        queryset = selectors.round_for_page(selectors.rounds_visible_to(self.request.user))
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def seal_if_due(self):
        """A round whose window has passed is sealed the first time the office or a leader opens it."""
        if self.round.is_closed(today()) and not self.round.sealed:
            response_services.round_seal(round_=self.round)
            self.round.sealed = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(round=self.round, today=today(), status=self.round.status(today()),
                       can_manage=self.request.user.has_perm("feedback.manage_round", self.round))
        return context


class RoundDetailView(RoundMixin, TemplateView):
    template_name = "feedback/round_detail.html"

    def get(self, request, *args, **kwargs):
        self.seal_if_due()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_classes = selectors.round_classes_of(self.round)
        teachers = selectors.class_teachers(self.round.term, [rc.school_class_id for rc in round_classes])
        rows = []
        for rc in round_classes:
            invitations = list(rc.invitations.all())
            rows.append({
                "round_class": rc, "invitations": invitations,
                "answered": sum(1 for i in invitations if i.used),
                "issued": sum(1 for i in invitations if i.is_issued),
                "teachers": teachers.get(rc.school_class_id, []),
            })
        closed = self.round.is_closed(today())
        context.update(
            rows=rows,
            sampled=sum(len(r["invitations"]) for r in rows),
            answered=sum(r["answered"] for r in rows),
            closed=closed,
            pending_comments=sum(1 for a in moderation_queue(self.round) if a.moderation == "pending")
            if closed and context["can_manage"] else 0,
        )
        return context


class RoundUpdateView(RoundMixin, FormView):
    manage = True
    template_name = "feedback/round_update.html"
    form_class = RoundUpdateForm

    def get_initial(self):
        return {"name": self.round.name, "opens_on": self.round.opens_on, "closes_on": self.round.closes_on}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.round_update(round_=self.round, name=data["name"], opens_on=data["opens_on"],
                                  closes_on=data["closes_on"], user=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Round saved."))
        return redirect("feedback:round-detail", self.round.pk)


class RoundCloseView(RoundMixin, View):
    manage = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.round_close(round_=self.round, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Round closed: the links no longer work and the results can be read."))
        return redirect("feedback:round-detail", self.round.pk)


class RoundDeleteView(RoundMixin, View):
    manage = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.round_delete(round_=self.round, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
            return redirect("feedback:round-detail", self.round.pk)
        messages.success(request, _("Round deleted."))
        return redirect("feedback:round-list")


class RoundClassMixin(RoundMixin):
    manage = True

    @cached_property
    def round_class(self) -> RoundClass:
        return get_object_or_404(
            RoundClass.objects.select_related("school_class", "school_class__grade", "round", "round__term"),
            pk=self.kwargs["class_pk"], round=self.round,
        )


class SampleView(RoundClassMixin, FormView):
    """A class's sample: every student with her standing and third; the suggested respondents are ticked. The
    office changes the ticks and saves, or asks for the suggestion again."""

    template_name = "feedback/sample_form.html"
    form_class = SampleForm

    @cached_property
    def standings(self):
        return standings_for_class(self.round_class.school_class, term=self.round.term)

    def get_form_kwargs(self):
        students = Student.objects.filter(school_class=self.round_class.school_class, is_active=True)
        return super().get_form_kwargs() | {"students": students.order_by("student_no")}

    def get_initial(self):
        return {"students": [i.student_id for i in self.round_class.invitations.all()]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitations = {i.student_id: i for i in self.round_class.invitations.all()}
        strata = sampling.strata_of(self.standings.rows)
        low, high = selectors.sample_bounds(self.round.school, self.round.kind)
        form = context["form"]
        if form.is_bound:
            chosen = {int(v) for v in form.data.getlist("students") if str(v).isdigit()}
        else:
            chosen = set(invitations)
        context.update(
            round_class=self.round_class, source=self.standings.source,
            source_label=RoundClass.Source(self.standings.source).label,
            rows=[{"standing": row, "stratum": strata.get(row.student.pk, ""),
                   "invitation": invitations.get(row.student.pk), "checked": row.student.pk in chosen}
                  for row in self.standings.rows],
            strata_labels=dict(Invitation._meta.get_field("stratum").choices),
            low=low, high=high, closed=self.round.is_closed(today()),
        )
        return context

    def form_valid(self, form):
        try:
            services.round_class_sample_set(round_class=self.round_class, students=list(form.cleaned_data["students"]),
                                            user=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Sample of %(class)s saved.") % {"class": self.round_class.school_class})
        return redirect("feedback:round-detail", self.round.pk)


class SampleSuggestView(RoundClassMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.round_class_sample_suggest(round_class=self.round_class, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The suggested sample of %(class)s is back.") % {
                "class": self.round_class.school_class})
        return redirect("feedback:round-sample", self.round.pk, self.round_class.pk)


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (no imaging library, no inline styles)."""
    return segno.make(url, error="m").svg_inline(scale=3, omitsize=True, title=None)


class SlipsView(RoundMixin, FormView):
    """GET: what printing does (new links replace the unused ones printed before). POST: new links for the
    round, a class or one respondent, as a page to print: on each slip a stub with the respondent's name to cut
    off when it is handed out, and below it the QR code and the code to type, with no name."""

    manage = True
    template_name = "feedback/slips_confirm.html"
    form_class = SlipsForm

    def get_initial(self):
        return {"round_class": self.request.GET.get("round_class") or None,
                "invitation": self.request.GET.get("invitation") or None}

    def _targets(self, data):
        round_class = invitation = None
        if data.get("round_class"):
            round_class = RoundClass.objects.filter(round=self.round, pk=data["round_class"]).first()
            if round_class is None:
                raise Http404
        if data.get("invitation"):
            invitation = Invitation.objects.filter(round_class__round=self.round, pk=data["invitation"]).select_related(
                "student").first()
            if invitation is None:
                raise Http404
        return round_class, invitation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        data = {k: form.initial.get(k) for k in ("round_class", "invitation")}
        data = {k: int(v) if str(v or "").isdigit() else None for k, v in data.items()}
        round_class, invitation = self._targets(data)
        unused = Invitation.objects.filter(round_class__round=self.round, used=False)
        if round_class is not None:
            unused = unused.filter(round_class=round_class)
        if invitation is not None:
            unused = unused.filter(pk=invitation.pk)
        context.update(target_class=round_class, target_invitation=invitation, count=unused.count(),
                       reissue=unused.filter(token_hash__isnull=False).count())
        return context

    def form_valid(self, form):
        round_class, invitation = self._targets(form.cleaned_data)
        try:
            slips = services.invitations_issue(round_=self.round, round_class=round_class, invitation=invitation,
                                               user=self.request.user)
        except ValidationError as error:
            show_errors(self.request, error)
            return redirect("feedback:round-detail", self.round.pk)
        if not slips:
            messages.info(self.request, _("Everyone chosen has answered: there is no slip to print."))
            return redirect("feedback:round-detail", self.round.pk)
        code_url = self.request.build_absolute_uri(reverse("feedback:answer-code"))
        printed = [{
            "slip": slip, "student": slip.invitation.student, "school_class": slip.invitation.round_class.school_class,
            "url": (url := self.request.build_absolute_uri(reverse("feedback:answer", args=[slip.token]))),
            "qr": qr_svg(url),
        } for slip in slips]
        response = render(self.request, "feedback/slips_print.html", {
            "round": self.round, "slips": printed, "code_url": code_url,
            "parents": self.round.kind == Kind.PARENT,
        })
        # The secrets are on this page only: it must not be kept by a browser or a proxy.
        response["Cache-Control"] = "no-store, private"
        return response


class ModerationView(RoundMixin, FormView):
    """The comments of a closed round that the office reads (those of groups shown), to show or to hide."""

    manage = True
    template_name = "feedback/moderation.html"
    form_class = ModerationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission() and not self.round.is_closed(today()):
            messages.info(request, _("Comments are read once the round has closed."))
            return redirect("feedback:round-detail", self.round.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def comments(self):
        self.seal_if_due()
        return moderation_queue(self.round)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"answer_ids": [a.pk for a in self.comments]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.GET.get("show", "pending")
        comments = self.comments if shown == "all" else [a for a in self.comments if a.moderation == shown]
        context.update(comments=comments, show=shown, min=MIN_RESPONSES,
                       tabs=[("pending", _("Waiting")), ("approved", _("Shown")), ("rejected", _("Hidden")),
                             ("all", _("All"))],
                       counts={m: sum(1 for a in self.comments if a.moderation == m)
                               for m in ("pending", "approved", "rejected")})
        return context

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(f"{reverse('feedback:round-comments', args=[self.round.pk])}")

    def form_valid(self, form):
        try:
            count = response_services.comments_moderate(
                round_=self.round, answer_ids=form.cleaned_data["answers"], decision=form.cleaned_data["decision"],
                user=self.request.user)
        except ValidationError as error:
            show_errors(self.request, error)
        else:
            messages.success(self.request, ngettext("%(count)s comment updated.", "%(count)s comments updated.",
                                                    count) % {"count": count})
        return redirect(f"{reverse('feedback:round-comments', args=[self.round.pk])}?show="
                        f"{self.request.POST.get('show', 'pending')}")

