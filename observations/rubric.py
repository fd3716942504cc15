"""The observation rubric (评课表): the default that ships, and the rubric a school uses.

The rubric belongs to the central school (`school.root`), like the policy; the office edits its items in the
administration (names, full marks, order, in use). The default follows the usual Chinese 课堂教学评价表: six
aspects whose full marks add up to 100.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from school.models import School

from .models import RubricItem

# (item, what to look for, full marks): school data in the school's language, edited by the office.
DEFAULT_RUBRIC = (
    ("教学目标", "目标明确、具体，符合课程标准和学生实际，体现三维目标", Decimal("15")),
    ("教学内容", "内容正确、容量适当，重点突出，难点突破，联系实际", Decimal("20")),
    ("教学方法", "方法得当，启发引导，因材施教，教学手段运用合理", Decimal("20")),
    ("学生活动", "学生主体地位突出，参与面广，自主、合作、探究，思维活跃", Decimal("20")),
    ("教学效果", "目标达成度高，学生掌握良好，课堂气氛和谐", Decimal("15")),
    ("教师素养", "教态自然，语言准确规范，板书工整合理，应变能力强", Decimal("10")),
)


def rubric_for(school: School) -> list[RubricItem]:
    """The active rubric items of the school's central school, in order; the default rubric is created the
    first time a central school with no rubric needs one. (An office that has switched every item off has
    chosen no rubric: nothing is re-created then.)"""
    root = school.root
    items = list(RubricItem.objects.filter(school=root, active=True).order_by("order", "id"))
    if items or RubricItem.objects.filter(school=root).exists():
        return items
    try:
        with transaction.atomic():
            bulk_create_with_history([
                RubricItem(school=root, name=name, description=description, max_score=max_score, order=index)
                for index, (name, description, max_score) in enumerate(DEFAULT_RUBRIC, start=1)
            ], RubricItem, default_change_reason="default rubric")
    except IntegrityError:
        pass  # another request created it at the same moment
    return list(RubricItem.objects.filter(school=root, active=True).order_by("order", "id"))
