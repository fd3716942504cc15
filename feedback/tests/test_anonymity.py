"""No response can be joined to a token, a student or a parent (issue 7.5).

Schema: the answers' tables have no column and no foreign key that leads to the respondents' side, no time finer
than the day, random keys, and no history. Data: with N respondents in a class, every stored value of a response
is either the same for the whole round-class or cannot be matched with anything stored about a respondent; in
PostgreSQL, after sealing, not even the transaction that wrote a row links it to a spent link."""

import datetime as dt
import uuid
from collections import defaultdict

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from school.models import Student

from ..models import Answer, Invitation, Kind, Response, Round, RoundClass
from ..services import responses as response_services
from ..services import rounds as round_services
from .world import answers_for, default_questionnaire, enrol, set_samples

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)
RESPONDENT_SIDE = {Invitation, Student, RoundClass}
ANSWER_SIDE = (Response, Answer)


def test_no_column_or_foreign_key_of_a_response_leads_to_a_respondent():
    for model in ANSWER_SIDE:
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model not in RESPONDENT_SIDE, f"{model.__name__}.{field.name}"
                assert field.related_model in {Round, apps.get_model("school", "SchoolClass"), Response,
                                               apps.get_model("feedback", "Question"),
                                               apps.get_model("school", "Staff")}, f"{model.__name__}.{field.name}"
            if field.concrete:
                for word in ("token", "code", "student", "parent", "invitation", "respondent", "ip", "session"):
                    assert word not in field.name.split("_"), f"{model.__name__}.{field.name}"
    # Nor the other way round: nothing on the respondents' side points at a response or an answer.
    for model in RESPONDENT_SIDE:
        for field in model._meta.get_fields():
            assert not (field.is_relation and field.related_model in ANSWER_SIDE), f"{model.__name__}.{field.name}"


