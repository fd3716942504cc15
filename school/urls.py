from django.urls import path

from . import import_views, views

app_name = "school"

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff-list"),
    path("classes/", views.ClassListView.as_view(), name="class-list"),
    path("students/", views.StudentListView.as_view(), name="student-list"),
    path("timetable/", views.TimetableView.as_view(), name="timetable"),
    path("import/", import_views.RosterImportView.as_view(), name="roster-import"),
    path("import/template/", import_views.RosterTemplateView.as_view(), name="roster-template"),
]
