"""The office's pages (rounds, samples, slips, moderation, questionnaires), the results pages and the home card,
with bounded queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from ..models import Invitation, Kind, Moderation, Question, Questionnaire, Round
from ..selectors.rounds import invitation_by_key
from .world import add_feedback, default_questionnaire, enrol, set_samples

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def f(world):
    return add_feedback(world)


def test_the_office_creates_a_round_and_sees_its_suggested_samples(world, login):
    w = world
    set_samples(w.school)
    enrol(w.class_1, 12, "V")
    client = login(w.director)
    page = client.get(reverse("feedback:round-create"))
    assert page.status_code == 200 and "Policy: 5–10 parents per class" in page.content.decode()
    today = dt.date.today()
    data = {"kind": "parent", "name": "期末前家长评教", "term": w.term.pk,
            "questionnaire": default_questionnaire(w.school, Kind.PARENT).pk, "opens_on": today,
            "closes_on": today + 5 * ONE_DAY, "sample_size": 12, "classes": [w.class_1.pk]}
    response = client.post(reverse("feedback:round-create"), data)
    assert response.status_code == 200 and "The policy asks for 5 to 10 per class." in response.content.decode()
    assert not Round.objects.exists()
    response = client.post(reverse("feedback:round-create"), data | {"sample_size": 9})
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:round-detail", args=[round_.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "0 of 9 respondents have answered." in detail and "Baseline scores" in detail
    # The wrong questionnaire for the respondents is named on the form.
    response = client.post(reverse("feedback:round-create"), data | {
        "name": "另一轮", "questionnaire": default_questionnaire(w.school, Kind.STUDENT).pk})
    assert "This questionnaire is for Students." in response.content.decode()


def test_slips_are_printed_once_with_a_qr_code_a_code_and_a_name_stub(world, login, f):
    w = world
    client = login(w.director)
    confirm = client.get(reverse("feedback:round-slips", args=[f.scheduled.pk])).content.decode()
    assert "5 slips will be printed." in confirm
    response = client.post(reverse("feedback:round-slips", args=[f.scheduled.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert page.count('class="slip"') == 5 and page.count("<svg") == 5
    codes = re.findall(r'<div class="slip-code" data-code>([A-Z0-9]{4}-[A-Z0-9]{4})</div>', page)
    assert len(codes) == 5
    for code in codes:
        assert invitation_by_key(code).round_class.round_id == f.scheduled.pk
    # The name is on the stub that is cut off, never with the code.
    for slip in re.findall(r'<div class="slip" .*?</div>\s*</div>\s*</div>', page, re.S):
        stub, rest = slip.split('<div class="d-flex', 1)
        names = [s.name for s in f.class_2_students]
        assert any(n in stub for n in names) and not any(n in rest for n in names)
    assert "<script>" not in page and " style=" not in page


def test_a_lost_slip_is_reprinted_alone(world, login, f):
    client = login(world.director)
    response = client.post(reverse("feedback:round-slips", args=[f.open.pk]), {"invitation": f.spare.pk})
    assert response.content.decode().count('class="slip"') == 1
    assert invitation_by_key(f.open_slips[2].token) is None  # the lost one no longer works
    other_round = client.post(reverse("feedback:round-slips", args=[f.open.pk]),
                              {"invitation": f.scheduled_class.invitations.first().pk})
    assert other_round.status_code == 404


def test_the_round_page_shows_who_has_answered_never_what(world, login, f):
    client = login(world.principal)
    page = client.get(reverse("feedback:round-detail", args=[f.past.pk])).content.decode()
    assert "9 of 14 respondents have answered." in page
    assert "老师很负责" not in page and "作业有点多" not in page
    assert 'id="round-actions"' not in page  # the principal reads; the office acts


def test_the_office_edits_a_sample_on_its_page(world, login, f):
    client = login(world.director)
    url = reverse("feedback:round-sample", args=[f.scheduled.pk, f.scheduled_class.pk])
    page = client.get(url).content.decode()
    assert "Baseline scores" in page and "Top third" in page
    students = [s.pk for s in f.class_2_students]
    response = client.post(url, {"students": students[:3]})
    assert response.status_code == 200 and "Choose 5 to 10 students (you chose 3)." in response.content.decode()
    response = client.post(url, {"students": students})
    assert response.status_code == 302
    assert set(f.scheduled_class.invitations.values_list("student_id", flat=True)) == set(students)


def test_moderation_waits_for_the_round_to_close_then_shows_and_hides(world, login, f):
    client = login(world.director)
    response = client.get(reverse("feedback:round-comments", args=[f.open.pk]))
    assert response.status_code == 302
    url = reverse("feedback:round-comments", args=[f.past.pk])
    page = client.get(url).content.decode()
    assert "老师很负责2" in page and "作业有点多" not in page  # class_2's group is too small to read
    pending = [a for a in f.past_comments if a.text == "老师很负责2"]
    from ..models import Answer

    ids = list(Answer.objects.filter(response__round=f.past, text="老师很负责2").values_list("pk", flat=True))
    assert len(ids) == len(pending)
    response = client.post(url, {"decision": "rejected", "answers": [str(pk) for pk in ids]})
    assert response.status_code == 302
    assert set(Answer.objects.filter(pk__in=ids).values_list("moderation", flat=True)) == {Moderation.REJECTED}
    response = client.post(url, {"decision": "approved", "answers": ["00000000-0000-4000-8000-000000000000"]},
                           follow=True)
    assert "These comments are not of this round" in response.content.decode()


def test_a_questionnaire_is_written_then_locked_once_used(world, login, f):
    client = login(world.director)
    data = {"kind": "student", "name": "简版学生问卷", "intro": "请认真填写", "active": "on",
            "questions-TOTAL_FORMS": 3, "questions-INITIAL_FORMS": 0,
            "questions-0-text": "讲课清楚", "questions-0-type": "rating", "questions-0-per_teacher": "on",
            "questions-1-text": "建议", "questions-1-type": "comment", "questions-1-per_teacher": "on",
            "questions-2-text": ""}
    response = client.post(reverse("feedback:questionnaire-create"), data)
    questionnaire = Questionnaire.objects.get(name="简版学生问卷")
    assert response.status_code == 302
    assert list(questionnaire.questions.values_list("text", "type")) == [("讲课清楚", "rating"), ("建议", "comment")]
    only_comments = data | {"name": "只有意见", "questions-0-type": "comment"}
    response = client.post(reverse("feedback:questionnaire-create"), only_comments)
    assert response.status_code == 400 and "at least one rated question" in response.content.decode()
    # The parents' default has been used by rounds: its questions cannot change, a copy can.
    used = f.parent_questionnaire
    page = client.get(reverse("feedback:questionnaire-update", args=[used.pk])).content.decode()
    assert "questions-TOTAL_FORMS" not in page
    response = client.post(reverse("feedback:questionnaire-copy", args=[used.pk]))
    copy = Questionnaire.objects.get(name=f"{used.name} (copy)")
    assert response["Location"] == reverse("feedback:questionnaire-update", args=[copy.pk])
    assert copy.questions.count() == used.questions.count() and not copy.is_default
    before = list(Question.objects.filter(questionnaire=used).values_list("text", flat=True))
    client.post(reverse("feedback:questionnaire-update", args=[used.pk]),
                {"name": used.name, "intro": "", "active": ""})
    used.refresh_from_db()
    assert not used.active and list(used.questions.values_list("text", flat=True)) == before


def test_the_home_card_shows_the_teacher_her_latest_results_and_the_office_its_rounds(world, login, f):
    client = login(world.teacher)
    page = client.get(reverse("home")).content.decode()
    assert 'id="evaluation-card"' in page and f.past.name in page
    assert 'id="rounds-in-progress"' not in page
    # 组长戊 was evaluated only in class_2, where three parents answered: withheld.
    page = login(world.group_leader).get(reverse("home")).content.decode()
    assert "fewer than 5 responses: not shown" in page
    page = login(world.director).get(reverse("home")).content.decode()
    assert 'id="rounds-in-progress"' in page and f.open.name in page and f.past.name not in page.split(
        'id="rounds-in-progress"')[1].split("</ul>")[0]


def test_a_teacher_never_evaluated_has_no_card(world, login):
    page = login(world.teacher).get(reverse("home")).content.decode()
    assert 'id="evaluation-card"' not in page


def test_pages_run_a_fixed_number_of_queries(world, login, f, django_assert_max_num_queries):
    client = login(world.director)
    for name, args, limit in [
        ("feedback:round-list", [], 12), ("feedback:round-detail", [f.past.pk], 18),
        ("feedback:round-comments", [f.past.pk], 16), ("feedback:results", [], 22),
        ("feedback:round-results", [f.past.pk], 20), ("feedback:forum-list", [], 14),
        ("feedback:forum-detail", [f.forum.pk], 14), ("feedback:questionnaire-list", [], 14),
        ("feedback:round-sample", [f.scheduled.pk, f.scheduled_class.pk], 16),
    ]:
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(name, args=args)).status_code == 200, name
    client.logout()
    with django_assert_max_num_queries(3):  # the link, the questions, the class's teachers
        assert client.get(reverse("feedback:answer", args=[f.open_token])).status_code == 200
    assert Invitation.objects.filter(used=True).exists()
