"""The seven presets, loaded through `manage.py load_policy_preset`, checked number by number against DOMAIN.md.

The expected tables below are written from DOMAIN.md and the source text, not from presets.py: a wrong number
in either shows up here.
"""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from inspections.models import FineRule, ObservationQuota, Policy, ReviewRule, RoundRule
from inspections.presets import PRESETS
from inspections.services import policy_load_preset
from school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

# --- the policy's fields ------------------------------------------------------------------------

# What a preset leaves at the model's default (a number its variant does not state).
UNSET = {
    "young_new_first": False,
    "advance_prep_weeks": None,
    "prep_threshold": None,
    "leader_groups_min": None,
    "leader_groups_max": None,
    "leader_activities_min": None,
    "leader_activities_max": None,
    "selection_per": "",
    "selection_kinds": [],
    "unannounced_observation": False,
    "assessment_team": False,
    "observation_reports_per_term": 0,
    "homework_checks_min": 0,
    "homework_checks_max": 0,
    "homework_checks_per": "term",
    "homework_weekly_list": False,
    "homework_checks_per_teacher": 0,
    "daily_graded_subjects": [],
    "gradings_equal_lessons": False,
    "daily_patrol": False,
    "swaps_through_office": True,
    "spot_tests": False,
    "quality_form_after": [],
    "quality_form_days": 7,
    "analysis_after": [],
    "analysis_days": None,
    "scores_archived": False,
    "student_sample_min": 0,
    "student_sample_max": 0,
    "parent_sample_min": 0,
    "parent_sample_max": 0,
    "forums_min": 0,
    "forums_max": 0,
    "parent_meetings": False,
    "six_earnests": False,
    "term_summary": False,
    "yearly_paper": False,
    "village_director_checks": False,
    "appeal_days": 7,
    "reminder_days": 3,
}

FIELDS = {
    # V1.1 leaders attend 2-3 activities; V1.2 young and new first; V1.3 lesson-design selection a term;
    # V1.7 leaders check homework 1-2 a term; V1.9 spot tests; V1.11 forms after mid-term and final;
    # V1.12 analysis within two weeks of mid-term and final.
    "v1": {
        "young_new_first": True,
        "leader_activities_min": 2,
        "leader_activities_max": 3,
        "selection_per": "term",
        "selection_kinds": ["lesson_design"],
        "homework_checks_min": 1,
        "homework_checks_max": 2,
        "spot_tests": True,
        "quality_form_after": ["midterm", "final"],
        "analysis_after": ["midterm", "final"],
        "analysis_days": 14,
    },
    # V2.I weekly list, each teacher once a term; V2.II daily check, swaps via the office, unannounced
    # observation reported once a term; V2.III scores archived, analysis after mid-term and final;
    # V2.IV 5-10 students and 5-10 parents per class.
    "v2": {
        "homework_weekly_list": True,
        "homework_checks_per_teacher": 1,
        "daily_patrol": True,
        "swaps_through_office": True,
        "unannounced_observation": True,
        "observation_reports_per_term": 1,
        "scores_archived": True,
        "analysis_after": ["midterm", "final"],
        "student_sample_min": 5,
        "student_sample_max": 10,
        "parent_sample_min": 5,
        "parent_sample_max": 10,
    },
    # V3.6 lesson plans and homework selected each term; V3.9 forms after mid-term and final, analysis two weeks
    # after the mid-term; V3.11 student forums 1-2 a term.
    "v3": {
        "selection_per": "term",
        "selection_kinds": ["lesson_plan", "homework"],
        "quality_form_after": ["midterm", "final"],
        "analysis_after": ["midterm"],
        "analysis_days": 14,
        "forums_min": 1,
        "forums_max": 2,
    },
    # V4.I a week prepared ahead; V4.IV.1 threshold 0.8; V4.IV.3 gradings = lessons; V4.III six earnests,
    # summary, yearly paper; V4.II village schools checked by their own director.
    "v4": {
        "advance_prep_weeks": 1,
        "prep_threshold": Decimal("0.80"),
        "gradings_equal_lessons": True,
        "six_earnests": True,
        "term_summary": True,
        "yearly_paper": True,
        "village_director_checks": True,
    },
    # V5 shares V3's text for these.
    "v5": {
        "selection_per": "term",
        "selection_kinds": ["lesson_plan", "homework"],
        "quality_form_after": ["midterm", "final"],
        "analysis_after": ["midterm"],
        "analysis_days": 14,
        "forums_min": 1,
        "forums_max": 2,
    },
    # V6.1 1-2 groups, 2-3 activities; V6.2 young and new first; V6.3 selection once a year; V6.6 homework 1-2 a
    # term; V6.7 Chinese and maths daily; V6.8 spot tests; V6.10 forms after finals and unit tests; V6.11
    # analysis within two weeks of each spot test.
    "v6": {
        "young_new_first": True,
        "leader_groups_min": 1,
        "leader_groups_max": 2,
        "leader_activities_min": 2,
        "leader_activities_max": 3,
        "selection_per": "year",
        "selection_kinds": ["lesson_plan"],
        "homework_checks_min": 1,
        "homework_checks_max": 2,
        "daily_graded_subjects": ["语文", "数学"],
        "spot_tests": True,
        "quality_form_after": ["final", "unit"],
        "analysis_after": ["spot"],
        "analysis_days": 14,
    },
    # V7.1 one group, 1-3 activities; V7.2 young and new first; V7.3 lesson plans each term; V7.4 assessment team;
    # V7.5 homework 1-2 a month; V7.7 daily patrol; V7.8 parent meetings.
    "v7": {
        "young_new_first": True,
        "leader_groups_min": 1,
        "leader_groups_max": 1,
        "leader_activities_min": 1,
        "leader_activities_max": 3,
        "selection_per": "term",
        "selection_kinds": ["lesson_plan"],
        "assessment_team": True,
        "homework_checks_min": 1,
        "homework_checks_max": 2,
        "homework_checks_per": "month",
        "daily_patrol": True,
        "parent_meetings": True,
    },
}

