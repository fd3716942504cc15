from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeworkChecksConfig(AppConfig):
    name = "homework_checks"
    verbose_name = _("Homework checks")
