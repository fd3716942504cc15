"""The exam pages, by sub-domain: exams and papers, scores (import, analysis, export), and the records after an
exam (forms, reports, unit-test checks, student history)."""
