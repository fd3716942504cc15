"""The observation log, quotas and reviews of observation notes."""

from django.urls import path

from ..views import log as views

urlpatterns = [
    path("log/", views.ObservationListView.as_view(), name="observation-list"),
    path("log/create/", views.ObservationCreateView.as_view(), name="observation-create"),
    path("log/<int:pk>/", views.ObservationDetailView.as_view(), name="observation-detail"),
    path("log/<int:pk>/update/", views.ObservationUpdateView.as_view(), name="observation-update"),
    path("log/<int:pk>/acknowledge/", views.ObservationAcknowledgeView.as_view(), name="observation-acknowledge"),
    path("log/<int:pk>/reply/", views.ObservationReplyView.as_view(), name="observation-reply"),
    path("quotas/", views.QuotaListView.as_view(), name="quota-list"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:staff_pk>/create/", views.ReviewCreateView.as_view(), name="review-create"),
]
