"""Who may open and do what on the fines pages. The fines of the world (`world.add_fines`) are added when the first
case needs them.

A teacher reads her own findings and statements and appeals her own fines; a group leader reads her group's; the
central school's office and principal read the whole school (village schools included), the office acts; a village
school's director reads and acts for her village school only, and cannot close the central school's month. Another
teacher's or school's row is a 404; a row one sees but may not act on is a 403. Action POSTs redirect both when
they succeed and when the service refuses (the state the matrix leaves behind does not change the statuses)."""

import datetime as dt

from school.tests.matrix import FORBIDDEN, MANAGERS, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect
from school.tests.world import MATRIX_ROLES, add_fines

CENTRAL_SCHOOL_WIDE = ("office_staff", "director", "vice_principal", "principal", "superuser")
CENTRAL_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
LEDGER_READERS = SCHOOL_WIDE + ("group_leader",)


def statuses(default: int, **by_role: int) -> dict[str, int]:
    """`default` for every logged-in role, a login redirect for the anonymous, and the exceptions given."""
    result = {role: default for role in MATRIX_ROLES} | {"anonymous": REDIRECT}
    return result | by_role


def of(*roles, status):
    return {role: status for role in roles}


def fines(w):
    return add_fines(w)


def no_args(w):
    add_fines(w)
    return ()


def _outside_my_group(w):
    return [w.other_teacher.name, w.village_teacher.name]


def _central_teachers(w):
    return [w.teacher.name, w.other_teacher.name]


SCOPED_NAMES = {"teacher": _outside_my_group, "group_leader": _outside_my_group,
                "village_director": _central_teachers}

# The teacher's own row: she, her group leader and the central school read it; the others do not see it.
OWN_ROW = statuses(NOT_FOUND, **of("teacher", "group_leader", *CENTRAL_SCHOOL_WIDE, status=OK))
# Acting on the teacher's proposed finding: the central office; readers who may not act get 403.
OFFICE_ACTS = statuses(NOT_FOUND, **of(*CENTRAL_MANAGERS, status=REDIRECT),
                       **of("teacher", "group_leader", "principal", status=FORBIDDEN))
FOREIGN_ONLY_SUPERUSER = statuses(NOT_FOUND, superuser=OK)
# The ledger of the central school: readable by its school-wide roles and group leaders; the office acts on it.
MONTH_READ = expect(allowed=LEDGER_READERS)
MONTH_ACT = lambda status: expect(allowed=CENTRAL_MANAGERS, allowed_status=status)  # noqa: E731

