"""The roster template download, for inspection_site/tests/test_exports_never_formulas.py (no user text)."""

from inspection_site.tests.registries import ExportCase

EXPORTS = [
    ExportCase("school: roster template", None, "school:roster-template", "director", query=lambda w: "kind=all"),
]
