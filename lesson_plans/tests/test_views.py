"""The lesson-preparation pages: what each role sees and does, forms that re-render with their errors and change
nothing, htmx fragments, and the protected downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deductions.models import Violation
from inspections.services import policy_load_preset
from lesson_plans.models import ActivityCheck, EntryScore, PrepCheck, Selection, TeachingPlan, TermSummary
from lesson_plans.services.plans import deadlines_update
from school.selectors import today

from .conftest import docx
from .permission_cases import seed

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response) -> str:
    return response.content.decode()


# --- teaching plans -----------------------------------------------------------------------------------------------


def test_a_teacher_hands_in_a_plan_on_its_page(world, login, english):
    client = login(world.teacher)
    page = client.get(reverse("lesson_plans:plan-submit"), {"slot": f"{world.chinese.pk}-{world.class_1.pk}"})
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in body(page)
    response = client.post(reverse("lesson_plans:plan-submit"),
                           {"slot": f"{world.chinese.pk}-{world.class_1.pk}", "file": docx()})
    plan = TeachingPlan.objects.get()
    assert response.status_code == 302 and response.url == reverse("lesson_plans:plan-detail", args=[plan.pk])
    assert (plan.teacher, plan.subject, plan.school_class) == (world.teacher, world.chinese, world.class_1)


def test_a_bad_file_re_renders_the_form_with_the_reason(world, login, english):
    client = login(world.teacher)
    response = client.post(reverse("lesson_plans:plan-submit"), {
        "slot": f"{world.chinese.pk}-{world.class_1.pk}",
        "file": SimpleUploadedFile("plan.pdf", b"not a pdf at all"),
    })
    assert response.status_code == 200 and "This is not a PDF document." in body(response)
    assert not TeachingPlan.objects.exists()


def test_a_slot_not_on_her_timetable_is_not_offered(world, login, english):
    response = login(world.teacher).post(reverse("lesson_plans:plan-submit"), {
        "slot": f"{world.maths.pk}-{world.class_2.pk}", "file": docx()})
    assert response.status_code == 200 and "Select a valid choice" in body(response)
    assert not TeachingPlan.objects.exists()


def test_the_group_leader_reviews_a_plan_with_htmx(world, login, english):
    plan = seed(world).plan
    client = login(world.group_leader)
    response = client.post(reverse("lesson_plans:plan-review", args=[plan.pk]),
                           {"verdict": "returned", "comment": ""}, **HTMX)
    assert response.status_code == 200 and 'id="review"' in body(response) and "<html" not in body(response)
    assert "teacher reads your comments" in body(response)
    response = client.post(reverse("lesson_plans:plan-review", args=[plan.pk]),
                           {"verdict": "returned", "comment": "请补充教学进度表"}, **HTMX)
    assert "请补充教学进度表" in body(response) and "Returned" in body(response)
    plan.refresh_from_db()
    assert plan.status == "returned"
    # Now it waits for the teacher: no verdict form for the leader.
    page = client.get(reverse("lesson_plans:plan-detail", args=[plan.pk]))
    assert 'id="review-form"' not in body(page)


def test_the_teacher_sees_the_returned_comment_where_she_resubmits(world, login, english):
    plan = seed(world).plan
    login(world.group_leader).post(reverse("lesson_plans:plan-review", args=[plan.pk]),
                                   {"verdict": "returned", "comment": "缺少学情分析"})
    client = login(world.teacher)
    assert "缺少学情分析" in body(client.get(reverse("lesson_plans:my-work")))
    page = client.get(reverse("lesson_plans:plan-submit"), {"slot": f"{world.chinese.pk}-{world.class_1.pk}"})
    assert "缺少学情分析" in body(page)


def test_the_plan_file_is_downloaded_as_an_attachment(world, login):
    plan = seed(world).plan
    response = login(world.group_leader).get(reverse("lesson_plans:plan-file", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_plan_list_filters_and_shows_what_waits_for_review(world, login, english):
    seed(world)
    client = login(world.director)
    listed = body(client.get(reverse("lesson_plans:plan-list")))
    assert world.teacher.name in listed and "FOREIGN" not in listed
    review = body(client.get(reverse("lesson_plans:plan-list"), {"tab": "review"}))
    assert world.teacher.name in review
    filtered = body(client.get(reverse("lesson_plans:plan-list"), {"group": world.maths_group.pk}))
    assert world.teacher.name not in filtered.split('id="plan-table"')[1]


def test_the_office_records_the_missing_plans_from_their_page(world, login, english):
    seed(world)
    client = login(world.director)
    page = body(client.get(reverse("lesson_plans:plan-missing")))
    assert world.other_teacher.name in page and 'id="record-missing-form"' in page
    response = client.post(f"{reverse('lesson_plans:plan-missing-record')}?term={world.term.pk}", follow=True)
    assert "missing teaching plans recorded" in body(response)
    assert Violation.objects.filter(code="teaching_plan_missing").count() == 4


def test_the_office_sets_the_deadlines(world, login, english):
    client = login(world.director)
    day = world.term.start_date + dt.timedelta(days=10)
    response = client.post(reverse("lesson_plans:deadlines"), {
        "plans_due": day.isoformat(), "summaries_due": world.term.end_date.isoformat(), "papers_due": ""})
    assert response.status_code == 302
    from lesson_plans.selectors.common import deadlines_for

    assert deadlines_for(world.term).plans_due == day
    bad = client.post(reverse("lesson_plans:deadlines"), {
        "plans_due": (world.term.end_date + dt.timedelta(days=5)).isoformat(),
        "summaries_due": world.term.end_date.isoformat(), "papers_due": ""})
    assert bad.status_code == 200 and "is not in" in body(bad)
    assert deadlines_for(world.term).plans_due == day


# --- checks ------------------------------------------------------------------------------------------------------


def check_data(world, **values):
    return {"teacher": world.teacher.pk, "round_kind": "spot", "checked_on": today().isoformat(),
            "lessons_taught": "20", "lessons_prepared": "14", "lessons_ahead": "0", "taught_without_plan": "0",
            "grade": "C", "comments": "备课不足", "standard_format": "on"} | values


def test_the_preview_shows_the_fines_a_check_will_propose_under_v4(world, login, english):
    client = login(world.group_leader)
    response = client.get(reverse("lesson_plans:check-create"), check_data(world), **HTMX)
    assert response.status_code == 200 and 'id="check-preview"' in body(response) and "<html" not in body(response)
    # 0.8 x 20 = 16 required, 14 prepared: 2 lessons short, 1 yuan each.
    assert 'data-fine-code="preparation_short"' in body(response)
    assert "Fines this check will propose: 2.00 yuan" in body(response)
    none = client.get(reverse("lesson_plans:check-create"), check_data(world, lessons_prepared="16"), **HTMX)
    assert 'id="preview-none"' in body(none)
    assert not PrepCheck.objects.exists()


def test_the_preview_under_v1_says_the_policy_has_no_fines(world, login, english):
    policy_load_preset(school=world.school, preset="v1")
    response = login(world.group_leader).get(reverse("lesson_plans:check-create"),
                                             check_data(world, round_kind="spot"), **HTMX)
    assert 'id="preview-no-fines"' in body(response) and "data-fine-code" not in body(response)


def test_a_group_leader_records_a_check_and_sees_its_proposed_fine(world, login, english):
    client = login(world.group_leader)
    response = client.post(reverse("lesson_plans:check-create"), check_data(world, taught_without_plan="1"))
    check = PrepCheck.objects.get()
    assert response.status_code == 302 and response.url == reverse("lesson_plans:check-detail", args=[check.pk])
    page = body(client.get(response.url))
    assert 'data-finding="preparation_short"' in page and 'data-finding="no_preparation"' in page
    assert "Proposed" in page and "10.00" in page
    assert {v.code: v.amount for v in Violation.objects.all()} == {"preparation_short": Decimal("2.00"),
                                                                    "no_preparation": Decimal("10.00")}


def test_a_check_form_with_errors_changes_nothing(world, login, english):
    client = login(world.group_leader)
    response = client.post(reverse("lesson_plans:check-create"), check_data(world, lessons_ahead="30"))
    assert response.status_code == 200 and "prepared ahead are part of the lessons prepared" in body(response)
    response = client.post(reverse("lesson_plans:check-create"), check_data(world, teacher=world.other_teacher.pk))
    assert response.status_code == 200 and "Select a valid choice" in body(response)
    response = client.post(reverse("lesson_plans:check-create"), check_data(world, round_kind="monthly",
                                                                             month_number=""))
    assert "Choose the school month" in body(response)
    assert not PrepCheck.objects.exists() and not Violation.objects.exists()


def test_the_check_form_offers_the_policys_rounds(world, login):
    page = body(login(world.group_leader).get(reverse("lesson_plans:check-create")))
    assert 'value="start_of_term"' in page and 'value="monthly"' in page and 'value="mid_term"' not in page
    policy_load_preset(school=world.school, preset="v1")
    page = body(login(world.group_leader).get(reverse("lesson_plans:check-create")))
    assert 'value="mid_term"' in page and 'value="monthly"' not in page and 'value="spot"' in page


def test_the_office_corrects_a_check_and_its_fine_follows(world, login, english):
    login(world.group_leader).post(reverse("lesson_plans:check-create"), check_data(world))
    check = PrepCheck.objects.get()
    client = login(world.director)
    data = check_data(world, lessons_prepared="15")
    data.pop("teacher")
    response = client.post(reverse("lesson_plans:check-update", args=[check.pk]), data)
    assert response.status_code == 302
    assert sorted(Violation.objects.values_list("status", "quantity")) == [("dismissed", 2), ("proposed", 1)]
    page = body(client.get(reverse("lesson_plans:check-detail", args=[check.pk])))
    assert "Superseded by a correction" in page


def test_the_group_leader_is_told_to_ask_the_office(world, login, english):
    login(world.group_leader).post(reverse("lesson_plans:check-create"), check_data(world))
    check = PrepCheck.objects.get()
    data = check_data(world, lessons_prepared="16")
    data.pop("teacher")
    response = login(world.group_leader).post(reverse("lesson_plans:check-update", args=[check.pk]), data)
    assert response.status_code == 200 and "ask the office" in body(response)


def test_the_sampling_list(world, login, english):
    world.village_teacher.is_new = True
    world.village_teacher.save()
    seed(world)
    page = body(login(world.director).get(reverse("lesson_plans:sampling")))
    rows = page.split('id="sampling-table"')[1]
    assert rows.index(world.village_teacher.name) < rows.index(world.other_teacher.name)
    assert f"teacher={world.village_teacher.pk}" in rows


def test_a_teacher_sees_her_checks_and_their_fines_on_her_page(world, login, english):
    login(world.group_leader).post(reverse("lesson_plans:check-create"), check_data(world))
    page = body(login(world.teacher).get(reverse("lesson_plans:my-work")))
    assert "2.00 yuan · Proposed" in page and "Fair" in page


# --- activities ---------------------------------------------------------------------------------------------------


def test_scheduling_and_recording_an_activity(world, login, english):
    client = login(world.group_leader)
    day = today() - dt.timedelta(days=1)
    response = client.post(reverse("lesson_plans:activity-create"), {
        "group": world.chinese_group.pk, "date": day.isoformat(), "topic": "《春》集体备课",
        "kind": "collective_prep", "place": "语文组", "host": world.group_leader.pk})
    assert response.status_code == 302
    activity = world.chinese_group.activities.get()
    response = client.post(reverse("lesson_plans:activity-record", args=[activity.pk]), {
        "date": day.isoformat(), "topic": "《春》集体备课", "kind": "collective_prep", "place": "语文组",
        "host": world.group_leader.pk, "attendees": [world.teacher.pk, world.principal.pk], "minutes": "",
        "file": docx("记录.docx")})
    assert response.status_code == 302
    page = body(client.get(reverse("lesson_plans:activity-detail", args=[activity.pk])))
    assert world.principal.name in page and 'id="activity-file-link"' in page


def test_a_leader_checks_a_record_with_htmx(world, login, english):
    activity = seed(world).activity
    response = login(world.principal).post(reverse("lesson_plans:activity-check", args=[activity.pk]),
                                           {"comment": "记录规范"}, **HTMX)
    assert response.status_code == 200 and 'id="activity-checks"' in body(response) and "记录规范" in body(response)
    assert ActivityCheck.objects.get().leader == world.principal


def test_leaders_attendance_page(world, login, english):
    seed(world)
    page = body(login(world.director).get(reverse("lesson_plans:leader-attendance")))
    assert world.principal.name in page and world.vice_principal.name in page and "FOREIGN" not in page


# --- selections ---------------------------------------------------------------------------------------------------


def test_opening_nominating_scoring_and_publishing(world, login, english):
    client = login(world.office_staff)
    response = client.post(reverse("lesson_plans:selection-create"), {
        "kind": "lesson_design", "title": "优秀教学设计", "per": "term", "judges": [world.director.pk],
        "prizes": "1"})
    selection = Selection.objects.get()
    assert response.status_code == 302 and selection.per == "term"
    teacher = login(world.teacher)
    response = teacher.post(reverse("lesson_plans:entry-create", args=[selection.pk]), {
        "teacher": world.teacher.pk, "subject": world.chinese.pk, "title": "《春》教学设计", "file": docx()})
    assert response.status_code == 302
    entry = selection.entries.get()
    judge = login(world.director)
    response = judge.post(reverse("lesson_plans:entry-score", args=[entry.pk]), {"score": "120"}, **HTMX)
    assert response.status_code == 200 and "less than or equal to 100" in body(response)
    assert not EntryScore.objects.exists()
    response = judge.post(reverse("lesson_plans:entry-score", args=[entry.pk]), {"score": "91.5"}, **HTMX)
    assert f'id="entry-{entry.pk}"' in body(response) and "91.50" in body(response)
    assert EntryScore.objects.get().score == Decimal("91.5")
    # Before publishing, a colleague sees nothing of the entry; after, the winner is on display.
    colleague = login(world.other_teacher)
    assert "《春》教学设计" not in body(colleague.get(reverse("lesson_plans:selection-detail", args=[selection.pk])))
    login(world.office_staff).post(reverse("lesson_plans:selection-publish", args=[selection.pk]))
    colleague = login(world.other_teacher)
    page = body(colleague.get(reverse("lesson_plans:selection-detail", args=[selection.pk])))
    assert "《春》教学设计" in page and 'id="published-note"' in page
    assert colleague.get(reverse("lesson_plans:entry-file", args=[entry.pk])).status_code == 200


def test_a_judge_cannot_score_her_own_entry(world, login, english):
    entry = seed(world).entry
    other = login(world.group_leader)
    from lesson_plans.services.selections import entry_nominate

    own = entry_nominate(selection=entry.selection, teacher=world.group_leader, subject=world.chinese,
                         title="组长作品", upload=docx(), user=world.group_leader.user)
    assert other.post(reverse("lesson_plans:entry-score", args=[own.pk]), {"score": "90"}).status_code == 403


# --- summaries ----------------------------------------------------------------------------------------------------


def test_handing_in_a_summary_late_and_closing_the_collection(world, login, english):
    deadlines_update(term=world.term, plans_due=world.term.start_date + dt.timedelta(days=3),
                     summaries_due=today() - dt.timedelta(days=2), papers_due=None, user=world.director.user)
    client = login(world.teacher)
    empty = client.post(reverse("lesson_plans:summary-submit", args=["summary"]), {"text": ""})
    assert empty.status_code == 200 and "Upload a file or write the text" in body(empty)
    response = client.post(reverse("lesson_plans:summary-submit", args=["summary"]),
                           {"text": "本学期工作总结"}, follow=True)
    assert "2 days after the deadline" in body(response) and 'id="days-late"' in body(response)
    assert Violation.objects.get().amount == Decimal("4.00")
    office = login(world.director)
    table = body(office.get(reverse("lesson_plans:summary-list")))
    assert 'id="close-summaries-form"' in table and world.other_teacher.name in table
    office.post(f"{reverse('lesson_plans:summary-close')}?term={world.term.pk}")
    assert TermSummary.objects.filter(submitted_at__isnull=True).count() == 3
    assert Violation.objects.filter(code="summary_late").count() == 4


def test_the_paper_is_not_asked_in_a_first_term(world, login, english):
    page = login(world.teacher).get(reverse("lesson_plans:summary-submit", args=["paper"]))
    assert page.status_code == 200 and 'id="not-asked"' in body(page)
    assert login(world.teacher).get(reverse("lesson_plans:summary-submit", args=["essay"])).status_code == 404


# --- home, menu and admin -----------------------------------------------------------------------------------------


def test_the_home_card_shows_what_is_due_and_the_checks(world, login, english):
    seed(world)
    page = body(login(world.teacher).get(reverse("home")))
    card = page.split('id="lesson-plans-card"')[1].split("</section>")[0]
    assert "1/1" in card and "Good" in card and 'data-card-summary="summary"' in card
    leader = body(login(world.group_leader).get(reverse("home")))
    assert 'id="lesson-plans-card"' in leader
    assert "Lesson preparation" in leader and reverse("lesson_plans:check-create") in leader  # the menu
    assert 'id="lesson-plans-card"' not in body(login(world.principal).get(reverse("home")))


def test_the_admin_opens_every_lesson_plan_model_without_foreign_rows(world, login):
    from django.apps import apps
    from django.contrib import admin

    from school.services import staff_sync_admin_access

    seed(world)
    staff_sync_admin_access(staff=world.director)
    client = login(world.director)
    for model in apps.get_app_config("lesson_plans").get_models():
        if model.__name__.startswith("Historical"):
            continue
        if model not in admin.site._registry:
            continue  # edited inline on its parent's page
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        listing = client.get(url)
        assert listing.status_code == 200 and "FOREIGN" not in body(listing), url
        school_path = admin.site._registry[model].school_path
        row = model.objects.exclude(**{school_path: world.foreign_school}).first()
        if row is None:
            continue
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert change.status_code == 200, url
