"""Rounds (issue 7.2-4; V2.IV.1-2): creating one under the policy's numbers and the calendar, the suggested and
edited samples, the one-time links, the window, closing and deleting."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from inspections.models import Policy

from .. import tokens
from ..models import Invitation, Kind, Round, RoundClass, Stratum
from ..selectors.rounds import LinkStatus, invitation_by_key, link_status
from ..services import rounds as services
from .world import default_questionnaire, enrol, set_samples, submit

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def school(world):
    set_samples(world.school)
    world.student.baseline_score = 99
    world.student.save()
    world.c1 = [world.student, *enrol(world.class_1, 14, "A")]
    world.c2 = enrol(world.class_2, 4, "B")
    return world


def create(w, *, kind=Kind.PARENT, opens=None, closes=None, classes=None, size=8, user=None, name="评教", **extra):
    today = dt.date.today()
    opens = opens or (today + ONE_DAY if kind == Kind.STUDENT else today)
    return services.round_create(
        school=w.school, term=w.term, kind=kind, name=name, questionnaire=default_questionnaire(w.school, kind),
        opens_on=opens, closes_on=closes or opens + 7 * ONE_DAY, classes=classes or [w.class_1],
        sample_size=size, user=user or w.director.user, **extra)


def refused(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return " ".join(caught.value.messages)


# --- creating a round ------------------------------------------------------------------------------------------


def test_a_round_gets_the_suggested_sample_of_every_class(school):
    w = school
    round_ = create(w, classes=[w.class_1, w.class_2], size=9)
    by_class = {rc.school_class_id: rc for rc in round_.round_classes.all()}
    first = by_class[w.class_1.pk]
    assert first.sample_size == 9 and first.source == RoundClass.Source.BASELINE
    strata = list(first.invitations.values_list("stratum", flat=True))
    assert sorted(strata) == sorted([Stratum.TOP] * 3 + [Stratum.MIDDLE] * 3 + [Stratum.BOTTOM] * 3)
    # class_2 has only 4 students: all of them.
    assert by_class[w.class_2.pk].invitations.count() == 4
    assert not Invitation.objects.filter(round_class__round=round_, token_hash__isnull=False).exists()


def test_the_sample_size_comes_from_the_policy(school):
    w = school
    assert "5 to 10" in refused(create, w=w, size=11)
    assert "5 to 10" in refused(create, w=w, size=4)
    Policy.objects.filter(school=w.school).update(parent_sample_min=0, parent_sample_max=0)
    assert "asks no parents" in refused(create, w=w, size=5)
    assert not Round.objects.exists()


def test_students_evaluate_after_the_mid_term_exam_and_parents_within_the_term(school):
    w = school
    assert "after the mid-term exam" in refused(create, w=w, kind=Kind.STUDENT, opens=w.term.midterm_date)
    assert "within the term" in refused(create, w=w, closes=w.term.end_date + ONE_DAY)
    assert "in the past" in refused(create, w=w, opens=dt.date.today() - ONE_DAY)
    assert "cannot close before it opens" in refused(create, w=w, closes=dt.date.today() - ONE_DAY)
    assert create(w, kind=Kind.STUDENT).kind == Kind.STUDENT


def test_a_round_takes_its_own_questionnaire_and_classes(school):
    w = school
    wrong_kind = default_questionnaire(w.school, Kind.STUDENT)
    with pytest.raises(ValidationError, match="questionnaire in use"):
        services.round_create(school=w.school, term=w.term, kind=Kind.PARENT, name="x", questionnaire=wrong_kind,
                              opens_on=dt.date.today(), closes_on=dt.date.today(), classes=[w.class_1], sample_size=5,
                              user=w.director.user)
    assert "not a class of this school" in refused(create, w=w, classes=[w.foreign_class])
    assert "term of the school's calendar" in refused(
        services.round_create, school=w.school, term=w.foreign_term, kind=Kind.PARENT, name="x",
        questionnaire=default_questionnaire(w.school, Kind.PARENT), opens_on=dt.date.today(),
        closes_on=dt.date.today(), classes=[w.class_1], sample_size=5, user=w.director.user)
    # A central school's round may take its village schools' classes.
    village_students = enrol(w.village_class, 5, "V")
    round_ = create(w, classes=[w.class_1, w.village_class], name="含村小")
    village = RoundClass.objects.get(round=round_, school_class=w.village_class)
    assert village.invitations.count() == len(village_students) + 1  # and the world's village student


def test_only_the_office_creates_rounds(school):
    w = school
    for person in (w.teacher, w.principal, w.foreign_director):
        with pytest.raises(PermissionDenied):
            create(w, user=person.user)
    # The village school's director manages her village only.
    with pytest.raises(ValidationError):
        services.round_create(school=w.village, term=w.term, kind=Kind.PARENT, name="村", sample_size=5,
                              questionnaire=default_questionnaire(w.school, Kind.PARENT), opens_on=dt.date.today(),
                              closes_on=dt.date.today(), classes=[w.class_1], user=w.village_director.user)


# --- samples --------------------------------------------------------------------------------------------------


def test_the_office_edits_the_sample_within_the_policy(school):
    w = school
    round_ = create(w, size=6)
    rc = round_.round_classes.get()
    chosen = w.c1[:7]
    services.round_class_sample_set(round_class=rc, students=chosen, user=w.director.user)
    assert set(rc.invitations.values_list("student_id", flat=True)) == {s.pk for s in chosen}
    # Each keeps the third she stands in: the best five are the top third of fifteen.
    assert set(rc.invitations.filter(student__in=chosen[:5]).values_list("stratum", flat=True)) == {Stratum.TOP}
    assert "5 to 10" in refused(services.round_class_sample_set, round_class=rc, students=w.c1[:4],
                                user=w.director.user)
    assert "5 to 10" in refused(services.round_class_sample_set, round_class=rc, students=w.c1[:11],
                                user=w.director.user)
    assert "not a student of" in refused(services.round_class_sample_set, round_class=rc,
                                         students=[*w.c1[:5], w.c2[0]], user=w.director.user)
    assert rc.invitations.count() == 7
    services.round_class_sample_suggest(round_class=rc, user=w.director.user)
    assert rc.invitations.count() == 6


def test_a_class_smaller_than_the_minimum_takes_everyone(school):
    w = school
    round_ = create(w, classes=[w.class_2], size=5)
    rc = round_.round_classes.get()
    assert rc.invitations.count() == 4
    services.round_class_sample_set(round_class=rc, students=w.c2, user=w.director.user)
    assert "Choose 4 to 10" in refused(services.round_class_sample_set, round_class=rc, students=w.c2[:3],
                                       user=w.director.user)


def test_someone_who_has_answered_stays_in_the_sample(school):
    w = school
    round_ = create(w, size=5)
    rc = round_.round_classes.get()
    slips = services.invitations_issue(round_=round_, user=w.director.user)
    submit(slips[0], round_)
    answered = slips[0].invitation.student
    others = [s for s in w.c1 if s != answered]
    assert "has already answered" in refused(services.round_class_sample_set, round_class=rc, students=others[:6],
                                             user=w.director.user)
    services.round_class_sample_set(round_class=rc, students=[answered, *others[:5]], user=w.director.user)
    services.round_class_sample_suggest(round_class=rc, user=w.director.user)
    assert rc.invitations.filter(used=True, student=answered).exists()
    assert rc.invitations.count() == 5


# --- links ----------------------------------------------------------------------------------------------------


def test_links_carry_128_bits_or_more_and_only_their_hashes_are_stored(school):
    w = school
    round_ = create(w, size=5)
    slips = services.invitations_issue(round_=round_, user=w.director.user)
    assert len(slips) == 5
    for slip in slips:
        assert len(base64.urlsafe_b64decode(slip.token + "=" * (-len(slip.token) % 4))) * 8 >= 128
        assert len(slip.code) == 8 and tokens.normalise_code(slip.code_display) == slip.code
    assert len({s.token for s in slips}) == len({s.code for s in slips}) == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_invitation")
        stored = repr(cursor.fetchall())
    for slip in slips:
        assert slip.token not in stored and slip.code not in stored
        invitation = Invitation.objects.get(pk=slip.invitation.pk)
        assert invitation.token_hash == tokens.token_hash(slip.token)
        assert invitation.code_hash != tokens.token_hash(slip.code)  # keyed, not a plain hash of 40 bits
        assert invitation.expires_at == timezone.make_aware(
            dt.datetime.combine(round_.closes_on + ONE_DAY, dt.time.min))
    assert invitation_by_key(slips[0].token).pk == slips[0].invitation.pk
    assert invitation_by_key(slips[0].code_display.lower().replace("-", " ")).pk == slips[0].invitation.pk


def test_a_new_slip_replaces_the_old_one(school):
    w = school
    round_ = create(w, size=5)
    old = services.invitations_issue(round_=round_, user=w.director.user)
    new = services.invitations_issue(round_=round_, invitation=old[0].invitation, user=w.director.user)
    assert [s.invitation.pk for s in new] == [old[0].invitation.pk]
    assert invitation_by_key(old[0].token) is None and invitation_by_key(old[0].code) is None
    assert invitation_by_key(new[0].token).pk == old[0].invitation.pk
    assert invitation_by_key(old[1].token) is not None  # the others' slips still work
    # A respondent who has answered gets no new slip.
    submit(new[0], round_)
    again = services.invitations_issue(round_=round_, user=w.director.user)
    assert old[0].invitation.pk not in {s.invitation.pk for s in again} and len(again) == 4


def test_links_follow_the_window_and_die_with_the_round(school):
    w = school
    round_ = create(w, size=5)
    slips = services.invitations_issue(round_=round_, user=w.director.user)
    later = round_.closes_on + 3 * ONE_DAY
    services.round_update(round_=round_, name="延长", opens_on=round_.opens_on, closes_on=later, user=w.director.user)
    assert timezone.localtime(Invitation.objects.get(pk=slips[0].invitation.pk).expires_at).date() == later + ONE_DAY
    assert "has opened" in refused(services.round_update, round_=round_, name="x", opens_on=round_.opens_on + ONE_DAY,
                                   closes_on=later, user=w.director.user)
    services.round_close(round_=round_, user=w.director.user)
    round_.refresh_from_db()
    assert round_.closed_at is not None and round_.sealed
    assert link_status(invitation_by_key(slips[0].token)) == LinkStatus.EXPIRED
    # A closed round never opens again, and prints no slips.
    assert "has closed" in refused(services.round_update, round_=round_, name="x", opens_on=round_.opens_on,
                                   closes_on=later + ONE_DAY, user=w.director.user)
    assert "has closed" in refused(services.invitations_issue, round_=round_, user=w.director.user)
    assert "has closed" in refused(services.round_close, round_=round_, user=w.director.user)


def test_a_round_not_yet_answered_can_be_deleted_an_answered_one_cannot(school):
    w = school
    empty = create(w, size=5, name="空")
    services.invitations_issue(round_=empty, user=w.director.user)
    services.round_delete(round_=empty, user=w.director.user)
    assert not Round.objects.filter(pk=empty.pk).exists()
    answered = create(w, size=5, name="有人答")
    slips = services.invitations_issue(round_=answered, user=w.director.user)
    submit(slips[0], answered)
    assert "kept" in refused(services.round_delete, round_=answered, user=w.director.user)
    with pytest.raises(PermissionDenied):
        services.round_delete(round_=answered, user=w.teacher.user)