NAMES = {f"v{n}": f"教学工作检查制度（{c}）" for n, c in zip(range(1, 8), "一二三四五六七")}

# --- quotas: (role, count, per, central groups only, kinds that count) --------------------------------

QUOTAS = {
    "v1": {
        ("vice_principal", 20, "term", False, ()),
        ("director", 20, "term", False, ()),
        ("teacher", 10, "term", False, ("peer",)),
    },
    "v2": set(),
    "v3": {
        ("principal", 20, "term", False, ()),
        ("vice_principal", 20, "term", False, ()),
        ("director", 20, "term", False, ()),
        ("office_staff", 15, "term", False, ()),
        ("group_leader", 15, "term", True, ()),
        ("cadre", 10, "term", False, ()),
        ("teacher", 10, "term", False, ("peer",)),
    },
    "v4": set(),
    "v5": {
        ("vice_principal", 40, "term", False, ()),
        ("director", 40, "term", False, ()),
        ("group_leader", 16, "term", False, ()),
        ("teacher", 16, "term", False, ()),
    },
    "v6": {
        ("principal", 3, "week", False, ()),
        ("vice_principal", 3, "week", False, ()),
        ("director", 3, "week", False, ()),
        ("cadre", 3, "week", False, ()),
        ("group_leader", 2, "week", False, ()),
        ("teacher", 1, "week", False, ()),
    },
    "v7": {
        ("vice_principal", 2, "week", False, ()),
        ("director", 2, "week", False, ()),
    },
}

# --- reviews of observation notes: (reviewer, whose notes, times, per) ---------------------------------

TWICE_A_TERM = {
    ("group_leader", "group_teachers", 2, "term"),
    ("office", "group_leaders", 2, "term"),
    ("principal", "leaders", 2, "term"),
}
REVIEWS = {
    "v1": TWICE_A_TERM,
    "v2": set(),
    "v3": TWICE_A_TERM,
    "v4": set(),
    "v5": TWICE_A_TERM,
    "v6": {
        ("group_leader", "group_teachers", 1, "month"),
        ("office", "group_leaders", 2, "term"),
        ("principal", "leaders", 2, "term"),
    },
    "v7": {
        ("group_leader", "group_teachers", 1, "month"),
        ("office", "group_leaders", 1, "month"),
        ("principal", "leaders", 2, "term"),
    },
}

