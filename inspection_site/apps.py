from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionSiteConfig(AppConfig):
    """The site as a whole (not a domain app): backup and restore, ending the sessions of deactivated users,
    and the teaching office's view of locked-out logins."""

    name = "inspection_site"
    verbose_name = _("Site")

    def ready(self):
        from . import security  # noqa: F401  (connects the session signals)
