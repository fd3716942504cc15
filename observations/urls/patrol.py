"""The daily patrol, attendance incidents and lesson swaps."""

from django.urls import path

from ..views import patrol as views

urlpatterns = [
    path("patrol/", views.PatrolView.as_view(), name="patrol"),
    path("patrol/mark/", views.PatrolMarkView.as_view(), name="patrol-mark"),
    path("patrol/mark-all/", views.PatrolMarkAllView.as_view(), name="patrol-mark-all"),
    path("patrol/summary/", views.PatrolSummaryView.as_view(), name="patrol-summary"),
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    path("incidents/<int:pk>/update/", views.IncidentUpdateView.as_view(), name="incident-update"),
    path("swaps/", views.SwapListView.as_view(), name="swap-list"),
    path("swaps/create/", views.SwapCreateView.as_view(), name="swap-create"),
    path("swaps/<int:pk>/approve/", views.SwapApproveView.as_view(), name="swap-approve"),
    path("swaps/<int:pk>/reject/", views.SwapRejectView.as_view(), name="swap-reject"),
    path("swaps/<int:pk>/cancel/", views.SwapCancelView.as_view(), name="swap-cancel"),
]
