"""The seven variants of the rulebook (seed/teaching-inspection-rules.txt, restated in DOMAIN.md) as data.

Each preset gives the Policy's fields and its rows. A number a variant does not state keeps the model's
default (days to appeal or to hand in a quality form, reminders, lesson swaps through the office), which the
office can edit; loading a preset resets every other field to that default, so nothing leaks from the
previous preset.

Interpretation choices where the source is not explicit (all editable after loading):
- 负责教学的中层以上干部 (cadres in charge of teaching, V1.4, V7.4) -> vice-principal and director;
- 中层以上干部 (cadres, V6.4) -> principal, vice-principal, director and other administrative cadres (not office
  staff: 教导干事 are not cadres);
- 教导处 / 教务处 (the office) -> director and office staff;
- V3.8 "校长每学期检查两次行政领导干部的听课笔记，且听课20节以上" -> the principal also observes 20 lessons a term;
- V3.8 "教务处其他教学人员" -> office staff 15 a term; "中心教研组长" -> central group leaders only, 15 a term;
- teachers' quotas that say 互相听课 (V1.4, V3.8) count peer observations only; the others count every kind;
- V3.9 and V5.9 present the analysis "在期中考试后两周或开学初": within 14 days of the mid-term (the final's is
  presented at the start of the next term, which has no fixed day count);
- V4.I deducts conduct points "按教师教学工作目标考核" without a number -> 1 point each;
- V4 windows (3 days at the start of term, the end-of-term round opening a week before the last day) and the
  daily patrol's 1-day window are practical defaults, not numbers of the source;
- V7.8 holds student forums "定期或不定期" with no count, so forums stay 0 for the office to set;
- where a check's checker is unnamed (V1.2 mid-term and end-of-term, V6.2 monthly) it is the teaching office.
"""

from decimal import Decimal

from school.models import Role

from .models import Checked as C
from .models import ExamKind, FineRule, ObservationKind, Per, ReviewRule, RoundRule
from .models import SelectionKind as S

K = RoundRule.Kind
R = ReviewRule.Reviewer
E = ReviewRule.Reviewees
W = RoundRule.Checker
U = FineRule.Unit

PREP_ROUND = [C.LESSON_PREP, C.OBSERVATION_NOTES, C.HOMEWORK]
MONTHLY_ROUTINE = [C.LESSON_PREP, C.TEACHING, C.HOMEWORK, C.TUTORING, C.UNIT_TESTS]


def _quota(role, count, per, source, *, kinds=(), central_only=False):
    return {
        "role": role,
        "count": count,
        "per": per,
        "source": source,
        "counted_kinds": list(kinds),
        "central_group_only": central_only,
    }


def _review(reviewer, reviewees, times, per, source):
    return {"reviewer": reviewer, "reviewees": reviewees, "times": times, "per": per, "source": source}


# End-of-term checks open two weeks before the last day, when new lessons have finished (V4.III "新课结束后");
# the other rounds open on their date. The source gives no number: these are defaults the office edits.
END_OF_TERM_OFFSET = -14


def _round(kind, checked, checker, source, *, times=None, offset=None, window=7):
    if offset is None:
        offset = END_OF_TERM_OFFSET if kind == K.END_OF_TERM else 0
    return {
        "kind": kind,
        "checked": list(checked),
        "checker": checker,
        "times_per_term": times,
        "opens_offset_days": offset,
        "window_days": window,
        "source": source,
    }


def _twice_a_term_chain(source):
    """The review chain that V1, V3 and V5 share: twice a term at every level."""
    return [
        _review(R.GROUP_LEADER, E.GROUP_TEACHERS, 2, Per.TERM, source),
        _review(R.OFFICE, E.GROUP_LEADERS, 2, Per.TERM, source),
        _review(R.PRINCIPAL, E.LEADERS, 2, Per.TERM, source),
    ]


# V3 and V5 share their text but for the quotas and the face-to-face mid/end checks.
_V3_V5_COMMON = {
    "spot_tests": False,
    "quality_form_after": [ExamKind.MIDTERM, ExamKind.FINAL],
    "analysis_after": [ExamKind.MIDTERM],
    "analysis_days": 14,
    "selection_per": Per.TERM,
    "selection_kinds": [S.LESSON_PLAN, S.HOMEWORK],
    "forums_min": 1,
    "forums_max": 2,
}

