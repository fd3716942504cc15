"""Who may open and do what on the evaluation pages. The evaluation data of the world (`world.add_feedback`) is
added when the first case needs it.

- The public answer pages need no login: every role, anonymous included, gets the same answer (a form, a page
  saying the link was used or is unknown, a form refused for missing answers).
- The rounds: leaders and the office of the central school read them; its office acts; a village school's
  director neither sees nor acts on the central school's rounds; a teacher has no round pages at all (403, or 404
  where the round is looked up first). Another school's round is a 404.
- Results: every member of staff opens the page and sees her scope's groups only: a teacher her own, a group
  leader her group's, leaders everyone's.
- Forums: everyone opens the list; a forum's page is for its school's leaders and the teachers it discussed; the
  office edits it."""

from school.tests.matrix import FORBIDDEN, MANAGERS, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect
from school.tests.world import MATRIX_ROLES

from .world import add_feedback

CENTRAL_SCHOOL_WIDE = ("office_staff", "director", "vice_principal", "principal", "superuser")
CENTRAL_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
TEACHERS = ("teacher", "other_teacher", "group_leader")


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in MATRIX_ROLES}


def statuses(default: int, **by_role: int) -> dict[str, int]:
    return {role: default for role in MATRIX_ROLES} | {"anonymous": REDIRECT} | by_role


def of(*roles, status):
    return {role: status for role in roles}


def fb(w):
    return add_feedback(w)


def no_args(w):
    add_feedback(w)
    return ()


# A central round: read by the central school's leaders and office; a teacher has no permission; the village
# director does not see it.
ROUND_READ = statuses(NOT_FOUND, **of(*CENTRAL_SCHOOL_WIDE, status=OK), **of(*TEACHERS, status=FORBIDDEN))
# Acting on a central round: its office; the principal reads but may not act; the rest do not find it.
def ROUND_ACT(status):  # noqa: N802 (reads like the tables above)
    return statuses(NOT_FOUND, **of(*CENTRAL_MANAGERS, status=status), principal=FORBIDDEN)
FOREIGN_ROUND_READ = statuses(NOT_FOUND, superuser=OK, **of(*TEACHERS, status=FORBIDDEN))


def _not_mine(w):
    return [w.other_teacher.name, w.group_leader.name]


def _outside_group(w):
    return [w.other_teacher.name]


RESULT_HIDDEN = {"teacher": _not_mine, "group_leader": _outside_group,
                 "other_teacher": lambda w: [w.teacher.name, w.group_leader.name]}
OPINION_HIDDEN = {"teacher": lambda w: ["语速偏快"], "other_teacher": lambda w: ["讲课生动"],
                  "group_leader": lambda w: ["语速偏快"]}

