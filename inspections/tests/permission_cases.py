from school.tests.matrix import STAFF, Case, expect

CASES = [
    Case("inspections:policy-detail", expect(allowed=STAFF)),
]
