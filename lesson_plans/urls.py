"""The lesson-preparation pages, under plans/: my preparation; teaching plans and the term's deadlines;
lesson-preparation checks and the sampling list; research-group activities and leaders' attendance; selections;
term summaries."""

from django.urls import path

from .views import activities, checks, mine, plans, selections, summaries

app_name = "lesson_plans"

urlpatterns = [
    path("", mine.MyWorkView.as_view(), name="my-work"),
    # Teaching plans (V3.3, V4.I) and the term's deadlines
    path("teaching-plans/", plans.PlanListView.as_view(), name="plan-list"),
    path("teaching-plans/submit/", plans.PlanSubmitView.as_view(), name="plan-submit"),
    path("teaching-plans/missing/", plans.PlanMissingView.as_view(), name="plan-missing"),
    path("teaching-plans/missing/record/", plans.PlanMissingRecordView.as_view(), name="plan-missing-record"),
    path("teaching-plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("teaching-plans/<int:pk>/review/", plans.PlanReviewView.as_view(), name="plan-review"),
    path("teaching-plans/<int:pk>/file/", plans.PlanFileView.as_view(), name="plan-file"),
    path("deadlines/", plans.DeadlinesView.as_view(), name="deadlines"),
    # Lesson-preparation checks (V1.2, V3.4, V4.I-IV, V6.2, V7.2)
    path("checks/", checks.CheckListView.as_view(), name="check-list"),
    path("checks/create/", checks.CheckCreateView.as_view(), name="check-create"),
    path("checks/sampling/", checks.SamplingView.as_view(), name="sampling"),
    path("checks/<int:pk>/", checks.CheckDetailView.as_view(), name="check-detail"),
    path("checks/<int:pk>/update/", checks.CheckUpdateView.as_view(), name="check-update"),
    # Research-group activities (V1.1, V5.4, V6.1, V7.1)
    path("activities/", activities.ActivityListView.as_view(), name="activity-list"),
    path("activities/create/", activities.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/leaders/", activities.LeaderAttendanceView.as_view(), name="leader-attendance"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/record/", activities.ActivityRecordView.as_view(), name="activity-record"),
    path("activities/<int:pk>/check/", activities.ActivityCheckView.as_view(), name="activity-check"),
    path("activities/<int:pk>/file/", activities.ActivityFileView.as_view(), name="activity-file"),
    # Selections (V1.3, V3.6, V6.3, V7.3)
    path("selections/", selections.SelectionListView.as_view(), name="selection-list"),
    path("selections/create/", selections.SelectionCreateView.as_view(), name="selection-create"),
    path("selections/<int:pk>/", selections.SelectionDetailView.as_view(), name="selection-detail"),
    path("selections/<int:pk>/nominate/", selections.EntryCreateView.as_view(), name="entry-create"),
    path("selections/<int:pk>/publish/", selections.SelectionPublishView.as_view(), name="selection-publish"),
    path("selections/entries/<int:pk>/score/", selections.EntryScoreView.as_view(), name="entry-score"),
    path("selections/entries/<int:pk>/file/", selections.EntryFileView.as_view(), name="entry-file"),
    # Term summaries and yearly papers (V4.III)
    path("summaries/", summaries.SummaryListView.as_view(), name="summary-list"),
    path("summaries/submit/<str:kind>/", summaries.SummarySubmitView.as_view(), name="summary-submit"),
    path("summaries/close/", summaries.SummaryCloseView.as_view(), name="summary-close"),
    path("summaries/<int:pk>/", summaries.SummaryDetailView.as_view(), name="summary-detail"),
    path("summaries/<int:pk>/file/", summaries.SummaryFileView.as_view(), name="summary-file"),
]
