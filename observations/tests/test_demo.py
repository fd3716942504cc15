"""The demo school's term of observations, patrols, swaps and labs (`observations.demo`): created through the
services so that every rule holds, and added only once.

The demo follows the real calendar (the school year around today), so what a term "so far" holds depends on the
day the tests run: the assertions that need past school days, days ahead in the term or a school month ended are
made when the calendar has them.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from deductions.models import Violation
from observations.models import (
    AttendanceIncident,
    Experiment,
    LabSession,
    LabTidinessCheck,
    LessonSwap,
    NotesReview,
    Observation,
    ObservationScore,
    Patrol,
    PatrolMark,
)
from observations.selectors.log import LEADERSHIP_ROLES, quota_table
from school.models import Role, School, Staff, TimetableEntry
from school.selectors import current_term

pytestmark = pytest.mark.django_db

COUNTED = [
    Observation, ObservationScore, NotesReview, Patrol, PatrolMark, AttendanceIncident, LessonSwap, Experiment,
    LabSession, LabTidinessCheck, Violation,
]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--size", "small", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


class Calendar:
    """Where today falls in the demo's term."""

    def __init__(self):
        self.today = timezone.localdate()
        self.root = School.objects.get(parent__isnull=True)
        term = current_term(self.root, self.today)
        self.term = term if term is not None and term.contains(self.today) else None
        self.past_days, self.days_ahead, self.months_ended = [], [], 0
        if self.term is None:
            return
        holidays = self.term.holiday_spans
        day = self.term.start_date
        while day <= self.term.end_date:
            if day.isoweekday() <= 5 and not any(day in span for span in holidays):
                if day < self.today:
                    self.past_days.append(day)
                elif self.today < day <= self.today + dt.timedelta(days=14):
                    self.days_ahead.append(day)
            day += dt.timedelta(days=1)
        self.months_ended = sum(1 for m in self.term.school_months() if m.end < self.today)

    def is_school_day(self, day: dt.date) -> bool:
        return day in self.past_days


