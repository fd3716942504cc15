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


# --- rounds, checks, notifications, the six earnests --------------------------------------------------------

from school.tests.matrix import FORBIDDEN, NOT_FOUND, SCHOOL_WIDE  # noqa: E402

MATRIX_ROUND_TITLE = "矩阵专项检查"


def make_rounds(w):
    """A special inspection of the central school opened today by the office (the group leader checks the
    Chinese group's teacher, …) and one of the foreign school; once."""
    if hasattr(w, "matrix_round"):
        return w
    import datetime as dt

    from inspections.services.rounds import round_open_by_hand
    from school.selectors import today

    day = today()
    w.matrix_round = round_open_by_hand(
        school=w.school, kind="special", title=MATRIX_ROUND_TITLE, checklist=["lesson_prep", "homework"],
        checker="group_leaders", opens_on=day, due_on=day + dt.timedelta(days=7), user=w.director.user)
    w.foreign_round = round_open_by_hand(
        school=w.foreign_school, kind="spot", title="FOREIGN抽查", checklist=["lesson_prep"], checker="office",
        opens_on=day, due_on=day + dt.timedelta(days=7), user=w.foreign_director.user)
    w.matrix_assignment = w.matrix_round.assignments.get(checker=w.group_leader, teacher=w.teacher,
                                                         item="lesson_prep")
    return w


def _round(w):
    return (make_rounds(w).matrix_round.pk,)


def _foreign_round(w):
    return (make_rounds(w).foreign_round.pk,)


SEES_TEACHER = ("teacher", "group_leader", "office_staff", "director", "vice_principal", "principal", "superuser")
EVALUATORS = ("office_staff", "director", "vice_principal", "principal", "superuser")


def _on_staff_only(status):
    """Every member of staff gets `status`; the superuser, who has no staff record, is refused."""
    result = expect(allowed=STAFF, allowed_status=status)
    result["superuser"] = FORBIDDEN
    return result


def _teacher_only_else(status, *, seen, denied=FORBIDDEN):
    result = expect(allowed=seen, allowed_status=status, denied_status=NOT_FOUND)
    for role in set(SEES_TEACHER) - set(seen):
        result[role] = denied
    return result


CASES += [
    Case("inspections:round-list", expect(allowed=STAFF), query=lambda w: (make_rounds(w), "")[1]),
    Case("inspections:round-list", expect(allowed=STAFF), query="kind=special"),
    Case("inspections:round-open", expect(allowed=POLICY_MANAGERS)),
    # An empty form re-renders with its errors.
    Case("inspections:round-open", expect(allowed=POLICY_MANAGERS), method="post"),
    Case("inspections:round-detail", expect(allowed=STAFF), args=_round),
    Case("inspections:round-detail", expect(allowed=("superuser",), denied_status=NOT_FOUND), args=_foreign_round),
    # The village school's director manages her village school, not the central school's rounds.
    Case("inspections:round-publish", expect(allowed=POLICY_MANAGERS, allowed_status=REDIRECT), args=_round,
         method="post", data=lambda w: {"summary": "本次专项检查总体良好。"}),
    # Another school's round: those who manage do not find it; the others may not publish at all.
    Case("inspections:round-publish",
         expect(allowed=("superuser",), allowed_status=REDIRECT, denied_status=FORBIDDEN)
         | {role: NOT_FOUND for role in ("office_staff", "director", "vice_principal", "village_director")},
         args=_foreign_round, method="post", data=lambda w: {"summary": "FOREIGN"}),
    Case("inspections:assignment-list", expect(allowed=STAFF), query=lambda w: (make_rounds(w), "all=1")[1]),
    # Only the checker marks her check done; anyone else does not find it.
    Case("inspections:assignment-done", expect(allowed=("group_leader",), allowed_status=REDIRECT,
                                               denied_status=NOT_FOUND),
         args=lambda w: (make_rounds(w).matrix_assignment.pk,), method="post"),
    Case("inspections:notification-list", expect(allowed=STAFF)),
    Case("inspections:notification-bell", expect(allowed=STAFF)),
    Case("inspections:notification-read", expect(allowed=STAFF, allowed_status=REDIRECT), method="post"),
    Case("inspections:notification-preferences", _on_staff_only(OK)),
    Case("inspections:notification-preferences", _on_staff_only(REDIRECT), method="post",
         data=lambda w: {"email": "on"}),
    Case("inspections:group-robot", expect(allowed=POLICY_MANAGERS)),
    Case("inspections:group-robot", expect(allowed=POLICY_MANAGERS), method="post",
         data=lambda w: {"flavour": "wecom", "url": "not an address"}),
    Case("inspections:six-earnests", expect(allowed=STAFF),
         hidden={"teacher": lambda w: [w.other_teacher.name], "village_director": lambda w: [w.teacher.name],
                 "group_leader": lambda w: [w.other_teacher.name]}),
    Case("inspections:six-earnests-export", expect(allowed=SCHOOL_WIDE)),
    Case("inspections:six-earnests-evaluate", _teacher_only_else(OK, seen=SEES_TEACHER),
         args=lambda w: (w.teacher.pk,), query=lambda w: f"term={w.term.pk}"),
    Case("inspections:six-earnests-evaluate", _teacher_only_else(REDIRECT, seen=EVALUATORS),
         args=lambda w: (w.teacher.pk,), query=lambda w: f"term={w.term.pk}", method="post",
         data=lambda w: {"overall_grade": "good", "teaching_grade": "excellent", "overall_comment": "认真负责"}),
]


# --- the dashboards -------------------------------------------------------------------------------------------

CASES += [
    # The principal's figures: those who see their schools whole; the foreign school's findings never show.
    Case("inspections:dashboard-principal", expect(allowed=SCHOOL_WIDE),
         query=lambda w: (add_fines_once(w), "")[1], hidden={role: lambda w: ["foreign-finding"]
                                                             for role in SCHOOL_WIDE if role != "superuser"}),
    Case("inspections:dashboard-figure-export", expect(allowed=SCHOOL_WIDE), args=lambda w: ("fines-rules",)),
    Case("inspections:dashboard-office", expect(allowed=SCHOOL_WIDE)),
    Case("inspections:dashboard-group", expect(allowed=("group_leader",))),
]


def add_fines_once(w):
    from school.tests.world import add_fines

    return add_fines(w)
