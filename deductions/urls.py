from django.urls import path

from . import views

app_name = "deductions"

urlpatterns = [
    path("", views.ViolationListView.as_view(), name="violation-list"),
    path("new/", views.ViolationCreateView.as_view(), name="violation-create"),
    path("confirm/", views.ViolationBulkConfirmView.as_view(), name="violation-bulk-confirm"),
    path("<int:pk>/", views.ViolationDetailView.as_view(), name="violation-detail"),
    path("<int:pk>/confirm/", views.ViolationConfirmView.as_view(), name="violation-confirm"),
    path("<int:pk>/dismiss/", views.ViolationDismissView.as_view(), name="violation-dismiss"),
    path("<int:pk>/appeal/", views.ViolationAppealView.as_view(), name="violation-appeal"),
    path("<int:pk>/decide/", views.ViolationDecideView.as_view(), name="violation-decide"),
    path("ledger/", views.LedgerMonthListView.as_view(), name="ledger-month-list"),
    path("ledger/<int:pk>/", views.LedgerMonthDetailView.as_view(), name="ledger-month-detail"),
    path("ledger/<int:pk>/export/", views.LedgerMonthExportView.as_view(), name="ledger-month-export"),
    path("ledger/<int:pk>/close/", views.LedgerMonthCloseView.as_view(), name="ledger-month-close"),
    path("ledger/<int:pk>/adjust/", views.LedgerAdjustView.as_view(), name="ledger-adjust"),
    path("statements/<int:pk>/", views.StatementView.as_view(), name="statement"),
    path("statements/<int:pk>/export/", views.StatementExportView.as_view(), name="statement-export"),
    path("conduct-points/", views.ConductPointsView.as_view(), name="conduct-points"),
    path("conduct-points/export/", views.ConductPointsExportView.as_view(), name="conduct-points-export"),
]
