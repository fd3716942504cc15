from school.tests.matrix import OK, REDIRECT, STAFF, Case, expect

# Not matrix.MANAGERS: a village school's director manages her village school, but the policy belongs to the
# central school, so she reads the rules and may not change them or read their history.
POLICY_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
HISTORY_READERS = POLICY_MANAGERS + ("principal",)

CASES = [
    Case("inspections:policy-detail", expect(allowed=STAFF)),
    Case("inspections:policy-preset", expect(allowed=POLICY_MANAGERS)),
    # The first step only asks for confirmation (nothing changes).
    Case("inspections:policy-preset", expect(allowed=POLICY_MANAGERS, allowed_status=OK), method="post",
         data=lambda w: {"preset": "v4"}),
    # Confirmed: loads V4, which the world already has (loading is idempotent), then goes to the edit page.
    Case("inspections:policy-preset", expect(allowed=POLICY_MANAGERS, allowed_status=REDIRECT), method="post",
         data=lambda w: {"preset": "v4", "confirm": "1"}),
    Case("inspections:policy-update", expect(allowed=POLICY_MANAGERS)),
    # A post with no formset data re-renders with errors and saves nothing.
    Case("inspections:policy-update", expect(allowed=POLICY_MANAGERS, allowed_status=OK), method="post",
         data=lambda w: {"name": "changed by the matrix"}),
    Case("inspections:policy-history", expect(allowed=HISTORY_READERS)),
]