def test_the_demo_school_has_a_term_of_classroom_activity_within_the_rules_and_seeding_again_adds_none():
    seed()
    calendar = Calendar()
    if calendar.term is None:
        assert sum(counts().values()) == 0  # between terms: nothing to add
        return
    term, today = calendar.term, calendar.today

    # Observations: of colleagues' timetabled lessons on past school days, at times the observer was free.
    observations = list(
        Observation.objects.select_related("observer", "teacher").prefetch_related("scores__item", "observer__roles")
    )
    weeks = len(calendar.past_days) / 5
    if weeks >= 2:
        # About one lesson a fortnight for a teacher, more for leaders.
        assert 0.3 * weeks * Staff.objects.count() < len(observations) < 1.2 * weeks * Staff.objects.count()
    if weeks >= 5:
        acknowledged = sum(1 for o in observations if o.acknowledged_at is not None)
        assert 0.3 * len(observations) < acknowledged < 0.8 * len(observations)
        assert any(o.reply for o in observations)
        assert any(o.discussed for o in observations) and any(not o.discussed for o in observations)
        assert {o.kind for o in observations} >= {"peer", "leadership", "unannounced"}
    timetable = {
        (e.school_class_id, e.weekday, e.period): e for e in TimetableEntry.objects.filter(term=term)
    }
    busy = set(TimetableEntry.objects.filter(term=term).values_list("teacher_id", "weekday", "period"))
    for o in observations:
        assert o.observer_id != o.teacher_id
        assert o.observer.school_id == o.teacher.school_id == o.school_id
        assert o.term_id == term.pk and calendar.is_school_day(o.date) and o.date < today
        entry = timetable[o.school_class_id, o.date.isoweekday(), o.period]
        assert (entry.teacher_id, entry.subject_id, o.timetable_entry_id) == (o.teacher_id, o.subject_id, entry.pk)
        assert (o.observer_id, o.date.isoweekday(), o.period) not in busy
        assert o.topic
        scores = list(o.scores.all())
        assert len(scores) == 6 and all(0 <= s.score <= s.item.max_score for s in scores)
        assert o.total_score == sum(s.score for s in scores)
        if o.discussed:
            assert o.date <= o.discussed_on <= today
        else:
            assert o.discussed_on is None
        leader = bool(o.observer.role_codes & LEADERSHIP_ROLES)
        assert o.kind in (("leadership", "unannounced") if leader else ("peer",))
    assert not Observation.objects.values("observer", "date", "period").annotate(n=Count("id")).filter(n__gt=1)
    # V4 has no review chain: the service refuses every review, so the demo writes none.
    assert NotesReview.objects.count() == 0

    # The patrol: periods 1 and 3 of the last ten school days, mostly normal, 3-5 incidents and one other issue.
    if calendar.past_days:
        patrol_days = calendar.past_days[-10:]
        patrols = Patrol.objects.all()
        assert {(p.date, p.period) for p in patrols} == {(d, p) for d in patrol_days for p in (1, 3)}
        classes = calendar.root.grades.aggregate(n=Count("classes"))["n"]
        assert PatrolMark.objects.count() == patrols.count() * classes
        incidents = AttendanceIncident.objects.all()
        assert 3 <= incidents.count() <= 5
        assert all(i.teacher_id == i.mark.expected_teacher_id and i.cause for i in incidents)
        other = PatrolMark.objects.get(status="other")
        assert other.note
        assert PatrolMark.objects.filter(status="normal").count() == PatrolMark.objects.count() - incidents.count() - 1
        # V4 fines lateness, leaving early and absence: one finding for each incident, through deductions.
        assert Violation.objects.filter(source_id__isnull=False, code__in=["late_to_class", "left_early", "absent"]
                                        ).count() == incidents.count()

    # Swaps: only days to come (the service refuses past ones): substitutes and an exchange, most approved.
    swaps = list(LessonSwap.objects.all())
    if len(calendar.days_ahead) >= 5:
        statuses = [s.status for s in swaps]
        assert {"approved", "requested", "rejected"} <= set(statuses)
        assert statuses.count("requested") == 1 and statuses.count("rejected") == 1
        assert any(s.paired_with_id for s in swaps)
        assert 4 <= len([s for s in swaps if s.paired_with_id is None or s.pk < s.paired_with_id]) <= 6
    for s in swaps:
        assert s.date > today and s.teacher_id != s.substitute_id
        if s.paired_with_id is None:
            assert (s.substitute_id, s.date.isoweekday(), s.period) not in busy

    # Labs: the term's required experiments; sessions by the class's teacher of the subject, for most due ones.
    experiments = Experiment.objects.filter(school=calendar.root, term_number=term.number)
    assert experiments.filter(subject__has_labs=True).count() == experiments.count() > 10
    assert {"demonstration", "group"} == set(experiments.values_list("kind", flat=True))
    taught = set(TimetableEntry.objects.filter(term=term).values_list("teacher_id", "school_class_id", "subject_id"))
    for session in LabSession.objects.select_related("experiment", "school_class__grade"):
        assert (session.teacher_id, session.school_class_id, session.experiment.subject_id) in taught
        assert session.school_class.grade.level == session.experiment.grade_level
        assert session.term_id == term.pk and calendar.is_school_day(session.date)
    if calendar.months_ended:
        assert LabSession.objects.count() > 0
        due = experiments.filter(month_number__lte=calendar.months_ended)
        pairs = sum(calendar.root.grades.get(level=e.grade_level).classes.count() for e in due)
        done = LabSession.objects.filter(experiment__in=due).count()
        assert 0.6 * pairs <= done < pairs
    if len(calendar.past_days) >= 10:
        assert sorted(LabTidinessCheck.objects.values_list("tidy", flat=True)) == [False, True]

    before = counts()
    seed()
    assert counts() == before


def test_under_a_policy_with_quotas_and_a_review_chain_some_are_behind_and_notes_are_reviewed():
    seed("--preset", "v3")
    calendar = Calendar()
    if calendar.term is None or len(calendar.past_days) < 15:
        pytest.skip("too early in the term (or between terms) for reviews and a pace to keep")
    # Each group leader has reviewed each of her group's teachers once; the office a few group leaders.
    for leader in Staff.objects.filter(led_groups__isnull=False).distinct():
        members = Staff.objects.filter(groups__leader=leader, is_active=True).exclude(pk=leader.pk)
        members = set(members.values_list("pk", flat=True))
        reviewed = list(NotesReview.objects.filter(reviewer=leader).values_list("reviewee_id", flat=True))
        assert sorted(reviewed) == sorted(members)
    office = Staff.objects.get(roles__role=Role.DIRECTOR, school=calendar.root)
    by_office = NotesReview.objects.filter(reviewer=office)
    assert 1 <= by_office.count() <= 4
    assert all(review.reviewee.led_groups.exists() for review in by_office)
    for review in NotesReview.objects.prefetch_related("observations"):
        assert review.reviewer_id != review.reviewee_id and review.date < calendar.today
        assert all(o.observer_id == review.reviewee_id and o.date <= review.date for o in review.observations.all())
    # The quota lists: most keep to their pace, some are behind.
    table = quota_table(office.user, calendar.today)
    with_quota = [row for row in table if row.decisive is not None]
    behind = [row for row in with_quota if row.behind]
    assert len(with_quota) == Staff.objects.count()
    assert 0 < len(behind) < len(with_quota) / 2
    assert all(row.decisive.done >= 0.5 * row.decisive.expected - 1 for row in with_quota)
