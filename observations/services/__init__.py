"""The observations app's services, one module per sub-domain (log, patrol, labs)."""
