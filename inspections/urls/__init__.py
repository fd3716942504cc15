"""The inspections app's URLs, one module per sub-domain: the policy, inspection rounds and assignments,
notifications, the six-earnests evaluation, and the dashboards."""

from . import dashboards, earnests, notifications, policy, rounds

app_name = "inspections"

urlpatterns = [*policy.urlpatterns, *rounds.urlpatterns, *notifications.urlpatterns, *earnests.urlpatterns,
               *dashboards.urlpatterns]
