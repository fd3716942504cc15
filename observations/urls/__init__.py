"""The observations app's URLs, one module per sub-domain: the observation log (with quotas and reviews), the
daily patrol (with swaps and attendance), and the labs (with the term report)."""

from . import labs, log, patrol

app_name = "observations"

urlpatterns = [*log.urlpatterns, *patrol.urlpatterns, *labs.urlpatterns]
