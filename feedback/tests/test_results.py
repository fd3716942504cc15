"""Results (issue 7.6): averages per teacher and class only from five responses on, nothing computed over a
withheld group, nothing before the round closes, comments after moderation, each person her scope."""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from school.tests.factories import StaffFactory, TimetableEntryFactory

from ..exports import results_workbook
from ..models import Answer, Kind, Moderation
from ..selectors.results import moderation_queue, results_for
from ..services import responses as response_services
from ..services import rounds as round_services
from .world import add_feedback, answers_for, default_questionnaire, enrol, set_samples

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def run_round(w, counts: dict, *, rating, comment=""):
    """A closed parents' round over the classes in `counts`, with that many answers each."""
    set_samples(w.school)
    opens = dt.date.today() - 9 * ONE_DAY
    for school_class, n in counts.items():
        enrol(school_class, max(n, 5), f"R{school_class.pk}-")
    round_ = round_services.round_create(
        school=w.school, term=w.term, kind=Kind.PARENT, name="结果测试", today=opens,
        questionnaire=default_questionnaire(w.school, Kind.PARENT), opens_on=opens, closes_on=opens + 3 * ONE_DAY,
        classes=list(counts), sample_size=10, user=w.director.user)
    slips = round_services.invitations_issue(round_=round_, user=w.director.user, today=opens)
    for school_class, n in counts.items():
        mine = [s for s in slips if s.invitation.round_class.school_class_id == school_class.pk][:n]
        for index, slip in enumerate(mine):
            value = rating(school_class, index) if callable(rating) else rating
            response_services.response_submit(
                key=slip.token, answers=answers_for(round_, school_class, rating=value, comment=comment),
                today=opens + ONE_DAY)
    return round_


def cells_of(results, teacher):
    return {c.school_class.pk: c for r in results for c in r.teacher_cells if c.teacher_id == teacher.pk}


def test_a_group_is_shown_from_five_responses_on(world):
    w = world
    # class_1: 5 answers (教师己 Chinese, 教师庚 maths); class_2: 4 answers (教师庚 maths, 组长戊 Chinese).
    round_ = run_round(w, {w.class_1: 5, w.class_2: 4}, rating=lambda c, i: [5, 4, 4, 3, 5][i])
    results = results_for(w.director.user, [round_])
    other = cells_of(results, w.other_teacher)
    shown, withheld = other[w.class_1.pk], other[w.class_2.pk]
    assert shown.shown and shown.responses == 5
    # (5 + 4 + 4 + 3 + 5) / 5 = 4.2 on every item, exactly.
    assert {item.average for item in shown.items} == {Decimal("4.20")} and shown.overall == Decimal("4.20")
    assert not withheld.shown and withheld.items == [] and withheld.overall is None
    assert withheld.responses == 0  # not even the size of a withheld group
    leader = cells_of(results, w.group_leader)[w.class_2.pk]
    assert not leader.shown
    class_cells = {c.school_class.pk: c for c in results[0].class_cells}
    assert class_cells[w.class_1.pk].shown and not class_cells[w.class_2.pk].shown


def test_no_figure_combines_a_withheld_group_with_a_shown_one(world, client):
    """教师庚 teaches both classes: class_1's five parents all rate 5, class_2's three all rate 1. Any figure that
    took in class_2 (her overall, the round's average, a total) would be below 5; subtracting it from class_1's
    would give class_2's three answers away."""
    w = world
    round_ = run_round(w, {w.class_1: 5, w.class_2: 3}, rating=lambda c, i: 5 if c == w.class_1 else 1)
    for user in (w.other_teacher.user, w.director.user, w.principal.user):
        client.force_login(user)
        pages = [client.get(reverse("feedback:results"), {"term": w.term.pk}).content.decode(),
                 client.get(reverse("feedback:round-results", args=[round_.pk])).content.decode()]
        figures = {Decimal(x) for page in pages for x in re.findall(r"\b\d\.\d\d\b", page)}
        assert figures == {Decimal("5.00")}, figures
        book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("feedback:results-export"),
                                                            {"term": w.term.pk}).content))
        numbers = {cell.value for sheet in book for row in sheet.iter_rows(min_row=4) for cell in row[5:]
                   if isinstance(cell.value, (int, float, Decimal))}
        assert numbers and numbers <= {5, Decimal("5.00")}, numbers


def test_nothing_is_shown_while_the_round_is_open(world, client):
    w = world
    f = add_feedback(w)
    client.force_login(w.director.user)
    assert client.get(reverse("feedback:round-results", args=[f.open.pk])).status_code == 404
    page = client.get(reverse("feedback:results")).content.decode()
    assert f.open.name not in page and f.past.name in page


