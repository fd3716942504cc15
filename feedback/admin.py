"""The evaluation models in the admin, scoped to the user's schools like every list of the project.

The admin shows no more of the answers than the pages do: who was sampled and whether she has answered (not when),
never a link's hashes; responses only of sealed rounds, as their round and class (not their day); of the answers,
only the comments that the moderation page shows the office. Rounds, samples, links, answers and moderation change
only through the pages (the services), so that their rules hold."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from school.admin import RELATED_ONLY, ScopedAdminMixin, ScopedTabularInline

from .models import Answer, Forum, ForumOpinion, Invitation, Question, Questionnaire, Response, Round, RoundClass
from .selectors.results import moderation_queue


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(ScopedTabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "type", "per_teacher"]

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.rounds.exists()

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.rounds.exists()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.rounds.exists()


@admin.register(Questionnaire)
class QuestionnaireAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "active", "is_default", "school"]
    list_filter = ["kind", "active", ("school", RELATED_ONLY)]
    search_fields = ["name"]
    inlines = [QuestionInline]


class RoundClassInline(ReadOnlyMixin, ScopedTabularInline):
    model = RoundClass
    extra = 0
    fields = ["school_class", "sample_size", "source"]


@admin.register(Round)
class RoundAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "term", "opens_on", "closes_on", "closed_at", "school"]
    list_select_related = ["term", "term__school_year", "school"]
    list_filter = ["kind", ("school", RELATED_ONLY), ("term", RELATED_ONLY)]
    search_fields = ["name"]
    readonly_fields = ["school", "term", "kind", "questionnaire", "opens_on", "closes_on", "closed_at", "sealed",
                       "created_by"]
    inlines = [RoundClassInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvitationInline(ReadOnlyMixin, ScopedTabularInline):
    model = Invitation
    extra = 0
    fields = ["student", "stratum", "used"]


@admin.register(RoundClass)
class RoundClassAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    school_path = "round__school"
    list_display = ["round", "school_class", "sample_size", "source"]
    list_select_related = ["round", "school_class", "school_class__grade"]
    list_filter = [("round", RELATED_ONLY)]
    inlines = [InvitationInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who was sampled and whether she has answered; a link's hashes and expiry are not shown."""

    school_path = "round_class__round__school"
    list_display = ["student", "round_class", "stratum", "used"]
    list_select_related = ["student", "round_class", "round_class__round", "round_class__school_class",
                           "round_class__school_class__grade"]
    list_filter = ["used", ("round_class__round", RELATED_ONLY)]
    fields = ["round_class", "student", "stratum", "used"]
    search_fields = ["student__name", "student__student_no"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Responses of sealed rounds, as their round and class: how many came from each class."""

    school_path = "round__school"
    list_display = ["round", "school_class"]
    list_select_related = ["round", "school_class", "school_class__grade"]
    list_filter = [("round", RELATED_ONLY)]
    fields = ["round", "school_class"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__sealed=True)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The comments the moderation page shows the office (of sealed rounds, in groups large enough to be shown),
    and nothing else: no rating, no link to the rest of the response."""

    school_path = "response__round__school"
    list_display = ["text", "question", "teacher", "school_class", "moderation"]
    list_select_related = ["question", "teacher", "response__school_class", "response__school_class__grade"]
    list_filter = ["moderation"]
    fields = ["question", "teacher", "text", "moderation"]

    @admin.display(description=Response._meta.get_field("school_class").verbose_name)
    def school_class(self, obj):
        return obj.response.school_class

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        rounds = Round.objects.filter(pk__in=queryset.filter(response__round__sealed=True)
                                      .values("response__round_id"))
        shown = [answer.pk for round_ in rounds for answer in moderation_queue(round_)]
        return queryset.filter(pk__in=shown)


class ForumOpinionInline(ScopedTabularInline):
    model = ForumOpinion
    extra = 0
    fields = ["teacher", "opinion", "follow_up", "feedback", "fed_back_on"]


@admin.register(Forum)
class ForumAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "topic", "kind", "participant_count", "school"]
    list_filter = ["kind", ("school", RELATED_ONLY), ("term", RELATED_ONLY)]
    search_fields = ["topic"]
    filter_horizontal = ["classes", "hosts"]
    inlines = [ForumOpinionInline]
