"""The demo school (`manage.py seed_demo`): a deterministic, fictional school to run and measure the product.

`plan` generates everything as plain data from a fixed random seed, `timetable` places the lessons, and `builder`
writes the plan to the database idempotently, keyed on natural keys.
"""
