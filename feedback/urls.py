"""The evaluation app's URLs: the public answer pages (no login) under `a/`, then the office's rounds and
questionnaires, the results and the forums."""

from django.urls import path

from .views import forums, public, questionnaires, results, rounds

app_name = "feedback"

urlpatterns = [
    # Public: a student or a parent, with a one-time link or the code on her slip.
    path("a/", public.CodeEntryView.as_view(), name="answer-code"),
    path("a/submit/", public.SubmitView.as_view(), name="answer-submit"),
    path("a/done/", public.DoneView.as_view(), name="answer-done"),
    path("a/<str:key>/", public.AnswerView.as_view(), name="answer"),
    # The office's rounds.
    path("rounds/", rounds.RoundListView.as_view(), name="round-list"),
    path("rounds/create/", rounds.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/update/", rounds.RoundUpdateView.as_view(), name="round-update"),
    path("rounds/<int:pk>/close/", rounds.RoundCloseView.as_view(), name="round-close"),
    path("rounds/<int:pk>/delete/", rounds.RoundDeleteView.as_view(), name="round-delete"),
    path("rounds/<int:pk>/slips/", rounds.SlipsView.as_view(), name="round-slips"),
    path("rounds/<int:pk>/comments/", rounds.ModerationView.as_view(), name="round-comments"),
    path("rounds/<int:pk>/classes/<int:class_pk>/sample/", rounds.SampleView.as_view(), name="round-sample"),
    path("rounds/<int:pk>/classes/<int:class_pk>/sample/suggest/", rounds.SampleSuggestView.as_view(),
         name="round-sample-suggest"),
    # Questionnaires.
    path("questionnaires/", questionnaires.QuestionnaireListView.as_view(), name="questionnaire-list"),
    path("questionnaires/create/", questionnaires.QuestionnaireCreateView.as_view(), name="questionnaire-create"),
    path("questionnaires/<int:pk>/", questionnaires.QuestionnaireDetailView.as_view(), name="questionnaire-detail"),
    path("questionnaires/<int:pk>/update/", questionnaires.QuestionnaireUpdateView.as_view(),
         name="questionnaire-update"),
    path("questionnaires/<int:pk>/copy/", questionnaires.QuestionnaireCopyView.as_view(), name="questionnaire-copy"),
    # Results.
    path("results/", results.ResultsView.as_view(), name="results"),
    path("results/export/", results.ResultsExportView.as_view(), name="results-export"),
    path("results/<int:pk>/", results.RoundResultsView.as_view(), name="round-results"),
    # Forums.
    path("forums/", forums.ForumListView.as_view(), name="forum-list"),
    path("forums/create/", forums.ForumCreateView.as_view(), name="forum-create"),
    path("forums/<int:pk>/", forums.ForumDetailView.as_view(), name="forum-detail"),
    path("forums/<int:pk>/update/", forums.ForumUpdateView.as_view(), name="forum-update"),
]
