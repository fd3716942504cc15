"""The policy pages: the rules as they stand, loading a preset, editing every number, the history."""

from django.urls import path

from ..views import policy as views

urlpatterns = [
    path("", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("preset/", views.PolicyPresetView.as_view(), name="policy-preset"),
    path("edit/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("history/", views.PolicyHistoryView.as_view(), name="policy-history"),
]