def test_each_person_sees_her_scope(world):
    w = world
    f = add_feedback(w)
    mine = results_for(w.teacher.user, [f.past])[0]
    assert {c.teacher_id for c in mine.teacher_cells} == {w.teacher.pk}
    assert mine.class_cells[0].school_class == w.class_1  # she is class_1's head teacher
    other = results_for(w.other_teacher.user, [f.past])[0]
    assert {c.teacher_id for c in other.teacher_cells} == {w.other_teacher.pk} and other.class_cells == []
    leader = results_for(w.group_leader.user, [f.past])[0]
    assert {c.teacher_id for c in leader.teacher_cells} == {w.teacher.pk, w.group_leader.pk}
    everyone = results_for(w.principal.user, [f.past])[0]
    assert {c.teacher_id for c in everyone.teacher_cells} == {w.teacher.pk, w.other_teacher.pk, w.group_leader.pk}
    assert len(everyone.class_cells) == 2
    assert results_for(w.village_director.user, [f.past]) == []
    assert results_for(w.foreign_director.user, [f.past]) == []


def test_comments_are_shown_once_the_office_lets_them_through(world):
    w = world
    f = add_feedback(w)  # two of class_1's comments on 教师己/教师庚 approved, the rest pending
    cells = cells_of(results_for(w.director.user, [f.past]), w.teacher)
    shown_texts = {text for r in results_for(w.director.user, [f.past]) for c in r.teacher_cells + r.class_cells
                   for _q, text in c.comments}
    approved = set(Answer.objects.filter(response__round=f.past, moderation=Moderation.APPROVED)
                   .values_list("text", flat=True))
    assert shown_texts == approved == {"老师很负责0", "老师很负责1"}
    assert cells[w.class_1.pk].shown
    queue = moderation_queue(f.past)
    # class_2's comments (three responses) are never read, not even by the office.
    assert queue and all(a.response.school_class_id == w.class_1.pk for a in queue)
    hidden = [a.pk for a in queue if a.text == "老师很负责0"]
    response_services.comments_moderate(round_=f.past, answer_ids=hidden, decision=Moderation.REJECTED,
                                        user=w.director.user)
    texts = {text for r in results_for(w.director.user, [f.past]) for c in r.teacher_cells for _q, text in c.comments}
    assert "老师很负责0" not in texts


def test_moderation_is_refused_for_comments_nobody_may_read_or_rounds_still_open(world):
    w = world
    f = add_feedback(w)
    withheld = Answer.objects.filter(response__round=f.past, response__school_class=w.class_2).exclude(text="").first()
    with pytest.raises(ValidationError, match="not of this round"):
        response_services.comments_moderate(round_=f.past, answer_ids=[withheld.pk], decision=Moderation.APPROVED,
                                            user=w.director.user)
    with pytest.raises(ValidationError, match="not of this round"):
        response_services.comments_moderate(round_=f.past, answer_ids=["not-a-uuid"], decision=Moderation.APPROVED,
                                            user=w.director.user)
    with pytest.raises(ValidationError, match="once the round has closed"):
        response_services.comments_moderate(round_=f.open, answer_ids=[withheld.pk], decision=Moderation.APPROVED,
                                            user=w.director.user)


def test_the_term_workbook_is_the_archive_of_what_one_may_see(world, client):
    w = world
    add_feedback(w)
    client.force_login(w.director.user)
    response = client.get(reverse("feedback:results-export"), {"term": w.term.pk})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book[book.sheetnames[0]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5) if row[0].value]
    teachers = {row[3]: row for row in rows if isinstance(row[0], int)}
    assert set(teachers) >= {w.teacher.name, w.other_teacher.name, w.group_leader.name}
    assert teachers[w.group_leader.name][4].startswith("withheld")
    comments = book["Comments"]
    assert {row[4].value for row in comments.iter_rows(min_row=4) if row[4].value and row[1].value} == {
        "老师很负责0", "老师很负责1"}
    # A teacher's workbook holds her own groups only.
    client.force_login(w.teacher.user)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("feedback:results-export"),
                                                        {"term": w.term.pk}).content))
    names = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert w.teacher.name in names and w.other_teacher.name not in names and w.group_leader.name not in names


def test_a_teacher_new_to_the_timetable_is_evaluated_where_she_teaches(world):
    """Teachers come from the class's timetable: a teacher added to class_1 is asked about from then on."""
    w = world
    newcomer = StaffFactory(school=w.school, staff_no="T099", name="新老师")
    TimetableEntryFactory(term=w.term, school_class=w.class_1, weekday=3, period=4, subject=w.chinese,
                          teacher=newcomer)
    round_ = run_round(w, {w.class_1: 5}, rating=4)
    assert cells_of(results_for(w.director.user, [round_]), newcomer)[w.class_1.pk].overall == Decimal("4.00")


def test_the_workbook_writes_names_as_text(world):
    w = world
    f = add_feedback(w)
    w.teacher.name = "=HYPERLINK(\"x\")"
    w.teacher.save()
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(w.term, results_for(w.director.user, [f.past]))))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"x\")"]
    assert cells and all(c.data_type == "s" for c in cells)
