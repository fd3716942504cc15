"""The policy pages: reading the rules, loading a preset, editing every number, the history; who may do what."""

from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from inspections.forms import POLICY_FORM_FIELDS
from inspections.models import FineRule, ObservationQuota, Policy, ReviewRule, RoundRule
from inspections.services import policy_load_preset
from inspections.tests.permission_cases import CASES
from school.tests.matrix import run_matrix
from school.tests.world import user_for

pytestmark = pytest.mark.django_db

FORMSETS = ("quota_formset", "review_formset", "round_formset", "fine_formset")
DETAIL, PRESET, UPDATE, HISTORY = (
    reverse(f"inspections:{name}") for name in ("policy-detail", "policy-preset", "policy-update", "policy-history")
)


@pytest.fixture
def as_user(client, login):
    """Log in as a person of the world, with the pages in English (assertions read English labels)."""

    def _as(who):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return login(who)

    return _as


def form_data(context) -> dict:
    """What the edit page posts back when nothing is touched: every field at its rendered value."""
    data = {}
    all_forms = [context["form"]]
    for name in FORMSETS:
        formset = context[name]
        for field in formset.management_form:
            data[field.html_name] = field.value()
        all_forms.extend(formset.forms)
    for form in all_forms:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = list(value) if isinstance(value, (list, tuple)) else value
    return data


def row_index(formset, **match) -> int:
    for index, form in enumerate(formset.forms):
        if form.instance.pk and all(getattr(form.instance, k) == v for k, v in match.items()):
            return index
    raise AssertionError(f"no row {match}")


def snapshot(policy):
    """Every value of the policy and its rows, and the size of the history: equal snapshots, nothing changed."""
    rows = {
        model.__name__: sorted(model.objects.filter(policy=policy).values_list())
        for model in (ObservationQuota, ReviewRule, RoundRule, FineRule)
    }
    history = sum(m.history.count() for m in (Policy, ObservationQuota, ReviewRule, RoundRule, FineRule))
    return list(Policy.objects.filter(pk=policy.pk).values_list()), rows, history


def test_the_policy_pages_follow_the_permission_matrix(world, client):
    problems = run_matrix(CASES, world, client, user_for)
    assert not problems, "\n".join(problems)


def test_a_village_director_does_not_manage_the_central_school_policy(world, as_user):
    user = world.village_director.user
    assert not user.has_perm("inspections.manage_policy", world.school)
    assert not user.has_perm("inspections.see_policy_history", world.school)
    assert user.has_perm("inspections.manage_policy", world.village)  # her own school, yes
    client = as_user(world.village_director)
    assert client.get(UPDATE).status_code == 403
    assert client.post(PRESET, {"preset": "v1", "confirm": "1"}).status_code == 403
    assert world.school.policy.preset == "v4"
    # She reads the central school's rules, which her school follows.
    response = client.get(DETAIL)
    assert response.status_code == 200 and response.context["policy"] == world.school.policy
    assert not response.context["can_manage"]


def test_the_detail_page_shows_the_policy_to_a_teacher(world, as_user, django_assert_max_num_queries):
    client = as_user(world.teacher)
    with django_assert_max_num_queries(12):
        response = client.get(DETAIL)
    body = response.content.decode()
    assert response.status_code == 200
    assert world.school.policy.name in body
    assert "id=\"fine-table\"" in body and "旷课" in body and "20.00" in body
    assert "id=\"policy-rules\"" in body
    sections = dict(response.context["sections"])
    assert ("weeks of lessons prepared before term", "1") in sections["Lesson preparation"]
    assert "Weeks of lessons prepared before term" in body
    # A teacher reads; the buttons to change the rules are not hers.
    assert UPDATE not in body and PRESET not in body and HISTORY not in body


def test_the_detail_page_runs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    client = as_user(world.director)
    policy_load_preset(school=world.school, preset="v3")
    for i in range(20):
        FineRule.objects.create(policy=world.school.policy, code=f"extra-{i}", description=f"extra {i}",
                                amount=Decimal("1.00"), unit=FineRule.Unit.PER_TIME)
    with django_assert_max_num_queries(12):
        response = client.get(DETAIL)
    assert response.status_code == 200 and UPDATE in response.content.decode()


def test_a_manager_loads_v6_through_the_page_and_sees_the_weekly_quotas(world, as_user):
    client = as_user(world.director)
    response = client.get(PRESET)
    assert response.status_code == 200
    assert [s.code for s in response.context["summaries"]] == [f"v{n}" for n in range(1, 8)]
    body = response.content.decode()
    assert "Variant 6: monthly lesson-plan checks, weekly quotas 3/2/1, daily grading" in body
    assert "Teacher: 1 lessons a week" in body  # what V6 sets, before loading it

    # First step: a warning that every number will be replaced; nothing changes yet.
    response = client.post(PRESET, {"preset": "v6"})
    assert response.status_code == 200 and response.context["confirming"].code == "v6"
    assert "Every number of" in response.content.decode()
    assert Policy.objects.get(school=world.school).preset == "v4"

    response = client.post(PRESET, {"preset": "v6", "confirm": "1"}, follow=True)
    assert response.redirect_chain == [(UPDATE, 302)]
    assert "Loaded the preset" in response.content.decode()
    policy = Policy.objects.get(school=world.school)
    assert policy.preset == "v6" and not policy.has_fines
    assert policy.history.latest().history_user == world.director.user

    body = client.get(DETAIL).content.decode()
    quotas = {(q.role, q.count, q.per) for q in client.get(DETAIL).context["policy"].quotas.all()}
    assert quotas == {
        ("principal", 3, "week"), ("vice_principal", 3, "week"), ("director", 3, "week"), ("cadre", 3, "week"),
        ("group_leader", 2, "week"), ("teacher", 1, "week"),
    }
    assert "3 / a week" in body and "2 / a week" in body and "1 / a week" in body
    assert "These rules set no fines" in body


