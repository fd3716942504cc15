"""The questionnaires a school starts with, as data in the school's language (the office edits its own copies:
`services.questionnaires.questionnaire_defaults_ensure` creates them on first use).

Each entry: (text, type, per_teacher). Ratings run from 1 (very dissatisfied) to 5 (very satisfied).
"""

from __future__ import annotations

from .models import Kind, QuestionType

RATING, COMMENT = QuestionType.RATING, QuestionType.COMMENT

DEFAULTS = {
    Kind.STUDENT: {
        "name": "学生评教问卷（期中后）",
        "intro": (
            "同学你好！这份问卷不记名，任何老师都无法知道你的答案，请放心填写。"
            "请根据本学期的真实感受为每位任课老师打分：5 分表示非常满意，1 分表示很不满意。"
        ),
        "questions": [
            ("上课准备充分，讲解清楚，重点突出", RATING, True),
            ("课堂上关注每一位同学，鼓励我们提问和讨论", RATING, True),
            ("作业布置适量，批改及时、认真", RATING, True),
            ("耐心辅导，不歧视学习有困难的同学", RATING, True),
            ("尊重学生，为人师表，不体罚或变相体罚学生", RATING, True),
            ("按时上下课，不拖堂，不随意调课", RATING, True),
            ("对这位老师的意见和建议", COMMENT, True),
            ("本班的学习风气和课堂纪律", RATING, False),
            ("你对学校教学工作的其他意见和建议", COMMENT, False),
        ],
    },
    Kind.PARENT: {
        "name": "家长评教问卷（期末前）",
        "intro": (
            "尊敬的家长：您好！这份问卷不记名，学校和老师都无法知道您的答案，请放心填写。"
            "请根据孩子本学期的学习情况和您的了解为每位任课老师打分：5 分表示非常满意，1 分表示很不满意。"
        ),
        "questions": [
            ("孩子喜欢这位老师的课，学习有进步", RATING, True),
            ("作业量适当，批改及时，评语有针对性", RATING, True),
            ("与家长保持沟通，及时反馈孩子的学习情况", RATING, True),
            ("关心爱护学生，公平对待每一个孩子", RATING, True),
            ("师德师风良好，不搞有偿补课，不收受礼品", RATING, True),
            ("对这位老师的意见和建议", COMMENT, True),
            ("对孩子本学期在校学习的总体满意度", RATING, False),
            ("您对学校教学工作的其他意见和建议", COMMENT, False),
        ],
    },
}
