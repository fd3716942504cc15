"""The lab pages and the term report (for the administrative meeting, V2.II.4)."""

from django.urls import path

from ..views import labs, report

urlpatterns = [
    path("labs/experiments/", labs.ExperimentListView.as_view(), name="experiment-list"),
    path("labs/experiments/import/", labs.ExperimentImportView.as_view(), name="experiment-import"),
    path("labs/experiments/template/", labs.ExperimentTemplateView.as_view(), name="experiment-template"),
    path("labs/sessions/", labs.LabSessionListView.as_view(), name="lab-session-list"),
    path("labs/sessions/create/", labs.LabSessionCreateView.as_view(), name="lab-session-create"),
    path("labs/shortfalls/", labs.LabShortfallListView.as_view(), name="lab-shortfalls"),
    path("labs/shortfalls/record/", labs.LabShortfallRecordView.as_view(), name="lab-shortfalls-record"),
    path("labs/tidiness/", labs.LabTidinessListView.as_view(), name="lab-tidiness-list"),
    path("labs/tidiness/create/", labs.LabTidinessCreateView.as_view(), name="lab-tidiness-create"),
    path("report/", report.ReportView.as_view(), name="report"),
    path("report/export/", report.ReportExportView.as_view(), name="report-export"),
]