# V4's deductions, in the order of the text. Conduct points: V4.I names no number -> 1 point each (editable).
FINES_V4 = [
    {"code": "advance_prep_short", "description": "期初超前备课每少一节", "amount": Decimal("2.00"),
     "conduct_points": Decimal("1.00"), "unit": U.PER_LESSON, "source": "V4.I"},
    {"code": "teaching_plan_missing", "description": "学科教学计划未交", "amount": Decimal("2.00"),
     "conduct_points": Decimal("1.00"), "unit": U.PER_ITEM, "source": "V4.I"},
    {"code": "monthly_below_requirement", "description": "学月检查未达要求或未完成工作任务（酌情扣款或严肃批评）",
     "amount": Decimal("0.00"), "unit": U.PER_TIME, "discretionary": True, "source": "V4.II"},
    {"code": "summary_late", "description": "学科总结或学年论文逾期上交", "amount": Decimal("2.00"),
     "unit": U.PER_DAY, "source": "V4.III"},
    {"code": "no_preparation", "description": "未备课上课", "amount": Decimal("10.00"),
     "unit": U.PER_LESSON, "source": "V4.IV.1"},
    {"code": "preparation_short", "description": "检查时备课量不足（课时×0.8）", "amount": Decimal("1.00"),
     "unit": U.PER_LESSON, "source": "V4.IV.1"},
    {"code": "late_to_class", "description": "上课迟到", "amount": Decimal("2.00"), "unit": U.PER_TIME,
     "source": "V4.IV.2"},
    {"code": "left_early", "description": "上课早退", "amount": Decimal("5.00"), "unit": U.PER_TIME,
     "source": "V4.IV.2"},
    {"code": "absent", "description": "旷课", "amount": Decimal("20.00"), "unit": U.PER_TIME, "source": "V4.IV.2"},
    {"code": "homework_grading_short", "description": "作业批改未达规定次数（规定次数为课节数）",
     "amount": Decimal("2.00"), "unit": U.PER_TIME, "source": "V4.IV.3"},
    {"code": "unit_test_unmarked", "description": "单元检测试卷未改或当学生家庭作业", "amount": Decimal("5.00"),
     "unit": U.PER_TIME, "source": "V4.IV.5"},
    {"code": "unit_test_no_analysis", "description": "单元检测无成绩分析", "amount": Decimal("2.00"),
     "unit": U.PER_TIME, "noted_in_file": True, "source": "V4.IV.5"},
    {"code": "lab_not_done", "description": "应做实验（演示和分组）未做", "amount": Decimal("5.00"),
     "unit": U.PER_TIME, "source": "V4.IV.6"},
    {"code": "lab_untidy", "description": "实验室、保管室不整齐清洁（负责教师）", "amount": Decimal("3.00"),
     "unit": U.PER_TIME, "source": "V4.IV.6"},
]

