"""Writes of forums (座谈会): student representatives' forums on teaching 1-2 times a term (V3.11), student forums
and parent meetings that collect opinions on each teacher (V7.8), with what follows and the feedback each teacher
is given (V2.IV.3-4). The teaching office records them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import School, SchoolClass, Staff, Term
from school.permissions import manages_school

from ..models import Forum, ForumOpinion, Kind


@dataclass(frozen=True)
class OpinionIn:
    teacher: Staff
    opinion: str
    follow_up: str = ""
    feedback: str = ""
    fed_back_on: dt.date | None = None


def _schools_of(school: School) -> set[int]:
    ids = {school.pk}
    if school.parent_id is None:
        ids |= set(School.objects.filter(parent_id=school.pk).values_list("pk", flat=True))
    return ids


def _check(*, school: School, term: Term, kind: str, date: dt.date, classes, hosts, opinions: list[OpinionIn],
           today: dt.date) -> None:
    if term.school_year.school_id != school.root_id:
        raise ValidationError({"term": _("Choose a term of the school's calendar.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose who took part.")})
    if not term.contains(date):
        raise ValidationError({"date": _("The date must lie within the term (%(start)s – %(end)s).") % {
            "start": term.start_date, "end": term.end_date}})
    if date > today:
        raise ValidationError({"date": _("Record a forum once it has been held.")})
    allowed = _schools_of(school)
    for school_class in classes:
        if school_class.grade.school_id not in allowed:
            raise ValidationError({"classes": _("%(class)s is not a class of this school.") % {"class": school_class}})
    for person in [*hosts, *(o.teacher for o in opinions)]:
        if person.school_id not in allowed:
            raise ValidationError(_("%(name)s is not on the staff of this school.") % {"name": person})
    teachers = [o.teacher.pk for o in opinions]
    if len(teachers) != len(set(teachers)):
        raise ValidationError(_("Each teacher once: put all the opinions on one teacher together."))
    for o in opinions:
        if not o.opinion.strip():
            raise ValidationError(_("Write the opinions on %(name)s.") % {"name": o.teacher})
        if o.fed_back_on and not o.feedback.strip():
            raise ValidationError(_("Say what feedback %(name)s was given on that day.") % {"name": o.teacher})
        if o.fed_back_on and o.fed_back_on < date:
            raise ValidationError(_("Feedback cannot be given before the forum."))


def _write_opinions(forum: Forum, opinions: list[OpinionIn], user) -> None:
    existing = {o.teacher_id: o for o in forum.opinions.all()}
    keep = set()
    for item in opinions:
        row = existing.get(item.teacher.pk) or ForumOpinion(forum=forum, teacher=item.teacher)
        row.opinion, row.follow_up = item.opinion.strip(), item.follow_up.strip()
        row.feedback, row.fed_back_on = item.feedback.strip(), item.fed_back_on
        row.full_clean()
        if user is not None and getattr(user, "is_authenticated", False):
            row._history_user = user
        row.save()
        keep.add(item.teacher.pk)
    forum.opinions.exclude(teacher_id__in=keep).delete()


@transaction.atomic
def forum_create(*, school: School, term: Term, kind: str, date: dt.date, topic: str, participants: str,
                 participant_count: int, classes: list[SchoolClass] = (), hosts: list[Staff] = (), summary: str = "",
                 follow_up: str = "", opinions: list[OpinionIn] = (), recorded_by: Staff | None = None, user,
                 today: dt.date | None = None) -> Forum:
    """Record a forum that has been held, with the opinions on each teacher."""
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))
    opinions = list(opinions)
    _check(school=school, term=term, kind=kind, date=date, classes=classes, hosts=hosts, opinions=opinions,
           today=today or timezone.localdate())
    forum = Forum(school=school, term=term, kind=kind, date=date, topic=topic.strip(),
                  participants=participants.strip(),
                  participant_count=participant_count, summary=summary.strip(), follow_up=follow_up.strip(),
                  recorded_by=recorded_by)
    forum.full_clean()
    forum.save()
    forum.classes.set(classes)
    forum.hosts.set(hosts)
    _write_opinions(forum, opinions, user)
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, date: dt.date, kind: str, topic: str, participants: str, participant_count: int,
                 classes: list[SchoolClass] = (), hosts: list[Staff] = (), summary: str = "", follow_up: str = "",
                 opinions: list[OpinionIn] = (), user, today: dt.date | None = None) -> Forum:
    """Correct a forum's record, add its follow-up and the feedback given to each teacher."""
    if not manages_school(user, forum.school):
        raise PermissionDenied(_("Only the teaching office may do this."))
    forum = Forum.objects.select_for_update().select_related("school", "term", "term__school_year").get(pk=forum.pk)
    opinions = list(opinions)
    _check(school=forum.school, term=forum.term, kind=kind, date=date, classes=classes, hosts=hosts,
           opinions=opinions, today=today or timezone.localdate())
    forum.date, forum.kind, forum.topic = date, kind, topic.strip()
    forum.participants, forum.participant_count = participants.strip(), participant_count
    forum.summary, forum.follow_up = summary.strip(), follow_up.strip()
    forum.full_clean()
    forum.save()
    forum.classes.set(classes)
    forum.hosts.set(hosts)
    _write_opinions(forum, opinions, user)
    return forum
