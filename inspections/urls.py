from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("preset/", views.PolicyPresetView.as_view(), name="policy-preset"),
    path("edit/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("history/", views.PolicyHistoryView.as_view(), name="policy-history"),
]