# --- rounds: (kind, what is checked, who checks, times a term, opens offset, days to complete) ----------

PREP_NOTES_HOMEWORK = frozenset({"lesson_prep", "observation_notes", "homework"})
ROUTINE = frozenset({"lesson_prep", "teaching", "homework", "tutoring", "unit_tests"})
ROUNDS = {
    "v1": {
        ("mid_term", frozenset({"lesson_prep"}), "office", 1, 0, 7),
        ("end_of_term", frozenset({"lesson_prep"}), "office", 1, -14, 7),
    },
    "v2": {
        ("daily_patrol", frozenset({"classroom"}), "office", None, 0, 1),
        ("weekly_homework", frozenset({"homework"}), "office", None, 0, 7),
    },
    "v3": {
        ("start_of_term", frozenset({"teaching_plan"}), "group_leaders", 1, 0, 7),
        ("monthly", ROUTINE, "group_leaders", None, 0, 7),
        ("mid_term", PREP_NOTES_HOMEWORK, "chain", 1, 0, 7),
        ("end_of_term", PREP_NOTES_HOMEWORK, "chain", 1, -14, 7),
        ("spot", PREP_NOTES_HOMEWORK, "leadership", 1, 0, 7),
        ("special", PREP_NOTES_HOMEWORK, "office", None, 0, 7),
    },
    "v4": {
        ("start_of_term", frozenset({"lesson_prep", "teaching_plan"}), "group_leaders", 1, 0, 3),
        ("monthly", ROUTINE | {"labs"}, "group_leaders", None, 0, 7),
        ("end_of_term", ROUTINE | {"summary"}, "leadership", 1, -14, 7),
    },
    "v5": {
        ("start_of_term", frozenset({"teaching_plan"}), "group_leaders", 1, 0, 7),
        ("monthly", ROUTINE, "group_leaders", None, 0, 7),
        ("mid_term", PREP_NOTES_HOMEWORK | {"research_activities"}, "face_to_face", 1, 0, 7),
        ("end_of_term", PREP_NOTES_HOMEWORK | {"research_activities"}, "face_to_face", 1, -14, 7),
        ("spot", PREP_NOTES_HOMEWORK, "leadership", 1, 0, 7),
        ("special", PREP_NOTES_HOMEWORK, "office", None, 0, 7),
    },
    "v6": {
        ("monthly", frozenset({"lesson_prep"}), "office", None, 0, 7),
    },
    "v7": {
        ("start_of_term", PREP_NOTES_HOMEWORK, "office", 1, 0, 7),
        ("mid_term", PREP_NOTES_HOMEWORK, "office", 1, 0, 7),
        ("end_of_term", PREP_NOTES_HOMEWORK, "office", 1, -14, 7),
        ("spot", PREP_NOTES_HOMEWORK, "office", None, 0, 7),
        ("daily_patrol", frozenset({"classroom"}), "office", None, 0, 1),
    },
}

# --- V4's deductions: (code, yuan, conduct points, unit, case by case, noted in file) ------------------

FINES_V4 = {
    ("advance_prep_short", Decimal("2.00"), Decimal("1.00"), "lesson", False, False),  # V4.I
    ("teaching_plan_missing", Decimal("2.00"), Decimal("1.00"), "item", False, False),  # V4.I
    ("monthly_below_requirement", Decimal("0.00"), Decimal("0.00"), "time", True, False),  # V4.II
    ("summary_late", Decimal("2.00"), Decimal("0.00"), "day", False, False),  # V4.III
    ("no_preparation", Decimal("10.00"), Decimal("0.00"), "lesson", False, False),  # V4.IV.1
    ("preparation_short", Decimal("1.00"), Decimal("0.00"), "lesson", False, False),  # V4.IV.1
    ("late_to_class", Decimal("2.00"), Decimal("0.00"), "time", False, False),  # V4.IV.2
    ("left_early", Decimal("5.00"), Decimal("0.00"), "time", False, False),  # V4.IV.2
    ("absent", Decimal("20.00"), Decimal("0.00"), "time", False, False),  # V4.IV.2
    ("homework_grading_short", Decimal("2.00"), Decimal("0.00"), "time", False, False),  # V4.IV.3
    ("unit_test_unmarked", Decimal("5.00"), Decimal("0.00"), "time", False, False),  # V4.IV.5
    ("unit_test_no_analysis", Decimal("2.00"), Decimal("0.00"), "time", False, True),  # V4.IV.5
    ("lab_not_done", Decimal("5.00"), Decimal("0.00"), "time", False, False),  # V4.IV.6
    ("lab_untidy", Decimal("3.00"), Decimal("0.00"), "time", False, False),  # V4.IV.6
}
FINES = {f"v{n}": set() for n in range(1, 8)} | {"v4": FINES_V4}