def test_an_unknown_preset_is_refused_with_an_error(world, as_user):
    response = as_user(world.director).post(PRESET, {"preset": "v9", "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors["preset"]
    assert Policy.objects.get(school=world.school).preset == "v4"


def test_the_edit_page_runs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    client = as_user(world.director)
    with django_assert_max_num_queries(12):
        assert client.get(UPDATE).status_code == 200
    policy_load_preset(school=world.school, preset="v3")
    for i in range(20):
        FineRule.objects.create(policy=world.school.policy, code=f"extra-{i}", description=f"extra {i}",
                                amount=Decimal("1.00"), unit=FineRule.Unit.PER_TIME)
    with django_assert_max_num_queries(12):
        response = client.get(UPDATE)
    assert response.status_code == 200
    assert len(response.context["fine_formset"].forms) == 14 + 20 + 1  # V4's (inactive) + extra + a blank row


def test_the_edit_page_offers_every_field_and_the_school_subjects(world, as_user):
    response = as_user(world.director).get(UPDATE)
    form = response.context["form"]
    assert set(form.fields) == set(POLICY_FORM_FIELDS)
    assert set(POLICY_FORM_FIELDS) == {f.name for f in Policy._meta.concrete_fields} - {"id", "school", "preset"}
    assert [c for c, _ in form.fields["daily_graded_subjects"].choices] == ["语文", "数学"]
    assert isinstance(form.fields["selection_kinds"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(response.context["round_formset"].forms[0].fields["checked"].widget,
                      forms.CheckboxSelectMultiple)
    assert "FOREIGN" not in response.content.decode()


def test_a_manager_edits_a_quota_and_a_fine_and_the_history_keeps_who_and_what(world, as_user):
    client = as_user(world.director)
    policy = world.school.policy
    context = client.get(UPDATE).context
    data = form_data(context)
    # Add a quota in the blank row, change a fine amount to an exact 2.50 yuan, and a policy number.
    blank = context["quota_formset"].total_form_count() - 1
    data |= {f"quotas-{blank}-role": "teacher", f"quotas-{blank}-count": "10", f"quotas-{blank}-per": "term",
             f"quotas-{blank}-counted_kinds": ["peer"]}
    late = row_index(context["fine_formset"], code="late_to_class")
    data[f"fines-{late}-amount"] = "2.50"
    data["forums_min"], data["forums_max"] = "1", "2"
    response = client.post(UPDATE, data)
    assert response.status_code == 302, response.context and [
        response.context["form"].errors, *[response.context[n].errors for n in FORMSETS]]
    assert response.url == DETAIL

    quota = ObservationQuota.objects.get(policy=policy, role="teacher")
    assert (quota.count, quota.per, quota.counted_kinds) == (10, "term", ["peer"])
    rule = FineRule.objects.get(policy=policy, code="late_to_class")
    assert rule.amount == Decimal("2.50") and isinstance(rule.amount, Decimal)
    policy.refresh_from_db()
    assert (policy.forums_min, policy.forums_max) == (1, 2)
    # Untouched fines were not saved again.
    assert FineRule.history.filter(policy_id=policy.pk, history_user=world.director.user).count() == 1

    # Then edit the quota just added.
    context = client.get(UPDATE).context
    data = form_data(context)
    data[f"quotas-{row_index(context['quota_formset'], role='teacher')}-count"] = "12"
    assert client.post(UPDATE, data).status_code == 302
    quota.refresh_from_db()
    assert quota.count == 12

    record = rule.history.latest()
    assert record.history_user == world.director.user and record.history_type == "~"
    assert [(c.field, c.old, c.new) for c in record.diff_against(record.prev_record).changes] == [
        ("amount", Decimal("2.00"), Decimal("2.50"))
    ]
    assert quota.history.latest().history_user == world.director.user
    assert policy.history.latest().history_user == world.director.user

    # The history page says who changed what.
    response = client.get(HISTORY)
    entries = response.context["entries"]
    changes = [(e.what, change) for e in entries for change in e.changes]
    assert ("Teacher", ("lessons", "10", "12")) in changes
    assert (f"{rule.description} (late_to_class)", ("amount (yuan)", "2.00", "2.50")) in changes
    assert (policy.name, ("student forums a term, at most", "0", "2")) in changes
    assert {e.user for e in entries if e.changes} == {world.director.name}
    assert any(e.action == "created" and e.what == "Teacher" for e in entries)


def test_removing_rows_deletes_quotas_but_only_deactivates_fines(world, as_user):
    policy_load_preset(school=world.school, preset="v4")
    policy = world.school.policy
    ObservationQuota.objects.create(policy=policy, role="teacher", count=10, per="term")
    client = as_user(world.office_staff)
    context = client.get(UPDATE).context
    data = form_data(context)
    data[f"quotas-{row_index(context['quota_formset'], role='teacher')}-DELETE"] = "on"
    data[f"fines-{row_index(context['fine_formset'], code='absent')}-DELETE"] = "on"
    assert client.post(UPDATE, data).status_code == 302
    assert not ObservationQuota.objects.filter(policy=policy).exists()
    absent = FineRule.objects.get(policy=policy, code="absent")
    assert not absent.active and absent.amount == Decimal("20.00")
    assert absent.history.latest().history_user == world.office_staff.user
    assert ObservationQuota.history.filter(policy_id=policy.pk, history_type="-").count() == 1


def test_an_invalid_edit_rerenders_with_errors_and_changes_nothing(world, as_user):
    client = as_user(world.director)
    policy = world.school.policy
    ObservationQuota.objects.create(policy=policy, role="teacher", count=10, per="term")
    before = snapshot(policy)
    context = client.get(UPDATE).context
    data = form_data(context)
    data["name"] = "a new name that must not be saved"
    data["forums_min"], data["forums_max"] = "3", "1"  # min > max
    data[f"quotas-{row_index(context['quota_formset'], role='teacher')}-count"] = "0"
    data[f"fines-{row_index(context['fine_formset'], code='late_to_class')}-amount"] = "-2.00"
    response = client.post(UPDATE, data)

    assert response.status_code == 200
    assert "forums_max" in response.context["form"].errors
    assert "forums_min" not in response.context["form"].errors
    quota_errors = [f.errors for f in response.context["quota_formset"].forms if f.errors]
    assert quota_errors == [{"count": ["Ensure this value is greater than or equal to 1."]}]
    fine_errors = [f.errors for f in response.context["fine_formset"].forms if f.errors]
    assert fine_errors == [{"amount": ["Ensure this value is greater than or equal to 0."]}]
    body = response.content.decode()
    assert "is-invalid" in body and "Nothing was saved" in body
    assert snapshot(policy) == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"leader_activities_min": "3", "leader_activities_max": "2"}, "leader_activities_max"),
        ({"student_sample_min": "10", "student_sample_max": "5"}, "student_sample_max"),
        ({"prep_threshold": "1.20"}, "prep_threshold"),
        ({"homework_checks_min": "-1"}, "homework_checks_min"),
    ],
)
def test_other_invalid_policy_numbers_are_refused(world, as_user, change, field):
    client = as_user(world.director)
    before = snapshot(world.school.policy)
    data = form_data(client.get(UPDATE).context) | change
    response = client.post(UPDATE, data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert snapshot(world.school.policy) == before


def test_duplicate_rows_are_refused(world, as_user):
    client = as_user(world.director)
    before = snapshot(world.school.policy)
    context = client.get(UPDATE).context
    data = form_data(context)
    blank = context["fine_formset"].total_form_count() - 1
    data |= {f"fines-{blank}-code": "absent", f"fines-{blank}-description": "again", f"fines-{blank}-amount": "1",
             f"fines-{blank}-unit": "time", f"fines-{blank}-active": "on"}
    response = client.post(UPDATE, data)
    assert response.status_code == 200
    assert response.context["fine_formset"].non_form_errors() or any(
        f.errors for f in response.context["fine_formset"].forms
    )
    assert snapshot(world.school.policy) == before


def test_a_teacher_may_not_edit_or_load_the_rules(world, as_user):
    client = as_user(world.teacher)
    assert client.get(UPDATE).status_code == 403
    assert client.post(UPDATE, {"name": "x"}).status_code == 403
    assert client.post(PRESET, {"preset": "v1", "confirm": "1"}).status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert world.school.policy.preset == "v4"


def test_the_principal_reads_the_history_but_does_not_edit(world, as_user, django_assert_max_num_queries):
    policy_load_preset(school=world.school, preset="v1", user=world.director.user)
    client = as_user(world.principal)
    with django_assert_max_num_queries(12):
        response = client.get(HISTORY)
    assert response.status_code == 200
    entries = response.context["entries"]
    assert any(e.user == world.director.name and e.reason == "Loaded preset V1" for e in entries)
    assert client.get(UPDATE).status_code == 403


def test_the_history_page_runs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    client = as_user(world.director)
    for preset in ("v3", "v6", "v4", "v5", "v7"):
        policy_load_preset(school=world.school, preset=preset, user=world.office_staff.user)
    with django_assert_max_num_queries(12):
        response = client.get(HISTORY)
    assert response.status_code == 200 and response.context["page_obj"].paginator.count > 50