def test_the_database_tables_hold_exactly_these_columns_and_references():
    expected = {
        Response: {"id", "round_id", "school_class_id", "submitted_on"},
        Answer: {"id", "response_id", "question_id", "teacher_id", "value", "text", "moderation"},
    }
    with connection.cursor() as cursor:
        for model, columns in expected.items():
            table = model._meta.db_table
            described = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            assert described == columns, table
            constraints = connection.introspection.get_constraints(cursor, table)
            targets = {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
            assert targets <= {"feedback_round", "school_schoolclass", "feedback_response", "feedback_question",
                               "school_staff"}, targets


def test_time_is_kept_by_the_day_and_keys_are_random():
    for model in ANSWER_SIDE:
        kinds = {type(f) for f in model._meta.concrete_fields}
        assert not kinds & {models.DateTimeField, models.TimeField, models.DurationField}, model.__name__
        assert isinstance(model._meta.pk, models.UUIDField) and model._meta.pk.default is uuid.uuid4
        assert not any(isinstance(f, models.AutoField) for f in model._meta.concrete_fields)
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    # The respondents' side records no moment of answering: its one date-time is the link's expiry.
    invitation_times = [f.name for f in Invitation._meta.concrete_fields
                        if isinstance(f, (models.DateTimeField, models.DateField, models.TimeField))]
    assert invitation_times == ["expires_at"]


def test_neither_side_keeps_history():
    """django-simple-history would record when each link was used, and each response as it came."""
    for model in (Invitation, Response, Answer):
        assert not hasattr(model, "history"), model.__name__
        assert not any(m.__name__ == f"Historical{model.__name__}" for m in apps.get_models())


# --- data ---------------------------------------------------------------------------------------------------


@pytest.fixture
def answered(world):
    """Nine parents of class_1 answer over four days (the two teachers of the class each get different ratings
    from each parent); the round closes and is sealed."""
    set_samples(world.school)
    enrol(world.class_1, 9, "N")
    opens = dt.date.today() - 10 * ONE_DAY
    round_ = round_services.round_create(
        school=world.school, term=world.term, kind=Kind.PARENT, name="匿名性", today=opens,
        questionnaire=default_questionnaire(world.school, Kind.PARENT), opens_on=opens, closes_on=opens + 4 * ONE_DAY,
        classes=[world.class_1], sample_size=10, user=world.director.user)
    slips = round_services.invitations_issue(round_=round_, user=world.director.user, today=opens)
    for index, slip in enumerate(slips[:9]):
        data = answers_for(round_, world.class_1, rating=lambda item, i=index: i % 5 + 1, comment=f"第{index}位家长")
        response_services.response_submit(key=slip.token, answers=data, today=opens + dt.timedelta(days=index % 4))
    world.round, world.slips = round_, slips
    return world


def _local_dates(value) -> set[dt.date]:
    if isinstance(value, dt.datetime):
        return {timezone.localtime(value).date()}
    if isinstance(value, dt.date):
        return {value}
    return set()


def test_no_stored_value_narrows_a_response_to_fewer_than_its_round_class(answered):
    w = answered
    responses = list(Response.objects.filter(round=w.round))
    respondents = list(Invitation.objects.filter(round_class__round=w.round, used=True).select_related("student"))
    assert len(responses) == len(respondents) == 9

    # Every response of the round-class carries the same round and class; they differ only in a random key
    # and the day.
    assert {(r.round_id, r.school_class_id) for r in responses} == {(w.round.pk, w.class_1.pk)}
    # The same questions about the same teachers in every response: only what was answered differs.
    keys = defaultdict(set)
    for response_id, question_id, teacher_id in Answer.objects.filter(response__in=responses, value__isnull=False) \
            .values_list("response_id", "question_id", "teacher_id"):
        keys[response_id].add((question_id, teacher_id))
    assert len({frozenset(k) for k in keys.values()}) == 1
    assert set(Answer.objects.filter(response__in=responses).values_list("moderation", flat=True)) == {"pending"}

    # For each response, the respondents it could belong to, judged by every stored value the two sides could
    # share: round, class, and any date or time on the respondents' side (an invitation's or a student's).
    def could_be(response, invitation) -> bool:
        if (invitation.round_class.round_id, invitation.round_class.school_class_id) != (
                response.round_id, response.school_class_id):
            return False
        for obj in (invitation, invitation.student):
            for field in obj._meta.concrete_fields:
                dates = _local_dates(getattr(obj, field.attname))
                others = {d for i in respondents for d in _local_dates(getattr(
                    i if obj is invitation else i.student, field.attname))}
                # A date that tells respondents apart would narrow the response down to those matching its day.
                if len(others) > 1 and response.submitted_on not in dates:
                    return False
        return True

    for response in responses:
        candidates = [i for i in respondents if could_be(response, i)]
        assert len(candidates) == len(respondents), response.submitted_on

    # No value of a response (its key, its answers' keys) appears anywhere on the respondents' side.
    shared = {str(r.pk) for r in responses} | {str(pk) for pk in Answer.objects.values_list("pk", flat=True)}
    with connection.cursor() as cursor:
        for table in ("feedback_invitation", "school_student", "feedback_roundclass"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            stored = {str(value) for row in cursor.fetchall() for value in row}
            assert not stored & shared, table


def test_the_response_keys_do_not_follow_the_order_links_were_used(answered):
    """Before sealing already: random keys; after sealing, new keys again."""
    ids = [r.pk for r in Response.objects.filter(round=answered.round)]
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in ids)
    response_services.round_seal(round_=answered.round)
    assert not set(ids) & set(Response.objects.values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_after_sealing_no_row_shares_a_transaction_with_a_spent_link(answered):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin): a spent link and its response share
    one until the round is sealed; after that, the round's responses and answers all carry the sealing's."""
    w = answered

    def xmins(sql, *params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [str(row[0]) for row in cursor.fetchall()]

    used = set(xmins("SELECT i.xmin FROM feedback_invitation i JOIN feedback_roundclass rc "
                     "ON rc.id = i.round_class_id WHERE rc.round_id = %s AND i.used", w.round.pk))
    before = set(xmins("SELECT xmin FROM feedback_response WHERE round_id = %s", w.round.pk))
    assert len(used) == len(before) == 9 and used == before  # the trace sealing removes
    response_services.round_seal(round_=w.round)
    after_responses = set(xmins("SELECT xmin FROM feedback_response WHERE round_id = %s", w.round.pk))
    after_answers = set(xmins("SELECT a.xmin FROM feedback_answer a JOIN feedback_response r "
                              "ON r.id = a.response_id WHERE r.round_id = %s", w.round.pk))
    assert len(after_responses) == 1 and after_answers == after_responses
    assert not after_responses & used
