"""The observations app's selectors, one module per sub-domain (log, patrol, labs)."""
