"""Inspection rounds and my checks."""

from django.urls import path

from ..views import rounds as views

urlpatterns = [
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/open/", views.RoundOpenView.as_view(), name="round-open"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/publish/", views.RoundPublishView.as_view(), name="round-publish"),
    path("checks/", views.AssignmentListView.as_view(), name="assignment-list"),
    path("checks/<int:pk>/done/", views.AssignmentDoneView.as_view(), name="assignment-done"),
]