VARIANTS = [f"v{n}" for n in range(1, 8)]


def editable_fields():
    return {f.name for f in Policy._meta.concrete_fields} - {"id", "school", "preset", "name"}


def policy_values(policy):
    return {name: getattr(policy, name) for name in editable_fields()}


def quota_rows(policy):
    return {
        (q.role, q.count, q.per, q.central_group_only, tuple(q.counted_kinds))
        for q in ObservationQuota.objects.filter(policy=policy)
    }


def review_rows(policy):
    return {(r.reviewer, r.reviewees, r.times, r.per) for r in ReviewRule.objects.filter(policy=policy)}


def round_rows(policy):
    return {
        (r.kind, frozenset(r.checked), r.checker, r.times_per_term, r.opens_offset_days, r.window_days)
        for r in RoundRule.objects.filter(policy=policy)
    }


def fine_rows(policy, *, active=True):
    return {
        (f.code, f.amount, f.conduct_points, f.unit, f.discretionary, f.noted_in_file)
        for f in FineRule.objects.filter(policy=policy, active=active)
    }


def all_rows(policy):
    """Every row with its id and every value, to compare two states of a policy exactly."""
    return {
        model.__name__: sorted(model.objects.filter(policy=policy).values_list())
        for model in (ObservationQuota, ReviewRule, RoundRule, FineRule)
    }


@pytest.fixture
def central():
    return SchoolFactory(code="central-a")


def load(preset, school):
    call_command("load_policy_preset", preset, "--school", school.code, stdout=open("/dev/null", "w"))
    return Policy.objects.get(school=school)


def test_the_expected_tables_name_every_field_of_the_policy():
    assert set(UNSET) == editable_fields()
    for fields in FIELDS.values():
        assert set(fields) <= editable_fields()


@pytest.mark.parametrize("preset", VARIANTS)
def test_each_preset_sets_every_number_of_its_variant(central, preset):
    policy = load(preset, central)
    assert policy.preset == preset and policy.name == NAMES[preset]
    assert policy_values(policy) == UNSET | FIELDS[preset]
    assert quota_rows(policy) == QUOTAS[preset]
    assert review_rows(policy) == REVIEWS[preset]
    assert round_rows(policy) == ROUNDS[preset]
    assert fine_rows(policy) == FINES[preset]
    assert not FineRule.objects.filter(policy=policy, active=False).exists()
    # Every row names the rule of its own variant (e.g. "V3.8"), not another's.
    for model in (ObservationQuota, ReviewRule, RoundRule, FineRule):
        for source in model.objects.filter(policy=policy).values_list("source", flat=True):
            assert source.startswith(preset.upper()), (model.__name__, source)


@pytest.mark.parametrize("preset", [v for v in VARIANTS if v != "v4"])
def test_the_other_variants_set_no_fines(central, preset):
    policy = load(preset, central)
    assert not FineRule.objects.filter(policy=policy).exists()
    assert not policy.has_fines  # findings are recorded without money


def test_v4_fines_amounts_are_exact_decimals(central):
    policy = load("v4", central)
    amounts = dict(FineRule.objects.filter(policy=policy).values_list("code", "amount"))
    assert len(amounts) == 14
    assert all(isinstance(amount, Decimal) for amount in amounts.values())
    assert amounts["absent"] == Decimal("20.00") and amounts["preparation_short"] == Decimal("1.00")
    assert policy.has_fines