PRESETS = {
    "v1": {
        "name": "教学工作检查制度（一）",
        "fields": {
            "young_new_first": True,
            "leader_activities_min": 2,
            "leader_activities_max": 3,
            "selection_per": Per.TERM,
            "selection_kinds": [S.LESSON_DESIGN],
            "homework_checks_min": 1,
            "homework_checks_max": 2,
            "homework_checks_per": Per.TERM,
            "spot_tests": True,
            "quality_form_after": [ExamKind.MIDTERM, ExamKind.FINAL],
            "analysis_after": [ExamKind.MIDTERM, ExamKind.FINAL],
            "analysis_days": 14,
        },
        "quotas": [
            _quota(Role.VICE_PRINCIPAL, 20, Per.TERM, "V1.4"),
            _quota(Role.DIRECTOR, 20, Per.TERM, "V1.4"),
            _quota(Role.TEACHER, 10, Per.TERM, "V1.4", kinds=[ObservationKind.PEER]),
        ],
        "reviews": _twice_a_term_chain("V1.6"),
        "rounds": [
            _round(K.MID_TERM, [C.LESSON_PREP], W.OFFICE, "V1.2", times=1),
            _round(K.END_OF_TERM, [C.LESSON_PREP], W.OFFICE, "V1.2", times=1),
        ],
        "fines": [],
    },
    "v2": {
        "name": "教学工作检查制度（二）",
        "fields": {
            "homework_weekly_list": True,
            "homework_checks_per_teacher": 1,
            "daily_patrol": True,
            "swaps_through_office": True,
            "unannounced_observation": True,
            "observation_reports_per_term": 1,
            "scores_archived": True,
            "quality_form_after": [],
            "analysis_after": [ExamKind.MIDTERM, ExamKind.FINAL],
            "student_sample_min": 5,
            "student_sample_max": 10,
            "parent_sample_min": 5,
            "parent_sample_max": 10,
        },
        "quotas": [],
        "reviews": [],
        "rounds": [
            _round(K.DAILY_PATROL, [C.CLASSROOM], W.OFFICE, "V2.II.1", window=1),
            _round(K.WEEKLY_HOMEWORK, [C.HOMEWORK], W.OFFICE, "V2.I"),
        ],
        "fines": [],
    },
    "v3": {
        "name": "教学工作检查制度（三）",
        "fields": dict(_V3_V5_COMMON),
        "quotas": [
            _quota(Role.PRINCIPAL, 20, Per.TERM, "V3.8"),
            _quota(Role.VICE_PRINCIPAL, 20, Per.TERM, "V3.8"),
            _quota(Role.DIRECTOR, 20, Per.TERM, "V3.8"),
            _quota(Role.OFFICE_STAFF, 15, Per.TERM, "V3.8"),
            _quota(Role.GROUP_LEADER, 15, Per.TERM, "V3.8", central_only=True),
            _quota(Role.CADRE, 10, Per.TERM, "V3.8"),
            _quota(Role.TEACHER, 10, Per.TERM, "V3.8", kinds=[ObservationKind.PEER]),
        ],
        "reviews": _twice_a_term_chain("V3.8"),
        "rounds": [
            _round(K.START_OF_TERM, [C.TEACHING_PLAN], W.GROUP_LEADERS, "V3.3", times=1),
            _round(K.MONTHLY, MONTHLY_ROUTINE, W.GROUP_LEADERS, "V3.10"),
            _round(K.MID_TERM, PREP_ROUND, W.CHAIN, "V3.4 V3.10", times=1),
            _round(K.END_OF_TERM, PREP_ROUND, W.CHAIN, "V3.4 V3.10", times=1),
            _round(K.SPOT, PREP_ROUND, W.LEADERSHIP, "V3.5", times=1),
            _round(K.SPECIAL, PREP_ROUND, W.OFFICE, "V3.7"),
        ],
        "fines": [],
    },
    "v4": {
        "name": "教学工作检查制度（四）",
        "fields": {
            "advance_prep_weeks": 1,
            "prep_threshold": Decimal("0.80"),
            "gradings_equal_lessons": True,
            "six_earnests": True,
            "term_summary": True,
            "yearly_paper": True,
            "village_director_checks": True,
        },
        "quotas": [],
        "reviews": [],
        "rounds": [
            _round(K.START_OF_TERM, [C.LESSON_PREP, C.TEACHING_PLAN], W.GROUP_LEADERS, "V4.I", times=1, window=3),
            _round(K.MONTHLY, MONTHLY_ROUTINE + [C.LABS], W.GROUP_LEADERS, "V4.II"),
            _round(
                K.END_OF_TERM, MONTHLY_ROUTINE + [C.SUMMARY], W.LEADERSHIP, "V4.III", times=1
            ),
        ],
        "fines": FINES_V4,
    },
    "v5": {
        "name": "教学工作检查制度（五）",
        "fields": dict(_V3_V5_COMMON),
        "quotas": [
            _quota(Role.VICE_PRINCIPAL, 40, Per.TERM, "V5.8"),
            _quota(Role.DIRECTOR, 40, Per.TERM, "V5.8"),
            _quota(Role.GROUP_LEADER, 16, Per.TERM, "V5.8"),
            _quota(Role.TEACHER, 16, Per.TERM, "V5.8"),
        ],
        "reviews": _twice_a_term_chain("V5.8"),
        "rounds": [
            _round(K.START_OF_TERM, [C.TEACHING_PLAN], W.GROUP_LEADERS, "V5.3", times=1),
            _round(K.MONTHLY, MONTHLY_ROUTINE, W.GROUP_LEADERS, "V5.10"),
            _round(K.MID_TERM, PREP_ROUND + [C.RESEARCH_ACTIVITIES], W.FACE_TO_FACE, "V5.4 V5.10", times=1),
            _round(K.END_OF_TERM, PREP_ROUND + [C.RESEARCH_ACTIVITIES], W.FACE_TO_FACE, "V5.4 V5.10", times=1),
            _round(K.SPOT, PREP_ROUND, W.LEADERSHIP, "V5.5", times=1),
            _round(K.SPECIAL, PREP_ROUND, W.OFFICE, "V5.7"),
        ],
        "fines": [],
    },
    "v6": {
        "name": "教学工作检查制度（六）",
        "fields": {
            "young_new_first": True,
            "leader_groups_min": 1,
            "leader_groups_max": 2,
            "leader_activities_min": 2,
            "leader_activities_max": 3,
            "selection_per": Per.YEAR,
            "selection_kinds": [S.LESSON_PLAN],
            "homework_checks_min": 1,
            "homework_checks_max": 2,
            "homework_checks_per": Per.TERM,
            "daily_graded_subjects": ["语文", "数学"],
            "spot_tests": True,
            "quality_form_after": [ExamKind.FINAL, ExamKind.UNIT],
            "analysis_after": [ExamKind.SPOT],
            "analysis_days": 14,
        },
        "quotas": [
            _quota(Role.PRINCIPAL, 3, Per.WEEK, "V6.4"),
            _quota(Role.VICE_PRINCIPAL, 3, Per.WEEK, "V6.4"),
            _quota(Role.DIRECTOR, 3, Per.WEEK, "V6.4"),
            _quota(Role.CADRE, 3, Per.WEEK, "V6.4"),
            _quota(Role.GROUP_LEADER, 2, Per.WEEK, "V6.4"),
            _quota(Role.TEACHER, 1, Per.WEEK, "V6.4"),
        ],
        "reviews": [
            _review(R.GROUP_LEADER, E.GROUP_TEACHERS, 1, Per.MONTH, "V6.5"),
            _review(R.OFFICE, E.GROUP_LEADERS, 2, Per.TERM, "V6.5"),
            _review(R.PRINCIPAL, E.LEADERS, 2, Per.TERM, "V6.5"),
        ],
        "rounds": [
            _round(K.MONTHLY, [C.LESSON_PREP], W.OFFICE, "V6.2"),
        ],
        "fines": [],
    },
    "v7": {
        "name": "教学工作检查制度（七）",
        "fields": {
            "young_new_first": True,
            "leader_groups_min": 1,
            "leader_groups_max": 1,
            "leader_activities_min": 1,
            "leader_activities_max": 3,
            "selection_per": Per.TERM,
            "selection_kinds": [S.LESSON_PLAN],
            "assessment_team": True,
            "homework_checks_min": 1,
            "homework_checks_max": 2,
            "homework_checks_per": Per.MONTH,
            "daily_patrol": True,
            "parent_meetings": True,
        },
        "quotas": [
            _quota(Role.VICE_PRINCIPAL, 2, Per.WEEK, "V7.4"),
            _quota(Role.DIRECTOR, 2, Per.WEEK, "V7.4"),
        ],
        "reviews": [
            _review(R.GROUP_LEADER, E.GROUP_TEACHERS, 1, Per.MONTH, "V7.4"),
            _review(R.OFFICE, E.GROUP_LEADERS, 1, Per.MONTH, "V7.4"),
            _review(R.PRINCIPAL, E.LEADERS, 2, Per.TERM, "V7.4"),
        ],
        "rounds": [
            _round(K.START_OF_TERM, [C.LESSON_PREP, C.HOMEWORK, C.OBSERVATION_NOTES], W.OFFICE, "V7.2", times=1),
            _round(K.MID_TERM, [C.LESSON_PREP, C.HOMEWORK, C.OBSERVATION_NOTES], W.OFFICE, "V7.2", times=1),
            _round(K.END_OF_TERM, [C.LESSON_PREP, C.HOMEWORK, C.OBSERVATION_NOTES], W.OFFICE, "V7.2", times=1),
            _round(K.SPOT, [C.LESSON_PREP, C.HOMEWORK, C.OBSERVATION_NOTES], W.OFFICE, "V7.2"),
            _round(K.DAILY_PATROL, [C.CLASSROOM], W.OFFICE, "V7.7", window=1),
        ],
        "fines": [],
    },
}