CASES = [
    Case("deductions:violation-list", expect(allowed=STAFF), args=no_args, hidden=SCOPED_NAMES),
    # A teacher choosing another teacher in the filter gets nothing (not a choice of hers).
    Case("deductions:violation-list", expect(allowed=STAFF), args=no_args,
         query=lambda w: f"teacher={w.other_teacher.pk}&status=confirmed", hidden=SCOPED_NAMES),
    Case("deductions:violation-detail", OWN_ROW, args=lambda w: (fines(w).violation.pk,)),
    Case("deductions:violation-detail",
         statuses(NOT_FOUND, **of("other_teacher", *CENTRAL_SCHOOL_WIDE, status=OK)),
         args=lambda w: (fines(w).other_violation.pk,)),
    Case("deductions:violation-detail",
         statuses(NOT_FOUND, **of("village_director", *CENTRAL_SCHOOL_WIDE, status=OK)),
         args=lambda w: (fines(w).village_violation.pk,)),
    Case("deductions:violation-detail", FOREIGN_ONLY_SUPERUSER, args=lambda w: (fines(w).foreign_violation.pk,)),
    Case("deductions:violation-confirm", OFFICE_ACTS, args=lambda w: (fines(w).proposed.pk,), method="post"),
    Case("deductions:violation-confirm", statuses(NOT_FOUND, superuser=REDIRECT),
         args=lambda w: (fines(w).foreign_violation.pk,), method="post"),
    Case("deductions:violation-dismiss", OFFICE_ACTS, args=lambda w: (fines(w).proposed_2.pk,), method="post",
         data=lambda w: {"dismiss-reason": "核实有误"}),
    # Only the teacher herself appeals; her group leader and the office may not do it for her.
    Case("deductions:violation-appeal",
         statuses(NOT_FOUND, teacher=REDIRECT, **of("group_leader", *CENTRAL_SCHOOL_WIDE, status=FORBIDDEN)),
         args=lambda w: (fines(w).violation.pk,), method="post", data=lambda w: {"appeal-reason": "当天调课"}),
    Case("deductions:violation-decide", OFFICE_ACTS, args=lambda w: (fines(w).violation.pk,), method="post",
         data=lambda w: {"decide-decision": "waive", "decide-reason": "核实属实"}),
    Case("deductions:violation-bulk-confirm", expect(allowed=MANAGERS, allowed_status=REDIRECT), args=no_args,
         method="post", data=lambda w: {"ids": [fines(w).proposed.pk, fines(w).foreign_violation.pk]}),
    Case("deductions:violation-create", expect(allowed=MANAGERS), args=no_args),
    # A village school's teacher: the central office and her own director may add a finding against her.
    Case("deductions:violation-create", expect(allowed=MANAGERS, allowed_status=REDIRECT), args=no_args,
         method="post", data=lambda w: {
             "teacher": w.village_teacher.pk, "code": "late_to_class", "quantity": 1, "reason": "巡课记录",
             "occurred_on": (w.term.start_date + dt.timedelta(days=50)).isoformat()}),
    Case("deductions:ledger-month-list", MONTH_READ, args=no_args),
    Case("deductions:ledger-month-detail", MONTH_READ, args=lambda w: (fines(w).month.pk,), hidden=SCOPED_NAMES),
    Case("deductions:ledger-month-detail", FOREIGN_ONLY_SUPERUSER, args=lambda w: (fines(w).foreign_month.pk,)),
    Case("deductions:ledger-month-export", MONTH_READ, args=lambda w: (fines(w).month.pk,)),
    Case("deductions:ledger-month-export", FOREIGN_ONLY_SUPERUSER, args=lambda w: (fines(w).foreign_month.pk,)),
    # Closing: the central office only (not the principal, not a village school's director).
    Case("deductions:ledger-month-close", MONTH_ACT(OK), args=lambda w: (fines(w).month.pk,)),
    Case("deductions:ledger-month-close", MONTH_ACT(REDIRECT), args=lambda w: (fines(w).month.pk,), method="post"),
    Case("deductions:ledger-month-close", statuses(NOT_FOUND, superuser=REDIRECT),
         args=lambda w: (fines(w).foreign_month.pk,), method="post"),
    Case("deductions:ledger-adjust", MONTH_ACT(REDIRECT), args=lambda w: (fines(w).month.pk,), method="post",
         data=lambda w: {"adjust-teacher": w.teacher.pk, "adjust-amount": "-1.00", "adjust-conduct_points": "0",
                         "adjust-note": "重复登记"}),
    Case("deductions:statement", OWN_ROW, args=lambda w: (fines(w).ledger.pk,)),
    Case("deductions:statement", statuses(NOT_FOUND, **of("other_teacher", *CENTRAL_SCHOOL_WIDE, status=OK)),
         args=lambda w: (fines(w).other_ledger.pk,)),
    Case("deductions:statement", FOREIGN_ONLY_SUPERUSER, args=lambda w: (fines(w).foreign_ledger.pk,)),
    Case("deductions:statement-export", OWN_ROW, args=lambda w: (fines(w).ledger.pk,)),
    Case("deductions:statement-export", FOREIGN_ONLY_SUPERUSER, args=lambda w: (fines(w).foreign_ledger.pk,)),
    # Everyone on staff: a teacher sees her own line, a group leader her group's, the school-wide their school's.
    Case("deductions:conduct-points", expect(allowed=STAFF), args=no_args, hidden=SCOPED_NAMES),
    Case("deductions:conduct-points-export", expect(allowed=STAFF), args=no_args),
]
