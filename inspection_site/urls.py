from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from school.views import HomeView

admin.site.site_header = _("Teaching inspection administration")
admin.site.site_title = _("Teaching inspection")
admin.site.index_title = _("School data")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("school/", include("school.urls")),
    path("policy/", include("inspections.urls")),
    path("fines/", include("deductions.urls")),
    path("observations/", include("observations.urls")),
    path("plans/", include("lesson_plans.urls")),
    path("homework/", include("homework_checks.urls")),
    path("exams/", include("exams.urls")),
    path("feedback/", include("feedback.urls")),
    path("admin/", admin.site.urls),
]

# Nothing under MEDIA_ROOT is served by URL, not even in development: uploaded documents (teaching plans,
# summaries…) are private, and each is handed out by its app's view after a permission check.
