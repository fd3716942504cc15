"""Writes of the homework side, one module per sub-domain: inspections (with the V4 grading fine), the weekly check
list (V2.I) and tutoring records (V4.IV.4)."""
