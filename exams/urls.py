from django.urls import path

from .views import exams, records, scores

app_name = "exams"

urlpatterns = [
    path("", exams.ExamListView.as_view(), name="exam-list"),
    path("create/", exams.ExamCreateView.as_view(), name="exam-create"),
    path("<int:pk>/", exams.ExamDetailView.as_view(), name="exam-detail"),
    path("<int:pk>/update/", exams.ExamUpdateView.as_view(), name="exam-update"),
    path("papers/<int:pk>/", exams.PaperDetailView.as_view(), name="paper-detail"),
    path("papers/<int:pk>/items/", exams.PaperItemsView.as_view(), name="paper-items"),
    path("papers/<int:pk>/panel/", exams.PaperPanelView.as_view(), name="paper-panel"),
    path("papers/<int:pk>/markers/", exams.PaperMarkersView.as_view(), name="paper-markers"),
    path("<int:pk>/grades/<int:grade>/template/", scores.ScoreTemplateView.as_view(), name="score-template"),
    path("<int:pk>/grades/<int:grade>/import/", scores.ScoreImportView.as_view(), name="score-import"),
    path("<int:pk>/grades/<int:grade>/analysis/", scores.AnalysisView.as_view(), name="analysis"),
    path("<int:pk>/grades/<int:grade>/export/", scores.ExportStartView.as_view(), name="export-start"),
    path("exports/<int:pk>/", scores.ExportStatusView.as_view(), name="export-status"),
    path("exports/<int:pk>/download/", scores.ExportDownloadView.as_view(), name="export-download"),
    path("forms/", records.FormListView.as_view(), name="form-list"),
    path("forms/<int:pk>/", records.FormDetailView.as_view(), name="form-detail"),
    path("reports/<int:pk>/", records.ReportDetailView.as_view(), name="report-detail"),
    path("unit-tests/", records.UnitCheckListView.as_view(), name="unit-check-list"),
    path("unit-tests/create/", records.UnitCheckCreateView.as_view(), name="unit-check-create"),
    path("students/<int:pk>/", records.StudentHistoryView.as_view(), name="student-history"),
]
