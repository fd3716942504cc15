"""The bell, notifications, preferences and the group robot."""

from django.urls import path

from ..views import notifications as views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/bell/", views.NotificationBellView.as_view(), name="notification-bell"),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("notifications/settings/", views.PreferenceView.as_view(), name="notification-preferences"),
    path("notifications/robot/", views.GroupRobotView.as_view(), name="group-robot"),
]
