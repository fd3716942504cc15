"""The end-of-term six-earnests evaluation."""

from django.urls import path

from ..views import earnests as views

urlpatterns = [
    path("six-earnests/", views.SixEarnestsListView.as_view(), name="six-earnests"),
    path("six-earnests/export/", views.SixEarnestsExportView.as_view(), name="six-earnests-export"),
    path("six-earnests/<int:teacher_pk>/", views.SixEarnestsEvaluateView.as_view(), name="six-earnests-evaluate"),
]
