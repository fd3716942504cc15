"""The homework pages, one module per sub-domain: inspections (list, record, detail, talk, export), the weekly list
(this week's checks, the plan and its edits) and tutoring records."""
