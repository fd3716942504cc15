"""The homework pages: inspections, the weekly list (V2.I) and tutoring records."""

from django.urls import path

from .views import inspections, plans, tutoring

app_name = "homework_checks"

urlpatterns = [
    path("", inspections.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/create/", inspections.InspectionCreateView.as_view(), name="inspection-create"),
    path("inspections/export/", inspections.InspectionExportView.as_view(), name="inspection-export"),
    path("inspections/<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/talk/", inspections.InspectionTalkView.as_view(), name="inspection-talk"),
    path("week/", plans.WeekView.as_view(), name="week"),
    path("plan/", plans.PlanView.as_view(), name="plan"),
    path("plan/generate/", plans.PlanGenerateView.as_view(), name="plan-generate"),
    path("plan/items/create/", plans.PlanItemCreateView.as_view(), name="plan-item-create"),
    path("plan/items/<int:pk>/update/", plans.PlanItemUpdateView.as_view(), name="plan-item-update"),
    path("plan/items/<int:pk>/delete/", plans.PlanItemDeleteView.as_view(), name="plan-item-delete"),
    path("tutoring/", tutoring.TutoringListView.as_view(), name="tutoring-list"),
    path("tutoring/create/", tutoring.TutoringCreateView.as_view(), name="tutoring-create"),
]
