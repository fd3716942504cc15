from django.urls import path

from . import views

app_name = "school"

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff-list"),
    path("classes/", views.ClassListView.as_view(), name="class-list"),
    path("students/", views.StudentListView.as_view(), name="student-list"),
    path("timetable/", views.TimetableView.as_view(), name="timetable"),
]
