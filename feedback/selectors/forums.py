"""Reads of forums: which forums and which opinions on teachers a person sees, and the term's count against the
policy (V3.11: student representatives' forums 1-2 times a term). A fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from inspections.models import Policy
from school.models import School, SchoolClass, Staff, Term
from school.permissions import restrict, scope_for

from ..models import Forum, ForumOpinion, Kind


def opinions_visible_to(user) -> QuerySet:
    """A teacher reads the opinions on herself, a group leader her group's, leaders and the office their
    schools'."""
    return restrict(ForumOpinion.objects.all(), user, school="forum__school", teacher="teacher")


def forums_visible_to(user) -> QuerySet:
    """Forums of the schools a person sees whole, and forums that said something about someone she sees."""
    scope = scope_for(user)
    if scope.everything:
        return Forum.objects.all()
    condition = Q(school_id__in=scope.school_ids) | Q(pk__in=opinions_visible_to(user).values("forum_id"))
    return Forum.objects.filter(condition)


def forum_list(user, term: Term | None) -> QuerySet:
    forums = forums_visible_to(user).select_related("school", "term", "term__school_year")
    if term is not None:
        forums = forums.filter(term=term)
    return forums.annotate(opinion_count=Count("opinions", distinct=True)).order_by("-date", "-pk")


def forum_for_page(user, queryset: QuerySet) -> QuerySet:
    opinions = opinions_visible_to(user).select_related("teacher").order_by("teacher__staff_no")
    return queryset.select_related("school", "term", "term__school_year", "recorded_by").prefetch_related(
        Prefetch("opinions", queryset=opinions, to_attr="visible_opinions"),
        "hosts", Prefetch("classes", queryset=SchoolClass.objects.select_related("grade")),
    )


def forum_count(school: School, term: Term) -> dict:
    """The term's student forums and parent meetings of the school, and what the policy asks."""
    counts = dict(Forum.objects.filter(school=school, term=term).values_list("kind").annotate(n=Count("id")))
    policy = (Policy.objects.filter(school_id=school.root_id)
              .values("forums_min", "forums_max", "parent_meetings").first())
    policy = policy or {"forums_min": 0, "forums_max": 0, "parent_meetings": False}
    return {
        "students": counts.get(Kind.STUDENT, 0),
        "parents": counts.get(Kind.PARENT, 0),
        "min": policy["forums_min"],
        "max": policy["forums_max"],
        "parent_meetings": policy["parent_meetings"],
    }


def opinions_of(teacher: Staff, user, term: Term | None = None) -> QuerySet:
    """The opinions forums gave on one teacher (her own page)."""
    opinions = opinions_visible_to(user).filter(teacher=teacher).select_related("forum")
    if term is not None:
        opinions = opinions.filter(forum__term=term)
    return opinions.order_by("-forum__date", "-pk")