CASES = [
    # --- public pages ---------------------------------------------------------------------------------------
    Case("feedback:answer-code", everyone(OK), args=no_args),
    Case("feedback:answer-code", everyone(NOT_FOUND), args=no_args, method="post",
         data=lambda w: {"code": "ZZZZ-ZZZZ"}),
    Case("feedback:answer-code", everyone(OK), args=no_args, method="post", data=lambda w: {"code": fb(w).open_code}),
    Case("feedback:answer", everyone(OK), args=lambda w: (fb(w).open_token,)),
    Case("feedback:answer", everyone(410), args=lambda w: (fb(w).used_token,)),
    Case("feedback:answer", everyone(NOT_FOUND), args=lambda w: ("x" * 32,)),
    # Answers missing: refused with the form again, nothing stored (the link stays unused for the next role).
    Case("feedback:answer-submit", everyone(400), args=no_args, method="post",
         data=lambda w: {"key": fb(w).open_token}),
    Case("feedback:answer-submit", everyone(NOT_FOUND), args=no_args, method="post",
         data=lambda w: {"key": "tampered"}),
    Case("feedback:answer-done", everyone(OK), args=no_args),
    # --- rounds ---------------------------------------------------------------------------------------------
    Case("feedback:round-list", expect(allowed=SCHOOL_WIDE), args=no_args),
    Case("feedback:round-create", expect(allowed=MANAGERS), args=no_args),
    Case("feedback:round-detail", ROUND_READ, args=lambda w: (fb(w).past.pk,)),
    Case("feedback:round-detail", ROUND_READ, args=lambda w: (fb(w).open.pk,)),
    Case("feedback:round-detail", FOREIGN_ROUND_READ, args=lambda w: (fb(w).foreign_round.pk,)),
    Case("feedback:round-update", ROUND_ACT(OK), args=lambda w: (fb(w).open.pk,)),
    Case("feedback:round-slips", ROUND_ACT(OK), args=lambda w: (fb(w).open.pk,)),
    Case("feedback:round-slips", ROUND_ACT(OK), args=lambda w: (fb(w).open.pk,), method="post",
         data=lambda w: {"invitation": fb(w).spare.pk}),
    Case("feedback:round-slips", statuses(NOT_FOUND, superuser=REDIRECT), args=lambda w: (fb(w).foreign_round.pk,),
         method="post"),
    Case("feedback:round-sample", ROUND_ACT(OK), args=lambda w: (fb(w).scheduled.pk, fb(w).scheduled_class.pk)),
    Case("feedback:round-sample", ROUND_ACT(REDIRECT), args=lambda w: (fb(w).scheduled.pk, fb(w).scheduled_class.pk),
         method="post", data=lambda w: {"students": list(fb(w).scheduled_class.invitations.values_list(
             "student_id", flat=True))}),
    Case("feedback:round-sample-suggest", ROUND_ACT(REDIRECT),
         args=lambda w: (fb(w).scheduled.pk, fb(w).scheduled_class.pk), method="post"),
    Case("feedback:round-comments", ROUND_ACT(OK), args=lambda w: (fb(w).past.pk,)),
    Case("feedback:round-comments", ROUND_ACT(REDIRECT), args=lambda w: (fb(w).past.pk,), method="post",
         data=lambda w: {"decision": "approved", "answers": [str(fb(w).past_comments[0].pk)]}),
    Case("feedback:round-close", ROUND_ACT(REDIRECT), args=lambda w: (fb(w).to_close.pk,), method="post"),
    # Answered rounds are kept: every attempt to delete one is refused and sent back to the round.
    Case("feedback:round-delete", ROUND_ACT(REDIRECT), args=lambda w: (fb(w).past.pk,), method="post"),
    Case("feedback:round-update", statuses(NOT_FOUND, superuser=OK), args=lambda w: (fb(w).foreign_round.pk,)),
    # --- questionnaires ---------------------------------------------------------------------------------------
    Case("feedback:questionnaire-list", expect(allowed=MANAGERS), args=no_args),
    Case("feedback:questionnaire-create", expect(allowed=MANAGERS), args=no_args),
    Case("feedback:questionnaire-detail", statuses(FORBIDDEN, **of(*MANAGERS, status=OK)),
         args=lambda w: (fb(w).parent_questionnaire.pk,)),
    Case("feedback:questionnaire-detail", statuses(NOT_FOUND, superuser=OK),
         args=lambda w: (fb(w).foreign_questionnaire.pk,)),
    Case("feedback:questionnaire-update", statuses(FORBIDDEN, **of(*CENTRAL_MANAGERS, status=OK)),
         args=lambda w: (fb(w).parent_questionnaire.pk,)),
    Case("feedback:questionnaire-copy", statuses(FORBIDDEN, **of(*CENTRAL_MANAGERS, status=REDIRECT)),
         args=lambda w: (fb(w).student_questionnaire.pk,), method="post"),
    # --- results ---------------------------------------------------------------------------------------------
    Case("feedback:results", expect(allowed=STAFF), args=no_args, hidden=RESULT_HIDDEN),
    Case("feedback:round-results",
         statuses(NOT_FOUND, **of(*CENTRAL_SCHOOL_WIDE, *TEACHERS, status=OK)), args=lambda w: (fb(w).past.pk,),
         hidden=RESULT_HIDDEN),
    Case("feedback:round-results", statuses(NOT_FOUND, superuser=OK), args=lambda w: (fb(w).foreign_round.pk,)),
    Case("feedback:round-results", statuses(NOT_FOUND), args=lambda w: (fb(w).open.pk,)),
    Case("feedback:results-export", expect(allowed=STAFF), args=no_args),
    # --- forums ----------------------------------------------------------------------------------------------
    Case("feedback:forum-list", expect(allowed=STAFF), args=no_args),
    Case("feedback:forum-create", expect(allowed=MANAGERS), args=no_args),
    Case("feedback:forum-detail", statuses(NOT_FOUND, **of(*CENTRAL_SCHOOL_WIDE, *TEACHERS, status=OK)),
         args=lambda w: (fb(w).forum.pk,), hidden=OPINION_HIDDEN),
    Case("feedback:forum-detail", statuses(NOT_FOUND, superuser=OK), args=lambda w: (fb(w).foreign_forum.pk,)),
    Case("feedback:forum-update",
         statuses(NOT_FOUND, **of(*CENTRAL_MANAGERS, status=OK), principal=FORBIDDEN,
                  **of(*TEACHERS, status=FORBIDDEN)),
         args=lambda w: (fb(w).forum.pk,)),
]
