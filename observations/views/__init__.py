"""The observations app's views, one module per sub-domain (log, patrol, labs)."""
