"""The observations app's forms, one module per sub-domain (log, patrol, labs)."""