def test_loading_v1_after_v4_leaves_v4_fines_inactive_with_their_history(central):
    policy = load("v4", central)
    load("v1", central)
    policy.refresh_from_db()
    assert not policy.has_fines
    assert fine_rows(policy) == set()
    assert fine_rows(policy, active=False) == FINES_V4
    for rule in FineRule.objects.filter(policy=policy):
        types = list(rule.history.order_by("history_id").values_list("history_type", "active"))
        assert types == [("+", True), ("~", False)]
    # Everything else is V1's now.
    assert policy_values(policy) == UNSET | FIELDS["v1"]
    assert quota_rows(policy) == QUOTAS["v1"] and round_rows(policy) == ROUNDS["v1"]
    # Loading V4 again brings the same rows back, active.
    load("v4", central)
    assert fine_rows(policy) == FINES_V4
    assert FineRule.objects.filter(policy=policy).count() == 14


def test_loading_is_idempotent(central):
    load("v3", central)
    policy = load("v3", central)
    before, history = all_rows(policy), Policy.history.count() + ObservationQuota.history.count()
    policy = load("v3", central)
    assert all_rows(policy) == before
    assert Policy.objects.filter(school=central).count() == 1
    # Nothing changed, so nothing new in the history either.
    assert Policy.history.count() + ObservationQuota.history.count() == history


def test_switching_presets_leaves_nothing_of_the_previous_one(central):
    load("v3", central)
    policy = load("v6", central)
    assert policy_values(policy) == UNSET | FIELDS["v6"]
    assert quota_rows(policy) == QUOTAS["v6"]
    assert review_rows(policy) == REVIEWS["v6"]
    assert round_rows(policy) == ROUNDS["v6"]
    policy = load("v2", central)
    assert policy_values(policy) == UNSET | FIELDS["v2"]
    assert quota_rows(policy) == set() and review_rows(policy) == set()
    assert round_rows(policy) == ROUNDS["v2"]


def test_the_command_loads_every_central_school_by_default():
    first, second = SchoolFactory(code="c1"), SchoolFactory(code="c2")
    village = SchoolFactory(code="v1", parent=first)
    call_command("load_policy_preset", "V5", stdout=open("/dev/null", "w"))
    assert set(Policy.objects.values_list("school__code", flat=True)) == {first.code, second.code}
    assert not Policy.objects.filter(school=village).exists()
    assert all(p.preset == "v5" for p in Policy.objects.all())


def test_the_command_refuses_an_unknown_preset_or_school(central):
    with pytest.raises(CommandError, match="Unknown preset"):
        call_command("load_policy_preset", "v8")
    with pytest.raises(CommandError, match="No school has the code"):
        call_command("load_policy_preset", "v1", "--school", "nowhere")
    village = SchoolFactory(code="village-a", parent=central)
    with pytest.raises(CommandError, match="village school"):
        call_command("load_policy_preset", "v1", "--school", village.code)
    assert not Policy.objects.exists()


def test_the_command_refuses_when_there_is_no_central_school():
    with pytest.raises(CommandError, match="no central school"):
        call_command("load_policy_preset", "v1")


def test_a_village_school_follows_its_central_school_policy(central):
    village = SchoolFactory(code="village-a", parent=central)
    policy = policy_load_preset(school=village, preset="v7")
    assert policy.school == central
    assert not Policy.objects.filter(school=village).exists()


def test_a_loaded_policy_shares_no_list_with_the_presets(central):
    policy = load("v6", central)
    policy.daily_graded_subjects.append("英语")
    policy.quotas.first().counted_kinds.append("peer")
    assert PRESETS["v6"]["fields"]["daily_graded_subjects"] == ["语文", "数学"]
    assert load("v6", central).daily_graded_subjects == ["语文", "数学"]


def test_loading_records_the_user_and_the_preset_in_the_history(central, django_user_model):
    user = django_user_model.objects.create_user("office")
    policy = policy_load_preset(school=central, preset="v4", user=user)
    record = policy.history.latest()
    assert record.history_user == user and record.history_change_reason == "preset:v4"
    assert FineRule.history.filter(policy_id=policy.pk, history_user=user).count() == 14
