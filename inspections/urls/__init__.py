"""The inspections app's URLs, one module per sub-domain: the policy, inspection rounds and assignments,
notifications, and the six-earnests evaluation."""

from . import earnests, notifications, policy, rounds

app_name = "inspections"

urlpatterns = [*policy.urlpatterns, *rounds.urlpatterns, *notifications.urlpatterns, *earnests.urlpatterns]
