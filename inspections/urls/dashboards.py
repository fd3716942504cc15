"""The dashboards: the principal's (with a workbook per figure), the office's and the group leader's."""

from django.urls import path

from ..views import dashboards as views

urlpatterns = [
    path("dashboards/principal/", views.PrincipalDashboardView.as_view(), name="dashboard-principal"),
    path("dashboards/principal/<slug:figure>.xlsx", views.PrincipalFigureExportView.as_view(),
         name="dashboard-figure-export"),
    path("dashboards/office/", views.OfficeDashboardView.as_view(), name="dashboard-office"),
    path("dashboards/group/", views.GroupDashboardView.as_view(), name="dashboard-group"),
]
