from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonPlansConfig(AppConfig):
    name = "lesson_plans"
    verbose_name = _("Lesson plans")
