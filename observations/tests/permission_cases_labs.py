"""Permission-matrix cases of the lab pages and the term report, and the idempotent helpers that give the world
what the cases need (experiments, sessions, checks, here and in the foreign school); the lab tests use them too."""

from __future__ import annotations

import datetime as dt

from school.tests.matrix import (
    FORBIDDEN,
    MANAGERS,
    NOT_FOUND,
    OK,
    REDIRECT,
    SCHOOL_WIDE,
    STAFF,
    Case,
    expect,
)
from school.tests.world import FOREIGN

from ..models import Experiment, LabSession, LabTidinessCheck

# The experiments belong to the central school: a village school's director reads them and may not change them.
EXPERIMENT_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")


def experiment(w, name="测量物体的长度", *, subject=None, month=1, kind=Experiment.Kind.GROUP, level=7):
    """A required experiment of the world's central school this term (maths, grade 7 unless told)."""
    found, _created = Experiment.objects.get_or_create(
        school=w.school, subject=subject or w.maths, grade_level=level, term_number=w.term.number, name=name,
        defaults={"kind": kind, "month_number": month},
    )
    return found


def session(w, the_experiment, school_class, teacher, *, day=None):
    found, _created = LabSession.objects.get_or_create(
        experiment=the_experiment, term=_term_of(w, the_experiment), school_class=school_class,
        defaults={"teacher": teacher, "date": day or w.term.start_date + dt.timedelta(days=1),
                  "kind": the_experiment.kind},
    )
    return found


def _term_of(w, the_experiment):
    return w.foreign_term if the_experiment.school_id == w.foreign_school.pk else w.term


def tidiness_check(w, *, school, room, teacher, checked_by, tidy=True, note=""):
    term = w.foreign_term if school.pk == w.foreign_school.pk else w.term
    found, _created = LabTidinessCheck.objects.get_or_create(
        school=school, term=term, room=room, teacher_in_charge=teacher,
        defaults={"date": term.start_date + dt.timedelta(days=2), "tidy": tidy, "note": note,
                  "checked_by": checked_by},
    )
    return found


def seed_labs(w) -> tuple:
    """Lab rows of every kind, in the central school and in the foreign one (whose rows carry FOREIGN)."""
    measuring = experiment(w)
    session(w, measuring, w.class_1, w.other_teacher)
    tidiness_check(w, school=w.school, room="物理实验室", teacher=w.other_teacher, checked_by=w.office_staff,
                   tidy=False, note="器材未归位")
    foreign = Experiment.objects.get_or_create(
        school=w.foreign_school, subject=w.foreign_subject, grade_level=7, term_number=w.foreign_term.number,
        name=f"{FOREIGN}实验", defaults={"kind": Experiment.Kind.DEMONSTRATION, "month_number": 1},
    )[0]
    session(w, foreign, w.foreign_class, w.foreign_teacher)
    tidiness_check(w, school=w.foreign_school, room=f"{FOREIGN}实验室", teacher=w.foreign_teacher,
                   checked_by=w.foreign_director, tidy=False, note=f"{FOREIGN}记录")
    return ()


def foreign_term(w) -> str:
    seed_labs(w)
    return f"term={w.foreign_term.pk}"


def another_calendar(*, allowed, superuser=OK) -> dict[str, int]:
    """A term of the foreign school's calendar: 404 for those who may open the page, 403 for the others; a
    superuser reads any school's."""
    result = expect(allowed=allowed, allowed_status=NOT_FOUND, denied_status=FORBIDDEN)
    result["superuser"] = superuser
    return result


def _not_mine(w):
    return [w.other_teacher.name]


def _central_staff(w):
    return [w.teacher.name, w.group_leader.name, w.other_teacher.name]


CASES = [
    Case("observations:experiment-list", expect(allowed=SCHOOL_WIDE), args=seed_labs),
    Case("observations:experiment-list", another_calendar(allowed=SCHOOL_WIDE), query=foreign_term),
    Case("observations:experiment-import", expect(allowed=EXPERIMENT_MANAGERS)),
    # A post without a file re-renders the form with its error and imports nothing.
    Case("observations:experiment-import", expect(allowed=EXPERIMENT_MANAGERS), method="post"),
    Case("observations:experiment-template", expect(allowed=EXPERIMENT_MANAGERS)),
    Case("observations:lab-session-list", expect(allowed=STAFF), args=seed_labs,
         hidden={"teacher": _not_mine, "group_leader": _not_mine, "village_director": _not_mine}),
    Case("observations:lab-session-list", another_calendar(allowed=STAFF), query=foreign_term),
    Case("observations:lab-session-create", expect(allowed=STAFF)),
    # An empty post re-renders with errors and logs nothing.
    Case("observations:lab-session-create", expect(allowed=STAFF), method="post"),
    Case("observations:lab-shortfalls", expect(allowed=MANAGERS), args=seed_labs),
    Case("observations:lab-shortfalls", expect(allowed=MANAGERS), query=lambda w: f"term={w.term.pk}&month=1"),
    Case("observations:lab-shortfalls", another_calendar(allowed=MANAGERS), query=foreign_term),
    Case("observations:lab-shortfalls-record", expect(allowed=MANAGERS, allowed_status=REDIRECT), method="post",
         data=lambda w: {"term": w.term.pk, "month": 1}),
    Case("observations:lab-shortfalls-record", another_calendar(allowed=MANAGERS, superuser=REDIRECT),
         method="post", data=lambda w: {"term": w.foreign_term.pk, "month": 1}),
    Case("observations:lab-tidiness-list", expect(allowed=STAFF), args=seed_labs,
         hidden={"teacher": _not_mine, "group_leader": _not_mine, "village_director": _not_mine}),
    Case("observations:lab-tidiness-list", another_calendar(allowed=STAFF), query=foreign_term),
    Case("observations:lab-tidiness-create", expect(allowed=MANAGERS)),
    Case("observations:lab-tidiness-create", expect(allowed=MANAGERS), method="post"),
    Case("observations:report", expect(allowed=SCHOOL_WIDE), args=seed_labs,
         hidden={"village_director": _central_staff}),
    Case("observations:report", another_calendar(allowed=SCHOOL_WIDE), query=foreign_term),
    Case("observations:report-export", expect(allowed=SCHOOL_WIDE)),
    Case("observations:report-export", another_calendar(allowed=SCHOOL_WIDE), query=foreign_term),
]
